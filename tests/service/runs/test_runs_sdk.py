"""Runs through the real SDK (openai 2.x or 3.x): the lifecycle of §14.1, the snapshot of
§14.2, the scripted model, and the SDK's poll helpers finishing in a few requests."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.service.resources.runs.script import DEFAULT_REPLY
from tests.helpers import error_of

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


@pytest.fixture
def fake() -> FakeAssistants:
    return FakeAssistants(clock_start=1_700_000_000)


@pytest.fixture
def client(fake: FakeAssistants) -> Any:
    return fake.openai(max_retries=0)


@pytest.fixture
def helper(client: Any) -> Any:
    return client.beta.assistants.create(
        model="gpt-4o", instructions="Be brief.", tools=[WEATHER], name="helper"
    )


@pytest.fixture
def thread(client: Any) -> Any:
    return client.beta.threads.create(messages=[{"role": "user", "content": "Hello?"}])


def texts(client: Any, thread_id: str) -> list[tuple[str, str]]:
    listed = client.beta.threads.messages.list(thread_id=thread_id, order="asc")
    return [(m.role, m.content[0].text.value) for m in listed.data]


def test_create_and_poll_completes_with_the_scripted_reply(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    fake.script.reply("Hi! How can I help?")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    assert run.status == "completed"
    assert texts(client, thread.id) == [("user", "Hello?"), ("assistant", "Hi! How can I help?")]
    # create, then one read per status: queued -> in_progress -> completed (§14.1)
    polls = [c for c in fake.calls if c.operation == "threads.runs.retrieve"]
    assert [c.response_json["status"] for c in polls] == ["in_progress", "completed"]
    assert all(c.response_headers["openai-poll-after-ms"] == "1" for c in polls)


def test_an_unscripted_run_completes_with_the_documented_default(
    client: Any, helper: Any, thread: Any
) -> None:
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    assert run.status == "completed"
    assert texts(client, thread.id)[-1] == ("assistant", DEFAULT_REPLY)


def test_each_read_moves_the_run_one_status_and_sets_its_times(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    runs = client.beta.threads.runs
    made = runs.create(thread_id=thread.id, assistant_id=helper.id)
    assert (made.status, made.started_at, made.usage) == ("queued", None, None)
    assert made.expires_at == made.created_at + 600  # §14.1, 342 of 342 recorded
    fake.clock.advance(2)
    started = runs.retrieve(made.id, thread_id=thread.id)
    assert (started.status, started.started_at) == ("in_progress", made.created_at + 2)
    fake.clock.advance(3)
    done = runs.retrieve(made.id, thread_id=thread.id)
    assert (done.status, done.completed_at, done.expires_at) == (
        "completed",
        made.created_at + 5,
        None,  # null once terminal (§14.1)
    )
    assert done.usage is not None
    assert runs.retrieve(made.id, thread_id=thread.id).status == "completed"  # stays


def test_a_function_call_waits_for_its_outputs_then_continues(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    fake.script.call_tools(("get_weather", {"city": "Paris"})).reply("Sunny in Paris.")
    runs = client.beta.threads.runs
    run = runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    assert run.status == "requires_action"
    (call,) = run.required_action.submit_tool_outputs.tool_calls
    assert (call.function.name, call.function.arguments) == ("get_weather", '{"city": "Paris"}')
    assert call.id.startswith("call_")
    waited = runs.retrieve(run.id, thread_id=thread.id)
    assert waited.status == "requires_action"  # reads do not move it on
    done = runs.submit_tool_outputs_and_poll(
        run_id=run.id,
        thread_id=thread.id,
        tool_outputs=[{"tool_call_id": call.id, "output": "22C"}],
    )
    assert (done.status, done.required_action, done.started_at is not None) == (
        "completed",
        None,
        True,
    )
    assert texts(client, thread.id)[-1] == ("assistant", "Sunny in Paris.")
    steps = runs.steps.list(run_id=run.id, thread_id=thread.id, order="asc").data
    assert [(s.type, s.status) for s in steps] == [
        ("tool_calls", "completed"),
        ("message_creation", "completed"),
    ]
    assert steps[0].step_details.tool_calls[0].function.output == "22C"


def test_submitting_to_a_run_that_waits_for_nothing_is_the_recorded_400(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=helper.id)
    client.beta.threads.runs.retrieve(run.id, thread_id=thread.id)  # in_progress
    status, error = error_of(
        lambda: client.beta.threads.runs.submit_tool_outputs(
            run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": "call_x", "output": "1"}]
        )
    )
    assert (status, error["message"]) == (
        400,
        'Runs in status "in_progress" do not accept tool outputs.',  # §14.4
    )


def test_cancel_answers_cancelling_then_reads_cancelled(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    runs = client.beta.threads.runs
    run = runs.create(thread_id=thread.id, assistant_id=helper.id)
    assert runs.cancel(run.id, thread_id=thread.id).status == "cancelling"
    cancelled = runs.retrieve(run.id, thread_id=thread.id)
    assert (cancelled.status, cancelled.cancelled_at, cancelled.expires_at) == (
        "cancelled",
        fake.clock.now(),
        None,
    )
    assert (cancelled.usage.prompt_tokens, cancelled.usage.completion_tokens) == (0, 0)
    status, error = error_of(lambda: runs.cancel(run.id, thread_id=thread.id))
    assert (status, error["message"]) == (400, "Cannot cancel run with status 'cancelled'.")


def test_a_scripted_failure_ends_the_run_failed(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    fake.script.fail("rate_limit_exceeded", "You exceeded your current quota.")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    assert run.status == "failed"
    assert (run.last_error.code, run.last_error.message) == (
        "rate_limit_exceeded",
        "You exceeded your current quota.",
    )
    assert run.failed_at is not None
    assert run.expires_at is None


def test_an_incomplete_reply_ends_the_v2_run_incomplete(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    """The run names max_prompt_tokens though the completion limit cut the message (2 of 2
    recorded, v1 and v2, 2024-04: the message says max_tokens, §14.3 [RB])."""
    fake.script.incomplete("Columbia University has a strong")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    assert (run.status, run.incomplete_details.reason) == ("incomplete", "max_prompt_tokens")


def test_a_run_left_queued_past_its_expiry_reads_expired(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=helper.id)
    fake.clock.advance(600)
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "expired"


def test_a_modify_between_runs_reaches_only_the_later_run(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    """§14.2: a run copies model, instructions and tools at creation."""
    runs = client.beta.threads.runs
    before = runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    client.beta.assistants.update(
        helper.id, instructions="Be verbose.", model="gpt-4o-mini", tools=[]
    )
    after = runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    old = runs.retrieve(before.id, thread_id=thread.id)
    assert (old.instructions, old.model, len(old.tools)) == ("Be brief.", "gpt-4o", 1)
    assert (after.instructions, after.model, after.tools) == ("Be verbose.", "gpt-4o-mini", [])


def test_run_level_instructions_replace_and_additional_ones_append(
    client: Any, helper: Any, thread: Any
) -> None:
    runs = client.beta.threads.runs
    replaced = runs.create(thread_id=thread.id, assistant_id=helper.id, instructions="Rhyme.")
    assert replaced.instructions == "Rhyme."
    runs.cancel(replaced.id, thread_id=thread.id)
    runs.retrieve(replaced.id, thread_id=thread.id)
    added = runs.create(
        thread_id=thread.id, assistant_id=helper.id, additional_instructions="Use French."
    )
    assert added.instructions == "Be brief.\n\nUse French."
    assert added.to_dict()["tool_resources"] == {}  # not copied from the assistant (§14.2)


def test_a_run_on_a_thread_without_a_user_message_is_invalid_thread_in_v2(
    client: Any,
) -> None:
    bare = client.beta.assistants.create(model="gpt-4o")  # no instructions
    empty = client.beta.threads.create()
    status, error = error_of(
        lambda: client.beta.threads.runs.create(thread_id=empty.id, assistant_id=bare.id)
    )
    assert (status, error["code"]) == (400, "invalid_thread")
    assert error["message"] == (
        "Run creation requires a Thread with a user message or an assistant with instructions."
    )


def test_unknown_ids_are_the_404s_that_echo_them(client: Any, helper: Any, thread: Any) -> None:
    runs = client.beta.threads.runs
    assert error_of(lambda: client.beta.threads.retrieve("asst_notathread")) == (
        404,
        {"message": "No thread found with id 'asst_notathread'.", "type": "invalid_request_error",
         "param": None, "code": None},
    )  # fmt: skip
    run = runs.create(thread_id=thread.id, assistant_id=helper.id)
    status, error = error_of(
        lambda: runs.steps.retrieve("step_123", thread_id=thread.id, run_id=run.id)
    )
    assert (status, error["message"]) == (404, "No run step found with id 'step_123'.")
    status, error = error_of(lambda: runs.create(thread_id=thread.id, assistant_id="asst_gone"))
    assert (status, error["message"]) == (404, "No assistant found with id 'asst_gone'.")


def test_create_and_run_makes_the_thread_with_its_messages(
    fake: FakeAssistants, client: Any, helper: Any
) -> None:
    fake.script.reply("Tacos.")
    run = client.beta.threads.create_and_run_poll(
        assistant_id=helper.id,
        thread={"messages": [{"role": "user", "content": "What should I eat?"}]},
    )
    assert run.status == "completed"
    assert texts(client, run.thread_id) == [("user", "What should I eat?"), ("assistant", "Tacos.")]


def test_steps_of_a_run_and_messages_by_run(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    fake.script.reply("one").reply("two")
    runs = client.beta.threads.runs
    first = runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    mine = client.beta.threads.messages.list(thread_id=thread.id, run_id=first.id).data
    assert [m.content[0].text.value for m in mine] == ["one"]
    (step,) = runs.steps.list(run_id=first.id, thread_id=thread.id).data
    assert step.step_details.message_creation.message_id == mine[0].id
    assert runs.steps.retrieve(step.id, thread_id=thread.id, run_id=first.id).id == step.id
    listed = runs.list(thread_id=thread.id).data
    assert len(listed) == 2
    assert listed[0].created_at >= listed[1].created_at  # newest first (§14.5)


def test_v1_refuses_a_run_modify_while_it_is_active() -> None:
    fake = FakeAssistants("openai-v1@2024-04")
    http = fake.http_client(headers={"authorization": "Bearer k", "openai-beta": "assistants=v1"})
    helper = http.post("/assistants", json={"model": "gpt-4-turbo", "instructions": "x"}).json()
    thread = http.post("/threads", json={}).json()
    run = http.post(f"/threads/{thread['id']}/runs", json={"assistant_id": helper["id"]}).json()
    path = f"/threads/{thread['id']}/runs/{run['id']}"
    assert http.get(path).json()["status"] == "in_progress"
    refused = http.post(path, json={"metadata": {"a": "b"}})
    assert (refused.status_code, refused.json()["error"]["message"]) == (
        400,
        "Cannot update run with status 'in_progress'.",  # §14.4, recorded v1
    )
    assert http.get(path).json()["status"] == "completed"
    assert http.post(path, json={"metadata": {"modified": True}}).json()["metadata"] == {
        "modified": "True"  # v1 kept a boolean as its text (§14.4)
    }


def usage_of(run: Any) -> tuple[int, int, int]:
    return (run.usage.prompt_tokens, run.usage.completion_tokens, run.usage.total_tokens)


def test_usage_counts_the_prompt_read_and_the_reply_written(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    """docs/behaviour.md `usage`: a token is a word or a punctuation mark; the prompt is the
    instructions and the thread's messages, the completion what the model wrote."""
    fake.script.reply("Hi! How can I help?").reply("Bye.")
    runs = client.beta.threads.runs
    first = runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    # "Be brief." (3) + "Hello?" (2); "Hi ! How can I help ?" (7)
    assert usage_of(first) == (5, 7, 12)
    details = first.to_dict()["usage"]
    assert (details["prompt_token_details"], details["completion_tokens_details"]) == (
        {"cached_tokens": 0},
        {"reasoning_tokens": 0},
    )  # the 2025 shape (§14.5)
    (step,) = runs.steps.list(run_id=first.id, thread_id=thread.id).data
    assert usage_of(step) == (5, 7, 12)
    second = runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    assert usage_of(second) == (5 + 7, 2, 14)  # the first reply is read now; "Bye ." (2)


