"""Vector store files and file batches through the SDK, and the SDK's poll helpers: each
finishes in a few requests (counted in the journal), the counts always true (§14.5)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pytest_assistants import FakeAssistants
from tests.expected import (
    AUTO_CHUNKING,
    BATCH_FILE_KEYS,
    BATCH_KEYS,
    STORE_FILE_KEYS_2025,
    counts,
    envelope,
    no_store_file,
    no_vector_store,
)
from tests.helpers import raw_json, refusal_of


def upload(client: Any, content: bytes = b"x" * 21) -> str:
    made: str = client.files.create(file=("test_file.txt", content), purpose="assistants").id
    return made


def requests_of(fake: Any, since: int) -> list[str]:
    return [call.operation for call in fake.calls[since:]]


def test_a_file_is_in_progress_then_completed(client: Any) -> None:
    """.NET 2025-09-16 CanAssociateFiles: the create's answer, then a read's."""
    store = client.vector_stores.create()
    file_id = upload(client)
    body = raw_json(client.vector_stores.files.with_raw_response.create(store.id, file_id=file_id))
    assert list(body) == STORE_FILE_KEYS_2025
    assert body == {
        "id": file_id,
        "object": "vector_store.file",
        "usage_bytes": 0,
        "created_at": store.created_at,
        "vector_store_id": store.id,
        "status": "in_progress",
        "last_error": None,
        "chunking_strategy": AUTO_CHUNKING,
        "attributes": {},
    }
    assert client.vector_stores.retrieve(store.id).file_counts.model_dump() == counts(completed=1)
    read = client.vector_stores.files.retrieve(file_id, vector_store_id=store.id)
    assert (read.status, read.usage_bytes) == ("completed", 1045)


def test_create_and_poll_takes_two_requests(client: Any, assistants_fake: Any) -> None:
    store = client.vector_stores.create()
    file_id = upload(client)
    since = len(assistants_fake.calls)
    done = client.vector_stores.files.create_and_poll(file_id, vector_store_id=store.id)
    assert done.status == "completed"
    assert requests_of(assistants_fake, since) == [
        "vector_stores.files.create",
        "vector_stores.files.retrieve",
    ]
    # The hint answers the poll helper's read only: the provider sent none otherwise (none
    # in 189 recorded vector store answers, §14.5).
    hints = [c.response_headers.get("openai-poll-after-ms") for c in assistants_fake.calls[since:]]
    assert hints == [None, "1"]


def test_upload_and_poll_a_batch(client: Any, assistants_fake: Any) -> None:
    store = client.vector_stores.create()
    since = len(assistants_fake.calls)
    batch = client.vector_stores.file_batches.upload_and_poll(
        store.id, files=[("a.txt", b"aa"), ("b.txt", b"bbb")]
    )
    assert batch.status == "completed"
    assert batch.file_counts.model_dump() == counts(completed=2)
    assert requests_of(assistants_fake, since) == [
        "files.create",
        "files.create",
        "vector_stores.file_batches.create",
        "vector_stores.file_batches.retrieve",
    ]
    assert client.vector_stores.retrieve(store.id).usage_bytes == 2 + 1024 + 3 + 1024


def test_more_processing_reads_mean_more_polls() -> None:
    fake = FakeAssistants(processing_reads=3)
    client = fake.openai(max_retries=0)
    store = client.vector_stores.create(file_ids=[upload(client)])
    since = len(fake.calls)
    statuses = [client.vector_stores.retrieve(store.id).status for _ in range(3)]
    assert statuses == ["in_progress", "in_progress", "completed"]
    file_id = upload(client)
    since = len(fake.calls)
    client.vector_stores.files.create_and_poll(file_id, vector_store_id=store.id)
    assert len(fake.calls) - since == 4  # create, then three reads


def test_zero_processing_reads_complete_in_the_create() -> None:
    client = FakeAssistants(processing_reads=0).openai(max_retries=0)
    store = client.vector_stores.create(file_ids=[upload(client)])
    assert (store.status, store.file_counts.completed) == ("completed", 1)


def test_the_poll_hint_is_a_choice() -> None:
    fake = FakeAssistants(poll_after_ms=250)
    stores = fake.openai(max_retries=0).vector_stores.with_raw_response
    answer = stores.create(extra_headers={"x-stainless-poll-helper": "true"})
    assert answer.headers["openai-poll-after-ms"] == "250"
    assert "openai-poll-after-ms" not in stores.create().headers


def test_list_filters_by_status_and_pages(client: Any, assistants_fake: Any) -> None:
    """.NET Pagination_CanRehydrateVectorStoreFileCollection: limit=2 pages, newest first."""
    store = client.vector_stores.create()
    files = []
    for _ in range(5):
        files.append(upload(client))
        client.vector_stores.files.create(store.id, file_id=files[-1])
        assistants_fake.clock.advance(1)
    pending = client.vector_stores.files.list(store.id, filter="in_progress")
    assert pending.data == []  # the list itself was the read that completed them
    first = client.vector_stores.files.list(store.id, limit=2)
    assert [f.id for f in first.data] == files[::-1][:2]
    assert first.has_more is True
    assert [f.id for f in client.vector_stores.files.list(store.id, limit=2)] == files[::-1]
    done = client.vector_stores.files.list(store.id, filter="completed")
    assert len(done.data) == 5
    status, error = refusal_of(lambda: client.vector_stores.files.list(store.id, filter="done"))
    expected = envelope(
        "Invalid value: 'done'. Supported values are: 'in_progress', 'completed', 'failed',"
        " and 'cancelled'.",
        "filter",
        "invalid_value",
    )
    assert (status, error) == (400, expected)


def test_delete_recounts_the_store(client: Any) -> None:
    store = client.vector_stores.create(file_ids=[upload(client), upload(client)])
    first = client.vector_stores.files.list(store.id, order="asc").data[0].id
    gone = raw_json(
        client.vector_stores.files.with_raw_response.delete(first, vector_store_id=store.id)
    )
    assert gone == {"id": first, "object": "vector_store.file.deleted", "deleted": True}
    after = client.vector_stores.retrieve(store.id)
    assert (after.file_counts.total, after.usage_bytes) == (1, 1045)
    assert refusal_of(
        lambda: client.vector_stores.files.retrieve(first, vector_store_id=store.id)
    ) == (404, no_store_file(store.id, first))
    assert client.files.retrieve(first).id == first  # the file itself stays


def test_attributes_are_set_on_create_and_update(client: Any) -> None:
    store = client.vector_stores.create()
    file_id = upload(client)
    made = client.vector_stores.files.create(store.id, file_id=file_id, attributes={"lang": "en"})
    assert made.attributes == {"lang": "en"}
    updated = client.vector_stores.files.update(
        file_id, vector_store_id=store.id, attributes={"year": 2025, "draft": False}
    )
    assert updated.attributes == {"year": 2025, "draft": False}
    status, error = refusal_of(
        lambda: client.vector_stores.files.update(
            file_id, vector_store_id=store.id, attributes={"k": {"nested": 1}}
        )
    )
    assert (status, error["error"]["param"]) == (400, "attributes.k")


def test_a_batch_as_recorded(client: Any) -> None:
    """ruby 2024-04-30 / .NET 2025-09-16: in_progress with every file counted, then
    completed; its file list shows fewer keys; cancelling it then changes nothing."""
    store = client.vector_stores.create()
    files = [upload(client) for _ in range(3)]
    made = raw_json(
        client.vector_stores.file_batches.with_raw_response.create(store.id, file_ids=files)
    )
    assert list(made) == BATCH_KEYS
    assert re.fullmatch(r"vsfb_[0-9a-f]{32}", made["id"])  # ruby 2024, .NET 2025-09
    assert (made["status"], made["file_counts"]) == ("in_progress", counts(in_progress=3))
    read = client.vector_stores.file_batches.retrieve(made["id"], vector_store_id=store.id)
    assert (read.status, read.file_counts.model_dump()) == ("completed", counts(completed=3))
    listed = raw_json(
        client.vector_stores.file_batches.with_raw_response.list_files(
            made["id"], vector_store_id=store.id, order="asc"
        )
    )
    assert [f["id"] for f in listed["data"]] == files
    assert all(list(f) == BATCH_FILE_KEYS for f in listed["data"])
    cancelled = client.vector_stores.file_batches.cancel(made["id"], vector_store_id=store.id)
    assert cancelled.status == "completed"  # ruby 2024-04-30: cancel after completion


def test_cancelling_a_batch_in_progress_cancels_its_files() -> None:
    client = FakeAssistants(processing_reads=5).openai(max_retries=0)
    store = client.vector_stores.create()
    batch = client.vector_stores.file_batches.create(
        store.id, file_ids=[upload(client), upload(client)]
    )
    cancelled = client.vector_stores.file_batches.cancel(batch.id, vector_store_id=store.id)
    assert (cancelled.status, cancelled.file_counts.model_dump()) == (
        "cancelled",
        counts(cancelled=2),
    )
    assert client.vector_stores.retrieve(store.id).status == "completed"
    listed = client.vector_stores.file_batches.list_files(
        batch.id, vector_store_id=store.id, filter="cancelled"
    )
    assert len(listed.data) == 2


def test_batch_refusals_change_nothing(client: Any, assistants_fake: Any) -> None:
    store = client.vector_stores.create()
    other = client.vector_stores.create()
    batch = client.vector_stores.file_batches.create(store.id, file_ids=[upload(client)])
    before = assistants_fake.snapshot()
    empty = refusal_of(lambda: client.vector_stores.file_batches.create(store.id, file_ids=[]))
    assert empty == (
        400,
        envelope(
            "Invalid 'file_ids': empty array. Expected an array with minimum length 1, but got"
            " an empty array instead.",
            "file_ids",
            "empty_array",
        ),
    )
    wrong_store = refusal_of(
        lambda: client.vector_stores.file_batches.retrieve(batch.id, vector_store_id=other.id)
    )
    assert wrong_store == (404, envelope(f"No vector store file batch found with id '{batch.id}'."))
    assert refusal_of(
        lambda: client.vector_stores.file_batches.create("vs_nope", file_ids=["file-1"])
    ) == (404, no_vector_store("vs_nope"))
    assert assistants_fake.snapshot() == before


@pytest.mark.parametrize("reads", [1, 2])
def test_counts_are_always_the_files_counted(reads: int) -> None:
    """Whatever was done, a store's and a batch's counts and usage are their files'."""
    fake = FakeAssistants(processing_reads=reads)
    client = fake.openai(max_retries=0)
    store = client.vector_stores.create(file_ids=[upload(client)])
    batch = client.vector_stores.file_batches.create(
        store.id, file_ids=[upload(client), upload(client)]
    )
    newest, second = [f.id for f in client.files.list().data[:2]]
    client.vector_stores.files.retrieve(newest, vector_store_id=store.id)
    client.vector_stores.files.delete(second, vector_store_id=store.id)
    snapshot = fake.snapshot()
    members = list(snapshot["vector_store.file"].values())
    stored = snapshot["vector_store"][store.id]
    for status in ("in_progress", "completed", "cancelled", "failed"):
        assert stored["file_counts"][status] == sum(m["status"] == status for m in members)
    assert stored["file_counts"]["total"] == len(members)
    assert stored["usage_bytes"] == sum(m["usage_bytes"] for m in members)
    in_batch = [m for m in members if m["batch_id"] == batch.id]
    assert snapshot["vector_store.file_batch"][batch.id]["file_counts"]["total"] == len(in_batch)


def test_the_other_poll_helpers(client: Any, assistants_fake: Any) -> None:
    store = client.vector_stores.create()
    since = len(assistants_fake.calls)
    uploaded = client.vector_stores.files.upload_and_poll(
        vector_store_id=store.id, file=("a.txt", b"alpha")
    )
    assert uploaded.status == "completed"
    assert requests_of(assistants_fake, since) == [
        "files.create",
        "vector_stores.files.create",
        "vector_stores.files.retrieve",
    ]
    since = len(assistants_fake.calls)
    batch = client.vector_stores.file_batches.create_and_poll(store.id, file_ids=[uploaded.id])
    assert batch.status == "completed"
    assert requests_of(assistants_fake, since) == [
        "vector_stores.file_batches.create",
        "vector_stores.file_batches.retrieve",
    ]
