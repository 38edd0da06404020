"""Vector stores through the SDK: create, retrieve, list, modify, delete (§14.5, §14.6);
statuses as recorded, counts and usage kept true, one step per read."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pytest_assistants import FakeAssistants
from tests.expected import (
    STORE_KEYS_2024,
    STORE_KEYS_2025,
    counts,
    no_vector_store,
)
from tests.helpers import raw_json, refusal_of

HEX_32 = r"vs_[0-9a-f]{32}"  # .NET 2025: "vs_68c9eda7fd0c8191be12ef7c0d1999db"
BASE62_24 = r"vs_[A-Za-z0-9]{24}"  # ruby-openai 2024: "vs_kWaCiN8Ii4e1hefIou5skq9g"


def upload(client: Any, content: bytes = b"x" * 21, name: str = "test_file_000.txt") -> str:
    made: str = client.files.create(file=(name, content), purpose="assistants").id
    return made


def test_an_empty_store_is_completed_at_once(client: Any, assistants_fake: Any) -> None:
    """.NET 2025-09-16 ``POST /vector_stores {}``, word for word but the id and times."""
    body = raw_json(client.vector_stores.with_raw_response.create())
    assert list(body) == STORE_KEYS_2025
    assert re.fullmatch(HEX_32, body["id"])
    now = assistants_fake.clock.now()
    assert {k: v for k, v in body.items() if k != "id"} == {
        "object": "vector_store",
        "created_at": now,
        "name": None,
        "description": None,
        "usage_bytes": 0,
        "file_counts": counts(),
        "status": "completed",
        "expires_after": None,
        "expires_at": None,
        "last_active_at": now,
        "metadata": {},
    }


def test_a_store_with_files_is_in_progress_then_completed(client: Any) -> None:
    """Recorded: ``in_progress`` with the files counted in progress and no usage; later
    ``completed``, each file's usage its bytes + 1024 (21 -> 1045)."""
    files = [upload(client) for _ in range(5)]
    made = client.vector_stores.create(file_ids=files, name="test vector store")
    assert (made.status, made.usage_bytes) == ("in_progress", 0)
    assert made.file_counts.model_dump() == counts(in_progress=5)
    read = client.vector_stores.retrieve(made.id)
    assert (read.status, read.usage_bytes) == ("completed", 5 * 1045)
    assert read.file_counts.model_dump() == counts(completed=5)


def test_expires_after_counts_days_from_last_activity(client: Any, assistants_fake: Any) -> None:
    """.NET: 3 days after last_active_at 1758064074 is 1758323274; then the store expires
    when the fake's clock says so, never by wall time."""
    made = client.vector_stores.create(expires_after={"anchor": "last_active_at", "days": 3})
    assert made.expires_at == made.last_active_at + 259_200
    assistants_fake.clock.advance(259_199)
    assert client.vector_stores.retrieve(made.id).status == "completed"
    assistants_fake.clock.advance(1)
    assert client.vector_stores.retrieve(made.id).status == "expired"
    assert [s.status for s in client.vector_stores.list()] == ["expired"]


def test_modify_omitted_unchanged_null_clears_metadata_replaced(client: Any) -> None:
    """§14.6: the recorded modify sets metadata (ruby 2024-04-30); the rest as §3."""
    made = client.vector_stores.create(
        name="kb",
        metadata={"a": "1", "b": "2"},
        expires_after={"anchor": "last_active_at", "days": 1},
    )
    recorded_like = client.vector_stores.update(made.id, metadata={"modified": "true"})
    assert recorded_like.metadata == {"modified": "true"}  # replaced (Q3's default)
    assert recorded_like.name == "kb"  # omitted: unchanged
    assert recorded_like.expires_at == made.expires_at
    cleared = client.vector_stores.update(made.id, name=None, expires_after=None, metadata=None)
    assert (cleared.name, cleared.expires_after, cleared.expires_at, cleared.metadata) == (
        None,
        None,
        None,
        {},
    )
    longer = client.vector_stores.update(
        made.id, expires_after={"anchor": "last_active_at", "days": 2}
    )
    assert longer.expires_at == made.last_active_at + 2 * 86_400


def test_metadata_merges_with_the_choice() -> None:
    client = FakeAssistants(metadata_merge=True).openai(max_retries=0)
    made = client.vector_stores.create(metadata={"a": "1"})
    assert client.vector_stores.update(made.id, metadata={"b": "2"}).metadata == {
        "a": "1",
        "b": "2",
    }


