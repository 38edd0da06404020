"""fail(...): 429, 500, timeouts, dropped connections; SDK retries, then the app's handling."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from app.assistants_service import AssistantManager, ProviderUnavailable

if TYPE_CHECKING:
    from pytest_assistants import FakeAssistants


@pytest.fixture
def manager(assistants_fake: FakeAssistants) -> AssistantManager:
    return AssistantManager()  # the SDK's default max_retries=2: up to three attempts


@pytest.fixture
def assistant(manager: AssistantManager) -> Any:
    return manager.ensure("flaky", model="gpt-4o", instructions="x")


def test_rate_limit_outlasting_the_retries_becomes_provider_unavailable(
    manager: AssistantManager, assistant: Any, assistants_fake: FakeAssistants
) -> None:
    before = dict(assistants_fake.assistants[assistant.id])
    assistants_fake.fail(429, operation="modify", count=3)
    with pytest.raises(ProviderUnavailable) as info:
        manager.apply(assistant.id, name="later")
    assert info.value.retry_after == 0.001  # from the 429's retry-after-ms, for the scheduler
    assert [c.status for c in assistants_fake.calls[-3:]] == [429, 429, 429]
    assert assistants_fake.assistants[assistant.id] == before


def test_a_dropped_connection_is_retried_and_the_edit_lands_once(
    manager: AssistantManager, assistant: Any, assistants_fake: FakeAssistants
) -> None:
    assistants_fake.fail(kind="disconnect", operation="modify")
    assert manager.apply(assistant.id, name="steady").name == "steady"
    modifies = [c for c in assistants_fake.calls if c.operation == "assistants.modify"]
    assert [(c.status, c.json) for c in modifies] == [
        (0, {"name": "steady"}),
        (200, {"name": "steady"}),
    ]


def test_a_timeout_without_sdk_retries_reaches_the_app(assistants_fake: FakeAssistants) -> None:
    manager = AssistantManager(max_retries=0)  # e.g. a request handler that must answer fast
    made = manager.ensure("hasty", model="gpt-4o", instructions="x")
    assistants_fake.fail(kind="timeout", operation="modify")
    with pytest.raises(ProviderUnavailable, match="timed out") as info:
        manager.apply(made.id, instructions="y")
    assert info.value.retry_after is None  # no answer, so no hint
    assert assistants_fake.assistants[made.id]["instructions"] == "x"


def test_a_server_error_on_create_is_retried_by_the_sdk(
    manager: AssistantManager, assistants_fake: FakeAssistants
) -> None:
    assistants_fake.fail(500, operation="create")
    made = manager.ensure("eventually", model="gpt-4o", instructions="x")
    assert list(assistants_fake.assistants) == [made.id]  # created once, not twice
    assert [c.status for c in assistants_fake.calls] == [200, 500, 200]  # list, create x2