def test_usage_of_a_function_call_run_adds_the_arguments_written(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    """What the model wrote includes the call's arguments: `{"city": "Paris"}` is 9 marks
    and words; the tool-calls step counts them, the run adds its steps up."""
    fake.script.call_tools(("get_weather", {"city": "Paris"})).reply("Sunny in Paris.")
    runs = client.beta.threads.runs
    run = runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    assert run.usage is None  # not ended (§14.1)
    (call,) = run.required_action.submit_tool_outputs.tool_calls
    done = runs.submit_tool_outputs_and_poll(
        run_id=run.id,
        thread_id=thread.id,
        tool_outputs=[{"tool_call_id": call.id, "output": "22C"}],
    )
    calls, reply = runs.steps.list(run_id=run.id, thread_id=thread.id, order="asc").data
    assert (usage_of(calls), usage_of(reply)) == ((0, 9, 9), (5, 4, 9))
    assert usage_of(done) == (5, 13, 18)
    assert (calls.completed_at, calls.expires_at) == (fake.clock.now(), None)


def test_a_streamed_run_is_not_counted_twice(
    fake: FakeAssistants, client: Any, helper: Any
) -> None:
    """The same counting for a run taken to its end at once (streamed)."""
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hello?"}])
    fake.script.reply("Hi! How can I help?")
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=helper.id) as stream:
        stream.until_done()
        run = stream.get_final_run()
    assert usage_of(run) == (5, 7, 12)


