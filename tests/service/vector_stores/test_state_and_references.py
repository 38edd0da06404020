"""``--state`` keeps files (their bytes too) and vector stores across a restart; and Q5,
the references a body names: checked by prefix only by default, by existence with the
``reference_check`` choice."""

from __future__ import annotations

import base64
import json
import sqlite3
from typing import TYPE_CHECKING, Any

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.server.state import SqliteState
from tests.expected import no_such_file, no_vector_store
from tests.helpers import AUTH, refusal_of

if TYPE_CHECKING:
    from pathlib import Path

BYTES = bytes(range(256)) * 4


def restarted(path: Path, **choices: Any) -> FakeAssistants:
    fake = FakeAssistants(seed=5, **choices)
    fake.persist(SqliteState(path))
    return fake


def test_files_and_stores_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    fake = restarted(path, processing_reads=2)
    client = fake.openai(max_retries=0)
    kept = client.files.create(file=("rows.jsonl", BYTES), purpose="batch")
    store = client.vector_stores.create(name="kb", file_ids=[kept.id])
    batch = client.vector_stores.file_batches.create(store.id, file_ids=[kept.id])
    client.vector_stores.retrieve(store.id)  # one of the two reads
    before = fake.snapshot()

    again = restarted(path, processing_reads=2)
    assert again.snapshot() == before
    client = again.openai(max_retries=0)
    assert client.files.content(kept.id).content == BYTES
    assert client.vector_stores.retrieve(store.id).status == "completed"  # the second read
    read = client.vector_stores.file_batches.retrieve(batch.id, vector_store_id=store.id)
    assert read.status == "completed"
    assert client.files.create(file=("b.txt", b"x"), purpose="assistants").id not in before["file"]


def test_the_bytes_are_json_in_the_record_and_never_rendered(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    fake = restarted(path)
    made = fake.openai(max_retries=0).files.create(file=("a.jsonl", BYTES), purpose="batch")
    with sqlite3.connect(path) as db:
        (text,) = db.execute("SELECT record FROM objects WHERE kind = 'file'").fetchone()
    record = json.loads(text)
    assert base64.b64decode(record["content_base64"]) == BYTES
    with fake.http_client(headers=AUTH) as http:
        for answer in (http.get(f"/files/{made.id}"), http.get("/files")):
            assert "content_base64" not in answer.text


# -- Q5: the ids a body names ------------------------------------------------------------


def test_by_default_only_prefixes_are_checked(client: Any) -> None:
    """Q5 (no recording shows the provider's answer): an unknown id is accepted."""
    made = client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "file_search"}, {"type": "code_interpreter"}],
        tool_resources={
            "code_interpreter": {"file_ids": ["file-never-uploaded"]},
            "file_search": {"vector_store_ids": ["vs_never_made"]},
        },
    )
    assert made.tool_resources.file_search.vector_store_ids == ["vs_never_made"]
    store = client.vector_stores.create(file_ids=["file-never-uploaded"])
    assert store.file_counts.total == 1
    assert client.vector_stores.retrieve(store.id).usage_bytes == 1024  # no bytes: overhead


@pytest.fixture
def strict() -> Any:
    return FakeAssistants(reference_check="exists").openai(max_retries=0)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (
            lambda c: c.beta.assistants.create(
                model="gpt-4o",
                tool_resources={"code_interpreter": {"file_ids": ["file-gone"]}},
            ),
            (404, no_such_file("file-gone")),
        ),
        (
            lambda c: c.beta.assistants.create(
                model="gpt-4o", tool_resources={"file_search": {"vector_store_ids": ["vs_gone"]}}
            ),
            (404, no_vector_store("vs_gone")),
        ),
        (
            lambda c: c.beta.assistants.create(
                model="gpt-4o",
                tool_resources={"file_search": {"vector_stores": [{"file_ids": ["file-gone"]}]}},
            ),
            (404, no_such_file("file-gone")),
        ),
        (
            lambda c: c.vector_stores.create(file_ids=["file-gone"]),
            (404, no_such_file("file-gone")),
        ),
    ],
)
def test_with_the_choice_an_unknown_reference_is_its_404(
    strict: Any, call: Any, expected: Any
) -> None:
    assert refusal_of(lambda: call(strict)) == expected


def test_with_the_choice_modifies_and_attachments_are_checked_too() -> None:
    fake = FakeAssistants(reference_check="exists")
    client = fake.openai(max_retries=0)
    made = client.beta.assistants.create(model="gpt-4o")
    store = client.vector_stores.create()
    before = fake.snapshot()
    modify = refusal_of(
        lambda: client.beta.assistants.update(
            made.id, tool_resources={"file_search": {"vector_store_ids": ["vs_gone"]}}
        )
    )
    assert modify == (404, no_vector_store("vs_gone"))
    for attach in (
        lambda: client.vector_stores.files.create(store.id, file_id="file-gone"),
        lambda: client.vector_stores.file_batches.create(store.id, file_ids=["file-gone"]),
    ):
        assert refusal_of(attach) == (404, no_such_file("file-gone"))
    assert fake.snapshot() == before
    uploaded = client.files.create(file=("a.txt", b"x"), purpose="assistants")
    attached = client.vector_stores.files.create(store.id, file_id=uploaded.id)
    assert attached.id == uploaded.id


def test_the_assistants_helper_makes_a_store_retrieve_finds(client: Any) -> None:
    """.NET 2025-09-16 FileSearchWorks: the helper's store, then its files."""
    uploaded = client.files.create(file=("favorite_foods.txt", b"x" * 127), purpose="assistants")
    made = client.beta.assistants.create(
        model="gpt-4o-mini",
        tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_stores": [{"file_ids": [uploaded.id]}]}},
    )
    (store_id,) = made.tool_resources.file_search.vector_store_ids
    store = client.vector_stores.retrieve(store_id)
    assert (store.status, store.file_counts.total, store.usage_bytes) == ("completed", 1, 1151)
    assert [f.id for f in client.vector_stores.files.list(store_id)] == [uploaded.id]


def test_zerobots_modify_helper_makes_a_store_too() -> None:
    fake = FakeAssistants("zerobot")
    with fake.http_client("api.zerobot.ai", headers={"Authorization": "Bearer zb"}) as http:
        made = http.post("/assistants", json={"model": "m", "tools": [{"type": "file_search"}]})
        changed = http.patch(
            f"/assistants/{made.json()['id']}",
            json={"tool_resources": {"file_search": {"vector_stores": [{"file_ids": ["file-1"]}]}}},
        )
    (store_id,) = changed.json()["tool_resources"]["file_search"]["vector_store_ids"]
    assert fake.vector_stores[store_id]["file_counts"]["total"] == 1


def test_a_bad_helper_strategy_names_its_place(client: Any, assistants_fake: Any) -> None:
    before = assistants_fake.snapshot()
    strategy = {
        "type": "static",
        "static": {"max_chunk_size_tokens": 200, "chunk_overlap_tokens": 150},
    }
    status, error = refusal_of(
        lambda: client.beta.assistants.create(
            model="gpt-4o",
            tool_resources={"file_search": {"vector_stores": [{"chunking_strategy": strategy}]}},
        )
    )
    param = (
        "tool_resources.file_search.vector_stores[0].chunking_strategy.static.chunk_overlap_tokens"
    )
    assert (status, error["error"]["param"]) == (400, param)
    assert assistants_fake.snapshot() == before
