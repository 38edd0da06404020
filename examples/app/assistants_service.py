"""Downstream code as a user would write it: builds its own ``openai.OpenAI`` client.

Nothing here knows about pytest-assistants; the tests in ``examples/`` run it unchanged
against the fake.
"""

from __future__ import annotations

from typing import Any

import openai


class AssistantManager:
    """Keeps one assistant per name in line with a desired configuration."""

    def __init__(self, client: openai.OpenAI | None = None) -> None:
        self.client = client or openai.OpenAI(api_key="sk-production-key-from-env")

    def find(self, name: str) -> Any | None:
        for assistant in self.client.beta.assistants.list(order="asc", limit=100):
            if assistant.name == name:
                return assistant
        return None

    def ensure(self, name: str, *, model: str, instructions: str, **settings: Any) -> Any:
        """Create the assistant, or modify only what differs (idempotent)."""
        current = self.find(name)
        if current is None:
            return self.client.beta.assistants.create(
                model=model, name=name, instructions=instructions, **settings
            )
        wanted = {"model": model, "instructions": instructions, **settings}
        changes = {k: v for k, v in wanted.items() if getattr(current, k, None) != v}
        if not changes:
            return current
        return self.client.beta.assistants.update(current.id, **changes)

    def rename(self, assistant_id: str, new_name: str) -> str:
        return str(self.client.beta.assistants.update(assistant_id, name=new_name).name)

    def tag(self, assistant_id: str, **labels: str) -> dict[str, str]:
        """Add labels without losing the existing ones (metadata is replaced whole on modify)."""
        current = self.client.beta.assistants.retrieve(assistant_id)
        merged = {**(current.metadata or {}), **labels}
        return dict(self.client.beta.assistants.update(assistant_id, metadata=merged).metadata)

    def switch_to_reasoning(self, assistant_id: str, model: str = "o3-mini") -> Any:
        """o-series models refuse a custom temperature: reset sampling in the same call."""
        return self.client.beta.assistants.update(
            assistant_id, model=model, temperature=None, top_p=None, reasoning_effort="medium"
        )

    def retire(self, assistant_id: str) -> bool:
        try:
            return bool(self.client.beta.assistants.delete(assistant_id).deleted)
        except openai.NotFoundError:
            return False
