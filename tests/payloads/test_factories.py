"""Payload factories: determinism, coverage of PROVIDER_BEHAVIOUR §2, the Faker provider."""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import random
import re
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest
from faker import Faker

import pytest_assistants
from pytest_assistants import PROFILES, FakeAssistants
from pytest_assistants.payloads.factories import (
    OMIT,
    Case,
    PayloadFactory,
    base_model,
    client_kwargs,
    has_cases,
    rules_for,
    wire_json,
)
from pytest_assistants.payloads.faker_provider import ID_PREFIXES, SCRIPTS, AssistantsProvider
from pytest_assistants.service.profiles import NAME_PATTERN, UnknownProfileError
from pytest_assistants.service.resources.assistants.schema import modify_schema
from pytest_assistants.service.validation import validate

if TYPE_CHECKING:
    from pathlib import Path

SERVING = [name for name in PROFILES if has_cases(name)]
ID_SHAPE = {
    kind: re.compile(rf"^{re.escape(p)}[A-Za-z0-9]{{24}}$") for kind, p in ID_PREFIXES.items()
}

DIGEST_SCRIPT = """
import hashlib, json, sys
from pytest_assistants.payloads.factories import PayloadFactory
out = []
for profile in sys.argv[2:]:
    factory = PayloadFactory(seed=int(sys.argv[1]), profile=profile)
    out.append([factory.create(), factory.modify(), factory.modify()])
    out.append([(c.id, c.json, c.expect.status, c.expect.param) for c in factory.cases()])
print(hashlib.sha256(json.dumps(out, sort_keys=True).encode()).hexdigest())
"""


def digest(seed: int, profiles: list[str]) -> str:
    out: list[Any] = []
    for profile in profiles:
        factory = PayloadFactory(seed=seed, profile=profile)
        out.append([factory.create(), factory.modify(), factory.modify()])
        out.append([(c.id, c.json, c.expect.status, c.expect.param) for c in factory.cases()])
    return hashlib.sha256(json.dumps(out, sort_keys=True).encode()).hexdigest()


def longest_text(value: Any) -> str:
    """The longest string in a JSON value, keys included."""
    if isinstance(value, str):
        return value
    items = list(value.items()) if isinstance(value, dict) else list(value)
    texts = [
        longest_text(item)
        for pair in items
        for item in (pair if isinstance(value, dict) else [pair])
    ]
    return max(texts, key=len, default="")


def by_id(cases: list[Case]) -> dict[str, Case]:
    return {case.id: case for case in cases}


# -- seeding ---------------------------------------------------------------------------------


def test_same_seed_gives_the_same_sequence_and_another_seed_differs() -> None:
    first, again, other = PayloadFactory(seed=7), PayloadFactory(seed=7), PayloadFactory(seed=8)
    sequence = [first.modify() for _ in range(5)]
    assert sequence == [again.modify() for _ in range(5)]
    assert sequence != [other.modify() for _ in range(5)]
    assert len({json.dumps(body, sort_keys=True) for body in sequence}) == 5


def test_payloads_are_identical_across_processes_and_hash_seeds() -> None:
    profiles = ["openai-v2@2025-08", "openai-v1@2023-11", "zerobot"]
    expected = digest(11, profiles)
    for hash_seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", DIGEST_SCRIPT, "11", *profiles],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        assert done.stdout.strip() == expected


def test_factories_leave_global_randomness_and_other_fakers_alone() -> None:
    from faker.generator import random as faker_shared_random

    states = random.getstate(), faker_shared_random.getstate()
    mine = Faker()
    mine.seed_instance(1)
    expected = [mine.word() for _ in range(3)]
    mine.seed_instance(1)
    factory = PayloadFactory(seed=3)
    factory.modify()
    factory.cases()
    assert [mine.word() for _ in range(3)] == expected
    assert (random.getstate(), faker_shared_random.getstate()) == states
    assert not hasattr(Faker(), "assistant_id")  # registered on the factory's Faker only
    assert factory.faker.assistant_id().startswith("asst_")


