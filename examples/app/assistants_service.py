"""Downstream code as a user would write it: builds its own ``openai.OpenAI`` client.

Nothing here knows about pytest-assistants; the tests in ``examples/`` run it unchanged
against the fake, a shipped cassette, or the fake served over HTTP (``base_url``).
"""

from __future__ import annotations

from typing import Any

import openai

# What survives the SDK's own retries and means "try again later", not "fix the request".
TRANSIENT = (openai.RateLimitError, openai.InternalServerError, openai.APIConnectionError)


class ConfigRejected(ValueError):
    """The provider refused a configuration change; names the field for the settings form."""

    def __init__(self, error: openai.BadRequestError) -> None:
        self.status = error.status_code
        self.param = error.param
        self.code = error.code
        super().__init__(f"{self.param or 'request'}: {error.message}")


class ProviderUnavailable(RuntimeError):
    """Still failing after the SDK's retries; ``retry_after`` (seconds) is the provider's hint."""

    def __init__(self, error: openai.APIError) -> None:
        response = getattr(error, "response", None)
        headers = response.headers if response is not None else {}
        self.retry_after: float | None = None
        if "retry-after-ms" in headers:
            self.retry_after = float(headers["retry-after-ms"]) / 1000
        elif str(headers.get("retry-after", "")).isdigit():
            self.retry_after = float(headers["retry-after"])
        super().__init__(f"Assistants API unavailable: {error.message}")


class AssistantManager:
    """Keeps one assistant per name in line with a desired configuration."""

    def __init__(
        self, client: Any | None = None, *, base_url: str | None = None, max_retries: int = 2
    ) -> None:
        # ``client``: any OpenAI-compatible client (e.g. portkey_ai.Portkey); ``base_url``:
        # a proxy or staging server in front of the API.
        self.client = client or openai.OpenAI(
            api_key="sk-production-key-from-env", base_url=base_url, max_retries=max_retries
        )

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

    def apply(self, assistant_id: str, **changes: Any) -> Any:
        """Send an edit from the admin form as is; refusals and outages become our errors."""
        try:
            return self.client.beta.assistants.update(assistant_id, **changes)
        except openai.BadRequestError as error:
            raise ConfigRejected(error) from error
        except TRANSIENT as error:
            raise ProviderUnavailable(error) from error

    def rename(self, assistant_id: str, new_name: str) -> str:
        return str(self.client.beta.assistants.update(assistant_id, name=new_name).name)

    def tag(self, assistant_id: str, **labels: str) -> dict[str, str]:
        """Add labels without losing the existing ones (metadata is replaced whole on modify)."""
        current = self.client.beta.assistants.retrieve(assistant_id)
        merged = {**(current.metadata or {}), **labels}
        updated = self.client.beta.assistants.update(assistant_id, metadata=merged)
        return dict(updated.metadata or {})

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
