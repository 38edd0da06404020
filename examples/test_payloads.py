"""PayloadFactory edge_cases() and invalid() through the app; one modify() round trip."""

from __future__ import annotations

from typing import Any

import pytest
from app.assistants_service import AssistantManager, ConfigRejected

from pytest_assistants import Case, FakeAssistants, PayloadFactory

# parametrize needs the cases at collection time, before any fixture exists: a factory of
# our own with a fixed seed gives the same bodies (ids and texts) on every run and machine.
CASES = PayloadFactory(seed=2026)
SENT_AS_IS = ("name", "description", "instructions", "metadata", "model")


@pytest.fixture(scope="module")
def long_lived() -> AssistantManager:
    return AssistantManager()  # built once, as in production (a client takes ~25 ms to build)


@pytest.fixture
def manager(long_lived: AssistantManager, assistants_fake: FakeAssistants) -> AssistantManager:
    return long_lived  # each test's fresh fake answers the same client, so no state leaks


@pytest.fixture
def assistant(manager: AssistantManager) -> Any:
    # Each case's label holds for a fresh gpt-4o assistant (the factory's base model).
    return manager.ensure("edited", model="gpt-4o", instructions="Answer from the docs.")


def send(manager: AssistantManager, assistant: Any, case: Case) -> Any:
    return manager.apply(assistant.id, **case.body)


@pytest.mark.parametrize("case", CASES.edge_cases(), ids=lambda case: case.id)
def test_edge_case_gets_its_labelled_outcome(
    manager: AssistantManager, assistant: Any, assistants_fake: FakeAssistants, case: Case
) -> None:
    if case.expect.ok:
        assert send(manager, assistant, case).id == assistant.id
    else:
        with pytest.raises(ConfigRejected) as info:
            send(manager, assistant, case)
        assert (info.value.status, info.value.param, info.value.code) == (
            case.expect.status,
            case.expect.param,
            case.expect.code,
        )
    sent = assistants_fake.calls[-1]  # what went over the wire, and how it was answered
    assert (sent.method, sent.url.rpartition("/")[2]) == ("POST", assistant.id)
    assert (sent.json, sent.status) == (case.json, case.expect.status)


@pytest.mark.parametrize("case", CASES.invalid(), ids=lambda case: case.id)
def test_invalid_body_is_refused_and_nothing_changes(
    manager: AssistantManager, assistant: Any, assistants_fake: FakeAssistants, case: Case
) -> None:
    before = dict(assistants_fake.assistants[assistant.id])
    with pytest.raises(ConfigRejected) as info:
        send(manager, assistant, case)
    assert (info.value.param, info.value.code) == (case.expect.param, case.expect.code)
    assert str(info.value).startswith(f"{case.expect.param}: ")  # what the form shows
    assert assistants_fake.assistants[assistant.id] == before


def test_random_valid_modify_round_trips(
    manager: AssistantManager, assistants_fake: FakeAssistants, assistants_payloads: PayloadFactory
) -> None:
    # The fixture's factory is seeded per test (session seed + node id): a failure report
    # prints the seed, and --assistants-seed reproduces it.
    made = manager.client.beta.assistants.create(**assistants_payloads.create())
    changes = assistants_payloads.modify()
    updated = manager.apply(made.id, **changes)
    sent = {k: v for k, v in changes.items() if k in SENT_AS_IS and v is not None}
    assert {k: getattr(updated, k) for k in sent} == sent
    assert manager.client.beta.assistants.retrieve(made.id) == updated
    assert assistants_fake.calls[-2].json == changes  # the app sent the body unchanged
