"""First difference between a recorded answer and the fake's: status, body, byte format,
stable header values, header names.

Bodies are compared as parsed JSON, key order and number format included (``1.0`` and
``1`` are different answers: JSON readers in typed languages treat them differently).
Ids are not ignored but mapped (the fake's id of an object stands for the recorded one);
only values volatile by nature are ignored, see :data:`VOLATILE_FIELDS` and
:data:`IGNORED_HEADERS`. Headers the API sets the same way on every answer are compared by
value (:data:`VALUE_HEADERS`) or by format (:data:`FORMAT_HEADERS`); the rest by name only
(:data:`VOLATILE_HEADERS` says which and why). Where the recording kept the answer's bytes
(or a Content-Length that tells them apart), pretty-printed vs compact is compared too.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

VOLATILE_FIELDS = frozenset(
    {"created_at", "started_at", "completed_at", "cancelled_at", "failed_at", "incomplete_at"}
    | {"expires_at"}
)
"""Body fields whose value is a timestamp of the moment of recording (an object's creation,
a run's life, §14.1): only their JSON type is compared, so set or ``null`` is. Timing is not
behaviour; a run's ``expires_at`` is also compared as its distance from ``created_at``
(:data:`RELATIVE_FIELDS`). Ids are mapped instead (see :func:`first_difference`)."""

RELATIVE_FIELDS = {"thread.run": ("expires_at", "created_at")}
"""Per object kind, (field, base): the field's offset from the base is compared when both
are integers (a run expires 600 s after its creation while active, §14.1: 342 of 342)."""

SHAPE_FIELDS = frozenset({"usage"})
"""Body fields compared by shape only (keys, their order, JSON types): token counts are the
model's, not the API's (the fake counts words, §14.1)."""

IGNORED_HEADERS = frozenset(
    {
        # Framing chosen by the HTTP server / client pair, not by the API: they change with
        # HTTP/1.1 vs 2, compression and the recorder (vcrpy drops some, Ruby VCR keeps).
        "connection",
        "keep-alive",
        "transfer-encoding",
        "content-length",
        "content-encoding",
        "date",
        "vary",
        # The Cloudflare edge in front of api.openai.com, identical for every endpoint:
        # server name, ray id, cache status, bot-management cookies, HTTP/3 advert, and the
        # domain-wide hardening headers (HSTS; nosniff, first seen Oct 2024 on every path).
        "server",
        "cf-ray",
        "cf-cache-status",
        "set-cookie",
        "alt-svc",
        "strict-transport-security",
        "x-content-type-options",
        "nel",
        "report-to",
        "via",
        # OpenAI's internal proxy marker (2026, value "v0.1") and the caller's project,
        # which only project-scoped keys get: facts about the recorder's account and
        # infrastructure, not about the Assistants API.
        "x-openai-proxy-wasm",
        "openai-project",
        "x-envoy-upstream-service-time",
    }
)

VALUE_HEADERS = ("content-type", "openai-version")
"""Compared by value: the same on every answer of an era."""

REQUEST_ID_FORMATS = {
    "req_<32 hex>": re.compile(r"req_[0-9a-f]{32}"),
    "<32 hex>": re.compile(r"[0-9a-f]{32}"),
    "<uuid>": re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
}
FORMAT_HEADERS = ("x-request-id", "openai-processing-ms")
"""Compared by format: a fresh value per answer, but its shape is the provider's."""

VOLATILE_HEADERS = {
    "x-request-id": "a new id per answer (its format is compared)",
    "openai-processing-ms": "the server's time (compared as an integer)",
    "openai-organization": "the recorder's organization (scrubbed)",
    "x-ratelimit-*": "the recorder's quota",
    "www-authenticate": "compared by name",
}
"""Headers whose values are not compared, with why (listed in reports)."""

SCRUBBED_MARKS = ("<", "*", "redacted", "scrubbed", "filtered", "sanitized")

ID_PATTERN = re.compile(r"^(asst|vs|vsfb|file|thread|run|msg|step|call|req)[_-][A-Za-z0-9]{8,}$")


@dataclass(frozen=True)
class Difference:
    """The first place where the fake's answer differs from the recording."""

    kind: str  # status | value | type | number format | key order | missing field |
    # extra field | length | byte format | header value | header format | missing header |
    # extra header
    where: str
    recorded: Any
    fake: Any

    def describe(self) -> str:
        recorded, fake = _show(self.recorded), _show(self.fake)
        if self.kind == "key order":
            first = next(
                i for i, (a, b) in enumerate(zip(self.recorded, self.fake, strict=True)) if a != b
            )
            recorded = f"{_show(self.recorded[first : first + 4])[:-1]}, ...]"
            fake = f"{_show(self.fake[first : first + 4])[:-1]}, ...] from key #{first + 1}"
        elif self.kind in ("missing field", "missing header"):
            fake = "has none"
        elif self.kind in ("extra field", "extra header"):
            recorded = "has none"
        return f"at {self.where} ({self.kind}): recorded {recorded}, fake {fake}"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "description": self.describe()}


