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
