"""The conversation's payloads: valid bodies are accepted, every labelled case gets its
label's outcome from the fake, for each profile that serves threads."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_assistants import FakeAssistants, PayloadFactory
from pytest_assistants.payloads.conversation import MESSAGE, PLACEHOLDER_ASSISTANT, RUN, THREAD
from pytest_assistants.service.profiles import PROFILES

SERVING = [name for name, p in PROFILES.items() if p.dialect == "openai" and not p.choices.sunset]


def sender(profile: str) -> tuple[FakeAssistants, Any, str, str]:
    """A fake of the profile, a raw client with its own beta version, an assistant with
    instructions and a thread with a user message."""
    fake = FakeAssistants(profile)
    version = fake.profile.missing_beta_version
    http = fake.http_client(
        headers={"authorization": "Bearer k", "openai-beta": f"assistants={version}"}
    )
    model = "gpt-4o" if version == "v2" else "gpt-4-turbo"
    helper = http.post("/assistants", json={"model": model, "instructions": "x"}).json()["id"]
    thread = http.post("/threads", json={"messages": [{"role": "user", "content": "hi"}]}).json()
    return fake, http, helper, thread["id"]


@pytest.mark.parametrize("profile", SERVING)
def test_every_case_gets_its_labelled_outcome(profile: str) -> None:
    fake, http, helper, thread = sender(profile)
    cases = PayloadFactory(seed=3, profile=profile).conversation_cases()
    assert {case.operation for case in cases} == {THREAD, MESSAGE, RUN}
    for case in cases:
        body = {**case.json}
        if body.get("assistant_id") == PLACEHOLDER_ASSISTANT:
            body["assistant_id"] = helper
        path = {THREAD: "/threads", MESSAGE: f"/threads/{thread}/messages",
                RUN: f"/threads/{thread}/runs"}[case.operation]  # fmt: skip
        before = fake.snapshot()
        answer = http.post(path, json=body)
        assert answer.status_code == case.expect.status, (case.id, answer.text)
        if not case.expect.ok:
            error = answer.json()["error"]
            assert (error["param"], error["code"]) == (case.expect.param, case.expect.code), case.id
            assert fake.snapshot() == before, case.id


@pytest.mark.parametrize("profile", SERVING)
def test_valid_bodies_are_accepted(profile: str) -> None:
    _fake, http, helper, thread = sender(profile)
    factory = PayloadFactory(seed=5, profile=profile)
    for _ in range(20):
        assert http.post("/threads", json=factory.thread()).status_code == 200
        message = http.post(f"/threads/{thread}/messages", json=factory.message())
        assert message.status_code == 200, message.text
        run = http.post(f"/threads/{thread}/runs", json=factory.run(helper))
        assert run.status_code == 200, run.text
        http.post(f"/threads/{thread}/runs/{run.json()['id']}/cancel")


def test_one_seed_gives_the_same_bodies() -> None:
    first, second = PayloadFactory(seed=9), PayloadFactory(seed=9)
    assert [first.message() for _ in range(5)] == [second.message() for _ in range(5)]
    assert [c.json for c in first.conversation_cases()] == [
        c.json for c in second.conversation_cases()
    ]