def _show(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | dict | str | bool) or value is None:
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 160 else text[:157] + "..."
    return repr(value)


def json_kind(value: Any) -> str:
    """The JSON type of a parsed value, telling integers from floats (``1`` vs ``1.0``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


class IdMap:
    """Recorded id <-> the fake's id for the same object."""

    def __init__(self) -> None:
        self.to_fake: dict[str, str] = {}
        self.to_recorded: dict[str, str] = {}

    def link(self, recorded: str, fake: str) -> None:
        self.to_fake[recorded] = fake
        self.to_recorded[fake] = recorded

    def fake(self, recorded: str) -> str:
        return self.to_fake.get(recorded, recorded)

    def recorded_value(self, value: Any) -> Any:
        """A fake's JSON value with its ids written as the recorded ones (for reports)."""
        if isinstance(value, dict):
            return {k: self.recorded_value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.recorded_value(v) for v in value]
        return self.recorded_text(value) if isinstance(value, str) else value

    def recorded_text(self, text: str) -> str:
        """The fake's string with the fake's ids written as the recorded ones."""
        if text in self.to_recorded:
            return self.to_recorded[text]
        for fake, recorded in self.to_recorded.items():
            if fake != recorded and fake in text:
                text = text.replace(fake, recorded)
        return text


def _walk(
    where: str, recorded: Any, fake: Any, ids: IdMap, key: str = "", *, shape: bool = False
) -> Difference | None:
    """The first difference below ``where``; ``shape``: keys, order and types only."""
    if key in VOLATILE_FIELDS or (shape and not isinstance(recorded, dict | list)):
        if json_kind(recorded) != json_kind(fake):
            return Difference("type", where, json_kind(recorded), json_kind(fake))
        return None
    shape = shape or key in SHAPE_FIELDS
    if isinstance(recorded, dict) and isinstance(fake, dict):
        missing = [k for k in recorded if k not in fake]
        if missing:
            return Difference("missing field", f"{where}.{missing[0]}", recorded[missing[0]], None)
        extra = [k for k in fake if k not in recorded]
        if extra:
            return Difference("extra field", f"{where}.{extra[0]}", None, fake[extra[0]])
        if list(recorded) != list(fake):
            return Difference("key order", where, list(recorded), list(fake))
        for name, value in recorded.items():
            found = _walk(f"{where}.{name}", value, fake[name], ids, name, shape=shape)
            if found:
                return found
        return _relation(where, recorded, fake)
    if isinstance(recorded, list) and isinstance(fake, list):
        for number, (left, right) in enumerate(zip(recorded, fake, strict=False)):
            found = _walk(f"{where}[{number}]", left, right, ids, shape=shape)
            if found:
                return found
        if len(recorded) != len(fake):
            return Difference("length", where, len(recorded), len(fake))
        return None
    left_kind, right_kind = json_kind(recorded), json_kind(fake)
    if {left_kind, right_kind} == {"integer", "float"}:
        kind = "number format" if recorded == fake else "value"
        return Difference(kind, where, recorded, fake)
    if left_kind != right_kind:
        return Difference("type", where, recorded, fake)
    if isinstance(recorded, str):
        mapped = ids.recorded_text(fake)
        if mapped == recorded:
            return None
        if _same_new_id(recorded, fake, ids):
            ids.link(recorded, fake)
            return None
        return Difference("value", where, recorded, mapped)
    return None if recorded == fake else Difference("value", where, recorded, fake)


def body_difference(where: str, recorded: Any, fake: Any, ids: IdMap) -> Difference | None:
    """The first difference between two JSON values by the body rules (streamed events'
    data are compared with it)."""
    return _walk(where, recorded, fake, ids)


def _relation(where: str, recorded: dict[str, Any], fake: dict[str, Any]) -> Difference | None:
    """A volatile field's offset from its base (:data:`RELATIVE_FIELDS`), when both sides
    have integers there."""
    relation = RELATIVE_FIELDS.get(str(recorded.get("object")))
    if relation is None:
        return None
    name, base = relation
    values = [recorded.get(name), recorded.get(base), fake.get(name), fake.get(base)]
    numbers = [v for v in values if isinstance(v, int) and json_kind(v) == "integer"]
    if len(numbers) != len(values):
        return None
    left, right = numbers[0] - numbers[1], numbers[2] - numbers[3]
    if left == right:
        return None
    return Difference("value", f"{where}.{name} - {base}", left, right)


