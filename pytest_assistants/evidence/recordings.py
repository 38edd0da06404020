"""Read recorded HTTP interactions into one shape, whatever wrote them.

Formats: vcrpy cassettes (``interactions:``; ours with ``metadata``: source, profile,
``not_comparable``), Ruby VCR / R vcr cassettes (``http_interactions:``) and the JSONL of
the reference recordings (one interaction per line, ``file`` + ``index`` naming its
session). A path may be a directory (read recursively) and may carry a selector after
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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

ASSISTANTS_OPERATIONS = ("create", "retrieve", "modify", "list", "delete")
CASSETTE_SUFFIXES = (".yaml", ".yml", ".jsonl")
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
    recorded_at: datetime | None = None
    profile_hint: str | None = None
    profile: str = ""
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
        """(operation, assistant id): an assistants operation, ``assistant_sub:<name>`` for
        a sub-resource of an assistant, or ``other:<first path segment>``."""
        segments = [s for s in self.path.split("/") if s]
        if segments[:2] == ["openai", "assistants"]:  # Azure OpenAI (§13)
            segments = segments[1:]
        if segments and segments[0] == "v1":
            segments = segments[1:]
        if not segments or segments[0] != "assistants":
            return f"other:{segments[0] if segments else '/'}", None
        method = self.method.upper()
        if len(segments) == 1:
            return {"GET": "list", "POST": "create"}.get(method, f"other:{method}"), None
        assistant_id = segments[1]
        if len(segments) > 2:
            return f"assistant_sub:{segments[2]}", assistant_id
        operation = {"GET": "retrieve", "POST": "modify", "PATCH": "modify", "DELETE": "delete"}
        return operation.get(method, f"other:{method}"), assistant_id

    @property
    def operation(self) -> str:
        return self.route[0]

    @property
    def where(self) -> str:
        return f"{self.source}#{self.index}"


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


def _headers(raw: object) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        return {}
    out: dict[str, str] = {}
    for name, value in raw.items():
        values = value if isinstance(value, list) else [value]
        out[str(name).lower()] = ", ".join(str(v) for v in values)
    return out


def _as_bytes(body: object) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body, ensure_ascii=False).encode()


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
    data = _as_bytes(raw)
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


# -- readers -------------------------------------------------------------------------------


def _load_yaml(path: Path) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=loader)
    except yaml.YAMLError as error:
        raise RecordingError(f"{path}: not valid YAML ({error})") from None


def _status(raw: object) -> int:
    if isinstance(raw, Mapping):
        raw = raw.get("code", raw.get("status_code"))
    try:
        return int(raw)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return 0


def _body_field(raw: object) -> object:
    if isinstance(raw, Mapping):
        return raw.get("string", raw.get("base64_string"))
    return raw


FAKE_SOURCE = re.compile(r"recorded from the fake, profile ([\w.@-]+)")


def _profile_hint(meta: Mapping[str, Any]) -> str | None:
    """``profile: NAME``, or our provenance text ``recorded from the fake, profile NAME``."""
    if meta.get("profile"):
        return str(meta["profile"])
    found = FAKE_SOURCE.search(str(meta.get("source") or ""))
    return found.group(1) if found else None


def _declared_not_comparable(meta: Mapping[str, Any]) -> tuple[str, str] | None:
    """Metadata ``not_comparable: {reason, detail}``: a documentation example, kept
    verbatim, says itself why it is not what the live API answered."""
    declared = meta.get("not_comparable")
    if isinstance(declared, Mapping) and declared.get("reason"):
        return str(declared["reason"]), str(declared.get("detail") or "")
    return None


def read_cassette(path: Path) -> list[Interaction]:
    """A vcrpy (``interactions``) or Ruby/R VCR (``http_interactions``) cassette."""
    document = _load_yaml(path)
    if not isinstance(document, Mapping):
        raise RecordingError(f"{path}: a cassette is a mapping with an 'interactions' list")
    entries = document.get("interactions", document.get("http_interactions"))
    if not isinstance(entries, list):
        raise RecordingError(f"{path}: no 'interactions' (vcrpy) or 'http_interactions' list")
    provenance: dict[str, Any] = {}
    for key in ("metadata", "provenance"):  # ours writes ``metadata``; either may name a profile
        if isinstance(document.get(key), Mapping):
            provenance.update(document[key])
    out = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("request"), Mapping):
            raise RecordingError(f"{path}: interaction {number} has no 'request' mapping")
        request, response = entry["request"], entry.get("response") or {}
        meta = dict(provenance)
        if isinstance(entry.get("provenance"), Mapping):
            meta.update(entry["provenance"])
        request_headers = _headers(request.get("headers"))
        response_headers = _headers(response.get("headers"))
        body, problem = decode_body(_body_field(response.get("body")), response_headers)
        recorded = parse_date(entry.get("recorded_at") or meta.get("recorded_at"))
        out.append(
            Interaction(
                source=str(path),
                index=number,
                method=str(request.get("method", "GET")).upper(),
                url=str(request.get("uri", "")),
                status=_status(response.get("status")),
                request_headers=request_headers,
                request_body=_as_bytes(_body_field(request.get("body"))),
                response_headers=response_headers,
                response_json=body,
                response_problem=problem,
                recorded_at=effective_date(recorded, response_headers, body),
                profile_hint=_profile_hint(meta),
                declared_not_comparable=_declared_not_comparable(meta),
            )
        )
    return out


def read_jsonl(path: Path) -> list[Interaction]:
    """The reference recordings' JSONL (fields in their INDEX.md)."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            raise RecordingError(f"{path}:{number}: not a JSON line") from None
        response_headers = _headers(row.get("response_headers"))
        body, problem = decode_body(row.get("response_body"), response_headers)
        recorded = parse_date(row.get("recorded_at"))
        if recorded is None and not response_headers.get("date"):
            recorded = parse_date(str(row.get("commit_date") or "")[:10])
        out.append(
            Interaction(
                source=str(row.get("file") or path),
                index=int(row.get("index", number)),
                method=str(row.get("method", "GET")).upper(),
                url=str(row.get("uri", "")),
                status=int(row.get("status") or 0),
                request_headers=_headers(row.get("request_headers")),
                request_body=_as_bytes(row.get("request_body")),
                response_headers=response_headers,
                response_json=body,
                response_problem=problem,
                recorded_at=effective_date(recorded, response_headers, body),
                profile_hint=row.get("profile"),
            )
        )
    return out


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
        elif str(getattr(interaction, key)).lower() != value.lower():
            return False
    return True


def load(specs: Iterable[str], *, profile: str | None = None) -> list[Interaction]:
    """Every interaction of the given paths (with selectors), each with its profile."""
    from pytest_assistants.evidence.eras import choose_profile

    out: list[Interaction] = []
    for spec in specs:
        path, selector = split_selector(str(spec))
        for file in _files(path):
            reader = read_jsonl if file.suffix == ".jsonl" else read_cassette
            interactions = reader(file)
            _date_undated(interactions)
            for interaction in interactions:
                interaction.profile = profile or choose_profile(interaction)
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
