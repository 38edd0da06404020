"""The validator's texts for every kind of value, written out (§2 vocabulary, §4.2 rows).

Each body also carries a length error (``description`` of 513 characters), so every case
also checks §2's "Validation order": a bad type beats a bad length, one error per answer.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.service.profiles import get_profile
from pytest_assistants.service.resources.assistants import handlers
from pytest_assistants.service.resources.assistants.schema import modify_schema
from tests.expected import envelope

TOO_LONG = {"description": "x" * 513}
FUNCTION = {"type": "function", "function": {"name": "f"}}


def typed(path: str, expected: str, got: str) -> tuple[str, str, str]:
    """§2: ``Invalid type for '<path>': expected <T>, but got <U> instead.``"""
    return (
        f"Invalid type for '{path}': expected {expected}, but got {got} instead.",
        path,
        "invalid_type",
    )


CASES: list[tuple[str, dict[str, Any], tuple[str, str, str]]] = [
    ("string", {"name": 1}, typed("name", "a string", "an integer")),
    ("null-not-allowed", {"tools": None}, typed("tools", "an array", "null")),
    ("enum", {"reasoning_effort": 1}, typed("reasoning_effort", "a string", "an integer")),
    ("number", {"temperature": "hot"}, typed("temperature", "a decimal", "a string")),
    ("integer", {"tools": [{"type": "file_search", "file_search": {"max_num_results": 1.5}}]},
     typed("tools[0].file_search.max_num_results", "an integer", "a decimal")),
    ("boolean", {"tools": [{**FUNCTION, "function": {"name": "f", "strict": "yes"}}]},
     typed("tools[0].function.strict", "a boolean", "a string")),
    ("any-object", {"tools": [{**FUNCTION, "function": {"name": "f", "parameters": "x"}}]},
     typed("tools[0].function.parameters", "an object", "a string")),
    ("array", {"tools": {}}, typed("tools", "an array", "an object")),
    ("object", {"tool_resources": []}, typed("tool_resources", "an object", "an array")),
    ("tool", {"tools": [1]}, typed("tools[0]", "an object", "an integer")),
    ("tool-type", {"tools": [{"type": 1}]}, typed("tools[0].type", "a string", "an integer")),
    ("tool-without-type", {"tools": [{}]},
     ("Missing required parameter: 'tools[0].type'.", "tools[0].type", "missing_required_parameter")),
    ("file-id-prefix", {"tool_resources": {"code_interpreter": {"file_ids": ["x"]}}},
     ("Invalid 'tool_resources.code_interpreter.file_ids[0]': 'x'. Expected an ID that begins with 'file'.",
      "tool_resources.code_interpreter.file_ids[0]", "invalid_value")),
    ("metadata-boolean", {"metadata": {"k": True}}, typed("metadata.k", "a string", "a boolean")),
    ("metadata-decimal", {"metadata": {"k": 1.5}}, typed("metadata.k", "a string", "a decimal")),
    ("metadata-array", {"metadata": {"k": []}}, typed("metadata.k", "a string", "an array")),
    ("metadata-object", {"metadata": {"k": {}}}, typed("metadata.k", "a string", "an object")),
    ("metadata-null", {"metadata": {"k": None}}, typed("metadata.k", "a string", "null")),
]  # fmt: skip


@pytest.fixture
def modify() -> Any:
    fake = FakeAssistants()
    http = fake.http_client(
        headers={"Authorization": "Bearer sk-x", "OpenAI-Beta": "assistants=v2"}
    )
    made = http.post("/assistants", json={"model": "gpt-4o"}).json()

    def send(body: dict[str, Any]) -> Any:
        answer = http.post(f"/assistants/{made['id']}", json=body)
        fake.check()
        return answer

    return send


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_bad_type_is_named_exactly_and_beats_a_bad_length(
    modify: Any, body: dict[str, Any], expected: tuple[str, str, str]
) -> None:
    message, param, code = expected
    answer = modify({**TOO_LONG, **body})
    assert answer.status_code == 400
    assert answer.json() == envelope(message, param=param, code=code)


@pytest.mark.parametrize(
    "range_error",
    [{"temperature": 5}, {"top_p": -1}, {"tools": [{"type": "code_interpreter"}] * 129}],
    ids=["above-maximum", "below-minimum", "array-too-long"],
)
def test_a_range_error_loses_to_a_later_type_error(
    modify: Any, range_error: dict[str, Any]
) -> None:
    answer = modify({**range_error, "name": 1})
    assert answer.status_code == 400
    assert answer.json() == envelope(*typed("name", "a string", "an integer"))


def test_a_bad_response_format_string_beats_a_bad_range(modify: Any) -> None:
    answer = modify({"temperature": 5, "response_format": "none"})  # "none" left v2 (§2)
    assert answer.json() == envelope(
        "Invalid value: 'none'. Supported values are: 'auto'.",
        param="response_format",
        code="invalid_value",
    )


def test_a_bug_of_the_fake_is_a_500_the_sdk_will_not_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeAssistants()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(handlers, "list_page", broken)
    answer = fake.http_client().get(
        "/assistants", headers={"Authorization": "Bearer sk-x", "OpenAI-Beta": "assistants=v2"}
    )
    assert answer.status_code == 500
    assert answer.headers["x-should-retry"] == "false"
    assert answer.json() == {
        "error": {
            "message": "The fake raised an unexpected exception (a bug in pytest-assistants):"
            " RuntimeError: boom",
            "type": "server_error",
            "param": None,
            "code": None,
        }
    }


def test_a_schema_is_never_served_for_another_rules_object() -> None:
    """Schemas are found by the rules object's identity: rules made and dropped one after
    another (a freed object's address is soon reused) each get their own. Fails if the
    cache keeps the schema without the rules (a new object at the old address would get
    the old schema)."""
    base = get_profile("openai-v2@2025-08").default.assistants
    for number in range(200):
        helper = number % 2 == 0
        rules = dataclasses.replace(base, vector_stores_on_modify=helper)
        schema = modify_schema(rules)
        file_search = schema.fields["tool_resources"].fields["file_search"]  # type: ignore[attr-defined]
        assert ("vector_stores" in file_search.fields) is helper
        del rules, schema, file_search