def test_cases_do_not_depend_on_earlier_calls() -> None:
    fresh, used = PayloadFactory(seed=5), PayloadFactory(seed=5)
    used.modify()
    used.create()
    assert [(c.id, c.json) for c in fresh.invalid()] == [(c.id, c.json) for c in used.invalid()]


# -- shapes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", SERVING)
def test_bodies_are_keyword_arguments_of_the_profiles_client(profile: str) -> None:
    dialect = PROFILES[profile].dialect
    sdk = dialect in ("openai", "azure")  # Azure profiles: openai.AzureOpenAI
    if sdk:
        openai = pytest.importorskip("openai")
        allowed = set(
            inspect.signature(openai.OpenAI(api_key="x").beta.assistants.update).parameters
        )
    factory = PayloadFactory(seed=1, profile=profile)
    for _ in range(50):
        for body in (factory.modify(), factory.create()):
            if sdk:
                assert set(body) <= allowed
            else:
                assert body == wire_json(body)  # the JSON body itself


def test_v1_bodies_carry_the_beta_header_and_file_ids_in_extra_body() -> None:
    body = PayloadFactory(seed=2, profile="openai-v1@2024-04").modify(file_ids=["file-abc"])
    assert "file_ids" not in body
    assert body["extra_body"]["file_ids"] == ["file-abc"]
    assert body["extra_headers"] == {"OpenAI-Beta": "assistants=v1"}
    assert wire_json(body)["file_ids"] == ["file-abc"]
    assert "extra_headers" not in PayloadFactory(seed=2).modify()


def test_overrides_replace_and_omit_removes() -> None:
    factory = PayloadFactory(seed=9)
    body = factory.modify(name="fixed", description=None, tools=OMIT)
    assert body["name"] == "fixed"
    assert body["description"] is None
    assert "tools" not in body
    assert factory.create(model="gpt-4o-mini")["model"] == "gpt-4o-mini"
    assert "model" not in factory.create(model=OMIT)


@pytest.mark.parametrize("profile", SERVING)
def test_client_kwargs_and_wire_json_round_trip(profile: str) -> None:
    for case in PayloadFactory(seed=3, profile=profile).cases():
        assert wire_json(client_kwargs(case.json, profile)) == case.json
        assert case.body == client_kwargs(case.json, profile)


def test_unknown_profile_names_the_known_ones() -> None:
    with pytest.raises(UnknownProfileError, match="openai-v2@2025-08"):
        PayloadFactory(profile="openai-v9")


def test_public_names_are_exported_lazily() -> None:
    assert pytest_assistants.PayloadFactory is PayloadFactory
    assert pytest_assistants.Case is Case


# -- the catalogue against PROVIDER_BEHAVIOUR §2 and the era's rules ------------------------


def limit_ids(profile: str) -> dict[str, bool]:
    """Case id -> accepted?, for every limit of §2 at the limit and one past it."""
    rules = rules_for(profile)
    ids: dict[str, bool] = {}

    def pair(at: str, past: str) -> None:
        ids[at], ids[past] = True, False

    for field, limit in (
        ("name", 256),
        ("description", 512),
        ("instructions", rules.instructions_max),
    ):
        pair(f"{field}-at-limit-{limit}-latin", f"{field}-over-limit-{limit + 1}-latin")
        pair(f"{field}-at-limit-{limit}-emoji", f"{field}-over-limit-{limit + 1}-emoji")
    pair("tools-at-limit-128", "tools-over-limit-129")
    pair("metadata-at-limit-16-pairs", "metadata-over-limit-17-pairs")
    for script in ("latin", "cjk", "emoji"):
        pair(f"metadata-key-at-limit-64-{script}", f"metadata-key-over-limit-65-{script}")
        pair(f"metadata-value-at-limit-512-{script}", f"metadata-value-over-limit-513-{script}")
    pair("function-name-at-limit-64", "function-name-over-limit-65")
    ids["function-name-space"] = ids["function-name-cjk"] = False
    if rules.sampling:
        pair("temperature-0", "temperature--0.01")
        pair("temperature-2", "temperature-2.01")
        pair("top-p-0", "top-p--0.01")
        pair("top-p-1", "top-p-1.01")
    if rules.file_ids:
        pair("file-ids-at-limit-20", "file-ids-over-limit-21")
    else:
        pair("code-interpreter-files-at-limit-20", "code-interpreter-files-over-limit-21")
        pair("vector-stores-at-limit-1", "vector-stores-over-limit-2")
    if rules.sampling and "json_schema" in rules.response_format_types:
        pair("json-schema-name-at-limit-64", "json-schema-name-over-limit-65")
    if "file_search" in rules.tool_types and rules.file_search_options:
        pair("file-search-max-num-results-1", "file-search-max-num-results-0")
        pair("file-search-max-num-results-50", "file-search-max-num-results-51")
    return ids