def test_the_reply_is_a_message_of_the_assistant_and_the_run(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    """The recorded assistant message (§14.5): role assistant, its assistant_id and run_id."""
    fake.script.reply("Hi.")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    reply = client.beta.threads.messages.list(thread_id=thread.id).data[0]
    assert (reply.role, reply.assistant_id, reply.run_id, reply.created_at) == (
        "assistant",
        helper.id,
        run.id,
        run.completed_at,
    )
    user = client.beta.threads.messages.list(thread_id=thread.id).data[1]
    assert (user.role, user.assistant_id, user.run_id) == ("user", None, None)


def test_a_new_run_is_the_recorded_queued_run(fake: FakeAssistants) -> None:
    """A run as created, key for key (.NET SDK 2025 recordings, §14.1, §14.2, §14.5): the
    assistant's model, instructions and tools; the run's own defaults; no tool_resources."""
    http = fake.http_client(headers={"authorization": "Bearer k", "openai-beta": "assistants=v2"})
    helper = http.post(
        "/assistants", json={"model": "gpt-4o-mini", "instructions": "Be brief.", "tools": [WEATHER],
                             "tool_resources": {"code_interpreter": {"file_ids": []}}},
    ).json()  # fmt: skip
    thread = http.post("/threads", json={"messages": [{"role": "user", "content": "Hi"}]}).json()
    run = http.post(f"/threads/{thread['id']}/runs", json={"assistant_id": helper["id"]}).json()
    now = fake.clock.now()
    assert run == {
        "id": run["id"], "object": "thread.run", "created_at": now,
        "assistant_id": helper["id"], "thread_id": thread["id"], "status": "queued",
        "started_at": None, "expires_at": now + 600, "cancelled_at": None, "failed_at": None,
        "completed_at": None, "required_action": None, "last_error": None,
        "model": "gpt-4o-mini", "instructions": "Be brief.", "tools": helper["tools"],
        "tool_resources": {}, "metadata": {}, "temperature": 1.0, "top_p": 1.0,
        "reasoning_effort": None, "max_completion_tokens": None, "max_prompt_tokens": None,
        "truncation_strategy": {"type": "auto", "last_messages": None},
        "incomplete_details": None, "usage": None, "response_format": "auto",
        "tool_choice": "auto", "parallel_tool_calls": True,
    }  # fmt: skip
    assert list(run) == [
        "id", "object", "created_at", "assistant_id", "thread_id", "status", "started_at",
        "expires_at", "cancelled_at", "failed_at", "completed_at", "required_action",
        "last_error", "model", "instructions", "tools", "tool_resources", "metadata",
        "temperature", "top_p", "reasoning_effort", "max_completion_tokens",
        "max_prompt_tokens", "truncation_strategy", "incomplete_details", "usage",
        "response_format", "tool_choice", "parallel_tool_calls",
    ]  # fmt: skip
    assert run["id"].startswith("run_")


V2 = {"authorization": "Bearer k", "openai-beta": "assistants=v2"}


def test_run_options_given_are_the_runs_own(fake: FakeAssistants) -> None:
    """§14.2: a run differs from its assistant only where the request overrode it (the v1
    stream of 2024-04-27 recorded `max_completion_tokens` 16 and `max_prompt_tokens` 256)."""
    http = fake.http_client(headers=V2)
    helper = http.post("/assistants", json={"model": "gpt-4o", "instructions": "x"}).json()
    thread = http.post("/threads", json={}).json()
    options = {
        "model": "gpt-4o-mini", "temperature": 0, "top_p": 0.5, "max_completion_tokens": 16,
        "max_prompt_tokens": 256, "truncation_strategy": {"type": "last_messages", "last_messages": 3},
        "tool_choice": "required", "parallel_tool_calls": False,
        "response_format": {"type": "json_object"}, "metadata": {"case": "1"},
        "tools": [{"type": "code_interpreter"}],
    }  # fmt: skip
    run = http.post(
        f"/threads/{thread['id']}/runs", json={"assistant_id": helper["id"], **options}
    ).json()
    assert {key: run[key] for key in options} == {**options, "temperature": 0.0}
    assert type(run["temperature"]) is float  # 0.0, not 0
    assert run["instructions"] == "x"
    # run-level tools are normalised as the assistant's are (§13: a function tool is echoed
    # with name, description, parameters and strict)
    same = http.post("/assistants", json={"model": "gpt-4o", "tools": [WEATHER]}).json()
    with_function = http.post(
        f"/threads/{thread['id']}/runs", json={"assistant_id": helper["id"], "tools": [WEATHER]}
    ).json()
    assert with_function["tools"] == same["tools"]
    assert with_function["tools"] != [WEATHER]
    kept = http.get(f"/threads/{thread['id']}/runs/{run['id']}").json()
    assert {key: kept[key] for key in options} == {key: run[key] for key in options}


def test_null_run_options_fall_back_to_the_assistant_and_the_defaults(
    fake: FakeAssistants,
) -> None:
    """§14.2: `"instructions": null` falls back to the assistant's; other nulls leave the
    defaults (`model` and `tools` take no null); `additional_instructions` appends to the
    instructions the run has."""
    http = fake.http_client(headers=V2)
    helper = http.post(
        "/assistants", json={"model": "gpt-4o", "instructions": "Be brief.", "temperature": 0.5}
    ).json()
    thread = http.post("/threads", json={}).json()
    nulls = {
        "instructions": None, "temperature": None, "top_p": None, "tool_choice": None, "metadata": None, "truncation_strategy": None,
        "parallel_tool_calls": None, "response_format": None, "max_completion_tokens": None,
    }  # fmt: skip
    run = http.post(
        f"/threads/{thread['id']}/runs",
        json={"assistant_id": helper["id"], **nulls, "additional_instructions": "In French."},
    ).json()
    assert {key: run[key] for key in nulls} == {
        "instructions": "Be brief.\n\nIn French.", "temperature": 0.5, "top_p": 1.0,
        "tool_choice": "auto", "metadata": {},
        "truncation_strategy": {"type": "auto", "last_messages": None},
        "parallel_tool_calls": True, "response_format": "auto", "max_completion_tokens": None,
    }  # fmt: skip


def test_additional_instructions_alone_are_the_instructions(fake: FakeAssistants) -> None:
    http = fake.http_client(headers=V2)
    bare = http.post("/assistants", json={"model": "gpt-4o"}).json()
    thread = http.post("/threads", json={"messages": [{"role": "user", "content": "x"}]}).json()
    run = http.post(
        f"/threads/{thread['id']}/runs",
        json={"assistant_id": bare["id"], "additional_instructions": "Rhyme."},
    ).json()
    assert run["instructions"] == "Rhyme."  # nothing to join it to


def test_additional_messages_join_the_thread_before_the_run(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    fake.script.reply("Done.")
    client.beta.threads.runs.create_and_poll(
        thread_id=thread.id,
        assistant_id=helper.id,
        additional_messages=[
            {"role": "user", "content": "First."},
            {"role": "assistant", "content": "Second.", "metadata": {"k": "v"}},
        ],
    )
    assert texts(client, thread.id) == [
        ("user", "Hello?"),
        ("user", "First."),
        ("assistant", "Second."),
        ("assistant", "Done."),
    ]
    added = client.beta.threads.messages.list(thread_id=thread.id, order="asc").data[2]
    assert (added.metadata, added.run_id) == ({"k": "v"}, None)


@pytest.mark.parametrize(
    ("messages", "instructions", "refused"),
    [
        ([], None, True),
        ([{"role": "assistant", "content": "Hi."}], None, True),  # a user message is needed
        ([{"role": "user", "content": "Hi."}], None, False),
        ([], "Greet.", False),  # run-level instructions are instructions
    ],
)
def test_invalid_thread_is_decided_by_user_messages_and_instructions(
    fake: FakeAssistants, messages: list[dict[str, Any]], instructions: str | None, refused: bool
) -> None:
    """§14.4: "Run creation requires a Thread with a user message or an assistant with
    instructions." (v2); a refused run stores nothing."""
    http = fake.http_client(headers=V2)
    bare = http.post("/assistants", json={"model": "gpt-4o"}).json()
    thread = http.post("/threads", json={"messages": messages}).json()
    before = fake.snapshot()
    answer = http.post(
        f"/threads/{thread['id']}/runs",
        json={"assistant_id": bare["id"], "instructions": instructions},
    )
    if refused:
        assert (answer.status_code, answer.json()["error"]["code"]) == (400, "invalid_thread")
        assert fake.snapshot() == before
    else:
        assert (answer.status_code, answer.json()["status"]) == (200, "queued")


def test_a_refused_run_adds_none_of_its_additional_messages(fake: FakeAssistants) -> None:
    """All or nothing: the run's 404 leaves the thread as it was."""
    http = fake.http_client(headers=V2)
    thread = http.post("/threads", json={}).json()
    before = fake.snapshot()
    answer = http.post(
        f"/threads/{thread['id']}/runs",
        json={
            "assistant_id": "asst_gone",
            "additional_messages": [{"role": "user", "content": "x"}],
        },
    )
    assert answer.json()["error"]["message"] == "No assistant found with id 'asst_gone'."
    assert fake.snapshot() == before


def test_tool_outputs_queue_the_run_again_keeping_its_times(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    """§14.1: submitting keeps `started_at` and `expires_at` and sets `required_action` to
    null; the tool-calls step completes with the outputs, matched by call id."""
    fake.script.call_tools(("get_weather", {"city": "Paris"}), ("get_weather", {"city": "Oslo"}))
    runs = client.beta.threads.runs
    run = runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    first, second = run.required_action.submit_tool_outputs.tool_calls
    fake.clock.advance(7)
    queued = runs.submit_tool_outputs(
        run.id,
        thread_id=thread.id,
        tool_outputs=[
            {"tool_call_id": second.id, "output": "-3C"},
            {"tool_call_id": first.id, "output": "22C"},
        ],
    )
    assert (queued.status, queued.required_action) == ("queued", None)
    assert (queued.started_at, queued.expires_at) == (run.started_at, run.expires_at)
    (step,) = runs.steps.list(run_id=run.id, thread_id=thread.id).data
    # the run is active again: its completed step keeps expires_at, as the recorded streams'
    # completed tool-call steps do (8 of 8); ended runs' steps list it null
    assert (step.status, step.completed_at, step.expires_at) == (
        "completed", fake.clock.now(), run.expires_at,
    )  # fmt: skip
    outputs = [
        (c.id, c.function.arguments, c.function.output) for c in step.step_details.tool_calls
    ]
    assert outputs == [
        (first.id, '{"city": "Paris"}', "22C"),
        (second.id, '{"city": "Oslo"}', "-3C"),
    ]
    # a cancel of the queued run ends the run, not the step it has finished waiting on
    assert runs.cancel(run.id, thread_id=thread.id).status == "cancelling"
    (after,) = runs.steps.list(run_id=run.id, thread_id=thread.id).data
    assert after.to_dict() == step.to_dict()


def test_cancelling_a_run_that_waits_for_outputs(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    """§14.1: the cancel answers `cancelling`, with no `required_action` left; the next read
    is `cancelled`; outputs are then refused with the §14.4 text."""
    fake.script.call_tools(("get_weather", {"city": "Paris"}))
    runs = client.beta.threads.runs
    run = runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    (call,) = run.required_action.submit_tool_outputs.tool_calls
    cancelling = runs.cancel(run.id, thread_id=thread.id)
    assert (cancelling.status, cancelling.required_action) == ("cancelling", None)
    assert runs.retrieve(run.id, thread_id=thread.id).status == "cancelled"
    (step,) = runs.steps.list(run_id=run.id, thread_id=thread.id).data
    assert (step.status, step.cancelled_at, step.completed_at) == (
        "cancelled", fake.clock.now(), None,
    )  # fmt: skip
    status, error = error_of(
        lambda: runs.submit_tool_outputs(
            run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": call.id, "output": "1"}]
        )
    )
    assert (status, error["message"]) == (
        400, 'Runs in status "cancelled" do not accept tool outputs.',
    )  # fmt: skip


def test_a_completed_run_cannot_be_cancelled(client: Any, helper: Any, thread: Any) -> None:
    runs = client.beta.threads.runs
    run = runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    status, error = error_of(lambda: runs.cancel(run.id, thread_id=thread.id))
    assert (status, error["message"], error["code"]) == (
        400, "Cannot cancel run with status 'completed'.", None,
    )  # fmt: skip


def test_v2_modifies_an_active_run_and_keeps_what_metadata_does_not_name(
    fake: FakeAssistants,
) -> None:
    """§14.6: a run modify takes metadata only (v2 also while the run is active)."""
    http = fake.http_client(headers=V2)
    helper = http.post("/assistants", json={"model": "gpt-4o", "instructions": "x"}).json()
    thread = http.post("/threads", json={}).json()
    run = http.post(
        f"/threads/{thread['id']}/runs", json={"assistant_id": helper["id"], "metadata": {"a": "1"}}
    ).json()
    path = f"/threads/{thread['id']}/runs/{run['id']}"
    same = http.post(path, json={}).json()
    assert (same["metadata"], same["status"]) == ({"a": "1"}, "queued")
    changed = http.post(path, json={"metadata": {"b": "2"}}).json()
    assert (changed["metadata"], changed["status"]) == ({"b": "2"}, "queued")
    assert http.get(path).json()["metadata"] == {"b": "2"}
    refused = http.post(path, json={"status": "completed"})
    assert refused.json()["error"]["code"] == "unknown_parameter"


def test_a_run_or_step_of_another_thread_or_run_is_not_found(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    """Every path names its thread (and run): ids of another one are the 404s."""
    runs = client.beta.threads.runs
    run = runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    other = client.beta.threads.create(messages=[{"role": "user", "content": "x"}])
    second = runs.create_and_poll(thread_id=other.id, assistant_id=helper.id)
    status, error = error_of(lambda: runs.retrieve(run.id, thread_id=other.id))
    assert (status, error["message"]) == (404, f"No run found with id '{run.id}'.")
    (step,) = runs.steps.list(run_id=run.id, thread_id=thread.id).data
    status, error = error_of(
        lambda: runs.steps.retrieve(step.id, thread_id=other.id, run_id=second.id)
    )
    assert (status, error["message"]) == (404, f"No run step found with id '{step.id}'.")
    assert [r.id for r in runs.list(thread_id=other.id).data] == [second.id]
    assert [s.run_id for s in runs.steps.list(run_id=second.id, thread_id=other.id).data] == [
        second.id
    ]
    status, error = error_of(lambda: runs.list(thread_id="thread_gone"))
    assert (status, error["message"]) == (404, "No thread found with id 'thread_gone'.")


def test_an_active_run_read_at_its_expiry_is_expired_with_zero_usage(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    """§14.1: `expires_at` is `created_at + 600` while active, null once ended; a run read at
    or after it is `expired`; expired runs report zero tokens."""
    fake.script.call_tools(("get_weather", {"city": "Paris"}))
    runs = client.beta.threads.runs
    run = runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    assert run.status == "requires_action"
    fake.clock.advance(run.expires_at - fake.clock.now() - 1)
    assert runs.retrieve(run.id, thread_id=thread.id).status == "requires_action"
    fake.clock.advance(1)
    expired = runs.retrieve(run.id, thread_id=thread.id)
    assert (expired.status, expired.expires_at, usage_of(expired)) == ("expired", None, (0, 0, 0))
    assert runs.retrieve(run.id, thread_id=thread.id).status == "expired"  # stays


def test_a_failed_run_reports_zero_tokens(
    fake: FakeAssistants, client: Any, helper: Any, thread: Any
) -> None:
    fake.script.fail()
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)
    assert (run.status, usage_of(run)) == ("failed", (0, 0, 0))  # §14.1
    assert (run.last_error.code, run.last_error.message) == (
        "server_error",
        "Sorry, something went wrong.",
    )


def test_a_run_and_a_step_added_whole_are_served_with_the_defaults(
    fake: FakeAssistants, client: Any
) -> None:
    """`fake.add` preloads a run or a step by its `object`: the fields given, the server's
    defaults for the rest (§14.5 key set), served as a retrieve serves them; `expires_at` is
    `created_at + 600` while the run is active and null once it has ended (§14.1)."""
    thread = client.beta.threads.create()
    added = fake.add(
        {"object": "thread.run", "id": "run_pre", "thread_id": thread.id,
         "assistant_id": "asst_pre", "status": "completed", "created_at": 1_699_999_000,
         "model": "gpt-4o", "metadata": {"k": "v"}, "usage": {"prompt_tokens": 1,
         "completion_tokens": 2, "total_tokens": 3}}
    )  # fmt: skip
    served = client.beta.threads.runs.retrieve("run_pre", thread_id=thread.id).to_dict()
    assert served == added
    assert served == {
        "id": "run_pre", "object": "thread.run", "created_at": 1_699_999_000,
        "assistant_id": "asst_pre", "thread_id": thread.id, "status": "completed",
        "started_at": None, "expires_at": None, "cancelled_at": None, "failed_at": None,
        "completed_at": None, "required_action": None, "last_error": None, "model": "gpt-4o",
        "instructions": None, "tools": [], "tool_resources": {}, "metadata": {"k": "v"},
        "temperature": 1.0, "top_p": 1.0, "reasoning_effort": None,
        "max_completion_tokens": None, "max_prompt_tokens": None,
        "truncation_strategy": {"type": "auto", "last_messages": None},
        "incomplete_details": None,
        "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
        "response_format": "auto", "tool_choice": "auto", "parallel_tool_calls": True,
    }  # fmt: skip
    queued = fake.add({"object": "thread.run", "thread_id": thread.id, "assistant_id": "asst_pre"})
    assert queued["id"].startswith("run_")
    assert (queued["status"], queued["created_at"]) == ("queued", fake.clock.now())
    assert queued["expires_at"] == fake.clock.now() + 600
    assert fake.runs[queued["id"]] == queued
    earlier = fake.add(
        {"object": "thread.run", "thread_id": thread.id, "created_at": 1_699_000_000}
    )
    assert (earlier["created_at"], earlier["expires_at"]) == (1_699_000_000, 1_699_000_600)
    given = {"object": "thread.run", "thread_id": thread.id, "status": "cancelled"}
    kept = fake.add({**given, "expires_at": 1_700_000_600})  # exactly as given
    assert (kept["status"], kept["expires_at"]) == ("cancelled", 1_700_000_600)
    step = fake.add(
        {"object": "thread.run.step", "id": "step_pre", "run_id": "run_pre",
         "thread_id": thread.id, "assistant_id": "asst_pre", "status": "completed"}
    )  # fmt: skip
    listed = client.beta.threads.runs.steps.list(run_id="run_pre", thread_id=thread.id).data
    assert [s.to_dict() for s in listed] == [step]
    assert step == {
        "id": "step_pre", "object": "thread.run.step", "created_at": fake.clock.now(),
        "run_id": "run_pre", "assistant_id": "asst_pre", "thread_id": thread.id,
        "type": "message_creation", "status": "completed", "cancelled_at": None,
        "completed_at": None, "expires_at": None, "failed_at": None, "last_error": None,
        "step_details": {"type": "message_creation", "message_creation": {}}, "usage": None,
    }  # fmt: skip
    calls = fake.add(
        {"object": "thread.run.step", "run_id": "run_pre", "thread_id": thread.id,
         "step_details": {"type": "tool_calls", "tool_calls": []}}
    )  # fmt: skip
    assert (calls["type"], calls["id"][:5]) == ("tool_calls", "step_")


def test_v1_keeps_a_boolean_metadata_value_of_a_new_run_as_text() -> None:
    """§14.4: v1 stored metadata `true` as the string "True" (on a run's create as on its
    modify)."""
    fake = FakeAssistants("openai-v1@2024-04")
    http = fake.http_client(headers={"authorization": "Bearer k", "openai-beta": "assistants=v1"})
    helper = http.post("/assistants", json={"model": "gpt-4-turbo", "instructions": "x"}).json()
    thread = http.post("/threads", json={}).json()
    run = http.post(
        f"/threads/{thread['id']}/runs",
        json={"assistant_id": helper["id"], "metadata": {"flag": True}},
    ).json()
    assert run["metadata"] == {"flag": "True"}


def test_create_and_run_gives_its_tool_resources_to_the_new_thread(
    fake: FakeAssistants, client: Any, helper: Any
) -> None:
    """`POST /threads/runs`: `tool_resources` are the new thread's ("made available to the
    assistant's tools in this thread", [S1]); the run copies none (§14.2)."""
    run = client.beta.threads.create_and_run(
        assistant_id=helper.id,
        thread={"messages": [{"role": "user", "content": "Hi"}], "metadata": {"k": "v"}},
        tool_resources={"code_interpreter": {"file_ids": ["file-a"]}},
    )
    thread = client.beta.threads.retrieve(run.thread_id).to_dict()
    assert (thread["tool_resources"], thread["metadata"]) == (
        {"code_interpreter": {"file_ids": ["file-a"]}},
        {"k": "v"},
    )
    assert run.to_dict()["tool_resources"] == {}
    events = client.beta.threads.create_and_run(
        assistant_id=helper.id,
        tool_resources={"code_interpreter": {"file_ids": ["file-b"]}},
        stream=True,
    )
    first = next(iter(events))
    assert first.event == "thread.created"
    assert first.data.to_dict()["tool_resources"] == {"code_interpreter": {"file_ids": ["file-b"]}}
