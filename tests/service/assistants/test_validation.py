"""PROVIDER_BEHAVIOUR §2 through the real openai SDK: every limit at the edge and one past it.

Each rejected modify must leave the stored assistant byte-identical.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import error_of, raw_json

FN = "get_weather"


def function_tool(name: str = FN) -> dict[str, Any]:
    return {"type": "function", "function": {"name": name}}


ACCEPTED: list[tuple[str, dict[str, Any]]] = [
    ("name-256", {"name": "n" * 256}),
    ("description-512", {"description": "d" * 512}),
    ("instructions-256000", {"instructions": "i" * 256_000}),
    ("tools-128", {"tools": [function_tool(f"f{i}") for i in range(128)]}),
    ("metadata-16", {"metadata": {f"k{i}": "v" for i in range(16)}}),
    ("metadata-key-64", {"metadata": {"k" * 64: "v"}}),
    ("metadata-value-512", {"metadata": {"k": "v" * 512}}),
    ("temperature-0", {"temperature": 0}),
    ("temperature-2", {"temperature": 2}),
    ("top_p-0", {"top_p": 0}),
    ("top_p-1", {"top_p": 1}),
    ("code-interpreter-files-20", {"tool_resources": {"code_interpreter": {"file_ids": [f"file-{i}" for i in range(20)]}}}),
    ("vector-stores-1", {"tool_resources": {"file_search": {"vector_store_ids": ["vs_1"]}}}),
    ("function-name-64", {"tools": [function_tool("f" * 64)]}),
    ("function-name-charset", {"tools": [function_tool("a-Z_0-9")]}),
    ("max-num-results-1", {"tools": [{"type": "file_search", "file_search": {"max_num_results": 1}}]}),
    ("max-num-results-50", {"tools": [{"type": "file_search", "file_search": {"max_num_results": 50}}]}),
    ("json-schema-name-64", {"response_format": {"type": "json_schema", "json_schema": {"name": "s" * 64}}}),
    ("reasoning-effort-low", {"reasoning_effort": "low"}),
    ("multibyte-name-256", {"name": "名" * 256}),
    ("emoji-description-512", {"description": "🙂" * 512}),
    # every documented member of nested objects, and null where the schema allows it (§2)
    ("ranker-default_2024_08_21", {"tools": [{"type": "file_search", "file_search": {"ranking_options": {"ranker": "default_2024_08_21", "score_threshold": 0.5}}}]}),
    ("function-strict-null", {"tools": [{"type": "function", "function": {"name": FN, "strict": None}}]}),
    ("json-schema-members", {"response_format": {"type": "json_schema", "json_schema": {"name": "s", "description": "d", "schema": {}, "strict": None}}}),
    ("response-format-text", {"response_format": {"type": "text"}}),
    ("response-format-null", {"response_format": None}),
    ("reasoning-effort-null", {"reasoning_effort": None}),
]  # fmt: skip


@pytest.mark.parametrize(("case", "patch"), ACCEPTED, ids=[c for c, _ in ACCEPTED])
def test_limits_accepted(client: Any, assistant: Any, case: str, patch: dict[str, Any]) -> None:
    response = client.beta.assistants.with_raw_response.update(assistant.id, extra_body=patch)
    assert response.http_response.status_code == 200
    body = raw_json(response)
    for key, value in patch.items():
        if key in ("name", "description", "instructions", "metadata", "reasoning_effort"):
            assert body[key] == value


# (case, patch, param, code, exact message or None)
REJECTED: list[tuple[str, dict[str, Any], str, str, str | None]] = [
    ("name-257", {"name": "n" * 257}, "name", "string_above_max_length",
     "Invalid 'name': string too long. Expected a string with maximum length 256, but got a string with length 257 instead."),
    ("description-513", {"description": "d" * 513}, "description", "string_above_max_length", None),
    ("instructions-256001", {"instructions": "i" * 256_001}, "instructions", "string_above_max_length",
     "Invalid 'instructions': string too long. Expected a string with maximum length 256000, but got a string with length 256001 instead."),
    ("multibyte-name-257", {"name": "名" * 257}, "name", "string_above_max_length", None),
    ("tools-129", {"tools": [function_tool(f"f{i}") for i in range(129)]}, "tools", "array_above_max_length",
     "Invalid 'tools': array too long. Expected an array with maximum length 128, but got an array with length 129 instead."),
    ("metadata-17", {"metadata": {f"k{i}": "v" for i in range(17)}}, "metadata", "object_above_max_properties",
     "Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got an object with 17 properties instead."),
    ("metadata-key-65", {"metadata": {"k" * 65: "v"}}, "metadata." + "k" * 65, "property_name_above_max_length",
     "Invalid property name in 'metadata': '" + "k" * 65 + "' is too long. Expected a string with maximum length 64, but got a string with length 65 instead."),
    ("metadata-value-513", {"metadata": {"k": "v" * 513}}, "metadata.k", "string_above_max_length", None),
    ("metadata-value-int", {"metadata": {"version": 2}}, "metadata.version", "invalid_type",
     "Invalid type for 'metadata.version': expected a string, but got an integer instead."),
    ("temperature-2.5", {"temperature": 2.5}, "temperature", "decimal_above_max_value",
     "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 2.5 instead."),
    ("temperature-negative", {"temperature": -0.1}, "temperature", "decimal_below_min_value",
     "Invalid 'temperature': decimal below minimum value. Expected a value >= 0, but got -0.1 instead."),
    ("top_p-1.1", {"top_p": 1.1}, "top_p", "decimal_above_max_value", None),
    ("top_p-negative", {"top_p": -1}, "top_p", "decimal_below_min_value", None),
    ("temperature-string", {"temperature": "hot"}, "temperature", "invalid_type",
     "Invalid type for 'temperature': expected a decimal, but got a string instead."),
    ("code-interpreter-files-21", {"tool_resources": {"code_interpreter": {"file_ids": [f"file-{i}" for i in range(21)]}}},
     "tool_resources.code_interpreter.file_ids", "array_above_max_length", None),
    ("vector-stores-2", {"tool_resources": {"file_search": {"vector_store_ids": ["vs_1", "vs_2"]}}},
     "tool_resources.file_search.vector_store_ids", "array_above_max_length", None),
    ("vector-stores-helper-on-modify", {"tool_resources": {"file_search": {"vector_stores": [{}]}}},
     "tool_resources.file_search.vector_stores", "unknown_parameter", None),
    ("tool-resources-unknown-key", {"tool_resources": {"file_search": {"file_ids": ["file-1"]}}},
     "tool_resources.file_search.file_ids", "unknown_parameter",
     "Unknown parameter: 'tool_resources.file_search.file_ids'."),
    ("file-id-prefix", {"tool_resources": {"code_interpreter": {"file_ids": ["doc-1"]}}},
     "tool_resources.code_interpreter.file_ids[0]", "invalid_value",
     "Invalid 'tool_resources.code_interpreter.file_ids[0]': 'doc-1'. Expected an ID that begins with 'file'."),
    ("retrieval-tool", {"tools": [{"type": "retrieval"}]}, "tools[0].type", "invalid_value",
     "Invalid value: 'retrieval'. Supported values are: 'code_interpreter', 'function', and 'file_search'."),
    ("tool-without-type", {"tools": [{}]}, "tools[0].type", "missing_required_parameter",
     "Missing required parameter: 'tools[0].type'."),
    ("function-missing", {"tools": [{"type": "function"}]}, "tools[0].function", "missing_required_parameter",
     "Missing required parameter: 'tools[0].function'."),
    ("function-name-missing", {"tools": [{"type": "function", "function": {}}]}, "tools[0].function.name",
     "missing_required_parameter", None),
    ("function-name-65", {"tools": [function_tool("f" * 65)]}, "tools[0].function.name", "string_above_max_length", None),
    ("function-name-charset", {"tools": [function_tool("get weather")]}, "tools[0].function.name", "invalid_value",
     "Invalid 'tools[0].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'."),
    ("max-num-results-0", {"tools": [{"type": "file_search", "file_search": {"max_num_results": 0}}]},
     "tools[0].file_search.max_num_results", "integer_below_min_value", None),
    ("max-num-results-51", {"tools": [{"type": "file_search", "file_search": {"max_num_results": 51}}]},
     "tools[0].file_search.max_num_results", "integer_above_max_value",
     "Invalid 'tools[0].file_search.max_num_results': integer above maximum value. Expected a value <= 50, but got 51 instead."),
    ("score-threshold-required", {"tools": [{"type": "file_search", "file_search": {"ranking_options": {"ranker": "auto"}}}]},
     "tools[0].file_search.ranking_options.score_threshold", "missing_required_parameter", None),
    ("ranker-enum", {"tools": [{"type": "file_search", "file_search": {"ranking_options": {"ranker": "best", "score_threshold": 0.5}}}]},
     "tools[0].file_search.ranking_options.ranker", "invalid_value", None),
    ("score-threshold-above-1", {"tools": [{"type": "file_search", "file_search": {"ranking_options": {"score_threshold": 1.5}}}]},
     "tools[0].file_search.ranking_options.score_threshold", "decimal_above_max_value", None),
    ("file-ids-v1-field", {"file_ids": ["file-1"]}, "file_ids", "unknown_parameter", "Unknown parameter: 'file_ids'."),
    ("unknown-top-level", {"foo": "bar"}, "foo", "unknown_parameter", "Unknown parameter: 'foo'."),
    ("tools-null", {"tools": None}, "tools", "invalid_type", "Invalid type for 'tools': expected an array, but got null instead."),
    ("name-int", {"name": 5}, "name", "invalid_type", "Invalid type for 'name': expected a string, but got an integer instead."),
    ("response-format-none", {"response_format": "none"}, "response_format", "invalid_value",
     "Invalid value: 'none'. Supported values are: 'auto'."),
    ("response-format-type", {"response_format": {"type": "yaml"}}, "response_format.type", "invalid_value", None),
    ("json-schema-missing", {"response_format": {"type": "json_schema"}}, "response_format.json_schema", "missing_required_parameter", None),
    ("json-schema-name-missing", {"response_format": {"type": "json_schema", "json_schema": {"schema": {}}}},
     "response_format.json_schema.name", "missing_required_parameter", "Missing required parameter: 'response_format.json_schema.name'."),
    ("max-num-results-null", {"tools": [{"type": "file_search", "file_search": {"max_num_results": None}}]},
     "tools[0].file_search.max_num_results", "invalid_type",
     "Invalid type for 'tools[0].file_search.max_num_results': expected an integer, but got null instead."),
    ("json-schema-name-pattern", {"response_format": {"type": "json_schema", "json_schema": {"name": "my schema"}}},
     "response_format.json_schema.name", "invalid_value",
     "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'."),
    ("json-schema-name-65", {"response_format": {"type": "json_schema", "json_schema": {"name": "s" * 65}}},
     "response_format.json_schema.name", "string_above_max_length", None),
    ("reasoning-effort-enum", {"reasoning_effort": "extreme"}, "reasoning_effort", "invalid_value",
     "Invalid value: 'extreme'. Supported values are: 'low', 'medium', and 'high'."),
    ("model-unknown", {"model": "gpt-unknown"}, "model", "model_not_found", "The requested model 'gpt-unknown' does not exist."),
    ("model-refused", {"model": "gpt-5.1"}, "model", "unsupported_model",
     "The requested model 'gpt-5.1' cannot be used with the Assistants API."),
    ("unknown-beats-bad-type", {"temperature": "x", "foo": 1}, "foo", "unknown_parameter", None),
    ("unknown-beats-bad-enum", {"reasoning_effort": "x", "tools": [{"type": "code_interpreter", "extra": 1}]},
     "tools[0].extra", "unknown_parameter", None),
    ("type-beats-range", {"name": "n" * 300, "temperature": "x"}, "temperature", "invalid_type", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "patch", "param", "code", "message"), REJECTED, ids=[c[0] for c in REJECTED]
)
def test_limits_rejected_and_state_unchanged(
    client: Any,
    assistants_fake: Any,
    case: str,
    patch: dict[str, Any],
    param: str,
    code: str,
    message: str | None,
) -> None:
    created = client.beta.assistants.create(
        model="gpt-4o", name="keep", metadata={"keep": "me"}, tools=[{"type": "code_interpreter"}]
    )
    before = assistants_fake.snapshot()
    status, error = error_of(lambda: client.beta.assistants.update(created.id, extra_body=patch))
    assert status == 400
    assert (error["param"], error["code"], error["type"]) == (param, code, "invalid_request_error")
    if message is not None:
        assert error["message"] == message
    assert assistants_fake.snapshot() == before


def test_create_requires_model(client: Any) -> None:
    status, error = error_of(
        lambda: client.beta.assistants.create(extra_body={"name": "x"}, model=None)
    )
    assert status == 400
    assert error["param"] == "model"


def test_the_vector_stores_helper_takes_more_than_ten_thousand_files(client: Any) -> None:
    """§2: OpenAI's create schema caps ``vector_stores[].file_ids`` at 100,000,000
    ([SPEC@HEAD]), so 10,001 files (past the 10,000 the fake once held) are accepted."""
    file_ids = [f"file-{i}" for i in range(10_001)]
    made = client.beta.assistants.create(
        model="gpt-4o",
        tool_resources={"file_search": {"vector_stores": [{"file_ids": file_ids}]}},
    )
    assert made.tool_resources.file_search.vector_store_ids[0].startswith("vs_")


VECTOR_STORES = "tool_resources.file_search.vector_stores"


def with_vector_stores(*stores: dict[str, Any]) -> dict[str, Any]:
    return {"tool_resources": {"file_search": {"vector_stores": list(stores)}}}


def test_the_vector_stores_helper_takes_every_documented_member(client: Any) -> None:
    """[SPEC@HEAD] create schema: ``file_ids``, ``chunking_strategy`` and a nullable
    ``metadata`` per helper store."""
    for metadata in ({"k": "v"}, None):
        store = {
            "file_ids": ["file-1"],
            "chunking_strategy": {"type": "auto"},
            "metadata": metadata,
        }
        made = client.beta.assistants.create(model="gpt-4o", extra_body=with_vector_stores(store))
        assert made.tool_resources.file_search.vector_store_ids[0].startswith("vs_")


CREATE_REJECTED = [
    ("two-vector-stores", with_vector_stores({}, {}), VECTOR_STORES, "array_above_max_length",
     f"Invalid '{VECTOR_STORES}': array too long. Expected an array with maximum length 1,"
     " but got an array with length 2 instead."),
    ("vector-store-file-prefix", with_vector_stores({"file_ids": ["doc-1"]}),
     f"{VECTOR_STORES}[0].file_ids[0]", "invalid_value",
     f"Invalid '{VECTOR_STORES}[0].file_ids[0]': 'doc-1'. Expected an ID that begins with 'file'."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "body", "param", "code", "message"),
    CREATE_REJECTED,
    ids=[c[0] for c in CREATE_REJECTED],
)
def test_create_limits_rejected(
    client: Any, assistants_fake: Any, case: str, body: dict[str, Any], param: str, code: str,
    message: str,
) -> None:  # fmt: skip
    status, error = error_of(lambda: client.beta.assistants.create(model="gpt-4o", extra_body=body))
    assert (status, error["param"], error["code"], error["message"]) == (400, param, code, message)
    assert len(assistants_fake.assistants) == 0


def test_fine_tuned_models_of_known_bases_are_accepted(client: Any, assistant: Any) -> None:
    model = "ft:gpt-4o-2024-08-06:acme::abc123"
    assert client.beta.assistants.update(assistant.id, model=model).model == model


@pytest.mark.assistants(extra_models=["my-deployment"])
def test_extra_models_option(client: Any, assistant: Any) -> None:
    assert (
        client.beta.assistants.update(assistant.id, model="my-deployment").model == "my-deployment"
    )


LONG_NAME = {"name": "n" * 257}  # a range error, met first in body order
# (case, patch, exact message of the error reported): a type-rank error beats a range-rank
# error met before it (§2 "Validation order"); metadata texts as §2's metadata row quotes them.
RANKED: list[tuple[str, dict[str, Any], str]] = [
    ("pattern-beats-length", {**LONG_NAME, "tools": [function_tool("get weather")]},
     "Invalid 'tools[0].function.name': string does not match pattern. Expected a string that"
     " matches the pattern '^[a-zA-Z0-9_-]+$'."),
    ("missing-beats-length", {**LONG_NAME, "tools": [{"type": "function"}]},
     "Missing required parameter: 'tools[0].function'."),
    ("tool-type-beats-length", {**LONG_NAME, "tools": [{"type": "browser"}]},
     "Invalid value: 'browser'. Supported values are: 'code_interpreter', 'function', and"
     " 'file_search'."),  # §4.2 "v2 + retrieval tool": this order
    ("metadata-type-beats-length", {**LONG_NAME, "metadata": "k=v"},
     "Invalid type for 'metadata': expected an object, but got a string instead."),
    ("type-beats-metadata-value", {"metadata": {"k": "v" * 600}, "temperature": "hot"},
     "Invalid type for 'temperature': expected a decimal, but got a string instead."),
    ("type-beats-metadata-key", {"metadata": {"k" * 65: "v"}, "temperature": "hot"},
     "Invalid type for 'temperature': expected a decimal, but got a string instead."),
    ("type-beats-metadata-pairs", {"metadata": {f"k{i}": "v" for i in range(17)}, "temperature": "hot"},
     "Invalid type for 'temperature': expected a decimal, but got a string instead."),
    ("metadata-value-600", {"metadata": {"k": "v" * 600}},
     "Invalid 'metadata.k': string too long. Expected a string with maximum length 512, but got"
     " a string with length 600 instead."),
]  # fmt: skip


@pytest.mark.parametrize(("case", "patch", "message"), RANKED, ids=[c[0] for c in RANKED])
def test_one_error_is_reported_by_rank(
    client: Any, assistant: Any, case: str, patch: dict[str, Any], message: str
) -> None:
    status, error = error_of(lambda: client.beta.assistants.update(assistant.id, extra_body=patch))
    assert (status, error["message"]) == (400, message)
