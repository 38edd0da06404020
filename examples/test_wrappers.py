"""Wrapper libraries on the fake: LangChain's ``OpenAIAssistantRunnable``, offline.

The runnable builds its own ``openai.OpenAI`` client: the fake serves its assistant calls
unchanged, and its ``invoke()``'s threads, runs and messages too; the one thing a fake cannot
know, what the model answers, the test scripts with ``assistants_fake.script``.
"""

from __future__ import annotations

from typing import Any

import openai
from langchain_classic.agents.openai_assistant import OpenAIAssistantRunnable
from langchain_classic.agents.openai_assistant.base import OpenAIAssistantFinish


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


def test_langchain_invoke_runs_on_the_fake_with_a_scripted_reply(assistants_fake: Any) -> None:
    """No route() at all: threads, runs and messages are served; the test scripts the model."""
    assistants_fake.script.reply("42")
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
    thread_id = finish.return_values["thread_id"]
    assert [m["role"] for m in assistants_fake.messages.values()] == ["user", "assistant"]
    assert assistants_fake.threads[thread_id]["object"] == "thread"
    operations = [call.operation for call in assistants_fake.calls]
    assert operations[:2] == ["assistants.create", "threads.create_and_run"]
    assert operations[-1] == "threads.messages.list"
