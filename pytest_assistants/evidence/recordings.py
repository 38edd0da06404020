"""Read recorded HTTP interactions into one shape, whatever wrote them.

Formats: vcrpy cassettes (``interactions:``; ours with ``metadata``: source, profile,
``not_comparable``, ``recorded_at``), Ruby VCR / R vcr cassettes (``http_interactions:``),
the JSONL of the reference recordings (one interaction per line, ``file`` + ``index``
naming its session), and the JSON formats of :mod:`.formats` (Azure test-proxy, .NET
SessionRecords, ExVCR). A path may be a directory (read recursively) and may carry a selector after
``?`` that keeps only some interactions, e.g. ``interactions.jsonl?beta=v1&until=2024-04-01``:

- ``beta=v1|v2`` the ``OpenAI-Beta`` assistants version; ``host=...``; ``operation=...``;
- ``since=YYYY-MM-DD`` / ``until=YYYY-MM-DD`` on the recording date (until is exclusive);
- ``profile=NAME`` the profile chosen for the interaction; ``source=TEXT`` a substring of
  the cassette / ``file`` name.

Imports yaml only when a YAML cassette is read.
"""

from __future__ import annotations

import gzip
import importlib
import json
import re
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from pytest_assistants.service import routes

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

CASSETTE_SUFFIXES = (".yaml", ".yml", ".jsonl", ".json")
ID_SEGMENT = re.compile(r"^(?:(?:asst|vs|vsfb|thread|run|msg|step|call)_\w|file-\w|\d+$)")
SELECTOR_KEYS = ("beta", "host", "operation", "since", "until", "profile", "source")


class RecordingError(ValueError):
    """A recording that cannot be read; the message names the file and what to fix."""


@dataclass
class Interaction:
    """One recorded request and its answer, normalised (header names lower-case)."""

    source: str
    index: int
    method: str
    url: str
    status: int
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: bytes = b""
    response_headers: dict[str, str] = field(default_factory=dict)
    response_json: Any = None
    response_problem: str | None = None
    response_layout: str | None = None  # pretty | compact, when the recording shows it
    response_text: str | None = None  # the body as recorded, when kept as (decodable) text
    streamed: bool = False  # a server-sent event stream (response_text holds its events)
    recorded_at: datetime | None = None
    profile_hint: str | None = None
    profile: str = ""
    profile_reason: str = ""
    declared_not_comparable: tuple[str, str] | None = None

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def query(self) -> str:
        return urlsplit(self.url).query

    @property
    def beta(self) -> str | None:
        """The assistants version of the ``OpenAI-Beta`` header (``v1``, ``v2``) or None."""
        for part in self.request_headers.get("openai-beta", "").split(","):
            name, _, version = part.strip().partition("=")
            if name == "assistants" and version:
                return version
        return None

    @property
    def route(self) -> tuple[str, str | None]:
        """(operation, assistant id) by the fake's route table (Azure's ``/openai`` root,
        Zerobot's PATCH and paths without ``/v1`` included): a qualified operation
        (``assistants.modify``), ``assistant_sub:<name>`` for a sub-resource of an assistant
        the table does not serve, or ``other:<first path segment>``."""
        operation, params = route_of(self.method, self.path)
        return operation, params.get("assistant_id")

    @property
    def operation(self) -> str:
        return self.route[0]

    @property
    def endpoint(self) -> str:
        """The qualified operation of a route the fake knows, else the method and the path
        template with its ids as ``{id}`` (``POST /vector_stores/{id}/files``)."""
        operation = self.operation
        if ":" not in operation:
            return operation
        return f"{self.method} {path_template(self.path)}"

    @property
    def where(self) -> str:
        return f"{self.source}#{self.index}"


def path_template(path: str) -> str:
    """A path from its root on (``/openai``, ``/v1`` dropped), ids written as ``{id}``
    (a segment that begins with one of the API's id prefixes, or digits)."""
    segments = [s for s in path.split("/") if s]
    if segments[:1] == ["openai"]:
        segments = segments[1:]
    if segments[:1] == ["v1"]:
        segments = segments[1:]
    shown = ["{id}" if ID_SEGMENT.match(s) else s for s in segments]
    return "/" + "/".join(shown)


