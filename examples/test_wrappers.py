"""Wrapper libraries on the fake: LangChain's ``OpenAIAssistantRunnable``, offline.

The runnable builds its own ``openai.OpenAI`` client: the fake serves its assistant calls
unchanged. Its ``invoke()`` also needs threads, runs and messages, which the fake does not
serve; ``assistants_fake.route(...)`` answers them with a few lines each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import openai
from langchain_classic.agents.openai_assistant import OpenAIAssistantRunnable
from langchain_classic.agents.openai_assistant.base import OpenAIAssistantFinish

if TYPE_CHECKING:
    from pytest_assistants.service.routes import RouteRequest

CREATED = 1_756_166_400


def test_langchain_creates_an_assistant_and_updates_it_through_its_client(
    assistants_fake: Any,
) -> None:
    runnable = OpenAIAssistantRunnable.create_assistant(
        name="Math tutor",
        instructions="Answer with a number.",
        tools=[{"type": "code_interpreter"}],
        model="gpt-4o",
        client=openai.OpenAI(api_key="sk-your-app-key"),
    )
    stored = assistants_fake.assistants[runnable.assistant_id]
    assert (stored["name"], stored["tools"]) == ("Math tutor", [{"type": "code_interpreter"}])
    assert stored["tool_resources"] == {"code_interpreter": {"file_ids": []}}

    runnable.client.beta.assistants.update(runnable.assistant_id, instructions="Show steps.")
    assert assistants_fake.assistants[runnable.assistant_id]["instructions"] == "Show steps."
    assert [call.operation for call in assistants_fake.calls] == [
        "assistants.create",
        "assistants.modify",
    ]


def serve_threads(fake: Any, reply: str) -> list[str]:
    """Threads, runs and messages for one completed run; returns what was asked, in order."""
    asked: list[str] = []

    def run(thread_id: str, run_id: str, assistant_id: str, status: str) -> dict[str, Any]:
        return {"id": run_id, "object": "thread.run", "created_at": CREATED,
                "thread_id": thread_id, "assistant_id": assistant_id, "status": status,
                "model": "gpt-4o", "instructions": "", "tools": []}  # fmt: skip

    def create_and_run(request: RouteRequest) -> Any:
        asked.append(request.json["thread"]["messages"][0]["content"])
        return run("thread_1", "run_1", request.json["assistant_id"], "queued")

    def retrieve_run(request: RouteRequest) -> Any:
        asked.append(f"poll {request.params['run_id']}")
        return run(request.params["thread_id"], request.params["run_id"], "asst", "completed")

    def list_messages(request: RouteRequest) -> Any:
        asked.append(f"messages {request.query}")
        text = {"type": "text", "text": {"value": reply, "annotations": []}}
        message = {"id": "msg_1", "object": "thread.message", "created_at": CREATED,
                   "thread_id": request.params["thread_id"], "role": "assistant",
                   "content": [text], "run_id": "run_1", "assistant_id": "asst",
                   "attachments": [], "metadata": {}, "status": "completed"}  # fmt: skip
        return {"object": "list", "data": [message], "first_id": "msg_1", "last_id": "msg_1",
                "has_more": False}  # fmt: skip

    fake.route("POST", "/v1/threads/runs", create_and_run)
    fake.route("GET", "/v1/threads/{thread_id}/runs/{run_id}", retrieve_run)
    fake.route("GET", "/v1/threads/{thread_id}/messages", list_messages)
    return asked


def test_langchain_invoke_with_threads_served_by_routes(assistants_fake: Any) -> None:
    asked = serve_threads(assistants_fake, reply="42")
    runnable = OpenAIAssistantRunnable.create_assistant(
        name="Math tutor",
        instructions="Answer with a number.",
        tools=[],
        model="gpt-4o",
        client=openai.OpenAI(api_key="sk-your-app-key"),
        as_agent=True,
        check_every_ms=1,
    )
    finish = runnable.invoke({"content": "What is 6 x 7?"})
    assert isinstance(finish, OpenAIAssistantFinish)  # as_agent=True: a finished agent step
    assert finish.return_values["output"] == "42"
    assert finish.return_values["thread_id"] == "thread_1"
    assert asked == ["What is 6 x 7?", "poll run_1", "messages order=asc"]
    assert [call.operation for call in assistants_fake.calls] == [
        "assistants.create", "route", "route", "route"]  # fmt: skip
