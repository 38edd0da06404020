"""The factories and the fake keep each other honest: every labelled case of every profile,
sent through the profile's real client (openai SDK 2.x or 3.x, AzureOpenAI for Azure,
portkey-ai, raw PATCH for Zerobot), gets exactly its labelled outcome; valid payloads from 1,000 seeds are accepted.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest

from pytest_assistants import PROFILES, FakeAssistants
from pytest_assistants.payloads.factories import (
    Case,
    Expect,
    PayloadFactory,
    base_model,
    client_kwargs,
    has_cases,
    wire_json,
)

openai = pytest.importorskip("openai")

SEED = 4  # collection-time seed: the same bodies in every xdist worker
ZEROBOT_AUTH = {"Authorization": "Bearer zb-test-token"}
ECHOED = ("name", "description", "instructions", "metadata", "tools")


class Sender:
    """Create and modify through the client a user of the profile's dialect would use."""

    def __init__(self, profile: str) -> None:
        self.profile = profile
        self.fake = FakeAssistants(profile)
        dialect = PROFILES[profile].dialect
        if dialect == "openai":
            self.client = self.fake.openai(max_retries=0)
        elif dialect == "portkey":
            if importlib.util.find_spec("portkey_ai") is None:
                pytest.skip("portkey-ai is not installed (the portkey profile's client)")
            self.client = self.fake.portkey(max_retries=0)
        elif dialect == "azure":  # openai.AzureOpenAI at the profile's own api-version
            self.client = self.fake.azure_openai(max_retries=0)
        elif dialect == "zerobot":
            self.client = None
            self.http = self.fake.http_client("api.zerobot.ai", headers=ZEROBOT_AUTH)
        else:
            pytest.skip(f"no send path for dialect {dialect!r} in this test yet")

    def create(self, kwargs: dict[str, Any]) -> str:
        if self.client is None:
            answer = self.http.post("/assistants", json=wire_json(kwargs))
            assert answer.status_code == 200, answer.text
            return str(answer.json()["id"])
        return str(self.client.beta.assistants.create(**kwargs).id)

    def fresh(self) -> str:
        return self.create(client_kwargs({"model": base_model(self.profile)}, self.profile))

    def modify(self, assistant_id: str, case: Case) -> tuple[Expect, dict[str, Any] | None]:
        """The outcome as (status, param, code), and the served object on success."""
        if self.client is None:
            answer = self.http.patch(f"/assistants/{assistant_id}", json=case.json)
            body = answer.json()
            if answer.status_code == 200:
                return Expect(), body
            error = body.get("error") or {}
            return Expect(answer.status_code, error.get("param"), error.get("code")), None
        try:
            served = self.client.beta.assistants.update(assistant_id, **case.body)
        except Exception as error:  # openai's or portkey's vendored APIStatusError
            status = getattr(error, "status_code", None)
            if status is None:
                raise
            return Expect(status, error.param, error.code), None  # type: ignore[attr-defined]
        return Expect(), {key: getattr(served, key, None) for key in ECHOED}


def all_cases() -> list[Any]:
    params = []
    for name in PROFILES:
        for case in PayloadFactory(seed=SEED, profile=name).cases():
            params.append(pytest.param(name, case, id=f"{name}::{case.id}"))
    return params


@pytest.mark.parametrize(("profile", "case"), all_cases())
def test_case_gets_its_labelled_outcome(profile: str, case: Case) -> None:
    sender = Sender(profile)
    assistant_id = sender.fresh()
    before = sender.fake.assistants[assistant_id]
    outcome, served = sender.modify(assistant_id, case)
    assert outcome == case.expect, case.json
    sender.fake.check()
    if not outcome.ok:
        assert sender.fake.assistants[assistant_id] == before  # a rejected modify changes nothing
        return
    assert served is not None
    for key in ("name", "description", "instructions"):
        if key in case.json:
            assert served[key] == case.json[key]
    if case.json.get("metadata") is not None:
        assert served["metadata"] == case.json["metadata"]
    if case.json.get("tools") is not None:  # normalised by era, but never added or dropped
        assert len(served["tools"]) == len(case.json["tools"])


def test_every_serving_profile_has_a_catalogue() -> None:
    for name, profile in PROFILES.items():
        cases = PayloadFactory(seed=SEED, profile=name).cases()
        assert bool(cases) == has_cases(profile), name
        if cases:
            assert {c.expect.ok for c in cases} == {True, False}, name


@pytest.mark.parametrize("profile", [name for name in PROFILES if has_cases(name)])
def test_valid_payloads_of_1000_seeds_are_accepted(profile: str) -> None:
    """create() is a valid create; modify() is valid whatever the assistant holds, so every
    seed's modify goes to one assistant that has held all the earlier ones."""
    sender = Sender(profile)
    chained = sender.fresh()
    for seed in range(1000):
        factory = PayloadFactory(seed=seed, profile=profile)
        sender.create(factory.create())
        body = factory.modify()
        case = Case("valid", body, Expect(), wire_json(body), profile)
        outcome, _ = sender.modify(chained, case)
        assert outcome == Expect(), (seed, case.json)
    sender.fake.check()