@pytest.mark.parametrize("profile", SERVING)
def test_edge_cases_cover_every_limit_at_and_past_it(profile: str) -> None:
    cases = by_id(PayloadFactory(seed=1, profile=profile).edge_cases())
    for case_id, accepted in limit_ids(profile).items():
        assert case_id in cases, case_id
        assert cases[case_id].expect.ok is accepted, case_id


@pytest.mark.parametrize("profile", SERVING)
def test_limit_texts_have_exactly_their_length_in_code_points(profile: str) -> None:
    rules = rules_for(profile)
    limits = {"name": 256, "description": 512, "instructions": rules.instructions_max}
    for case in PayloadFactory(seed=1, profile=profile).edge_cases():
        for field, limit in limits.items():
            if case.id.startswith(f"{field}-at-limit-"):
                assert len(case.json[field]) == limit, case.id
            if case.id.startswith(f"{field}-over-limit-"):
                assert len(case.json[field]) == limit + 1, case.id
        if "-at-limit-" in case.id and case.id.endswith(("-cjk", "-emoji", "-arabic", "-hebrew")):
            text = longest_text(case.json)
            assert len(text.encode("utf-8")) > len(text)  # multi-byte at the limit


@pytest.mark.parametrize("profile", SERVING)
def test_explicit_null_on_every_field_of_the_era(profile: str) -> None:
    """Derived from the fake's schema: nullable fields accept null, the others reject it."""
    schema = modify_schema(rules_for(profile))
    nulls = {
        next(iter(c.json)): c
        for c in PayloadFactory(seed=1, profile=profile).cases()
        if len(c.json) == 1 and next(iter(c.json.values())) is None
    }
    for field, node in schema.fields.items():
        assert field in nulls, field
        expect = nulls[field].expect
        assert expect.ok is node.nullable, field
        if not node.nullable:
            assert (expect.param, expect.code) == (field, "invalid_type")


@pytest.mark.parametrize("profile", SERVING)
def test_a_wrong_type_on_every_field_of_the_era(profile: str) -> None:
    wrong = {
        next(iter(c.json))
        for c in PayloadFactory(seed=1, profile=profile).invalid()
        if len(c.json) == 1
        and next(iter(c.json.values())) is not None
        and (c.expect.param, c.expect.code) == (next(iter(c.json)), "invalid_type")
    }
    assert wrong == set(modify_schema(rules_for(profile)).fields)


@pytest.mark.parametrize("profile", SERVING)
def test_case_ids_are_unique_and_readable(profile: str) -> None:
    factory = PayloadFactory(seed=1, profile=profile)
    ids = [case.id for case in factory.cases()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9._@-]*", case_id) for case_id in ids), ids
    edge, invalid = factory.edge_cases(), factory.invalid()
    assert not any(case.expect.ok for case in invalid)
    assert {case.expect.ok for case in edge} == {True, False}
    assert {c.id for c in edge} | {c.id for c in invalid} == set(ids)


def test_each_era_rejects_the_other_eras_tools_and_fields() -> None:
    v1 = by_id(PayloadFactory(profile="openai-v1@2023-11").invalid())
    v2 = by_id(PayloadFactory(profile="openai-v2@2025-08").invalid())
    assert (v1["tools-file_search"].expect.param, v1["tools-file_search"].expect.code) == (
        "tools[0].type",
        "invalid_value",
    )
    assert v2["tools-retrieval"].expect.param == "tools[0].type"
    assert v1["tool-resources-in-v1"].expect.code == "unknown_parameter"
    assert v2["file-ids-in-v2"].expect.param == "file_ids"
    assert v1["temperature-before-its-era"].expect.param == "temperature"
    assert "reasoning-effort-before-its-era" in by_id(PayloadFactory(profile="zerobot").invalid())


