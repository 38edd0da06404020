"""A replayed answer of any kind of the family reaches the fake's store as if served."""

from __future__ import annotations

import json

from pytest_assistants import FakeAssistants
from pytest_assistants.cassettes.replayed import apply_replayed
from pytest_assistants.evidence.recordings import Interaction

RUN = {
    "id": "run_recorded0000000000001",
    "object": "thread.run",
    "created_at": 1_714_255_664,
    "assistant_id": "asst_recorded000000000001",
    "thread_id": "thread_recorded0000000001",
    "status": "queued",
}


def interaction(method: str, path: str, status: int, body: object) -> Interaction:
    return Interaction(
        source="cassette.yaml",
        index=0,
        method=method,
        url=f"https://api.openai.com/v1{path}",
        status=status,
        request_headers={"openai-beta": "assistants=v2"},
        response_json=body,
    )


def test_a_replayed_create_and_run_stores_the_run_and_its_thread() -> None:
    fake = FakeAssistants()
    twin = FakeAssistants()
    apply_replayed(fake, interaction("POST", "/threads/runs", 200, RUN))
    assert fake.runs[RUN["id"]]["status"] == "queued"
    assert RUN["thread_id"] in fake.threads  # made by create-and-run: known by its id
    twin.spend_id("run_")  # the id a served create would have drawn
    assert fake.spend_id("run_") == twin.spend_id("run_")
    (call,) = fake.calls
    assert (call.operation, call.replayed) == ("threads.create_and_run", True)


def test_a_replayed_read_shows_the_run_where_the_recording_saw_it() -> None:
    fake = FakeAssistants()
    path = f"/threads/{RUN['thread_id']}/runs/{RUN['id']}"
    apply_replayed(fake, interaction("POST", f"/threads/{RUN['thread_id']}/runs", 200, RUN))
    apply_replayed(fake, interaction("GET", path, 200, {**RUN, "status": "completed"}))
    assert fake.runs[RUN["id"]]["status"] == "completed"


def test_replayed_lists_and_deletes_of_messages() -> None:
    fake = FakeAssistants()
    message = {
        "id": "msg_recorded0000000000001",
        "object": "thread.message",
        "thread_id": RUN["thread_id"],
        "role": "user",
        "content": [{"type": "text", "text": {"value": "hi", "annotations": []}}],
    }
    listing = {"object": "list", "data": [message], "has_more": False}
    apply_replayed(fake, interaction("GET", f"/threads/{RUN['thread_id']}/messages", 200, listing))
    assert fake.messages[message["id"]]["content"] == message["content"]
    gone = {"id": message["id"], "object": "thread.message.deleted", "deleted": True}
    path = f"/threads/{RUN['thread_id']}/messages/{message['id']}"
    apply_replayed(fake, interaction("DELETE", path, 200, gone))
    assert message["id"] not in fake.messages
    assert json.loads(fake.calls[-1].response_body)["deleted"] is True
