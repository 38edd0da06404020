"""What replaying interactions_threads.jsonl showed the fake did not do, now done as
recorded (each test names its evidence: §14 of the behaviour specification, [RB] the
recordings, [I:...] a public issue quoting the provider).

Raw requests, so the wire (key order, event names, nulls) is what is checked.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.evidence.streams import parse_events

if TYPE_CHECKING:
    import httpx

V2 = {"OpenAI-Beta": "assistants=v2", "Authorization": "Bearer sk-test"}
V1 = {"OpenAI-Beta": "assistants=v1", "Authorization": "Bearer sk-test"}
READ_FORM = {"code_interpreter": {"file_ids": []}}


def client(profile: str = "openai-v2@2025-08", headers: dict[str, str] = V2) -> httpx.Client:
    client: httpx.Client = FakeAssistants(profile).http_client(headers=headers)
    return client


def started(http: httpx.Client, **run: Any) -> tuple[str, dict[str, Any]]:
    """An assistant, a thread with one user message and a run on it: (thread id, run)."""
    assistant = http.post("/assistants", json={"model": "gpt-4"}).json()
    thread = http.post("/threads", json={"messages": [{"role": "user", "content": "Hi"}]}).json()
    made = http.post(f"/threads/{thread['id']}/runs", json={"assistant_id": assistant["id"], **run})
    return thread["id"], made.json() if made.headers["content-type"].startswith(
        "application"
    ) else {}


def test_a_thread_create_with_no_body_makes_an_empty_thread() -> None:
    """The .NET SDK (2025) sends POST /threads with Content-Length 0 and got 200 [RB: 19]."""
    with client() as http:
        answer = http.post("/threads", content=b"")
    assert answer.status_code == 200
    assert answer.json()["metadata"] == {}
    assert answer.json()["tool_resources"] == {}


def test_a_thread_reads_back_an_empty_tool_resources_as_code_interpreter() -> None:
    """Create and modify answer ``{}``, a retrieve the code_interpreter default (§14.5,
    [RB]: 8 of 8 v2 retrieves, 2024-04 .. 2025-10)."""
    with client() as http:
        made = http.post("/threads", json={}).json()
        modified = http.post(f"/threads/{made['id']}", json={"metadata": {"a": "b"}}).json()
        read = http.get(f"/threads/{made['id']}").json()
    assert made["tool_resources"] == modified["tool_resources"] == {}
    assert read["tool_resources"] == READ_FORM
    assert list(read) == ["id", "object", "created_at", "metadata", "tool_resources"]


def test_streamed_threads_and_runs_carry_the_read_form_rest_runs_do_not() -> None:
    """[RB]: 64 of 64 streamed v2 run events and 4 of 4 thread.created events carry it;
    every REST answer about the same runs shows ``{}``."""
    with client() as http:
        assistant = http.post("/assistants", json={"model": "gpt-4o-mini"}).json()
        body = {
            "assistant_id": assistant["id"],
            "thread": {"messages": [{"role": "user", "content": "Hi"}]},
            "stream": True,
        }
        events = parse_events(http.post("/threads/runs", json=body).text)
        thread_id = events[0][1]["id"]
        run_id = events[1][1]["id"]
        listed = http.get(f"/threads/{thread_id}/runs").json()["data"][0]
        read = http.get(f"/threads/{thread_id}/runs/{run_id}").json()
    assert events[0] == ("thread.created", {**events[0][1], "tool_resources": READ_FORM})
    runs = [data for name, data in events if name.startswith("thread.run.") and "step" not in name]
    assert runs
    assert all(run["tool_resources"] == READ_FORM for run in runs)
    assert listed["tool_resources"] == read["tool_resources"] == {}


def test_a_step_shows_its_run_expiry_until_the_run_ends() -> None:
    """Steps carry the run's expires_at while it is active (streamed events, 66 of 66;
    the tool step waiting for outputs) and null once it has ended (99 of 99) [RB]."""
    fake = FakeAssistants("openai-v2@2025-08")
    fake.script.call_tools(("lookup", {"q": "x"})).reply("Done.")
    with fake.http_client(headers=V2) as http:
        thread_id, run = started(http)
        path = f"/threads/{thread_id}/runs/{run['id']}"
        http.get(path)
        waiting = http.get(path).json()
        assert waiting["status"] == "requires_action"
        (step,) = http.get(f"{path}/steps").json()["data"]
        assert step["expires_at"] == waiting["expires_at"]
        call = waiting["required_action"]["submit_tool_outputs"]["tool_calls"][0]
        outputs = {"tool_outputs": [{"tool_call_id": call["id"], "output": "42"}], "stream": True}
        events = parse_events(http.post(f"{path}/submit_tool_outputs", json=outputs).text)
        closed = events[0]
        assert closed[0] == "thread.run.step.completed"
        assert closed[1]["expires_at"] == waiting["expires_at"]
        steps = http.get(f"{path}/steps").json()["data"]
        one = http.get(f"{path}/steps/{step['id']}").json()
    assert [s["status"] for s in steps] == ["completed", "completed"]
    assert [s["expires_at"] for s in steps] == [None, None]
    assert one["expires_at"] is None


def test_an_image_part_shows_its_url_before_its_detail() -> None:
    """[RB]: ThreadWithImageDetailWorks (.NET, 2025), 4 of 4: ``{"url", "detail"}``."""
    content = [
        {"type": "text", "text": "Describe:"},
        {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
    ]
    with client() as http:
        thread = http.post("/threads", json={"messages": [{"role": "user", "content": content}]})
        (message,) = http.get(f"/threads/{thread.json()['id']}/messages").json()["data"]
    image = message["content"][1]["image_url"]
    assert list(image.items()) == [("url", "https://example.com/a.png"), ("detail", "auto")]


def test_max_completion_tokens_of_16_is_accepted() -> None:
    """16 was accepted, v1 and v2 (ruby-openai 2024-04, 10 recorded 200s): the reference's
    256 minimum of max_prompt_tokens is not the completion's (docs/behaviour.md, run token
    limits)."""
    with client() as http:
        _, run = started(http, max_completion_tokens=16)
    assert run["max_completion_tokens"] == 16


def _cut_stream(profile: str, headers: dict[str, str]) -> list[tuple[str, Any]]:
    fake = FakeAssistants(profile)
    fake.script.incomplete(
        "Columbia University has a strong", chunks=["Columbia", " University has a strong"]
    )
    with fake.http_client(headers=headers) as http:
        assistant = http.post("/assistants", json={"model": "gpt-4"}).json()
        thread = http.post("/threads", json={"messages": [{"role": "user", "content": "Hi"}]})
        body = {"assistant_id": assistant["id"], "stream": True, "max_completion_tokens": 16}
        return parse_events(http.post(f"/threads/{thread.json()['id']}/runs", json=body).text)


def test_a_cut_run_streams_as_recorded_in_each_era() -> None:
    """ruby-openai runs_streamed_create, 2024-04 (§14.3): the message ends ``max_tokens``,
    the run names ``max_prompt_tokens``; v1 completes, v2 (2024-04-29) ends ``incomplete``
    with its completed_at under the event thread.run.completed; later v2 streams
    thread.run.incomplete ([I:openai/openai-node#1439])."""
    v1 = _cut_stream("openai-v1@2024-04", V1)
    v2 = _cut_stream("openai-v2@2024-05", V2)
    later = _cut_stream("openai-v2@2025-08", V2)
    for events in (v1, v2, later):
        message = dict(events)["thread.message.incomplete"]
        assert message["incomplete_details"] == {"reason": "max_tokens"}
        deltas = [
            data["delta"]["content"][0]["text"]["value"]
            for name, data in events
            if name == "thread.message.delta"
        ]
        assert deltas == ["Columbia", " University has a strong"]
    assert [name for name, _ in v1][-2:] == ["thread.run.completed", "done"]
    assert v1[-2][1]["status"] == "completed"
    assert v1[-2][1]["incomplete_details"] == {"reason": "max_prompt_tokens"}
    name, run = v2[-2]
    assert (name, run["status"]) == ("thread.run.completed", "incomplete")
    assert run["incomplete_details"] == {"reason": "max_prompt_tokens"}
    assert isinstance(run["completed_at"], int)
    assert later[-2][0] == "thread.run.incomplete"


def test_v1_in_2024_03_shows_the_later_message_order_and_run_fields() -> None:
    """openllmetry (vcrpy, 2024-03-24, v1): messages in the 2024 key order; runs with
    required_action and usage, without the sampling fields of 2024-04."""
    with client("openai-v1@2024-02", V1) as http:
        thread_id, run = started(http)
        (message,) = http.get(f"/threads/{thread_id}/messages").json()["data"]
    assert list(message) == [
        "id", "object", "created_at", "assistant_id", "thread_id", "run_id", "role",
        "content", "file_ids", "metadata",
    ]  # fmt: skip
    assert list(run)[11:13] == ["required_action", "last_error"]
    assert list(run)[-3:] == ["file_ids", "metadata", "usage"]


def test_reply_chunks_must_spell_the_text() -> None:
    fake = FakeAssistants()
    with pytest.raises(ValueError, match="join to the text"):
        fake.script.reply("Hello there", chunks=["Hello", "there"])
    with pytest.raises(TypeError, match="not one string"):
        fake.script.reply("Hi", chunks="Hi")
    fake.script.reply("Hi!", chunks=("Hi", "!"))
    assert json.dumps(fake.script.pending()[0].chunks) == '["Hi", "!"]'