def route_of(method: str, path: str) -> tuple[str, dict[str, str]]:
    """(operation, path parameters) of a recorded request, read with the route table."""
    segments = [s for s in path.split("/") if s]
    if segments[:1] == ["openai"]:  # Azure OpenAI's root (§13)
        segments = segments[1:]
    if segments[:1] == ["v1"]:
        segments = segments[1:]
    method = method.upper()
    found = routes.table("/v1", "PATCH" if method == "PATCH" else "POST").match(
        method, "/v1/" + "/".join(segments)
    )
    if found is not None and not found[0].operation.startswith("assistants.files."):
        return found[0].operation, found[1]
    # An assistant's sub-resources (v1 files, served since issue 23) stay named as such
    # until the replay compares sub-resources (it keys sessions by assistant id).
    if len(segments) > 2 and segments[0] == "assistants":
        return f"assistant_sub:{segments[2]}", {"assistant_id": segments[1]}
    return f"other:{segments[0] if segments else '/'}", {}


# -- dates ---------------------------------------------------------------------------------


def parse_date(value: object) -> datetime | None:
    """RFC 2822 (``Date`` headers), ISO 8601 or ``YYYY-MM-DD HH:MM:SS GMT``; else None."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return parsedate_to_datetime(text).astimezone(UTC)
    except (TypeError, ValueError, IndexError):
        pass
    text = text.removesuffix(" GMT").removesuffix("Z").replace(" ", "T")
    for candidate in (text, text[:19], text[:10]):
        try:
            parsed = datetime.fromisoformat(candidate)
        except ValueError:
            continue
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def effective_date(
    recorded: datetime | None, headers: Mapping[str, str], body: Any
) -> datetime | None:
    """When the answer was made: never before the object it returns was created (one
    reference cassette carries a stale ``Date`` from before the object existed)."""
    candidates = [recorded or parse_date(headers.get("date"))]
    if isinstance(body, dict) and isinstance(body.get("created_at"), int):
        candidates.append(datetime.fromtimestamp(body["created_at"], UTC))
    known = [c for c in candidates if c is not None]
    return max(known) if known else None


# -- bodies and headers --------------------------------------------------------------------


def as_bytes(body: object, *, compact: bool = False) -> bytes:
    """A recorded body as bytes: kept as recorded, or JSON written out (``compact``: as the
    SDKs send it, for formats that store a request body as a JSON value)."""
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    separators = (",", ":") if compact else None
    return json.dumps(body, separators=separators, ensure_ascii=False).encode()


def brotli_module() -> Any | None:
    """The importable brotli binding, if any: brotli bodies are decoded only with one."""
    for name in ("brotli", "brotlicffi"):
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


def decompress(encoding: str, data: bytes) -> bytes | None:
    """``data`` decoded from one ``Content-Encoding`` (gzip, deflate, br), or None when it
    cannot be decoded here (corrupt, an unknown encoding, brotli without a binding)."""
    try:
        if encoding in ("gzip", "x-gzip"):
            return gzip.decompress(data)
        if encoding == "deflate":
            return zlib.decompress(data)
        brotli = brotli_module() if encoding == "br" else None
        return None if brotli is None else bytes(brotli.decompress(data))
    except Exception:  # each binding raises its own error type for a corrupt body
        return None


def decode_body(raw: object, headers: Mapping[str, str]) -> tuple[Any, str | None]:
    """(parsed JSON, None) or (None, why it cannot be read).

    Text bodies were stored decoded; bytes are decoded by their ``Content-Encoding``, and
    gzip's magic number is trusted whatever the header says (some recorders drop it).
    """
    if isinstance(raw, dict | list):
        return raw, None
    data = as_bytes(raw)
    encoding = headers.get("content-encoding", "").lower() if isinstance(raw, bytes) else ""
    if data[:2] == b"\x1f\x8b":
        encoding = "gzip"
    if encoding in ("gzip", "x-gzip", "deflate", "br"):
        decoded = decompress(encoding, data)
        if decoded is None:
            return None, f"undecodable {encoding} body"
        data = decoded
    if not data:
        return None, "empty body"
    try:
        return json.loads(data.decode("utf-8")), None
    except (UnicodeDecodeError, ValueError):
        return None, "body is not JSON"
    except RecursionError:
        return None, "body is JSON nested too deeply"


def response_text(raw: object) -> str | None:
    """A recorded response body as text (decompressed when stored compressed), or None
    when the recording kept it parsed or it is no UTF-8 text."""
    if isinstance(raw, str):
        return raw
    if not isinstance(raw, bytes):
        return None
    data = raw
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def response_layout(raw: object, headers: Mapping[str, str], parsed: Any) -> str | None:
    """The recorded answer's layout: from its kept bytes, else from its Content-Length."""
    from pytest_assistants.evidence.comparison import layout_from_length, layout_of

    kept = raw if isinstance(raw, str | bytes) and raw[:2] != b"\x1f\x8b" else None
    return layout_of(kept, parsed) or layout_from_length(headers, parsed)


