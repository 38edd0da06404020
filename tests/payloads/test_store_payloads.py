"""The payloads of files and vector stores: each valid body is accepted and each labelled
case gets its outcome, through the SDK of the suite's environment, in every era."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.payloads.factories import PayloadFactory
from tests.helpers import openai_sdk

ERAS = ["openai-v2@2024-05", "openai-v2@2024-10", "openai-v2@2025-08"]


def outcome(call: Any) -> tuple[int, str | None, str | None]:
    try:
        call()
    except openai_sdk().APIStatusError as error:
        body = error.body if isinstance(error.body, dict) else {}
        return error.status_code, body.get("param"), body.get("code")
    return 200, None, None


@pytest.mark.parametrize("profile", ERAS)
def test_every_store_case_gets_its_outcome(profile: str) -> None:
    fake = FakeAssistants(profile)
    client = fake.openai(max_retries=0)
    cases = PayloadFactory(seed=11).store_cases(profile)
    assert len(cases) >= 14
    assert any(case.expect.ok for case in cases)
    assert any(not case.expect.ok for case in cases)
    for case in cases:
        got = outcome(lambda case=case: client.vector_stores.create(**case.body))
        assert got == (case.expect.status, case.expect.param, case.expect.code), case.id
    fake.check()


@pytest.mark.parametrize("profile", [*ERAS, "openai-v1@2023-11"])
def test_every_upload_case_gets_its_outcome(profile: str) -> None:
    fake = FakeAssistants(profile)
    client = fake.openai(max_retries=0)
    for case in PayloadFactory(seed=11).upload_cases(profile):
        got = outcome(lambda case=case: client.files.create(**case.body))
        assert got == (case.expect.status, case.expect.param, case.expect.code), case.id
        if case.expect.ok:
            assert client.files.list().data[0].bytes == case.json["bytes"]


def test_valid_bodies_are_accepted_and_seeded() -> None:
    client = FakeAssistants().openai(max_retries=0)
    factory = PayloadFactory(seed=5)
    uploaded = client.files.create(**factory.upload())
    store = client.vector_stores.create(file_ids=[uploaded.id], **factory.vector_store())
    assert store.file_counts.total == 1
    assert PayloadFactory(seed=5).vector_store() == PayloadFactory(seed=5).vector_store()
    assert PayloadFactory(seed=5).upload() == PayloadFactory(seed=5).upload()
    assert PayloadFactory(seed=5).store_cases() == PayloadFactory(seed=5).store_cases()
    assert PayloadFactory(seed=5).vector_store() != PayloadFactory(seed=6).vector_store()


def test_eras_without_stores_have_no_store_cases() -> None:
    assert PayloadFactory().store_cases("openai-v1@2024-04") == []
    assert PayloadFactory().store_cases("openai@2026-08-26") == []
