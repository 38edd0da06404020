"""The labelled catalogue behind ``PayloadFactory.edge_cases()`` and ``invalid()``.

Every limit of PROVIDER_BEHAVIOUR §2 at the limit and one past it, explicit nulls, empty
strings and lists, multi-byte text at the limits, wrong types, unknown parameters and tools
of another era. Expected outcomes are derived from the era's :class:`AssistantRules` (which
fields exist, the instructions limit, tool types, formats, efforts), in the validator
vocabulary of §2: one error per request, an unknown parameter before a bad type or value,
before a bad length or range. Lengths count code points (see ``faker_provider``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytest_assistants.payloads.factories import OK, Expect, JsonBody, rejected
from pytest_assistants.payloads.faker_provider import SCRIPTS, AssistantsProvider
from pytest_assistants.service.profiles import is_reasoning_model

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytest_assistants.service.profiles import AssistantRules

Entry = tuple[str, JsonBody, Expect, bool]  # id, JSON body, outcome, is an edge case

STRING_LIMITS = {"name": 256, "description": 512}
TOO_LONG, ARRAY_TOO_LONG = "string_above_max_length", "array_above_max_length"
INVALID_TYPE, INVALID_VALUE = "invalid_type", "invalid_value"
UNKNOWN, MISSING = "unknown_parameter", "missing_required_parameter"
ERA_TOOLS = ("code_interpreter", "function", "file_search", "retrieval")


def catalogue(p: AssistantsProvider, rules: AssistantRules) -> Iterator[Entry]:
    yield from _strings(p, rules)
    yield from _model(rules)
    yield from _tools(p, rules)
    yield from _functions(p, rules)
    yield from _file_search(rules)
    yield from _metadata(p)
    yield from _files(p, rules)
    yield from _sampling(p, rules)
    yield from _reasoning(rules)
    yield from _unknown()


def _strings(p: AssistantsProvider, rules: AssistantRules) -> Iterator[Entry]:
    limits = {**STRING_LIMITS, "instructions": rules.instructions_max}
    for name, limit in limits.items():
        scripts = SCRIPTS if name != "instructions" else ("latin", "cjk", "arabic", "emoji")
        for script in scripts:
            yield (
                f"{name}-at-limit-{limit}-{script}",
                {name: p.text_of_length(limit, script)},
                OK,
                True,
            )
            over = p.text_of_length(limit + 1, script)
            yield (
                f"{name}-over-limit-{limit + 1}-{script}",
                {name: over},
                rejected(name, TOO_LONG),
                True,
            )
        yield f"{name}-empty", {name: ""}, OK, True
        yield f"{name}-null", {name: None}, OK, True
        yield f"{name}-integer", {name: 42}, rejected(name, INVALID_TYPE), False
        yield f"{name}-array", {name: ["a"]}, rejected(name, INVALID_TYPE), False
    # A rejected length loses to a wrong type met later in the body (validation order).
    body = {"name": p.text_of_length(257, "hebrew"), "description": 5}
    yield "type-error-beats-length-error", body, rejected("description", INVALID_TYPE), True


def _model(rules: AssistantRules) -> Iterator[Entry]:
    yield "model-null", {"model": None}, rejected("model", INVALID_TYPE), True
    yield "model-integer", {"model": 4}, rejected("model", INVALID_TYPE), False
    any_ok = OK if rules.any_model else None
    yield "model-empty", {"model": ""}, any_ok or rejected("model", "model_not_found"), True
    unknown = any_ok or rejected("model", "model_not_found")
    yield "model-unknown", {"model": "gpt-nonexistent-1"}, unknown, False
    if rules.refused_models:
        refused = sorted(rules.refused_models)[0]
        outcome = any_ok or rejected("model", "unsupported_model")
        yield f"model-refused-{refused}", {"model": refused}, outcome, False
    reasoning = sorted(m for m in rules.models if is_reasoning_model(m))
    if reasoning and rules.sampling:
        model = reasoning[0]
        body: JsonBody = {"model": model, "temperature": None, "top_p": None}
        yield f"model-{model}-clearing-sampling", body, OK, True
        body = {"model": model, "temperature": 0.5}
        yield f"model-{model}-with-temperature", body, rejected("model", "unsupported_model"), False


def _tool(kind: str) -> dict[str, Any]:
    if kind == "function":
        return {"type": "function", "function": {"name": "get_weather"}}
    return {"type": kind}


def _tools(p: AssistantsProvider, rules: AssistantRules) -> Iterator[Entry]:
    functions = [p.function_tool(strict=False, name=f"fn_{i:03d}") for i in range(129)]
    yield "tools-at-limit-128", {"tools": functions[:128]}, OK, True
    yield "tools-over-limit-129", {"tools": functions}, rejected("tools", ARRAY_TOO_LONG), True
    yield "tools-empty", {"tools": []}, OK, True
    yield "tools-null", {"tools": None}, rejected("tools", INVALID_TYPE), True
    yield "tools-object", {"tools": {}}, rejected("tools", INVALID_TYPE), False
    yield "tools-missing-type", {"tools": [{}]}, rejected("tools[0].type", MISSING), False
    for kind in ERA_TOOLS:
        own = kind in rules.tool_types
        outcome = OK if own else rejected("tools[0].type", INVALID_VALUE)
        yield f"tools-{kind}", {"tools": [_tool(kind)]}, outcome, not own
    bad = {"tools": [{"type": "browser"}]}
    yield "tools-unknown-type", bad, rejected("tools[0].type", INVALID_VALUE), False
    every = {"tools": [_tool(kind) for kind in rules.tool_types]}
    yield "tools-every-type", every, OK, True


def _function(name: object, **extra: Any) -> JsonBody:
    return {"tools": [{"type": "function", "function": {"name": name, **extra}}]}


def _functions(p: AssistantsProvider, rules: AssistantRules) -> Iterator[Entry]:
    path = "tools[0].function.name"
    yield "function-name-at-limit-64", _function("f" * 63 + "_"), OK, True
    yield "function-name-over-limit-65", _function("f" * 65), rejected(path, TOO_LONG), True
    for label, name in (("space", "get weather"), ("dot", "get.weather"), ("empty", "")):
        yield f"function-name-{label}", _function(name), rejected(path, INVALID_VALUE), True
    yield "function-name-cjk", _function("天気"), rejected(path, INVALID_VALUE), True
    yield "function-name-dash-digits", _function("get-weather_2"), OK, True
    yield "function-name-integer", _function(7), rejected(path, INVALID_TYPE), False
    missing = {"tools": [{"type": "function"}]}
    yield "function-missing", missing, rejected("tools[0].function", MISSING), False
    nameless = {"tools": [{"type": "function", "function": {"description": "x"}}]}
    yield "function-missing-name", nameless, rejected(path, MISSING), False
    yield "function-parameters-schema", _function("f", parameters=p.json_schema(3)), OK, True
    yield "function-parameters-empty", _function("f", parameters={}), OK, True
    bad = rejected("tools[0].function.parameters", INVALID_TYPE)
    yield "function-parameters-string", _function("f", parameters="{}"), bad, False
    strict = OK if rules.function_strict else rejected("tools[0].function.strict", UNKNOWN)
    yield "function-strict-null", _function("f", strict=None), strict, True
    yield "function-strict-true", _function("f", strict=True), strict, True
    if rules.function_strict:
        bad = rejected("tools[0].function.strict", INVALID_TYPE)
        yield "function-strict-string", _function("f", strict="yes"), bad, False


def _file_search(rules: AssistantRules) -> Iterator[Entry]:
    if "file_search" not in rules.tool_types:
        return
    path = "tools[0].file_search"

    def search(**opts: Any) -> JsonBody:
        return {"tools": [{"type": "file_search", "file_search": opts}]}

    if not rules.file_search_options:
        yield "file-search-options", search(max_num_results=1), rejected(path, UNKNOWN), False
        return
    limit = f"{path}.max_num_results"
    yield "file-search-max-num-results-1", search(max_num_results=1), OK, True
    yield "file-search-max-num-results-50", search(max_num_results=50), OK, True
    bad = rejected(limit, "integer_below_min_value")
    yield "file-search-max-num-results-0", search(max_num_results=0), bad, True
    bad = rejected(limit, "integer_above_max_value")
    yield "file-search-max-num-results-51", search(max_num_results=51), bad, True
    bad = rejected(limit, INVALID_TYPE)
    yield "file-search-max-num-results-decimal", search(max_num_results=1.5), bad, False
    ranking = f"{path}.ranking_options"
    if not rules.ranking_options:
        body = search(ranking_options={"score_threshold": 0.5})
        yield "file-search-ranking-before-its-era", body, rejected(ranking, UNKNOWN), False
        return
    threshold = f"{ranking}.score_threshold"
    for value, outcome in (
        (0, OK),
        (1, OK),
        (1.01, rejected(threshold, "decimal_above_max_value")),
        (-0.01, rejected(threshold, "decimal_below_min_value")),
    ):
        body = search(ranking_options={"ranker": "auto", "score_threshold": value})
        yield f"file-search-score-threshold-{value}", body, outcome, True
    bad = rejected(threshold, MISSING)
    yield "file-search-ranking-without-threshold", search(ranking_options={}), bad, False
    bad = rejected(f"{ranking}.ranker", INVALID_VALUE)
    body = search(ranking_options={"ranker": "best", "score_threshold": 0.5})
    yield "file-search-ranker-unknown", body, bad, False


def _metadata(p: AssistantsProvider) -> Iterator[Entry]:
    def pairs(count: int) -> JsonBody:
        return {"metadata": {f"key_{i:02d}": p.script_text(20) for i in range(count)}}

    yield "metadata-at-limit-16-pairs", pairs(16), OK, True
    bad = rejected("metadata", "object_above_max_properties")
    yield "metadata-over-limit-17-pairs", pairs(17), bad, True
    for script in ("latin", "cjk", "emoji"):
        key, long_key = p.text_of_length(64, script), p.text_of_length(65, script)
        yield f"metadata-key-at-limit-64-{script}", {"metadata": {key: "v"}}, OK, True
        bad = rejected(f"metadata.{long_key}", "property_name_above_max_length")
        yield f"metadata-key-over-limit-65-{script}", {"metadata": {long_key: "v"}}, bad, True
        value, long_value = p.text_of_length(512, script), p.text_of_length(513, script)
        yield f"metadata-value-at-limit-512-{script}", {"metadata": {"k": value}}, OK, True
        bad = rejected("metadata.k", TOO_LONG)
        yield f"metadata-value-over-limit-513-{script}", {"metadata": {"k": long_value}}, bad, True
    yield "metadata-empty", {"metadata": {}}, OK, True
    yield "metadata-null", {"metadata": None}, OK, True
    yield "metadata-value-empty", {"metadata": {"k": ""}}, OK, True
    bad = rejected("metadata.version", INVALID_TYPE)
    yield "metadata-value-integer", {"metadata": {"version": 2}}, bad, False
    yield "metadata-value-null", {"metadata": {"version": None}}, bad, True
    yield "metadata-array", {"metadata": ["k"]}, rejected("metadata", INVALID_TYPE), False


def _files(p: AssistantsProvider, rules: AssistantRules) -> Iterator[Entry]:
    files = [p.file_id() for _ in range(21)]
    if rules.file_ids:
        yield "file-ids-at-limit-20", {"file_ids": files[:20]}, OK, True
        yield (
            "file-ids-over-limit-21",
            {"file_ids": files},
            rejected("file_ids", ARRAY_TOO_LONG),
            True,
        )
        yield "file-ids-empty", {"file_ids": []}, OK, True
        yield "file-ids-null", {"file_ids": None}, rejected("file_ids", INVALID_TYPE), True
        wrong_type = rejected("file_ids", INVALID_TYPE)
        yield "file-ids-string", {"file_ids": "file-abc"}, wrong_type, False
        wrong = {"file_ids": [p.vector_store_id()]}
        outcome = rejected("file_ids[0]", INVALID_VALUE) if rules.file_id_prefix else OK
        yield "file-ids-wrong-prefix", wrong, outcome, False
        resources: JsonBody = {"tool_resources": {"code_interpreter": {"file_ids": []}}}
        yield "tool-resources-in-v1", resources, rejected("tool_resources", UNKNOWN), False
        return
    yield "file-ids-in-v2", {"file_ids": files[:1]}, rejected("file_ids", UNKNOWN), False
    code = "tool_resources.code_interpreter.file_ids"
    search = "tool_resources.file_search"

    def res(kind: str, member: str, value: Any) -> JsonBody:
        return {"tool_resources": {kind: {member: value}}}

    yield (
        "code-interpreter-files-at-limit-20",
        res("code_interpreter", "file_ids", files[:20]),
        OK,
        True,
    )
    body = res("code_interpreter", "file_ids", files)
    yield "code-interpreter-files-over-limit-21", body, rejected(code, ARRAY_TOO_LONG), True
    stores = [p.vector_store_id(), p.vector_store_id()]
    yield "vector-stores-at-limit-1", res("file_search", "vector_store_ids", stores[:1]), OK, True
    bad = rejected(f"{search}.vector_store_ids", ARRAY_TOO_LONG)
    yield "vector-stores-over-limit-2", res("file_search", "vector_store_ids", stores), bad, True
    yield "code-interpreter-files-empty", res("code_interpreter", "file_ids", []), OK, True
    yield "vector-stores-empty", res("file_search", "vector_store_ids", []), OK, True
    yield "tool-resources-null", {"tool_resources": None}, OK, True
    bad = rejected("tool_resources", INVALID_TYPE)
    yield "tool-resources-array", {"tool_resources": []}, bad, False
    yield "tool-resources-empty", {"tool_resources": {}}, OK, True
    body = res("code_interpreter", "file_ids", [stores[0]])
    outcome = rejected(f"{code}[0]", INVALID_VALUE) if rules.file_id_prefix else OK
    yield "code-interpreter-file-wrong-prefix", body, outcome, False
    body = res("file_search", "file_ids", files[:1])
    yield "file-search-file-ids", body, rejected(f"{search}.file_ids", UNKNOWN), False
    helper = OK if rules.vector_stores_on_modify else rejected(f"{search}.vector_stores", UNKNOWN)
    body = res("file_search", "vector_stores", [{"file_ids": files[:2]}])
    yield "vector-stores-helper-on-modify", body, helper, False


def _sampling(p: AssistantsProvider, rules: AssistantRules) -> Iterator[Entry]:
    if not rules.sampling:
        before: tuple[tuple[str, object], ...] = (
            ("temperature", 1),
            ("top_p", 1),
            ("response_format", "auto"),
        )
        for name, value in before:
            label = name.replace("_", "-")
            yield f"{label}-before-its-era", {name: value}, rejected(name, UNKNOWN), False
        return
    for name, top in (("temperature", 2), ("top_p", 1)):
        label = name.replace("_", "-")
        for value in (0, top, 0.0, float(top)):
            yield f"{label}-{value!r}", {name: value}, OK, True
        yield f"{label}-null", {name: None}, OK, True
        below, above = -0.01, top + 0.01
        yield f"{label}-{below}", {name: below}, rejected(name, "decimal_below_min_value"), True
        yield f"{label}-{above}", {name: above}, rejected(name, "decimal_above_max_value"), True
        yield f"{label}-string", {name: "hot"}, rejected(name, INVALID_TYPE), False
        yield f"{label}-boolean", {name: True}, rejected(name, INVALID_TYPE), False
    path = "response_format"
    for value in ("none", "auto"):
        ok = OK if value in rules.response_format_strings else rejected(path, INVALID_VALUE)
        yield f"response-format-{value}", {path: value}, ok, True
    yield "response-format-null", {path: None}, OK, True
    yield "response-format-json", {path: "json"}, rejected(path, INVALID_VALUE), False
    yield "response-format-integer", {path: 1}, rejected(path, INVALID_TYPE), False
    for kind in ("text", "json_object", "xml"):
        ok = OK if kind in rules.response_format_types else rejected(f"{path}.type", INVALID_VALUE)
        yield f"response-format-{kind}", {path: {"type": kind}}, ok, kind == "xml"
    yield from _json_schema(p, rules)


def _json_schema(p: AssistantsProvider, rules: AssistantRules) -> Iterator[Entry]:
    era = "json_schema" in rules.response_format_types
    path = "response_format.json_schema"

    def fmt(**schema: Any) -> JsonBody:
        return {"response_format": {"type": "json_schema", "json_schema": schema}}

    foreign = rejected("response_format.type", INVALID_VALUE)
    yield (
        "json-schema",
        fmt(name="out", schema=p.json_schema(2), strict=True),
        OK if era else foreign,
        True,
    )
    if not era:
        return
    yield "json-schema-name-at-limit-64", fmt(name="s" * 64), OK, True
    yield (
        "json-schema-name-over-limit-65",
        fmt(name="s" * 65),
        rejected(f"{path}.name", TOO_LONG),
        True,
    )
    bad = rejected(f"{path}.name", INVALID_VALUE)
    yield "json-schema-name-space", fmt(name="my schema"), bad, True
    yield "json-schema-name-missing", fmt(schema={}), rejected(f"{path}.name", MISSING), False
    yield "json-schema-strict-null", fmt(name="out", strict=None), OK, True
    missing = {"response_format": {"type": "json_schema"}}
    yield "json-schema-missing", missing, rejected(path, MISSING), False


def _reasoning(rules: AssistantRules) -> Iterator[Entry]:
    name = "reasoning_effort"
    if rules.reasoning_efforts is None:
        yield "reasoning-effort-before-its-era", {name: "low"}, rejected(name, UNKNOWN), False
        return
    for value in rules.reasoning_efforts:
        yield f"reasoning-effort-{value}", {name: value}, OK, True
    yield "reasoning-effort-null", {name: None}, OK, True
    yield "reasoning-effort-extreme", {name: "extreme"}, rejected(name, INVALID_VALUE), False
    yield "reasoning-effort-integer", {name: 1}, rejected(name, INVALID_TYPE), False


def _unknown() -> Iterator[Entry]:
    yield "empty-body", {}, OK, True
    yield "unknown-parameter", {"foo": "bar"}, rejected("foo", UNKNOWN), False
    body = {"name": 123, "description": 5, "foo": 1}
    yield "unknown-beats-type-error", body, rejected("foo", UNKNOWN), True
    yield (
        "unknown-nested-parameter",
        _function("f", colour="red"),
        rejected("tools[0].function.colour", UNKNOWN),
        False,
    )