def test_sunset_profile_has_no_cases_but_still_builds_bodies() -> None:
    factory = PayloadFactory(profile="openai@2026-08-26")
    assert factory.edge_cases() == factory.invalid() == []
    assert factory.create()["model"]


# -- the Faker provider ----------------------------------------------------------------------


@pytest.fixture
def fake() -> Faker:
    instance = Faker()
    instance.seed_instance(21)
    instance.add_provider(AssistantsProvider)
    return instance


def test_generated_ids_have_the_shape_of_every_real_id(
    fake: Faker, reference_recordings: Path
) -> None:
    path = reference_recordings
    text = (path if path.is_file() else path / "interactions.jsonl").read_text()
    for kind, shape in ID_SHAPE.items():
        prefix = re.escape(ID_PREFIXES[kind])
        real = set(re.findall(rf"(?<![A-Za-z0-9]){prefix}[A-Za-z0-9]+", text))
        assert real, kind
        assert all(shape.fullmatch(value) for value in real), kind
    for _ in range(20):
        assert ID_SHAPE["assistant"].fullmatch(fake.assistant_id())
        assert ID_SHAPE["file"].fullmatch(fake.file_id())
        assert ID_SHAPE["vector_store"].fullmatch(fake.vector_store_id())


@pytest.mark.parametrize("script", SCRIPTS)
def test_texts_stay_within_limits_in_code_points(fake: Faker, script: str) -> None:
    for limit in (1, 7, 64, 256, 5000):
        assert 1 <= len(fake.script_text(limit, script)) <= limit
        assert len(fake.text_of_length(limit, script)) == limit


@pytest.mark.parametrize("profile", SERVING)
def test_provider_values_pass_the_eras_schema(fake: Faker, profile: str) -> None:
    rules = rules_for(profile)
    for _ in range(30):
        assert fake.model_id(rules) in rules.models
        assert re.fullmatch(NAME_PATTERN, fake.function_name())
        metadata = fake.metadata_map()
        assert len(metadata) <= 16
        assert all(len(k) <= 64 and len(v) <= 512 for k, v in metadata.items())
        body: dict[str, Any] = {"tools": [fake.tool(rules) for _ in range(3)], "metadata": metadata}
        if rules.sampling:
            body["response_format"] = fake.response_format(rules)
        validate(modify_schema(rules), body)  # raises the provider's error if not


# -- the Hypothesis strategy -----------------------------------------------------------------

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402

from pytest_assistants.payloads.strategies import payloads  # noqa: E402

QUICK = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def send_modify(profile: str, case: Case) -> tuple[int, str | None, str | None]:
    """A fresh assistant of the profile, then the case as a modify through the openai SDK."""
    openai = pytest.importorskip("openai")
    client = FakeAssistants(profile).openai(max_retries=0)
    created = client.beta.assistants.create(
        **client_kwargs({"model": base_model(profile)}, profile)
    )
    try:
        client.beta.assistants.update(created.id, **case.body)
    except openai.APIStatusError as error:
        return error.status_code, error.param, error.code
    return 200, None, None


@QUICK
@given(case=payloads("openai-v2@2025-08"))
def test_strategy_valid_payloads_are_accepted(case: Case) -> None:
    assert case.expect.ok
    assert send_modify("openai-v2@2025-08", case) == (200, None, None)


@QUICK
@given(case=payloads("openai-v1@2024-04", valid=False))
def test_strategy_invalid_payloads_get_their_labelled_error(case: Case) -> None:
    expect = case.expect
    assert not expect.ok
    assert send_modify("openai-v1@2024-04", case) == (expect.status, expect.param, expect.code)


def test_strategy_refuses_the_sunset_profile() -> None:
    with pytest.raises(ValueError, match="sunset"):
        payloads("openai@2026-08-26")


def test_importing_the_strategies_module_does_not_import_hypothesis() -> None:
    code = "import sys, pytest_assistants.payloads.strategies; print('hypothesis' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
