"""Streamed runs (§14.3): server-sent events in the recorded order and format, read by the
SDK's own stream helpers, through every way in the fake serves."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from pytest_assistants import FakeAssistants

openai = pytest.importorskip("openai")

WEATHER = {
    "type": "function",
    "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {}}},
}
# The recorded run stream (§14.3), one text delta per word or mark of "Hi there."
REPLY_EVENTS = [
    "thread.run.created",
    "thread.run.queued",
    "thread.run.in_progress",
    "thread.run.step.created",
    "thread.run.step.in_progress",
    "thread.message.created",
    "thread.message.in_progress",
    "thread.message.delta",
    "thread.message.delta",
    "thread.message.delta",
    "thread.message.completed",
    "thread.run.step.completed",
    "thread.run.completed",
    "done",
]


def events_of(body: bytes) -> list[tuple[str, str]]:
    """(event, data) pairs of a server-sent event stream, as the recordings keep them."""
    out = []
    for block in body.decode().split("\n\n"):
        if block:
            name, data = block.split("\n")
            assert name.startswith("event: "), block
            assert data.startswith("data: "), block
            out.append((name[7:], data[6:]))
    return out


@pytest.fixture
def fake() -> FakeAssistants:
    return FakeAssistants()


def setup(client: Any) -> tuple[Any, Any]:
    helper = client.beta.assistants.create(model="gpt-4o", instructions="x", tools=[WEATHER])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    return helper, thread


def test_the_stream_is_the_recorded_event_sequence_in_the_recorded_format(
    fake: FakeAssistants,
) -> None:
    client = fake.openai(max_retries=0)
    helper, thread = setup(client)
    fake.script.reply("Hi there.")
    raw = client.beta.threads.runs.with_raw_response.create(
        thread_id=thread.id, assistant_id=helper.id, stream=True
    )
    assert raw.headers["content-type"] == "text/event-stream; charset=utf-8"
    events = events_of(raw.http_response.read())
    assert [name for name, _ in events] == REPLY_EVENTS
    assert events[-1] == ("done", "[DONE]")
    created = json.loads(events[0][1])
    assert (created["object"], created["status"]) == ("thread.run", "queued")
    assert events[0][1] == json.dumps(created, separators=(",", ":"))  # compact, as recorded
    deltas = [
        json.loads(data)["delta"]["content"][0]["text"] for n, data in events if n.endswith("delta")
    ]
    assert deltas == [
        {"value": "Hi", "annotations": []},  # the first delta carries the annotations list
        {"value": " there"},
        {"value": "."},
    ]
    message = json.loads(events[10][1])
    assert list(message)[:10] == [
        "id", "object", "created_at", "assistant_id", "thread_id", "run_id", "status",
        "incomplete_details", "incomplete_at", "completed_at",
    ]  # fmt: skip
    # A streamed run has ended when the stream has: a read finds it completed.
    run_id = created["id"]
    assert client.beta.threads.runs.retrieve(run_id, thread_id=thread.id).status == "completed"


def test_the_sdk_stream_helper_reads_text_and_final_messages(fake: FakeAssistants) -> None:
    client = fake.openai(max_retries=0)
    helper, thread = setup(client)
    fake.script.reply("Streamed words, here.")
    seen: list[str] = []

    class Handler(openai.AssistantEventHandler):
        def on_text_delta(self, delta: Any, snapshot: Any) -> None:
            seen.append(delta.value)

    with client.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=helper.id, event_handler=Handler()
    ) as stream:
        stream.until_done()
        final = [m.content[0].text.value for m in stream.get_final_messages()]
    assert "".join(seen) == "Streamed words, here."
    assert final == ["Streamed words, here."]


def test_a_streamed_function_call_ends_at_requires_action_and_its_outputs_stream_on(
    fake: FakeAssistants,
) -> None:
    client = fake.openai(max_retries=0)
    helper, thread = setup(client)
    fake.script.call_tools(("get_weather", {})).reply("Sunny.")
    raw = client.beta.threads.runs.with_raw_response.create(
        thread_id=thread.id, assistant_id=helper.id, stream=True
    )
    events = events_of(raw.http_response.read())
    assert [n for n, _ in events][-5:] == [
        "thread.run.step.in_progress",
        "thread.run.step.delta",
        "thread.run.step.delta",
        "thread.run.requires_action",
        "done",
    ]
    run = json.loads(events[-2][1])
    call_id = run["required_action"]["submit_tool_outputs"]["tool_calls"][0]["id"]
    answered = client.beta.threads.runs.submit_tool_outputs(
        run["id"], thread_id=thread.id, tool_outputs=[{"tool_call_id": call_id, "output": "x"}],
        stream=True,
    )  # fmt: skip
    names = [event.event for event in answered]
    assert names[:2] == ["thread.run.step.completed", "thread.run.queued"]  # §14.3
    assert "thread.run.created" not in names
    assert names[-1] == "thread.run.completed"


def test_create_and_run_streams_begin_with_the_thread(fake: FakeAssistants) -> None:
    client = fake.openai(max_retries=0)
    helper, _ = setup(client)
    stream = client.beta.threads.create_and_run(
        assistant_id=helper.id,
        thread={"messages": [{"role": "user", "content": "hi"}]},
        stream=True,
    )
    assert [event.event for event in stream][:2] == ["thread.created", "thread.run.created"]


def test_global_interception_streams_to_a_client_the_code_builds_itself() -> None:
    with FakeAssistants() as fake:
        client = openai.OpenAI(max_retries=0)
        helper, thread = setup(client)
        fake.script.reply("Hello.")
        with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=helper.id) as s:
            s.until_done()
            assert s.get_final_messages()[0].content[0].text.value == "Hello."


def test_the_async_client_streams_too() -> None:
    fake = FakeAssistants()
    fake.script.reply("Async hello.")

    async def go() -> list[str]:
        client = fake.async_openai(max_retries=0)
        helper = await client.beta.assistants.create(model="gpt-4o", instructions="x")
        thread = await client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
        async with client.beta.threads.runs.stream(
            thread_id=thread.id, assistant_id=helper.id
        ) as stream:
            await stream.until_done()
            return [m.content[0].text.value for m in await stream.get_final_messages()]

    assert asyncio.run(go()) == ["Async hello."]


def test_aiohttp_streams_through_the_sdks_aiohttp_client() -> None:
    pytest.importorskip("httpx_aiohttp")
    if not hasattr(openai, "DefaultAioHttpClient"):
        pytest.skip("this openai has no DefaultAioHttpClient")

    async def go(fake: FakeAssistants) -> str:
        async with openai.AsyncOpenAI(
            max_retries=0, http_client=openai.DefaultAioHttpClient()
        ) as client:
            helper = await client.beta.assistants.create(model="gpt-4o", instructions="x")
            thread = await client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
            async with client.beta.threads.runs.stream(
                thread_id=thread.id, assistant_id=helper.id
            ) as stream:
                await stream.until_done()
                return str((await stream.get_final_messages())[0].content[0].text.value)

    with FakeAssistants() as fake:
        fake.script.reply("Over aiohttp.")
        assert asyncio.run(go(fake)) == "Over aiohttp."


def test_the_server_streams_to_a_real_socket(assistants_server: Any) -> None:
    client = assistants_server.openai(max_retries=0)
    helper, thread = setup(client)
    assistants_server.fake.script.reply("Over the wire.")
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=helper.id) as stream:
        stream.until_done()
        assert stream.get_final_messages()[0].content[0].text.value == "Over the wire."


def test_a_streamed_function_call_has_the_recorded_steps_deltas_and_required_action(
    fake: FakeAssistants,
) -> None:
    """§14.3 as recorded (.NET SDK 2025, one get_current_weather call): the tool-calls step
    is created empty, a first delta names the call with empty arguments and a null output, a
    second carries the arguments; the run then waits, asking for that call's output."""
    client = fake.openai(max_retries=0)
    helper, thread = setup(client)
    fake.script.call_tools(("get_current_weather", {}))
    raw = client.beta.threads.runs.with_raw_response.create(
        thread_id=thread.id, assistant_id=helper.id, stream=True
    )
    events = events_of(raw.http_response.read())
    assert [name for name, _ in events] == [
        "thread.run.created",
        "thread.run.queued",
        "thread.run.in_progress",
        "thread.run.step.created",
        "thread.run.step.in_progress",
        "thread.run.step.delta",
        "thread.run.step.delta",
        "thread.run.requires_action",
        "done",
    ]
    data = [json.loads(body) for _, body in events[:-1]]
    run = data[-1]
    step = data[3]
    assert data[4] == step
    assert step == {
        "id": step["id"], "object": "thread.run.step", "created_at": fake.clock.now(),
        "run_id": run["id"], "assistant_id": helper.id, "thread_id": thread.id,
        "type": "tool_calls", "status": "in_progress", "cancelled_at": None,
        "completed_at": None, "expires_at": run["created_at"] + 600, "failed_at": None,
        "last_error": None, "step_details": {"type": "tool_calls", "tool_calls": []},
        "usage": None,
    }  # fmt: skip
    call_id = run["required_action"]["submit_tool_outputs"]["tool_calls"][0]["id"]
    assert call_id.startswith("call_")
    assert data[5:7] == [
        {"id": step["id"], "object": "thread.run.step.delta", "delta": {"step_details": {
            "type": "tool_calls", "tool_calls": [{
                "index": 0, "id": call_id, "type": "function",
                "function": {"name": "get_current_weather", "arguments": "", "output": None},
            }],
        }}},
        {"id": step["id"], "object": "thread.run.step.delta", "delta": {"step_details": {
            "type": "tool_calls", "tool_calls": [{
                "index": 0, "type": "function", "function": {"arguments": "{}"},
            }],
        }}},
    ]  # fmt: skip
    assert (run["status"], run["usage"], run["completed_at"]) == ("requires_action", None, None)
    assert run["required_action"] == {
        "type": "submit_tool_outputs",
        "submit_tool_outputs": {"tool_calls": [{
            "id": call_id, "type": "function",
            "function": {"name": "get_current_weather", "arguments": "{}"},
        }]},
    }  # fmt: skip
    # Read back while it waits: the call is stored with its null output.
    http = fake.http_client(headers={"authorization": "Bearer k", "openai-beta": "assistants=v2"})
    stored = http.get(f"/threads/{thread.id}/runs/{run['id']}/steps/{step['id']}").json()
    assert stored["step_details"] == {"type": "tool_calls", "tool_calls": [{
        "id": call_id, "type": "function",
        "function": {"name": "get_current_weather", "arguments": "{}", "output": None},
    }]}  # fmt: skip
    # The outputs' stream, raw: it ends as every stream does (§14.3).
    outputs = {"tool_outputs": [{"tool_call_id": call_id, "output": "20C"}], "stream": True}
    answered = http.post(f"/threads/{thread.id}/runs/{run['id']}/submit_tool_outputs", json=outputs)
    names = [name for name, _ in events_of(answered.content)]
    assert names[:2] == ["thread.run.step.completed", "thread.run.queued"]
    assert events_of(answered.content)[-1] == ("done", "[DONE]")


