"""Threads and messages through the real SDK and raw HTTP: shapes by era (§14.5), modify
(§14.6), the recorded texts (§14.4), and state unchanged by a refused request."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_assistants import FakeAssistants
from tests.helpers import error_of, raw_json

V1 = {"authorization": "Bearer k", "openai-beta": "assistants=v1"}
V2 = {"authorization": "Bearer k", "openai-beta": "assistants=v2"}


@pytest.fixture
def fake() -> FakeAssistants:
    return FakeAssistants()


@pytest.fixture
def client(fake: FakeAssistants) -> Any:
    return fake.openai(max_retries=0)


def test_a_thread_is_served_in_the_recorded_v2_shape(client: Any) -> None:
    made = client.beta.threads.with_raw_response.create(metadata={"a": "b"})
    assert list(raw_json(made)) == ["id", "object", "created_at", "metadata", "tool_resources"]
    assert raw_json(made)["tool_resources"] == {}


def test_a_v1_thread_has_no_tool_resources() -> None:
    http = FakeAssistants("openai-v1@2024-04").http_client(headers=V1)
    made = http.post("/threads", json={}).json()
    assert list(made) == ["id", "object", "created_at", "metadata"]
    refused = http.post("/threads", json={"tool_resources": {}})
    assert refused.json()["error"]["code"] == "unknown_parameter"


def test_initial_messages_and_their_content_parts(client: Any) -> None:
    thread = client.beta.threads.create(
        messages=[
            {"role": "user", "content": "Hello, world!"},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "Describe this:"},
                    {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
                ],
            },
        ]
    )
    listed = client.beta.threads.messages.with_raw_response.list(thread_id=thread.id, order="asc")
    first, second = raw_json(listed)["data"]
    assert list(first) == [
        "id", "object", "created_at", "assistant_id", "thread_id", "run_id", "role", "content",
        "attachments", "metadata",
    ]  # fmt: skip
    assert first["content"] == [
        {"type": "text", "text": {"value": "Hello, world!", "annotations": []}}
    ]
    assert second["content"][1] == {
        "type": "image_url",
        "image_url": {"url": "https://example.com/a.png", "detail": "auto"},  # as recorded
    }


def test_a_v2_message_modify_answers_the_legacy_shape(client: Any) -> None:
    """§14.5: recorded three times (ruby-openai 2024, lemur 2024, .NET 2025)."""
    thread = client.beta.threads.create()
    message = client.beta.threads.messages.create(thread_id=thread.id, role="user", content="x")
    changed = client.beta.threads.messages.with_raw_response.update(
        message.id, thread_id=thread.id, metadata={"modified": "true"}
    )
    assert list(raw_json(changed)) == [
        "id", "object", "created_at", "assistant_id", "thread_id", "run_id", "role", "content",
        "file_ids", "metadata",
    ]  # fmt: skip
    assert raw_json(changed)["metadata"] == {"modified": "true"}
    retrieved = client.beta.threads.messages.with_raw_response.retrieve(
        message.id, thread_id=thread.id
    )
    assert "attachments" in raw_json(retrieved)  # a read is v2 again


@pytest.mark.parametrize("resource", ["threads", "messages", "runs"])
def test_a_boolean_metadata_value_is_refused_in_v2_and_kept_as_text_in_v1(
    resource: str,
) -> None:
    """§14.4: v2 answers invalid_type with the recorded text; v1 stored "True"."""
    fake = FakeAssistants("openai-v2@2024-05")  # serves v1 beside v2, as in May 2024
    for headers, expected in ((V2, None), (V1, "True")):
        http = fake.http_client(headers=headers)
        helper = http.post("/assistants", json={"model": "gpt-4-turbo", "instructions": "x"}).json()
        thread = http.post("/threads", json={}).json()
        path = f"/threads/{thread['id']}"
        if resource == "messages":
            made = http.post(f"{path}/messages", json={"role": "user", "content": "x"}).json()
            path = f"{path}/messages/{made['id']}"
        elif resource == "runs":
            made = http.post(f"{path}/runs", json={"assistant_id": helper["id"]}).json()
            path = f"{path}/runs/{made['id']}"
            http.get(path)
            http.get(path)  # completed: v1 refuses a modify while active
        before = fake.snapshot()
        answer = http.post(path, json={"metadata": {"modified": True}})
        if expected is None:
            assert answer.status_code == 400
            assert answer.json()["error"] == {
                "message": "Invalid type for 'metadata.modified': expected a string, but got a"
                " boolean instead.",
                "type": "invalid_request_error",
                "param": "metadata.modified",
                "code": "invalid_type",
            }
            assert fake.snapshot() == before
        else:
            assert answer.json()["metadata"] == {"modified": expected}


def test_thread_modify_replaces_metadata_and_keeps_what_it_does_not_name(client: Any) -> None:
    thread = client.beta.threads.create(metadata={"a": "1"})
    changed = client.beta.threads.update(thread.id, metadata={"b": "2"})
    assert changed.metadata == {"b": "2"}
    resources = {"code_interpreter": {"file_ids": ["file-abc"]}}
    with_files = client.beta.threads.update(thread.id, tool_resources=resources)
    assert with_files.metadata == {"b": "2"}
    assert with_files.tool_resources.code_interpreter.file_ids == ["file-abc"]
    cleared = client.beta.threads.update(thread.id, metadata=None)
    assert cleared.metadata == {}


def test_deleting_a_thread_takes_its_messages_and_runs(fake: FakeAssistants, client: Any) -> None:
    helper = client.beta.assistants.create(model="gpt-4o", instructions="x")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    deleted = client.beta.threads.delete(thread.id)
    assert (deleted.id, deleted.deleted, deleted.object) == (thread.id, True, "thread.deleted")
    assert (len(fake.threads), len(fake.messages), len(fake.runs)) == (0, 0, 0)
    assert error_of(lambda: client.beta.threads.retrieve(thread.id))[0] == 404


def test_message_delete_and_its_404(client: Any) -> None:
    thread = client.beta.threads.create()
    message = client.beta.threads.messages.create(thread_id=thread.id, role="user", content="x")
    gone = client.beta.threads.messages.delete(message.id, thread_id=thread.id)
    assert (gone.object, gone.deleted) == ("thread.message.deleted", True)
    status, error = error_of(
        lambda: client.beta.threads.messages.retrieve(message.id, thread_id=thread.id)
    )
    assert (status, error["message"]) == (404, f"No message found with id '{message.id}'.")


@pytest.mark.parametrize(
    ("body", "code", "param"),
    [
        ({"role": "user"}, "missing_required_parameter", "content"),
        ({"role": "system", "content": "x"}, "invalid_value", "role"),
        ({"role": "user", "content": 3}, "invalid_type", "content"),
        ({"role": "user", "content": "x", "file_ids": []}, "unknown_parameter", "file_ids"),
        (
            {"role": "user", "content": "x", "attachments": [{"file_id": "vs_1"}]},
            "invalid_value",
            "attachments[0].file_id",
        ),
    ],
)
def test_a_bad_message_is_the_400_and_stores_nothing(
    fake: FakeAssistants, body: dict[str, Any], code: str, param: str
) -> None:
    http = fake.http_client(headers=V2)
    thread = http.post("/threads", json={}).json()
    before = fake.snapshot()
    answer = http.post(f"/threads/{thread['id']}/messages", json=body)
    assert answer.status_code == 400
    assert (answer.json()["error"]["code"], answer.json()["error"]["param"]) == (code, param)
    assert fake.snapshot() == before


def test_a_message_to_a_thread_that_does_not_exist_is_its_404(fake: FakeAssistants) -> None:
    answer = fake.http_client(headers=V2).post(
        "/threads/thread_missing/messages", json={"role": "user", "content": "x"}
    )
    assert answer.status_code == 404
    assert answer.json()["error"]["message"] == "No thread found with id 'thread_missing'."


def test_the_v1_2023_message_keeps_its_own_key_order() -> None:
    """Recorded 2023-11 .. 2024-01: file_ids after content, assistant_id and run_id last."""
    fake = FakeAssistants("openai-v1@2023-11")
    http = fake.http_client(headers=V1)
    thread = http.post("/threads", json={}).json()
    made = http.post(
        f"/threads/{thread['id']}/messages", json={"role": "user", "content": "x"}
    ).json()
    assert list(made) == [
        "id", "object", "created_at", "thread_id", "role", "content", "file_ids",
        "assistant_id", "run_id", "metadata",
    ]  # fmt: skip


def test_deleting_a_thread_leaves_the_other_threads_whole(
    fake: FakeAssistants, client: Any
) -> None:
    helper = client.beta.assistants.create(model="gpt-4o", instructions="x")
    gone, kept = (
        client.beta.threads.create(messages=[{"role": "user", "content": text}])
        for text in ("gone", "kept")
    )
    for thread in (gone, kept):
        client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    client.beta.threads.delete(gone.id)
    assert list(fake.threads) == [kept.id]
    assert {m["thread_id"] for m in fake.messages.values()} == {kept.id}
    assert len(fake.messages) == 2  # the question and the reply
    (run,) = fake.runs.values()
    assert run["thread_id"] == kept.id
    steps = client.beta.threads.runs.steps.list(run_id=run["id"], thread_id=kept.id).data
    assert len(steps) == 1
    left = fake.snapshot()  # everything stored: the deleted thread's steps are gone too
    assert {s["thread_id"] for s in left["thread.run.step"].values()} == {kept.id}


def test_thread_tool_resources_on_create_and_modify(fake: FakeAssistants, client: Any) -> None:
    """Create takes the `vector_stores` helper (a new store id each); a modify replaces the
    tools it names and keeps the others (§14.6 as §3); null clears them all."""
    thread = client.beta.threads.create(
        tool_resources={"file_search": {"vector_stores": [{"file_ids": ["file-a"]}]}}
    )
    assert thread.created_at == fake.clock.now()
    (store_id,) = thread.tool_resources.file_search.vector_store_ids
    assert store_id.startswith("vs_")
    added = client.beta.threads.update(
        thread.id, tool_resources={"code_interpreter": {"file_ids": ["file-b"]}}
    )
    assert added.to_dict()["tool_resources"] == {
        "file_search": {"vector_store_ids": [store_id]},
        "code_interpreter": {"file_ids": ["file-b"]},
    }
    replaced = client.beta.threads.update(
        thread.id, tool_resources={"file_search": {"vector_store_ids": ["vs_other"]}}
    )
    assert replaced.to_dict()["tool_resources"]["file_search"] == {"vector_store_ids": ["vs_other"]}
    status, error = error_of(
        lambda: client.beta.threads.update(thread.id, extra_body={"messages": []})
    )  # initial messages are a create's only
    assert (status, error["code"], error["param"]) == (400, "unknown_parameter", "messages")
    cleared = client.beta.threads.update(thread.id, tool_resources=None)
    assert cleared.to_dict()["tool_resources"] == {}
    # a read shows empty resources as the recorded retrieves do (8 of 8; a modify answers {})
    retrieved = client.beta.threads.retrieve(thread.id).to_dict()["tool_resources"]
    assert retrieved == {"code_interpreter": {"file_ids": []}}


def test_a_thread_takes_at_most_32_messages_and_stores_nothing_otherwise(
    fake: FakeAssistants,
) -> None:
    http = fake.http_client(headers=V2)
    many = [{"role": "user", "content": "x"}] * 33
    answer = http.post("/threads", json={"messages": many})
    assert answer.json()["error"] == {
        "message": "Invalid 'messages': array too long. Expected an array with maximum length"
        " 32, but got an array with length 33 instead.",
        "type": "invalid_request_error",
        "param": "messages",
        "code": "array_above_max_length",
    }
    assert (len(fake.threads), len(fake.messages)) == (0, 0)
    made = http.post("/threads", json={"messages": many[:32], "metadata": {"k": "v"}}).json()
    assert made["metadata"] == {"k": "v"}
    assert len(fake.messages) == 32


def test_messages_list_in_pages_newest_first(fake: FakeAssistants, client: Any) -> None:
    """§14.5 lists everywhere: newest first by default, `limit`, `after` / `before` cursors,
    `first_id` / `last_id` / `has_more`; same-second messages keep their creation order."""
    thread = client.beta.threads.create(
        messages=[{"role": "user", "content": str(n)} for n in range(5)]
    )
    other = client.beta.threads.create(messages=[{"role": "user", "content": "elsewhere"}])
    ids = [m.id for m in client.beta.threads.messages.list(thread_id=thread.id, order="asc").data]
    assert len(ids) == 5
    http = fake.http_client(headers=V2)
    path = f"/threads/{thread.id}/messages"
    page = http.get(path, params={"limit": 2}).json()
    assert (page["object"], [m["id"] for m in page["data"]]) == ("list", ids[:2:-1][:2])
    assert (page["first_id"], page["last_id"], page["has_more"]) == (ids[4], ids[3], True)
    rest = http.get(path, params={"limit": 2, "after": ids[3]}).json()
    assert ([m["id"] for m in rest["data"]], rest["has_more"]) == ([ids[2], ids[1]], True)
    last = http.get(path, params={"limit": 2, "after": ids[1]}).json()
    assert ([m["id"] for m in last["data"]], last["has_more"]) == ([ids[0]], False)
    before = http.get(path, params={"order": "asc", "limit": 2, "before": ids[4]}).json()
    assert [m["id"] for m in before["data"]] == [ids[2], ids[3]]
    everything = http.get(path, params={"order": "asc"}).json()
    assert ([m["id"] for m in everything["data"]], everything["has_more"]) == (ids, False)
    empty = http.get(f"/threads/{other.id}/messages", params={"after": "msg_nothing"}).json()
    assert empty == {"object": "list", "data": [], "first_id": None, "last_id": None,
                     "has_more": False}  # fmt: skip


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("limit=0", {"message": "Invalid 'limit': integer below minimum value. Expected a value >= 1, but got 0 instead.", "param": "limit", "code": "integer_below_min_value"}),
        ("limit=101", {"message": "Invalid 'limit': integer above maximum value. Expected a value <= 100, but got 101 instead.", "param": "limit", "code": "integer_above_max_value"}),
        ("order=up", {"message": "Invalid value: 'up'. Supported values are: 'asc' and 'desc'.", "param": "order", "code": "invalid_value"}),
    ],
)  # fmt: skip
def test_a_bad_list_query_is_the_400_with_openais_text(
    fake: FakeAssistants, query: str, error: dict[str, Any]
) -> None:
    http = fake.http_client(headers=V2)
    thread = http.post("/threads", json={}).json()
    answer = http.get(f"/threads/{thread['id']}/messages?{query}")
    assert answer.status_code == 400
    assert answer.json()["error"] == {**error, "type": "invalid_request_error"}
    assert http.get(f"/threads/{thread['id']}/messages?limit=100").status_code == 200


def test_a_message_of_another_thread_is_not_found(client: Any) -> None:
    one, two = client.beta.threads.create(), client.beta.threads.create()
    message = client.beta.threads.messages.create(thread_id=one.id, role="user", content="x")
    for call in (
        lambda: client.beta.threads.messages.retrieve(message.id, thread_id=two.id),
        lambda: client.beta.threads.messages.update(message.id, thread_id=two.id, metadata={}),
        lambda: client.beta.threads.messages.delete(message.id, thread_id=two.id),
    ):
        status, error = error_of(call)
        assert (status, error["message"]) == (404, f"No message found with id '{message.id}'.")
    assert client.beta.threads.messages.retrieve(message.id, thread_id=one.id).id == message.id


def test_message_parts_attachments_and_metadata_as_given(client: Any) -> None:
    """Parts keep their order; an image's `detail` is "auto" unless given (recorded for
    image_url); attachments and metadata are stored as sent; a modify's null clears metadata."""
    thread = client.beta.threads.create()
    message = client.beta.threads.messages.create(
        thread_id=thread.id,
        role="assistant",
        content=[
            {"type": "image_file", "image_file": {"file_id": "file-img"}},
            {"type": "image_url", "image_url": {"url": "https://e.x/a.png", "detail": "high"}},
            {"type": "text", "text": "Both."},
        ],
        attachments=[{"file_id": "file-doc", "tools": [{"type": "file_search"}]}],
        metadata={"k": "v"},
    )
    stored = client.beta.threads.messages.retrieve(message.id, thread_id=thread.id).to_dict()
    assert stored["role"] == "assistant"
    assert stored["content"] == [
        {"type": "image_file", "image_file": {"file_id": "file-img", "detail": "auto"}},
        {"type": "image_url", "image_url": {"url": "https://e.x/a.png", "detail": "high"}},
        {"type": "text", "text": {"value": "Both.", "annotations": []}},
    ]
    assert stored["attachments"] == [{"file_id": "file-doc", "tools": [{"type": "file_search"}]}]
    assert stored["metadata"] == {"k": "v"}
    cleared = client.beta.threads.messages.update(message.id, thread_id=thread.id, metadata=None)
    assert cleared.metadata == {}
    kept = client.beta.threads.messages.update(message.id, thread_id=thread.id)
    assert kept.metadata == {}


