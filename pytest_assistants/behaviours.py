"""Behaviour coverage (``--assistants-coverage``): which provider behaviours a suite exercised.

Everything is derived after each test from the fake's journal (``fake.calls``: operation,
status, the error's code / param / type, the request body and query) and from the faults the
test injected, so the service needs no hooks and pays nothing while the option is off. The
counts are plain ``{group: {behaviour: n}}`` dicts and the tests behind them
``{group: {behaviour: [node ids]}}``, so xdist workers hand both to the controller through
``workeroutput`` and the controller adds them up. ``--assistants-coverage-html DIR`` writes
them as a page (``coverage_page.py``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest

from pytest_assistants.service.dialects import azure, openai, portkey, zerobot
from pytest_assistants.service.profiles import get_profile
from pytest_assistants.service.resources.assistants.schema import modify_schema
from pytest_assistants.service.routes import ROUTES
from pytest_assistants.service.validation import Arr, Metadata, Num, Str

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from pytest_assistants.reach.fake import FakeAssistants
    from pytest_assistants.service.http import Call

POLICIES = {
    policy.name: policy for policy in (openai.POLICY, portkey.POLICY, zerobot.POLICY, azure.POLICY)
}
Counts = dict[str, dict[str, int]]  # "profile dialect" -> behaviour -> times exercised
Tests = dict[str, dict[str, list[str]]]  # "profile dialect" -> behaviour -> node ids

REQUESTS = "requests"  # the one key that is a total, not a behaviour
FAULT_STATUSES = (408, 409, 429)  # and every 5xx: statuses only fail(...) produces
LIMIT_CODES = ("_above_max_", "_below_min_", "object_above_max_properties")
ERROR_CODES = {
    "invalid_beta": "beta header",
    "invalid_api_key": "auth",
    "unknown_parameter": "unknown parameter",
    "missing_required_parameter": "missing parameter",
    "model_not_found": "unknown model",
    "request_too_large": "body too large",
    "empty_array": "limit:file_ids",
}
# Texts without a code, by how they begin (files and vector stores, §14.5).
ERROR_TEXTS = {
    "Not allowed to download": "download refused",
    "Invalid file format for": "file format",
    "No such File object": "unknown id",
}
# The gaps worth a sentence of their own, in this order.
NOTABLE = {
    "refused:assistants.modify": "no test sends a modify that the provider refuses",
    "error:auth": "no test sends a missing or wrong API key",
    "error:unknown id": "no test modifies or retrieves an id that does not exist",
    "error:malformed body": "no test sends a body the provider cannot parse",
    "fault:status": "no test injects an error status (fail(429), fail(503), ...)",
    "fault:timeout": "no test injects a timeout (fail(kind='timeout'))",
    "fault:disconnect": "no test drops the connection (fail(kind='disconnect'))",
    "retry": "no test sees the SDK retry a failed request",
    "null": "no test clears a field with an explicit null",
    "pagination:after": "no test pages through a list with an after cursor",
}


def _field(param: object) -> str:
    """``tools[0].function.name`` -> ``tools``: behaviours are counted per top-level field."""
    text = str(param or "")
    return text.split(".")[0].split("[")[0] or "?"


def error_kind(call: Call) -> str | None:
    """The kind of refusal a 4xx answer is, from its envelope alone."""
    answer: dict[str, Any] = call.response_json if isinstance(call.response_json, dict) else {}
    error: dict[str, Any] = answer["error"] if isinstance(answer.get("error"), dict) else {}
    code, param = error.get("code"), error.get("param")
    message = str(error.get("message") or answer.get("message") or "")
    if call.status == 401 or code == "invalid_api_key":
        return "auth"
    if isinstance(code, str):
        if code in ERROR_CODES:
            return ERROR_CODES[code]
        if code == "unsupported_model":
            return "cross-field" if message.startswith("Unsupported parameter") else "model"
        if any(part in code for part in LIMIT_CODES) or code.startswith("property_name"):
            return f"limit:{_field(param)}"
        if code == "invalid_type":
            return f"type:{_field(param)}"
        if code == "invalid_value":
            return f"value:{_field(param)}"
    if message.startswith("We could not parse the JSON body"):
        return "malformed body"
    if message.startswith("No ") and " found with id " in message:
        return "unknown id"
    for start, kind in ERROR_TEXTS.items():
        if message.startswith(start):
            return kind
    if message.endswith("- 'purpose'"):
        return "value:purpose"
    if message.endswith("is a required property"):
        return "missing parameter"
    if message.startswith("Invalid URL") or answer.get("ok") is False:
        return "unknown route"
    if answer.get("status") == "failure":
        return "gateway"
    return f"status {call.status}"


def behaviours_of(call: Call) -> list[str]:
    """The behaviours one journalled request exercised."""
    found = [f"operation:{call.operation}"] if call.operation else []
    retries = call.headers.get("x-stainless-retry-count", "0")
    if retries not in ("", "0"):
        found.append("retry")
    if call.status == 0:
        return found  # a transport fault: counted from the fault plan
    if call.status in FAULT_STATUSES or call.status >= 500:
        return [*found, "fault:status", f"fault:status {call.status}"]
    if call.status >= 400:
        if call.operation:
            found.append(f"refused:{call.operation}")
        return [*found, f"error:{error_kind(call)}"]
    body = call.json
    answer = call.response_json
    status = answer.get("status") if isinstance(answer, dict) else None
    if (call.operation or "").startswith("vector_stores.") and isinstance(status, str):
        found.append(f"progress:{status}")  # a store, file or batch on its way (§14.5)
    if call.operation == "assistants.modify" and isinstance(body, dict):
        found += [f"null:{name}" for name, value in body.items() if value is None]
    if call.operation is not None and call.operation.endswith(".list"):
        query = parse_qs(urlsplit(call.url).query)
        found += [f"pagination:{name}" for name in ("after", "before") if name in query]
        if query.get("order") == ["asc"]:
            found.append("pagination:order asc")
        if isinstance(call.response_json, dict) and call.response_json.get("has_more"):
            found.append("pagination:has_more")
    return found


def record(
    counts: Counts, fake: FakeAssistants, nodeid: str | None = None, tests: Tests | None = None
) -> None:
    """Add what one test's fake served to ``counts`` (and the test's id to ``tests``)."""
    profile = fake.profile.name
    seen: list[tuple[str, str]] = []
    for call in fake.calls:
        group = counts.setdefault(f"{profile} {call.dialect}", {})
        group[REQUESTS] = group.get(REQUESTS, 0) + 1
        for behaviour in behaviours_of(call):
            group[behaviour] = group.get(behaviour, 0) + 1
            seen.append((f"{profile} {call.dialect}", behaviour))
    dropped = [call for call in fake.calls if call.status == 0]
    kinds = [f.kind for f in fake.faults for _ in range(f.used) if f.kind != "status"]
    for call, kind in zip(dropped, kinds, strict=False):
        group = counts[f"{profile} {call.dialect}"]
        group[f"fault:{kind}"] = group.get(f"fault:{kind}", 0) + 1
        seen.append((f"{profile} {call.dialect}", f"fault:{kind}"))
    if nodeid is not None and tests is not None:
        for name, behaviour in dict.fromkeys(seen):
            tests.setdefault(name, {}).setdefault(behaviour, []).append(nodeid)


def merge(into: Counts, other: Mapping[str, Mapping[str, int]]) -> None:
    for name, group in other.items():
        target = into.setdefault(name, {})
        for behaviour, count in group.items():
            target[behaviour] = target.get(behaviour, 0) + count


def merge_tests(into: Tests, other: Mapping[str, Mapping[str, list[str]]]) -> None:
    for name, group in other.items():
        target = into.setdefault(name, {})
        for behaviour, nodeids in group.items():
            target.setdefault(behaviour, []).extend(nodeids)


def expected(profile: str, dialect: str) -> list[str]:
    """The behaviours worth exercising for one dialect at one profile, from its rules."""
    every = get_profile(profile).every_rules()
    rules = [r.assistants for r in every]
    fields = {name: node for r in rules for name, node in modify_schema(r).fields.items()}
    served = POLICIES[dialect].operations if dialect in POLICIES else None
    parts = {part for api in every for part in api.served}
    operations = [
        route.operation
        for route in ROUTES
        if (served is None or route.operation in served)
        and (route.needs is None or route.needs in parts)
    ]
    wanted = [f"operation:{op}" for op in operations]
    wanted += ["refused:assistants.modify", "error:auth"]
    if dialect == "openai":
        wanted.append("error:beta header")
    wanted += ["error:malformed body", "error:unknown id", "error:unknown parameter"]
    if "temperature" in fields:  # o-series models refuse a stored temperature (§2)
        wanted.append("error:cross-field")
    wanted += [f"error:limit:{name}" for name, node in fields.items() if _limited(node)]
    wanted += [f"error:type:{name}" for name in fields]
    wanted += ["fault:status", "fault:timeout", "fault:disconnect", "retry"]
    wanted += [f"null:{name}" for name, node in fields.items() if node.nullable]
    wanted += ["pagination:after", "pagination:before", "pagination:has_more"]
    if "vector_stores.create" in operations:  # an upload refused, a store on its way
        wanted += ["error:value:purpose", "error:download refused"]
        wanted += ["progress:in_progress", "progress:completed"]
    return wanted


def _touched(key: str, exercised: Mapping[str, int]) -> bool:
    return any(b == key or b.startswith(f"{key}:") for b in exercised)


def _limited(node: object) -> bool:
    """A field with a length, size or range check of its own."""
    if isinstance(node, Str):
        return node.max_len is not None
    if isinstance(node, Arr):
        return node.max_items is not None
    if isinstance(node, Num):
        return node.maximum is not None or node.minimum is not None
    return isinstance(node, Metadata)


def summary(
    counts: Mapping[str, Mapping[str, int]],
    tests: Mapping[str, Mapping[str, list[str]]] | None = None,
) -> list[dict[str, Any]]:
    """Per profile and dialect: what was exercised (and by which tests, when known), what
    never was, the notable gaps."""
    groups = []
    for name in sorted(counts):
        profile, _, dialect = name.partition(" ")
        exercised = dict(sorted(counts[name].items()))
        requests = exercised.pop(REQUESTS, 0)
        never = [b for b in expected(profile, dialect) if b not in exercised]
        notable = [text for key, text in NOTABLE.items() if not _touched(key, exercised)]
        groups.append(
            {
                "profile": profile,
                "dialect": dialect,
                "requests": requests,
                "exercised": exercised,
                "never": never,
                "notable": notable,
                "tests": {
                    behaviour: sorted(set(nodeids))
                    for behaviour, nodeids in sorted((tests or {}).get(name, {}).items())
                },
            }
        )
    return groups


def render(groups: Iterable[Mapping[str, Any]]) -> list[str]:
    lines = []
    for group in groups:
        lines.append(
            f"{group['profile']}, dialect {group['dialect']}: {group['requests']} requests"
        )
        by_kind: dict[str, list[str]] = {}
        for behaviour, count in group["exercised"].items():
            kind, _, rest = behaviour.partition(":")
            by_kind.setdefault(kind, []).append(f"{rest} {count}" if rest else str(count))
        lines += [f"  {kind}: {', '.join(items)}" for kind, items in by_kind.items()]
        if group["never"]:
            lines.append(f"  never exercised ({len(group['never'])}): {', '.join(group['never'])}")
        lines += [f"  ! {sentence}" for sentence in group["notable"]]
    return lines or ["no request reached a fake (assistants_fake, assistants_server)"]


def write_json(path: str | Path, groups: list[dict[str, Any]]) -> None:
    payload = {"format": "pytest-assistants behaviour coverage 1", "groups": groups}
    Path(path).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


class CoverageReport:
    """The plugin object ``--assistants-coverage`` registers: collects, merges, reports."""

    def __init__(self, config: pytest.Config, output_key: str) -> None:
        self.config = config
        self.output_key = output_key
        self.counts: Counts = {}
        self.tests: Tests = {}

    def add(self, fake: FakeAssistants, nodeid: str) -> None:
        """After one test: what its fake served, attributed to it."""
        record(self.counts, fake, nodeid, self.tests)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        """xdist controller: add up what a worker collected."""
        output = getattr(node, "workeroutput", {}).get(self.output_key, {})
        merge(self.counts, output.get("counts", {}))
        merge_tests(self.tests, output.get("tests", {}))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        workeroutput = getattr(self.config, "workeroutput", None)
        if workeroutput is not None:  # an xdist worker: hand the counts to the controller
            workeroutput[self.output_key] = {"counts": self.counts, "tests": self.tests}

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if hasattr(self.config, "workeroutput"):
            return
        groups = summary(self.counts, self.tests)
        terminalreporter.write_sep("=", "assistants behaviour coverage")
        for line in render(groups):
            terminalreporter.write_line(line)
        path = self.config.getoption("assistants_coverage_json")
        if path:
            write_json(path, groups)
            terminalreporter.write_line(f"behaviour coverage written to {path}")
        folder = self.config.getoption("assistants_coverage_html")
        if folder:
            from pytest_assistants.coverage_page import write_html

            page = write_html(folder, groups)
            terminalreporter.write_line(f"behaviour coverage page written to {page}")
