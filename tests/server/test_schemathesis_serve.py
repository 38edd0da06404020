"""Schemathesis against ``pytest-assistants serve`` (a real subprocess on 127.0.0.1).

Two documents: ours (``pytest_assistants.server.openapi``, served at ``/openapi.json``) for the
OpenAI v2 routes, and Portkey's published one for modify [S2] (the YAML in the shared seed,
skipped where absent). Checks: no 5xx, responses conform to the document, every error in
the dialect's envelope. ``ASSISTANTS_FUZZ_EXAMPLES`` scales the run (``make fuzz``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
httpx = pytest.importorskip("httpx")
yaml = pytest.importorskip("yaml")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from pytest_assistants.server.openapi import document  # noqa: E402
from tests.helpers import ROOT  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterator

EXAMPLES = int(os.environ.get("ASSISTANTS_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
CASES: Counter[str] = Counter()
STATUSES: Counter[int] = Counter()
SEEDS = ROOT.parent / "shared" / "seeds"
OPENAI_HEADERS = {"authorization": "Bearer sk-schemathesis", "openai-beta": "assistants=v2"}
PORTKEY_HEADERS = {
    "x-portkey-api-key": "pk-schemathesis",
    "x-portkey-virtual-key": "vk-schemathesis",
    "openai-beta": "assistants=v2",
}
ERROR_KEYS = {"message", "type", "param", "code"}


def portkey_document() -> dict[str, Any] | None:
    """The OpenAPI YAML inside the Portkey seed page, or None where the seed is absent."""
    for path in sorted(SEEDS.glob("002_*.txt")):
        match = re.search(r"````yaml[^\n]*\n(.*?)````", path.read_text(), re.S)
        if match:
            loaded: dict[str, Any] = yaml.safe_load(match.group(1))
            # One known divergence, by choice (tests/test_normalisation.py): a function tool
            # given without a description is served with "description": null, which the
            # document's FunctionObject (a plain string) does not allow.
            function = loaded["components"]["schemas"]["FunctionObject"]["properties"]
            function["description"]["nullable"] = True
            return loaded
    return None


class Served:
    """One ``pytest-assistants serve --port 0`` process and a pool of existing ids."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pytest_assistants.cli", "serve", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        banner = self.process.stdout.readline()
        match = re.search(r"serving (http://\S+)/v1", banner)
        if match is None:
            self.process.kill()
            raise AssertionError(f"no banner from serve: {banner!r} {self.process.stderr!r}")
        self.root = match.group(1)
        self.http = httpx.Client(base_url=self.root, headers=OPENAI_HEADERS, timeout=30)
        self.pools: dict[str, list[str]] = {}

    def existing_id(self, index: int, pool: str = "openai") -> str:
        """An id that exists now (deletes by the fuzzer are replaced).

        Each document fuzzes its own pool: what our OpenAI v2 document may store (a
        ``json_schema`` response format, say) lies outside Portkey's older published schema,
        so a Portkey answer about such an assistant would fail for a reason of the test's
        making, not the gateway's.
        """
        ids = self.pools.setdefault(pool, [])
        while len(ids) < 3:
            made = self.http.post("/v1/assistants", json={"model": "gpt-4o", "name": "seeded"})
            ids.append(made.json()["id"])
        assistant_id = ids[index % len(ids)]
        if self.http.get(f"/v1/assistants/{assistant_id}").status_code == 404:
            ids.remove(assistant_id)
            return self.existing_id(index, pool)
        return assistant_id

    def close(self) -> None:
        self.http.close()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture(scope="module")
def served(request: pytest.FixtureRequest) -> Iterator[Served]:
    server = Served()
    yield server
    server.close()
    assert server.process.stderr is not None
    errors = server.process.stderr.read()
    assert "Traceback" not in errors, errors
    total = sum(CASES.values())
    detail = ", ".join(f"{name}={count}" for name, count in sorted(CASES.items()))
    statuses = ", ".join(f"{status}={count}" for status, count in sorted(STATUSES.items()))
    line = f"[fuzz] schemathesis: {total} generated cases ({detail}); statuses {statuses}"
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is None or capture is None:  # xdist workers: shown with -s
        print(line)
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(line)