def test_v1_message_file_ids_are_stored_as_given() -> None:
    http = FakeAssistants("openai-v1@2024-04").http_client(headers=V1)
    thread = http.post("/threads", json={}).json()
    made = http.post(
        f"/threads/{thread['id']}/messages",
        json={"role": "user", "content": "x", "file_ids": ["file-a", "file-b"]},
    ).json()
    assert made["file_ids"] == ["file-a", "file-b"]
    listed = http.get(f"/threads/{thread['id']}/messages").json()["data"]
    assert listed[0]["file_ids"] == ["file-a", "file-b"]


def test_a_thread_added_whole_is_served_with_the_defaults(
    fake: FakeAssistants, client: Any
) -> None:
    """`fake.add` preloads a thread by its `object`: the fields given, the defaults of the
    recorded v2 shape (§14.5) for the rest, as a retrieve serves it."""
    added = fake.add(
        {
            "object": "thread",
            "id": "thread_pre",
            "created_at": 1_700_000_000,
            "metadata": {"k": "v"},
        }
    )
    # empty resources read as the recorded retrieves show them
    assert added == {
        "id": "thread_pre", "object": "thread", "created_at": 1_700_000_000,
        "metadata": {"k": "v"}, "tool_resources": {"code_interpreter": {"file_ids": []}},
    }  # fmt: skip
    assert client.beta.threads.retrieve("thread_pre").to_dict() == added
    assert fake.threads["thread_pre"] == added
    bare = fake.add({"object": "thread"})
    assert bare["id"].startswith("thread_")
    assert (bare["created_at"], bare["metadata"]) == (fake.clock.now(), {})
