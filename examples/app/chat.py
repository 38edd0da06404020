"""Downstream code: a small chat app on the Assistants API, as a user would write it.

It keeps one assistant and one thread per conversation, runs the assistant on each user
message, answers the model's function calls from a table of local tools, and lets an
operator change the assistant's instructions between turns. Nothing here knows about
pytest-assistants; ``examples/test_chat.py`` runs it against the fake.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import openai
    from openai.types.beta.threads.run_submit_tool_outputs_params import ToolOutput

Tool = Callable[..., str]


class Chat:
    """One conversation with one assistant."""

    def __init__(self, client: openai.OpenAI, assistant_id: str, tools: dict[str, Tool]) -> None:
        self.client = client
        self.assistant_id = assistant_id
        self.tools = tools
        self.thread_id = client.beta.threads.create().id

    @classmethod
    def start(
        cls, client: openai.OpenAI, instructions: str, tools: dict[str, Tool] | None = None
    ) -> Chat:
        tools = tools or {}
        specs: list[Any] = [
            {"type": "function", "function": {"name": name, "parameters": {"type": "object"}}}
            for name in tools
        ]
        assistant = client.beta.assistants.create(
            model="gpt-4o", instructions=instructions, tools=specs
        )
        return cls(client, assistant.id, tools)

    def ask(self, text: str) -> str:
        """The assistant's answer to ``text``, calling local tools as the model asks."""
        threads = self.client.beta.threads
        threads.messages.create(thread_id=self.thread_id, role="user", content=text)
        run = threads.runs.create_and_poll(thread_id=self.thread_id, assistant_id=self.assistant_id)
        while run.status == "requires_action" and run.required_action is not None:
            outputs: list[ToolOutput] = [
                {"tool_call_id": call.id, "output": self.call(call.function)}
                for call in run.required_action.submit_tool_outputs.tool_calls
            ]
            run = threads.runs.submit_tool_outputs_and_poll(
                run_id=run.id, thread_id=self.thread_id, tool_outputs=outputs
            )
        if run.status != "completed":
            error = run.last_error.message if run.last_error else run.status
            raise RuntimeError(f"the assistant could not answer: {error}")
        return self.last_reply(run.id)

    def call(self, function: Any) -> str:
        arguments = json.loads(function.arguments or "{}")
        return self.tools[function.name](**arguments)

    def last_reply(self, run_id: str) -> str:
        listed = self.client.beta.threads.messages.list(thread_id=self.thread_id, run_id=run_id)
        parts = [p.text.value for m in listed.data for p in m.content if p.type == "text"]
        return "\n".join(parts)

    def stream(self, text: str) -> list[str]:
        """Ask, and read the answer as it arrives (the pieces, in order)."""
        threads = self.client.beta.threads
        threads.messages.create(thread_id=self.thread_id, role="user", content=text)
        pieces: list[str] = []
        with threads.runs.stream(thread_id=self.thread_id, assistant_id=self.assistant_id) as s:
            for delta in s.text_deltas:
                pieces.append(delta)
        return pieces

    def reconfigure(self, instructions: str) -> None:
        """An operator's change: reaches the next turn, never one already running."""
        self.client.beta.assistants.update(self.assistant_id, instructions=instructions)

    def stop(self, run_id: str) -> str:
        return self.client.beta.threads.runs.cancel(run_id, thread_id=self.thread_id).status
