"""The behaviour reference (``docs/behaviour.md``), written from the profile catalogue.

Code comments cite the evidence as ``§N`` (a section of the project's provider behaviour
specification) or ``[S1]``-style source tags; this page is where a user reads them: every
limit, accepted value, wire text and choice of every profile, each with the section it comes
from. A test compares the file with :func:`render`, so the page cannot drift from the code.

Regenerate: ``python -m pytest_assistants.service.reference docs/behaviour.md``.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pytest_assistants.service import errors, reference_conversation, reference_stores
from pytest_assistants.service.dialects import portkey, zerobot
from pytest_assistants.service.profiles import (
    PROFILES,
    V2_TOOLS,
    ApiRules,
    AssistantRules,
    Choices,
    Profile,
)
from pytest_assistants.service.resources.assistants.schema import create_schema, modify_schema
from pytest_assistants.service.validation import (
    AnyObj,
    Arr,
    Bool,
    Enum,
    Metadata,
    Node,
    Num,
    Obj,
    Str,
    StrOrTagged,
    Tagged,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

COMMAND = "python -m pytest_assistants.service.reference docs/behaviour.md"

SECTIONS = {
    "§1": "Dialect overview",
    "§2": "Validation matrix (modify body)",
    "§3": "Modify semantics matrix",
    "§4.1": "Error envelopes",
    "§4.2": "Exact texts (OpenAI; Portkey-originated texts)",
    "§5.1": "Assistant object (key order, defaults, numbers)",
    "§5.2": "Neighbours: create, retrieve, list, delete",
    "§5.3": "Response headers",
    "§7": "Zerobot",
    "§8": "Lifecycle (v1 shutdown 2024-12-18, Assistants shutdown 2026-08-26)",
    "§9.5": "Retry observations of the SDKs",
    "§10": "Portkey gateway: how /v1/assistants/* is served",
    "§11": "Recommendations where evidence is thin (the choices)",
    "§12": "Open questions (Q1..Q13)",
    "§13": "Era boundaries, byte format, Azure OpenAI",
    "§14": "The rest of the Assistants API (threads, messages, runs, steps, files, stores)",
    "§14.1": "Runs: recorded status sequences",
    "§14.2": "Runs snapshot the assistant",
    "§14.3": "Streaming (server-sent events)",
    "§14.4": "Errors of threads, messages and runs",
    "§14.5": "Object shapes by era; lists everywhere",
    "§14.6": "Modify across resources",
}
SOURCES = {
    "[S0]": "OpenAI API reference, Assistants v1",
    "[S1]": "OpenAI API reference, Assistants v2",
    "[S2]": "Portkey's OpenAPI page of the assistants routes",
    "[S4]": "Zerobot's API reference (modify assistant)",
    "[SPEC]": "openai-openapi history (spec commits)",
    "[SPEC@HEAD]": "openai-openapi `openapi.yaml` at its last commit (2026-08-21)",
    "[SPEC@date]": "openai-openapi `openapi.yaml` at the commit of that date",
    "[RB]": "real recordings (ruby-openai and other SDK test cassettes)",
    "[AZ-REC]": "real Azure SDK test recordings (Azure test-proxy JSON, 2024-02 .. 2025-03)",
    "[AZ-SPECS]": "Azure's REST API specs (the preview api-versions they list)",
    "[GW-main]": "Portkey's open-source gateway, main branch (routing, proxying, headers)",
    "[GW-2.0]": "Portkey's gateway, branch 2.0.0 (hosted-style auth and virtual keys)",
    "[SDK]": "code of the installed SDKs (openai 2.x / 3.x, portkey-ai)",
    "[CAP]": "requests the SDKs sent, captured by a local server",
    "[I:…]": "a public issue thread quoting the provider's answer",
    "[code#…]": "public source quoting the provider (secondary evidence)",
    "INFERRED": "no direct evidence: the fake's reasoned guess, named as such",
}

# Where each field of the request schema is specified: the §2 row of that top-level field.
FIELD_EVIDENCE = {
    "model": "§2 `model` [S0][S1]",
    "name": "§2 `name` [S0][S1]",
    "description": "§2 `description` [S0][S1]",
    "instructions": "§2 `instructions` [S0][S1][SPEC]",
    "tools": "§2 `tools`, `tools[].file_search`, `tools[].function` [S0][S1]",
    "metadata": "§2 `metadata` [S0][S1]; texts Q1",
    "file_ids": "§2 `file_ids` [S0]",
    "tool_resources": "§2 `tool_resources` [S1][SPEC]",
    "temperature": "§2 `temperature` [S0][S1]",
    "top_p": "§2 `top_p` [S1]",
    "response_format": "§2 `response_format` [S0][S1][SPEC]",
    "reasoning_effort": "§2 `reasoning_effort` [S1]; Q10",
}
RULE_EVIDENCE = {
    "instructions_max": "§2 `instructions` (32,768 until spec commit 5fd86c83, 2024-04-09)",
    "tool_types": "§2 `tools`; order of the Supported values text §4.2",
    "key_order": "§5.1 key order as served [RB]",
    "models": "§2 `model` [S1] model enum",
    "refused_models": "§2 `model`, §4.2 (gpt-4o in v1, gpt-5.1 in v2 observed; others INFERRED)",
    "sampling": "§2 `temperature` / `top_p` / `response_format`; §5.1",
    "reasoning_efforts": "§2 `reasoning_effort` [S1]; Q10",
    "response_format_strings": "§2 `response_format` [SPEC]",
    "response_format_types": "§2 `response_format` [SPEC]",
    "file_search_options": "§2 `tools[].file_search`",
    "normalise_file_search": "§5.1, §13 (default ranking_options in answers) [RB]",
    "hybrid_search": "§13 (hybrid_search: null in 2025 answers) [RB]",
    "normalise_function": "§13 (function tools echoed as name, description, parameters, strict)",
    "file_ids": "§2 `file_ids`, §3 (v1 replace-and-detach) [S0]",
    "ranking_options": "§2 `tools[].file_search` (ranking_options from 2024-08) [SPEC]",
    "function_strict": "§2 `tools[].function` (strict, structured outputs 2024-08) [S1]",
    "vector_stores_on_modify": "§7 item 4 [S4] (OpenAI: create only)",
    "assistant_files": "§14.5 [RB lemur 2024-05] (v1 and v2 while v1 lived; gone with v1)",
    "any_model": "§10 (Portkey passes the body on), §7 (Zerobot: INFERRED)",
    "version": "§1 dialect overview",
}
CHOICE_EVIDENCE = {
    "null_resets_defaults": "§11 item 2; Q2",
    "metadata_merge": "§11 item 2; Q3",
    "api_keys": "§4.2 wrong API key (masking INFERRED)",
    "organization": "§5.3 `Openai-Organization`",
    "sunset": "§8 lifecycle; Q8",
    "extra_models": "§2 `model` (fine-tunes)",
    "max_body_bytes": "our limit: no evidence",
    "pretty_json": "§4.1 (2-space indent in recordings) [RB]",
    "portkey_default_model": "§3 `model` (Portkey SDK sends portkey-default); Q6",
    "strict_schema": "§11 item 5 [S2] (the real gateway does not enforce it, §10)",
    "portkey_api_keys": "§4.2 Portkey texts (Error Code: 03)",
    "portkey_virtual_keys": "§4.2 Portkey texts (Following keys are not valid)",
    "portkey_trace_id": "§5.3, §9.5; Q13",
    "extras": "dialect-specific options",
}

MASK_KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz0123"
# (situation, the error the fake answers, evidence): one row per distinct wire text.
TEXTS: tuple[tuple[str, errors.ApiError, str], ...] = (
    ("no API key", errors.missing_api_key(), "§4.2 No API key"),
    ("wrong API key", errors.incorrect_api_key(MASK_KEY), "§4.2 Wrong API key (mask INFERRED)"),
    ("missing OpenAI-Beta, v2 era", errors.missing_beta_header("v2"), "§4.2; Q11 for bad values"),
    ("missing OpenAI-Beta, v1 era", errors.missing_beta_header("v1"), "§4.2"),
    ("assistants=v1 after the v1 shutdown", errors.v1_deprecated(), "§4.2"),
    ("malformed JSON body", errors.malformed_json(), "§4.2"),
    ("unknown route or method", errors.invalid_url("PATCH", "/v1/assistants"), "§4.2; Q7"),
    ("unknown assistant id", errors.assistant_not_found("asst_abc123"), "§4.2"),
    ("unknown body field", errors.unknown_parameter("foo"), "§4.2"),
    ("missing required field", errors.missing_parameter("model"), "§2 vocabulary"),
    ("wrong type", errors.invalid_type("metadata.version", "a string", "an integer"), "§4.2"),
    ("value not in an enum", errors.invalid_value("tools[0].type", "retrieval", V2_TOOLS), "§4.2"),
    ("string too long", errors.string_too_long("name", 256, 300), "§4.2; Q1"),
    ("array too long", errors.array_too_long("tools", 128, 132), "§4.2; Q1"),
    ("name pattern", errors.pattern_mismatch("tools[0].function.name", "^[a-zA-Z0-9_-]+$"), "§2"),
    ("bad id prefix", errors.bad_id_prefix("file_ids[0]", "x", "file"), "§4.2 (INFERRED path)"),
    ("number above maximum", errors.above_maximum("temperature", 2, 2.5), "§2 `temperature`"),
    ("number below minimum", errors.below_minimum("top_p", 0, -0.5), "§2 vocabulary; Q1"),
    ("too many metadata pairs", errors.too_many_properties("metadata", 16, 17), "§2 `metadata`"),
    ("metadata key too long", errors.property_name_too_long("metadata", "k" * 65, 64), "§2"),
    ("model does not exist", errors.model_not_found("gpt-x"), "§4.2"),
    ("model refused in v2", errors.model_not_supported("gpt-5.1", v1=False), "§4.2"),
    ("model refused in v1", errors.model_not_supported("gpt-4o", v1=True), "§4.2"),
    ("o-series with a stored temperature", errors.unsupported_with_model("temperature"), "§2"),
    ("body over max_body_bytes", errors.body_too_large(8 * 1024 * 1024), "our limit"),
    ("after the 2026-08-26 shutdown", errors.sunset_not_found("GET", "/v1/assistants"), "Q8"),
    ("Portkey: no or invalid Portkey key", portkey.invalid_api_key(), "§4.2 Portkey, §4.1"),
    ("Portkey: no provider, virtual key or config", portkey.missing_provider(), "§4.2 Portkey"),
    ("Portkey: unknown virtual key", portkey.invalid_virtual_key("vk-x"), "§4.2 Portkey"),
    ("Portkey: provider other than openai", portkey.invalid_provider(), "§4.2 Portkey"),
    ("Portkey: unrouted method (PATCH)", portkey.not_found(), "§4.2 Portkey, §10"),
    *reference_conversation.TEXTS,
    *reference_stores.TEXTS,
)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _describe(node: Node) -> str:
    """One node of a request schema, as the validation matrix (§2) words it."""
    parts: list[str] = []
    if isinstance(node, Str):
        parts.append("string")
        if node.max_len is not None:
            parts.append(f"max {node.max_len:,} code points")
        if node.pattern:
            parts.append(f"pattern `{node.pattern}`")
        if node.prefix:
            parts.append(f"id beginning with `{node.prefix}`")
    elif isinstance(node, Enum):
        parts.append("one of " + ", ".join(f"`{value}`" for value in node.values))
    elif isinstance(node, Num):
        parts.append("integer" if node.integer else "number")
        if node.minimum is not None and node.maximum is not None:
            parts.append(f"{_number(node.minimum)}..{_number(node.maximum)}")
    elif isinstance(node, Metadata):
        parts.append(
            f"map of at most {node.max_pairs} pairs, keys max {node.max_key},"
            f" string values max {node.max_value}"
        )
    elif isinstance(node, Arr):
        parts.append("array" + (f", max {node.max_items:,} items" if node.max_items else ""))
    elif isinstance(node, StrOrTagged):
        strings = ", ".join(f'`"{value}"`' for value in node.strings)
        kinds = ", ".join(f"`{{type: {kind}}}`" for kind in node.tagged.variants)
        parts.append(f"{strings} or {kinds}")
    elif isinstance(node, Tagged):
        parts.append("object by `type`: " + ", ".join(f"`{kind}`" for kind in node.variants))
    elif isinstance(node, Obj):
        parts.append("object")
        if node.required:
            parts.append("requires " + ", ".join(f"`{name}`" for name in node.required))
    elif isinstance(node, AnyObj):
        parts.append("any JSON object")
    elif isinstance(node, Bool):
        parts.append("boolean")
    if node.nullable:
        parts.append("or null")
    return ", ".join(parts)


def _walk(node: Node, path: str) -> Iterator[tuple[str, Node]]:
    yield path, node
    if isinstance(node, Arr):
        yield from _walk(node.item, f"{path}[]")
    elif isinstance(node, Tagged | StrOrTagged):
        variants = node.variants if isinstance(node, Tagged) else node.tagged.variants
        for kind, variant in variants.items():
            for sub, child in variant.fields.items():
                if sub != "type":
                    yield from _walk(child, f"{path}({kind}).{sub}")
    elif isinstance(node, Obj):
        for name, child in node.fields.items():
            yield from _walk(child, f"{path}.{name}" if path else name)


def _schema_rows(schema: Obj) -> list[str]:
    rows = ["| field | accepted | evidence |", "|---|---|---|"]
    for path, node in _walk(schema, ""):
        if path:
            top = path.split(".")[0].split("[")[0].split("(")[0]
            rows.append(f"| `{path}` | {_describe(node)} | {FIELD_EVIDENCE.get(top, '§2')} |")
    return rows


def _value(value: object) -> str:
    if isinstance(value, frozenset | set):
        return ", ".join(f"`{item}`" for item in sorted(value)) or "none"
    if isinstance(value, tuple | list):
        return ", ".join(f"`{item}`" for item in value) or "none"
    if value is None:
        return "not accepted"
    if value == "":
        return "empty"
    return f"`{value}`"


def _rules(keys: list[str], api: ApiRules) -> list[str]:
    rules = api.assistants
    lines = [f"#### {', '.join(keys)}: rules `{rules.version}`", ""]
    lines += ["Assistants:", "", "| rule | value | evidence |", "|---|---|---|"]
    for spec in dataclasses.fields(AssistantRules):
        value = getattr(rules, spec.name)
        shown = "any model id" if spec.name == "models" and rules.any_model else _value(value)
        lines.append(f"| `{spec.name}` | {shown} | {RULE_EVIDENCE.get(spec.name, '')} |")
    lines += ["", "Modify body:", "", *_schema_rows(modify_schema(rules)), ""]
    create_only = sorted(
        {path for path, _ in _walk(create_schema(rules), "")}
        - {path for path, _ in _walk(modify_schema(rules), "")}
    )
    if create_only:
        lines += ["Create only: " + ", ".join(f"`{path}`" for path in create_only), ""]
    lines.append("Create requires `model`; every other field is optional (§5.2).")
    if api.version == zerobot.POLICY.name:  # Zerobot serves the assistant's five operations
        return [*lines, ""]
    return [
        *lines,
        "",
        *reference_conversation.rules_tables(api),
        *reference_stores.rules_tables(api),
    ]


def _choices(choices: Choices) -> list[str]:
    lines = ["| choice | default | evidence |", "|---|---|---|"]
    for spec in dataclasses.fields(Choices):
        value = getattr(choices, spec.name)
        shown = "any" if value is None else "{}" if value == {} else _value(value)
        evidence = {**CHOICE_EVIDENCE, **reference_stores.CHOICE_EVIDENCE}.get(spec.name, "")
        lines.append(f"| `{spec.name}` | {shown} | {evidence} |")
    return lines


def _profile(profile: Profile) -> list[str]:
    lines = [f"### `{profile.name}`", "", profile.description, ""]
    lines.append(f"- dialect `{profile.dialect}`, era `{profile.era}`")
    lines.append(f"- no `OpenAI-Beta` header: answered as `{profile.missing_beta_version}` (§4.2)")
    for beta, kind in profile.deprecated_betas.items():
        lines.append(f"- `assistants={beta}`: refused with the `{kind}` text (§4.2)")
    changed = [
        f"`{spec.name}`: {_value(getattr(profile.choices, spec.name))}"  # sets sorted: stable
        for spec in dataclasses.fields(Choices)
        if getattr(profile.choices, spec.name) != getattr(Choices(), spec.name)
    ]
    if changed:
        lines.append("- choices set by the profile: " + ", ".join(changed) + " (§11)")
    lines.append("")
    for keys, rules in _requests_to_rules(profile):
        lines += _rules(keys, rules)
    return lines


def _requests_to_rules(profile: Profile) -> list[tuple[list[str], ApiRules]]:
    """Each distinct rules object of the profile, with the requests it answers."""
    grouped: list[tuple[list[str], ApiRules]] = [(["default"], profile.default)]
    keyed = [
        *((f"`OpenAI-Beta: assistants={k}`", r) for k, r in profile.betas.items()),
        *((f"`api-version={k}`", r) for k, r in profile.api_versions.items()),
        *((f"`{k}` host", r) for k, r in profile.dialects.items()),
    ]
    for key, rules in keyed:
        for keys, known in grouped:
            if known == rules:
                keys.append(key)
                break
        else:
            grouped.append(([key], rules))
    return grouped


def _texts() -> list[str]:
    lines = ["| situation | status | body | evidence |", "|---|---|---|---|"]
    for situation, error, evidence in TEXTS:
        body = json.dumps(error.body, ensure_ascii=False).replace("|", "\\|")
        lines.append(f"| {situation} | {error.status} | `{body}` | {evidence} |")
    return lines


def render() -> str:
    """The whole page, the same bytes on every machine."""
    lines = [
        "# Behaviour reference",
        "",
        f"Generated from the profile catalogue; do not edit. Regenerate with `{COMMAND}`.",
        "",
        "Every limit, accepted value, wire text and choice the fake applies, per profile,"
        " with the evidence it comes from. `§N` is a section of the project's provider"
        " behaviour specification (the tags in the code's comments point here); `Qn` an"
        " open question of its §12, where the fake follows a named choice.",
        "",
        "## Evidence tags",
        "",
        "| tag | what it is |",
        "|---|---|",
        *(f"| {tag} | {title} |" for tag, title in {**SECTIONS, **SOURCES}.items()),
        "",
        "## Wire texts (envelopes: §4.1)",
        "",
        "Example values in the texts below stand for the request's own.",
        "",
        *_texts(),
        "",
        "## Choices (defaults; each switchable per test, §11)",
        "",
        *_choices(Choices()),
        "",
        "## Threads, messages and runs (every profile that serves them, §14)",
        "",
        *reference_conversation.fixed(),
        "## Profiles",
        "",
    ]
    for profile in PROFILES.values():
        lines += _profile(profile)
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    """Write the page to the path given (default ``docs/behaviour.md``)."""
    target = Path(argv[0] if argv else "docs/behaviour.md")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
