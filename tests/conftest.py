"""Fixtures shared by the SDK-level tests: a client wired to the fake, an assistant."""

from __future__ import annotations

import os
from typing import Any

import pytest

pytest.importorskip("openai")


@pytest.fixture(autouse=True)
def schemas_built_per_test_under_mutation() -> None:
    """Under mutmut only: forget the request schemas ``validation`` caches per rules, so
    every test that validates a body builds them again. Cached, they are built by the first
    test only, mutmut counts that test alone as covering the schema code, and runs no other
    against its mutants (docs/mutation.md). Outside mutmut: nothing."""
    if "MUTANT_UNDER_TEST" in os.environ:
        from pytest_assistants.service.resources.assistants import schema
        from pytest_assistants.service.resources.messages import handlers as messages
        from pytest_assistants.service.resources.runs import schema as runs
        from pytest_assistants.service.resources.threads import handlers as threads

        for cached in (
            schema.create_schema, schema.modify_schema, threads.schema,
            messages.create_schema, messages.modify_schema, runs.create_schema,
            runs.create_and_run_schema, runs.modify_schema, runs.outputs_schema,
        ):  # fmt: skip
            cached.cache_clear()


@pytest.fixture
def client(assistants_fake: Any) -> Any:
    return assistants_fake.openai(max_retries=0)


@pytest.fixture
def assistant(client: Any) -> Any:
    return client.beta.assistants.create(model="gpt-4o")
