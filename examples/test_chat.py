"""A chat app (``app/chat.py``) tested offline: the fake serves threads, messages and runs
as the provider did; the test scripts what the model says (``assistants_fake.script``)."""

from __future__ import annotations

from typing import Any

import openai
import pytest
from app.chat import Chat


@pytest.fixture
def chat(assistants_fake: Any) -> Chat:
    weather = {"get_weather": lambda city="Paris": f"22C and sunny in {city}"}
    return Chat.start(openai.OpenAI(), "Answer briefly.", tools=weather)


def test_a_turn_is_a_run_polled_to_its_reply(chat: Chat, assistants_fake: Any) -> None:
    assistants_fake.script.reply("Hello! How can I help?")
    assert chat.ask("Hi") == "Hello! How can I help?"


def test_a_function_call_is_answered_from_the_local_tools(chat: Chat, assistants_fake: Any) -> None:
    assistants_fake.script.call_tools(("get_weather", {"city": "Lyon"})).reply("It is 22C.")
    assert chat.ask("Weather in Lyon?") == "It is 22C."
    (step,) = [
        s for s in assistants_fake.objects("thread.run.step").values() if s["type"] == "tool_calls"
    ]
    assert step["step_details"]["tool_calls"][0]["function"]["output"] == "22C and sunny in Lyon"


def test_a_streamed_answer_arrives_in_pieces(chat: Chat, assistants_fake: Any) -> None:
    assistants_fake.script.reply("One, two.")
    assert chat.stream("Count") == ["One", ",", " two", "."]


def test_a_failed_run_is_an_error_for_the_app(chat: Chat, assistants_fake: Any) -> None:
    assistants_fake.script.fail("server_error", "Sorry, something went wrong.")
    with pytest.raises(RuntimeError, match=r"Sorry, something went wrong\."):
        chat.ask("Hi")


def test_an_operator_change_reaches_the_next_turn_only(chat: Chat, assistants_fake: Any) -> None:
    chat.ask("first")
    chat.reconfigure("Answer in French.")
    chat.ask("second")
    first, second = assistants_fake.runs.values()
    assert (first["instructions"], second["instructions"]) == (
        "Answer briefly.",
        "Answer in French.",
    )


def test_a_turn_can_be_stopped(chat: Chat) -> None:
    threads = chat.client.beta.threads
    threads.messages.create(thread_id=chat.thread_id, role="user", content="long question")
    run = threads.runs.create(thread_id=chat.thread_id, assistant_id=chat.assistant_id)
    assert chat.stop(run.id) == "cancelling"
    assert threads.runs.retrieve(run.id, thread_id=chat.thread_id).status == "cancelled"