# -- readers -------------------------------------------------------------------------------


def _files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        yield from sorted(p for p in path.rglob("*") if p.suffix in CASSETTE_SUFFIXES)
    elif path.exists():
        yield path
    else:
        raise RecordingError(f"{path}: no such file or directory")


def split_selector(spec: str) -> tuple[Path, dict[str, str]]:
    """``PATH?key=value&...`` -> (path, selector); an existing path is never split."""
    if Path(spec).exists() or "?" not in spec:
        return Path(spec), {}
    raw_path, _, query = spec.rpartition("?")
    selector = dict(parse_qsl(query, keep_blank_values=True))
    unknown = sorted(set(selector) - set(SELECTOR_KEYS))
    if unknown:
        raise RecordingError(
            f"{spec}: unknown selector {', '.join(unknown)}; use {', '.join(SELECTOR_KEYS)}"
        )
    for key in ("since", "until"):
        if key in selector and parse_date(selector[key]) is None:
            raise RecordingError(f"{spec}: {key}={selector[key]!r} is not a date (YYYY-MM-DD)")
    return Path(raw_path), selector


def selected(interaction: Interaction, selector: Mapping[str, str]) -> bool:
    for key, value in selector.items():
        if key in ("since", "until"):
            when, bound = interaction.recorded_at, parse_date(value)
            if when is None or bound is None or (when < bound) != (key == "until"):
                return False
        elif key == "beta":
            if (interaction.beta or "") != value.removeprefix("assistants="):
                return False
        elif key == "source":
            if value not in interaction.source:
                return False
        elif key == "operation":
            if interaction.operation != routes.ALIASES.get(value, value):
                return False
        elif str(getattr(interaction, key)).lower() != value.lower():
            return False
    return True


def load(specs: Iterable[str], *, profile: str | None = None) -> list[Interaction]:
    """Every interaction of the given paths (with selectors), each with its profile."""
    from pytest_assistants.evidence.eras import assign_profiles
    from pytest_assistants.evidence.formats import read_recording

    out: list[Interaction] = []
    for spec in specs:
        path, selector = split_selector(str(spec))
        for file in _files(path):
            _, interactions = read_recording(file)
            _date_undated(interactions)
            if profile:
                for interaction in interactions:
                    interaction.profile, interaction.profile_reason = profile, "--profile"
            else:
                assign_profiles(interactions)
            for interaction in interactions:
                if selected(interaction, selector):
                    out.append(interaction)
    return out


def _date_undated(interactions: list[Interaction]) -> None:
    """An answer without a date of its own (a delete carries no ``created_at``, vcrpy may
    drop the ``Date`` header) was made when its neighbours in the same session were."""
    by_source: dict[str, list[Interaction]] = {}
    for interaction in interactions:
        by_source.setdefault(interaction.source, []).append(interaction)
    for group in by_source.values():
        group.sort(key=lambda i: i.index)
        for ordered in (group, group[::-1]):
            last: datetime | None = None
            for interaction in ordered:
                if interaction.recorded_at is None:
                    interaction.recorded_at = last
                last = interaction.recorded_at


def sessions(interactions: Iterable[Interaction]) -> list[list[Interaction]]:
    """One recorded session per cassette / ``file`` and profile, in ``index`` order.

    A cassette re-recorded in a later era (Ruby VCR appends) holds one session per era.
    """
    grouped: dict[tuple[str, str], list[Interaction]] = {}
    for interaction in interactions:
        grouped.setdefault((interaction.source, interaction.profile), []).append(interaction)
    return [sorted(group, key=lambda i: i.index) for group in grouped.values()]