def test_a_v1_stream_cut_short_is_the_recorded_one() -> None:
    """The v1 stream recorded 2024-04-27 (ruby-openai, §14.3): messages in events carry
    ``file_ids`` (not ``attachments``); the message ends ``thread.message.incomplete`` with
    ``reason: max_tokens``; the v1 run ends ``completed`` with ``incomplete_details``, its
    usage without the 2025 details."""
    fake = FakeAssistants("openai-v1@2024-04", clock_start=1_714_255_664)
    http = fake.http_client(headers={"authorization": "Bearer k", "openai-beta": "assistants=v1"})
    helper = http.post("/assistants", json={"model": "gpt-4"}).json()
    thread = http.post(
        "/threads", json={"messages": [{"role": "user", "content": "Tell me about Columbia."}]}
    ).json()
    fake.script.incomplete("Columbia University has a strong")
    body = {"assistant_id": helper["id"], "stream": True, "max_completion_tokens": 16}
    answer = http.post(f"/threads/{thread['id']}/runs", json=body)
    events = events_of(answer.content)
    names = [name for name, _ in events]
    assert names[5:7] == ["thread.message.created", "thread.message.in_progress"]
    assert names[-4:] == [
        "thread.message.incomplete",
        "thread.run.step.completed",
        "thread.run.completed",
        "done",
    ]
    created = json.loads(events[5][1])
    assert list(created) == [
        "id", "object", "created_at", "assistant_id", "thread_id", "run_id", "status",
        "incomplete_details", "incomplete_at", "completed_at", "role", "content", "file_ids",
        "metadata",
    ]  # fmt: skip
    assert (created["assistant_id"], created["role"], created["content"]) == (
        helper["id"], "assistant", [],
    )  # fmt: skip
    cut = json.loads(events[-4][1])
    assert (cut["status"], cut["incomplete_details"], cut["completed_at"]) == (
        "incomplete",
        {"reason": "max_tokens"},
        None,
    )
    assert cut["incomplete_at"] == fake.clock.now()
    deltas = [json.loads(data) for name, data in events if name == "thread.message.delta"]
    assert deltas[:2] == [
        {"id": created["id"], "object": "thread.message.delta", "delta": {"content": [
            {"index": 0, "type": "text", "text": {"value": "Columbia", "annotations": []}},
        ]}},
        {"id": created["id"], "object": "thread.message.delta", "delta": {"content": [
            {"index": 0, "type": "text", "text": {"value": " University"}},
        ]}},
    ]  # fmt: skip
    run = json.loads(events[-2][1])
    # "Tell me about Columbia ." (5) read; "Columbia University has a strong" (5) written
    usage = {"prompt_tokens": 5, "completion_tokens": 5, "total_tokens": 10}
    assert json.loads(events[-3][1]) == {
        "id": json.loads(events[3][1])["id"], "object": "thread.run.step",
        "created_at": fake.clock.now(), "run_id": run["id"], "assistant_id": helper["id"],
        "thread_id": thread["id"], "type": "message_creation", "status": "completed",
        "cancelled_at": None, "completed_at": fake.clock.now(),
        "expires_at": run["created_at"] + 600,  # kept on the completed step, as recorded
        "failed_at": None, "last_error": None,
        "step_details": {"type": "message_creation", "message_creation": {
            "message_id": created["id"],
        }},
        "usage": usage,
    }  # fmt: skip
    assert (run["status"], run["incomplete_details"], run["usage"]) == (
        "completed",
        {"reason": "max_prompt_tokens"},  # as recorded (2 of 2), whichever limit cut it
        usage,
    )
    assert (run["completed_at"], run["expires_at"]) == (fake.clock.now(), None)


