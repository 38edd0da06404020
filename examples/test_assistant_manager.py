"""The app's own openai.OpenAI() intercepted: partial modify, validation, retries, sunset."""

from __future__ import annotations

from typing import TYPE_CHECKING

import openai
import pytest
from app.assistants_service import AssistantManager

if TYPE_CHECKING:
    from pytest_assistants import FakeAssistants


@pytest.fixture
def manager(assistants_fake: FakeAssistants) -> AssistantManager:
    return AssistantManager()  # builds its own openai.OpenAI(): served by the fake


def test_ensure_creates_then_modifies_only_what_changed(
    manager: AssistantManager, assistants_fake: FakeAssistants
) -> None:
    made = manager.ensure("support", model="gpt-4o", instructions="Be brief.")
    again = manager.ensure("support", model="gpt-4o", instructions="Be brief and kind.")
    assert again.id == made.id
    modify = assistants_fake.calls[-1]
    assert (modify.method, modify.json) == ("POST", {"instructions": "Be brief and kind."})


def test_rename_sends_a_partial_update(
    manager: AssistantManager, assistants_fake: FakeAssistants
) -> None:
    made = manager.ensure("old", model="gpt-4o", instructions="x", metadata={"team": "a"})
    assert manager.rename(made.id, "new") == "new"
    stored = assistants_fake.assistants[made.id]
    assert (stored["name"], stored["metadata"]) == ("new", {"team": "a"})  # omitted = unchanged


def test_tagging_keeps_existing_labels(manager: AssistantManager) -> None:
    made = manager.ensure("bot", model="gpt-4o", instructions="x", metadata={"team": "a"})
    assert manager.tag(made.id, env="prod") == {"team": "a", "env": "prod"}


def test_provider_validation_reaches_the_app(manager: AssistantManager) -> None:
    made = manager.ensure("bot", model="gpt-4o", instructions="x")
    with pytest.raises(openai.BadRequestError) as info:
        manager.rename(made.id, "n" * 257)
    assert info.value.code == "string_above_max_length"
    assert info.value.param == "name"


def test_switching_to_o_series_needs_sampling_reset(
    manager: AssistantManager, assistants_fake: FakeAssistants
) -> None:
    made = manager.ensure("thinker", model="gpt-4o", instructions="x", temperature=0.2)
    with pytest.raises(openai.BadRequestError, match="'temperature' is not supported"):
        manager.client.beta.assistants.update(made.id, model="o3-mini")
    switched = manager.switch_to_reasoning(made.id)
    assert (switched.model, switched.temperature, switched.reasoning_effort) == (
        "o3-mini",
        1.0,
        "medium",
    )


def test_retire_is_idempotent(manager: AssistantManager) -> None:
    made = manager.ensure("temp", model="gpt-4o", instructions="x")
    assert manager.retire(made.id) is True
    assert manager.retire(made.id) is False  # 404 "No assistant found with id ..." handled


def test_transient_failures_are_retried_by_the_sdk(
    manager: AssistantManager, assistants_fake: FakeAssistants
) -> None:
    made = manager.ensure("flaky", model="gpt-4o", instructions="x")
    assistants_fake.fail(503, operation="modify", count=2)
    assert manager.rename(made.id, "steady") == "steady"
    assert [c.status for c in assistants_fake.calls[-3:]] == [503, 503, 200]


def test_preloaded_state_from_production(
    manager: AssistantManager, assistants_fake: FakeAssistants
) -> None:
    assistants_fake.add(
        {"id": "asst_" + "P" * 24, "model": "gpt-4", "name": "legacy", "created_at": 1_700_000_000}
    )
    found = manager.find("legacy")
    assert found is not None
    assert found.id == "asst_" + "P" * 24


@pytest.mark.assistants(sunset=True)
def test_the_shutdown_is_visible_to_the_app(manager: AssistantManager) -> None:
    with pytest.raises(openai.NotFoundError):
        manager.find("anything")