def _same_new_id(recorded: str, fake: str, ids: IdMap) -> bool:
    """Two ids of the same kind that neither side has seen yet: the same new object."""
    left, right = ID_PATTERN.match(recorded), ID_PATTERN.match(fake)
    return bool(
        left
        and right
        and left.group(1) == right.group(1)
        and recorded not in ids.to_fake
        and fake not in ids.to_recorded
    )


def header_names(headers: Mapping[str, str]) -> set[str]:
    return {name.lower() for name in headers} - IGNORED_HEADERS


def header_format(name: str, value: str) -> str:
    """The shape of a volatile header's value (``req_<32 hex>``, ``<integer>``...)."""
    if name == "openai-processing-ms":
        return "<integer>" if value.strip().isdigit() else repr(value)
    for shape, pattern in REQUEST_ID_FORMATS.items():
        if pattern.fullmatch(value.strip()):
            return shape
    return f"other ({len(value)} characters)"


def scrubbed_value(value: str) -> bool:
    lowered = value.lower()
    return not value or any(mark in lowered for mark in SCRUBBED_MARKS)


def _header_value_difference(
    recorded: Mapping[str, str], fake: Mapping[str, str]
) -> Difference | None:
    left = {k.lower(): v for k, v in recorded.items()}
    right = {k.lower(): v for k, v in fake.items()}
    for name in VALUE_HEADERS:
        if name in left and name in right and not scrubbed_value(left[name]):
            a, b = left[name].replace(" ", "").lower(), right[name].replace(" ", "").lower()
            if a != b:
                return Difference("header value", f"headers.{name}", left[name], right[name])
    for name in FORMAT_HEADERS:
        if name in left and name in right and not scrubbed_value(left[name]):
            a, b = header_format(name, left[name]), header_format(name, right[name])
            if a != b:
                return Difference("header format", f"headers.{name}", a, b)
    return None


def layout_of(raw: bytes | str | None, parsed: Any) -> str | None:
    """``pretty`` (2-space indent) or ``compact``: the bytes' layout, when they are one."""
    if raw is None or parsed is None:
        return None
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    text = text.strip()
    for ascii_only in (False, True):
        if text == json.dumps(parsed, indent=2, ensure_ascii=ascii_only):
            return "pretty"
        if text == json.dumps(parsed, separators=(",", ":"), ensure_ascii=ascii_only):
            return "compact"
    return None


def layout_from_length(headers: Mapping[str, str], parsed: Any) -> str | None:
    """The layout a recorded Content-Length proves for a re-parsed body (None when the
    body was compressed, or when the length fits neither layout)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    length = lowered.get("content-length", "").strip()
    if parsed is None or not length.isdigit() or lowered.get("content-encoding"):
        return None
    for ascii_only in (False, True):
        pretty = json.dumps(parsed, indent=2, ensure_ascii=ascii_only).encode()
        compact = json.dumps(parsed, separators=(",", ":"), ensure_ascii=ascii_only).encode()
        if int(length) == len(pretty) != len(compact):
            return "pretty"
        if int(length) == len(compact) != len(pretty):
            return "compact"
    return None


def first_difference(
    recorded_status: int,
    recorded_headers: Mapping[str, str],
    recorded_body: Any,
    fake_status: int,
    fake_headers: Mapping[str, str],
    fake_body: Any,
    ids: IdMap,
    *,
    recorded_layout: str | None = None,
    fake_bytes: bytes | None = None,
    events: tuple[list[Any], list[Any]] | None = None,
) -> Difference | None:
    """Status, body (or a stream's ``events``, recorded and fake: :mod:`.streams`), byte
    layout (when the recording shows it), stable header values, then header names; None
    when the answers match."""
    from pytest_assistants.evidence.streams import events_difference

    if recorded_status != fake_status:
        return Difference("status", "status", recorded_status, fake_status)
    if events is not None:
        found = events_difference(events[0], events[1], ids)
    else:
        found = _walk("body", recorded_body, fake_body, ids)
    if found:
        return found
    fake_layout = layout_of(fake_bytes, fake_body)
    if recorded_layout and fake_layout and recorded_layout != fake_layout:
        return Difference("byte format", "body", recorded_layout, fake_layout)
    found = _header_value_difference(recorded_headers, fake_headers)
    if found:
        return found
    left, right = header_names(recorded_headers), header_names(fake_headers)
    if left - right:
        return Difference("missing header", "headers", sorted(left - right)[0], None)
    if right - left:
        return Difference("extra header", "headers", None, sorted(right - left)[0])
    return None