def test_list_pages_newest_first(client: Any, assistants_fake: Any) -> None:
    made = []
    for index in range(5):
        made.append(client.vector_stores.create(name=f"Test Vector Store {index}").id)
        assistants_fake.clock.advance(index % 2)
    body = raw_json(client.vector_stores.with_raw_response.list(order="desc"))
    assert [s["id"] for s in body["data"]] == made[::-1]
    assert [s.id for s in client.vector_stores.list(limit=2, order="asc")] == made


def test_delete_takes_the_stores_files_and_batches(client: Any, assistants_fake: Any) -> None:
    files = [upload(client) for _ in range(2)]
    made = client.vector_stores.create(file_ids=files[:1])
    client.vector_stores.file_batches.create(made.id, file_ids=files[1:])
    gone = raw_json(client.vector_stores.with_raw_response.delete(made.id))
    assert gone == {"id": made.id, "object": "vector_store.deleted", "deleted": True}
    kept = assistants_fake.snapshot()
    assert set(kept) == {"file"}  # the files themselves stay
    assert refusal_of(lambda: client.vector_stores.retrieve(made.id)) == (
        404,
        no_vector_store(made.id),
    )


@pytest.mark.parametrize(
    ("body", "param", "code"),
    [
        ({"name": 5}, "name", "invalid_type"),
        ({"file_ids": ["doc-1"]}, "file_ids[0]", "invalid_value"),
        ({"expires_after": {"anchor": "created_at", "days": 1}}, "expires_after.anchor", "invalid_value"),
        ({"expires_after": {"anchor": "last_active_at", "days": 366}}, "expires_after.days", "integer_above_max_value"),
        ({"expires_after": {"anchor": "last_active_at"}}, "expires_after.days", "missing_required_parameter"),
        ({"chunking_strategy": {"type": "static", "static": {"max_chunk_size_tokens": 50, "chunk_overlap_tokens": 0}}}, "chunking_strategy.static.max_chunk_size_tokens", "integer_below_min_value"),
        ({"chunking_strategy": {"type": "static", "static": {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 401}}}, "chunking_strategy.static.chunk_overlap_tokens", "integer_above_max_value"),
        ({"metadata": {"k": 1}}, "metadata.k", "invalid_type"),
        ({"shape": "round"}, "shape", "unknown_parameter"),
    ],
)  # fmt: skip
def test_refused_creates_change_nothing(
    client: Any, assistants_fake: Any, body: dict[str, Any], param: str, code: str
) -> None:
    before = assistants_fake.snapshot()
    status, error = refusal_of(lambda: client.vector_stores.create(extra_body=body))
    assert (status, error["error"]["param"], error["error"]["code"]) == (400, param, code)
    assert assistants_fake.snapshot() == before
    assistants_fake.check()


def test_a_refused_modify_changes_nothing(client: Any, assistants_fake: Any) -> None:
    made = client.vector_stores.create(name="kb")
    before = assistants_fake.snapshot()
    status, error = refusal_of(
        lambda: client.vector_stores.update(made.id, extra_body={"file_ids": []})
    )
    assert (status, error["error"]["code"]) == (400, "unknown_parameter")
    assert refusal_of(lambda: client.vector_stores.update("vs_nope", name="x")) == (
        404,
        no_vector_store("vs_nope"),
    )
    assert assistants_fake.snapshot() == before


def test_2024_shapes() -> None:
    """ruby-openai 2024-04-30: the 2024 key order and ``vs_`` + 24 base62; no
    ``chunking_strategy`` yet (an unknown parameter, INFERRED date)."""
    client = FakeAssistants("openai-v2@2024-05").openai(max_retries=0)
    body = raw_json(client.vector_stores.with_raw_response.create())
    assert list(body) == STORE_KEYS_2024
    assert re.fullmatch(BASE62_24, body["id"])
    status, error = refusal_of(
        lambda: client.vector_stores.create(chunking_strategy={"type": "auto"})
    )
    assert (status, error["error"]["param"]) == (400, "chunking_strategy")


def test_the_view_is_a_copy_and_reads_advance_nothing(client: Any, assistants_fake: Any) -> None:
    made = client.vector_stores.create(file_ids=[upload(client)])
    seen = assistants_fake.vector_stores[made.id]
    assert seen["status"] == "in_progress"
    assert assistants_fake.vector_stores[made.id]["status"] == "in_progress"  # still
    seen["name"] = "changed"
    assert assistants_fake.vector_stores[made.id]["name"] is None
    assert list(assistants_fake.vector_stores) == [made.id]


def test_add_preloads_a_store_by_its_object_field(assistants_fake: Any) -> None:
    added = assistants_fake.add({"object": "vector_store", "id": "vs_seeded", "name": "kb"})
    client = assistants_fake.openai(max_retries=0)
    assert client.vector_stores.retrieve("vs_seeded").name == "kb"
    assert added["file_counts"] == counts()