@schemathesis.check
def openai_envelope(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every error answer is OpenAI's four-key envelope, nothing more."""
    if response.status_code >= 400:
        body = json.loads(response.content)
        assert set(body) == {"error"}, body
        assert set(body["error"]) == ERROR_KEYS, body
    return None


@schemathesis.check
def portkey_envelope(ctx: Any, response: Any, case: Any) -> bool | None:
    """Gateway errors in Portkey's shapes; upstream errors passed through in OpenAI's."""
    if response.status_code >= 400:
        body = json.loads(response.content)
        openai_shape = set(body) == {"error"} and set(body["error"]) == ERROR_KEYS
        gateway_shape = body.get("status") == "failure" and isinstance(body.get("message"), str)
        hono_404 = body == {"message": "Not Found", "ok": False}
        assert openai_shape or gateway_shape or hono_404, body
    return None


OURS = schemathesis.openapi.from_dict(document())
OUR_OPERATIONS = {op.label: op for op in (r.ok() for r in OURS.get_all_operations())}
PORTKEY_DOC = portkey_document()


def run_case(
    served: Served, case: Any, use_existing: bool, index: int, pool: str = "openai", **call: Any
) -> Any:
    if "assistant_id" in (case.path_parameters or {}) and use_existing:
        case.path_parameters["assistant_id"] = served.existing_id(index, pool)
    response = case.call(**call)
    STATUSES[response.status_code] += 1
    return response


@pytest.mark.parametrize("mode", ["positive", "negative"])
@pytest.mark.parametrize("label", sorted(OUR_OPERATIONS))
def test_our_document_against_serve(served: Served, label: str, mode: str) -> None:
    """Positive: data the document allows; negative: data it forbids (must be a clean 4xx)."""
    operation = OUR_OPERATIONS[label]
    strategy = operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode))

    @FUZZ
    @given(case=strategy, use_existing=st.booleans(), index=st.integers(0, 9))
    def check(case: Any, use_existing: bool, index: int) -> None:
        response = run_case(
            served, case, use_existing, index, base_url=f"{served.root}/v1", headers=OPENAI_HEADERS
        )
        CASES[f"ours {mode} {label}"] += 1
        case.validate_response(
            response,
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
                openai_envelope,
            ],
        )

    check()


def test_openapi_json_is_our_document(served: Served) -> None:
    answer = served.http.get("/openapi.json")
    if answer.status_code == 404:
        pytest.skip("this server build does not serve /openapi.json")
    assert answer.json() == json.loads(json.dumps(document()))


def test_portkey_published_document_against_serve(served: Served) -> None:
    if PORTKEY_DOC is None:
        pytest.skip(f"Portkey seed document not found under {SEEDS}")
    schema = schemathesis.openapi.from_dict(PORTKEY_DOC)
    (operation,) = [r.ok() for r in schema.get_all_operations()]

    @FUZZ
    @given(case=operation.as_strategy(), use_existing=st.booleans(), index=st.integers(0, 9))
    def check(case: Any, use_existing: bool, index: int) -> None:
        response = run_case(
            served,
            case,
            use_existing,
            index,
            "portkey",
            base_url=f"{served.root}/portkey/v1",
            headers=PORTKEY_HEADERS,
        )
        CASES["portkey modifyAssistant"] += 1
        # Portkey documents only the 200: other statuses are upstream's, passed through.
        case.validate_response(
            response,
            checks=[
                not_a_server_error,
                content_type_conformance,
                response_schema_conformance,
                portkey_envelope,
            ],
        )

    check()


def test_the_checks_catch_a_document_the_server_does_not_follow(served: Served) -> None:
    """A document demanding a member the fake never serves must fail conformance."""
    wrong = document()
    assistant = wrong["components"]["schemas"]["AssistantObject"]
    assistant["properties"]["owner"] = {"type": "string"}
    assistant["required"].append("owner")
    operation = schemathesis.openapi.from_dict(wrong).find_operation_by_label(
        "GET /assistants/{assistant_id}"
    )
    case = operation.Case(path_parameters={"assistant_id": served.existing_id(0)})
    response = case.call(base_url=f"{served.root}/v1", headers=OPENAI_HEADERS)
    assert response.status_code == 200
    with pytest.raises(BaseExceptionGroup) as failed:  # schemathesis' FailureGroup
        case.validate_response(response, checks=[response_schema_conformance])
    assert '"owner" is a required property' in str(failed.value)
