"""The assistant wire model, for ``FakeAssistants.add``: tolerant on read, exact on write
(openai-python's convention).

Used off the hot path only: the routes serve plain dicts so a request costs no model
construction. Importing this module imports pydantic, so the plugin never imports it at load
time.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class WireModel(BaseModel):
    """Unknown keys are kept (a newer era may add fields) and written back as received."""

    model_config = ConfigDict(extra="allow")


class Tool(WireModel):
    type: str


class Assistant(WireModel):
    """The assistant object of every era (§5.1); era-specific keys are optional."""

    id: str | None = None
    object: Literal["assistant"] = "assistant"
    created_at: int | None = None
    name: str | None = None
    description: str | None = None
    model: str | None = None
    instructions: str | None = None
    tools: list[Tool] = Field(default_factory=list)
    top_p: float | None = None
    temperature: float | None = None
    reasoning_effort: str | None = None
    file_ids: list[str] | None = None
    tool_resources: dict[str, Any] | None = None
    metadata: dict[str, str] | None = None
    response_format: str | dict[str, Any] | None = None


class InvalidAssistantError(TypeError):
    """``add()`` was given something that is not an assistant object."""


def parse_assistant(obj: Any) -> dict[str, Any]:
    """Read an assistant leniently and return only the keys it actually carried."""
    if hasattr(obj, "model_dump"):
        obj = obj.model_dump(mode="json", exclude_unset=True)
    try:
        model = Assistant.model_validate(obj)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'object'}: {e['msg']}" for e in error.errors()
        )
        raise InvalidAssistantError(
            f"add() needs an assistant object (a dict or an SDK Assistant): {problems}"
        ) from None
    return model.model_dump(mode="json", exclude_unset=True)