def test_a_v2_streamed_message_is_the_recorded_event_shape(fake: FakeAssistants) -> None:
    """The message of a v2 stream (.NET SDK 2025, §14.3): created empty and in progress, with
    ``attachments``; completed with its text and ``completed_at``."""
    client = fake.openai(max_retries=0)
    helper, thread = setup(client)
    fake.script.reply("Fine.")
    raw = client.beta.threads.runs.with_raw_response.create(
        thread_id=thread.id, assistant_id=helper.id, stream=True
    )
    events = dict(events_of(raw.http_response.read()))  # one event of each name here
    created = json.loads(events["thread.message.created"])
    run_id = json.loads(events["thread.run.created"])["id"]
    assert created == {
        "id": created["id"], "object": "thread.message", "created_at": fake.clock.now(),
        "assistant_id": helper.id, "thread_id": thread.id, "run_id": run_id,
        "status": "in_progress", "incomplete_details": None, "incomplete_at": None,
        "completed_at": None, "role": "assistant", "content": [], "attachments": [],
        "metadata": {},
    }  # fmt: skip
    assert json.loads(events["thread.message.completed"]) == {
        **created,
        "status": "completed",
        "completed_at": fake.clock.now(),
        "content": [{"type": "text", "text": {"value": "Fine.", "annotations": []}}],
    }
