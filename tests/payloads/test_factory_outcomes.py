"""The factories' labels against the evidence, and the factories and the fake against each
other, each case sent through the profile's real client (openai SDK 2.x or 3.x, AzureOpenAI
for Azure, portkey-ai, raw PATCH for Zerobot).

``EVIDENCE`` writes out outcomes from PROVIDER_BEHAVIOUR §2 (limits, codes) and §4.2: both
the factory's label and the fake's answer must equal them. The other tests are consistency
tests: every labelled case gets its label, valid payloads of 1,000 seeds are accepted.
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


V2, V1, PK, ZB = "openai-v2@2025-08", "openai-v1@2023-11", "portkey", "zerobot"
TOO_LONG, TOO_MANY = "string_above_max_length", "array_above_max_length"
OK = (200, None, None)
EVIDENCE = [  # (profile, case id, (status, param, code)) as §2 / §4.2 state them
    (V2, "name-at-limit-256-latin", OK),
    (V2, "name-over-limit-257-latin", (400, "name", TOO_LONG)),
    (V2, "name-over-limit-257-emoji", (400, "name", TOO_LONG)),
    (V2, "description-at-limit-512-latin", OK),
    (V2, "description-over-limit-513-latin", (400, "description", TOO_LONG)),
    (V2, "instructions-at-limit-256000-latin", OK),
    (V2, "instructions-over-limit-256001-latin", (400, "instructions", TOO_LONG)),
    (V2, "tools-at-limit-128", OK),
    (V2, "tools-over-limit-129", (400, "tools", TOO_MANY)),
    (V2, "tools-retrieval", (400, "tools[0].type", "invalid_value")),
    (V2, "function-name-at-limit-64", OK),
    (V2, "function-name-space", (400, "tools[0].function.name", "invalid_value")),
    (V2, "function-missing", (400, "tools[0].function", "missing_required_parameter")),
    (V2, "file-search-max-num-results-50", OK),
    (
        V2,
        "file-search-max-num-results-51",
        (400, "tools[0].file_search.max_num_results", "integer_above_max_value"),
    ),
    (V2, "metadata-at-limit-16-pairs", OK),
    (V2, "metadata-over-limit-17-pairs", (400, "metadata", "object_above_max_properties")),
    (V2, "metadata-value-over-limit-513-latin", (400, "metadata.k", TOO_LONG)),
    (V2, "metadata-value-integer", (400, "metadata.version", "invalid_type")),
    (V2, "file-ids-in-v2", (400, "file_ids", "unknown_parameter")),
    (V2, "code-interpreter-files-at-limit-20", OK),
    (
        V2,
        "code-interpreter-files-over-limit-21",
        (400, "tool_resources.code_interpreter.file_ids", TOO_MANY),
    ),
    (V2, "vector-stores-at-limit-1", OK),
    (
        V2,
        "vector-stores-over-limit-2",
        (400, "tool_resources.file_search.vector_store_ids", TOO_MANY),
    ),
    (V2, "model-unknown", (400, "model", "model_not_found")),
    (V2, "model-refused-gpt-5", (400, "model", "unsupported_model")),
    (V2, "model-o1-with-temperature", (400, "model", "unsupported_model")),
    (V1, "instructions-at-limit-32768-latin", OK),
    (V1, "instructions-over-limit-32769-latin", (400, "instructions", TOO_LONG)),
    (V1, "file-ids-at-limit-20", OK),
    (V1, "file-ids-over-limit-21", (400, "file_ids", TOO_MANY)),
    (V1, "tool-resources-in-v1", (400, "tool_resources", "unknown_parameter")),
    (V1, "tools-retrieval", OK),
    (V1, "tools-file_search", (400, "tools[0].type", "invalid_value")),
    (ZB, "vector-stores-helper-on-modify", OK),  # §7 item 4
    (ZB, "model-unknown", OK),  # INFERRED: any model id (README profiles table)
    (ZB, "temperature-2.01", (400, "temperature", "decimal_above_max_value")),
    (
        PK,
        "vector-stores-helper-on-modify",
        (400, "tool_resources.file_search.vector_stores", "unknown_parameter"),
    ),
    (PK, "model-unknown", (400, "model", "model_not_found")),
]


@pytest.mark.parametrize(
    ("profile", "case_id", "expected"), EVIDENCE, ids=[f"{p}::{c}" for p, c, _ in EVIDENCE]
)
def test_labels_and_answers_are_the_evidence(
    profile: str, case_id: str, expected: tuple[int, str | None, str | None]
) -> None:
    (case,) = [c for c in PayloadFactory(seed=SEED, profile=profile).cases() if c.id == case_id]
    assert (case.expect.status, case.expect.param, case.expect.code) == expected
    sender = Sender(profile)
    outcome, _ = sender.modify(sender.fresh(), case)
    assert (outcome.status, outcome.param, outcome.code) == expected


@pytest.mark.parametrize(("profile", "case"), all_cases())
def test_consistency_case_gets_its_labelled_outcome(profile: str, case: Case) -> None:
    """Consistency test: the fake answers each case with the factory's own label."""
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
def test_consistency_valid_payloads_of_1000_seeds_are_accepted(profile: str) -> None:
    """Consistency test: create() is a valid create; modify() is valid whatever the assistant holds, so every
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
