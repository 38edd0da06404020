"""Readers of the recording formats other projects keep, so their old recordings count.

Ruby VCR and R vcr YAML (``http_interactions``) and vcrpy YAML (``interactions``) are read
by :func:`pytest_assistants.evidence.recordings.read_cassette`; this module adds the JSON
formats and tells them all apart by content, not by file name:

- Azure SDK test-proxy JSON (``{"Entries": [...], "Variables": {...}}``), which is also the
  format of the .NET ``SessionRecords`` of openai-dotnet and Azure.AI.OpenAI;
- ExVCR JSON (Elixir): a list of ``{"request": {...}, "response": {...}}``;
- the reference recordings' JSONL (one interaction per line).

Every reader returns :class:`Interaction` objects, so ``conformance``, ``diff`` and
``cassettes import`` read every format the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pytest_assistants.evidence.recordings import (
    Interaction,
    RecordingError,
    as_bytes,
    decode_body,
    effective_date,
    parse_date,
    response_layout,
    response_text,
)
from pytest_assistants.evidence.uploads import joined_lines

if TYPE_CHECKING:
    from pathlib import Path

FORMATS = {
    "vcrpy": "vcrpy YAML (interactions)",
    "ruby-vcr": "Ruby VCR YAML (http_interactions)",
    "r-vcr": "R vcr YAML (http_interactions, status_code)",
    "azure-test-proxy": "Azure SDK test-proxy JSON (Entries)",
    "dotnet-session-records": ".NET SessionRecords JSON (Entries)",
    "exvcr": "ExVCR JSON (Elixir)",
    "reference-jsonl": "reference recordings JSONL",
}


def _load_yaml(path: Path) -> Any:
    """The data of a YAML recording, aliases and depth bounded before anything walks it."""
    from pytest_assistants.evidence.loading import CassetteError, load_file

    try:
        return load_file(path)
    except CassetteError as error:
        raise RecordingError(str(error)) from None


def _status(raw: object) -> int:
    if isinstance(raw, Mapping):
        raw = raw.get("code", raw.get("status_code"))
    try:
        return int(raw)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError, OverflowError):
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
        raw_body = _body_field(response.get("body"))
        body, problem = decode_body(raw_body, response_headers)
        recorded = parse_date(entry.get("recorded_at") or meta.get("recorded_at"))
        out.append(
            Interaction(
                source=str(path),
                index=number,
                method=str(request.get("method", "GET")).upper(),
                url=str(request.get("uri", "")),
                status=_status(response.get("status")),
                request_headers=request_headers,
                request_body=as_bytes(_body_field(request.get("body"))),
                response_headers=response_headers,
                response_json=body,
                response_problem=problem,
                response_layout=None
                if entry.get("body_layout") == "unknown"
                else response_layout(raw_body, response_headers, body),
                response_text=response_text(raw_body),
                recorded_at=effective_date(recorded, response_headers, body),
                profile_hint=_profile_hint(meta),
                declared_not_comparable=_declared_not_comparable(meta),
            )
        )
    return out


def read_jsonl(path: Path) -> list[Interaction]:
    """The reference recordings' JSONL (fields in their INDEX.md)."""
    out = []
    for number, line in enumerate(_read_text(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (ValueError, RecursionError):
            raise RecordingError(f"{path}:{number}: not a JSON line") from None
        response_headers = _headers(row.get("response_headers"))
        raw = row.get("response_body")
        streamed = bool(row.get("streaming")) and isinstance(raw, str)
        body, problem = (None, None) if streamed else decode_body(raw, response_headers)
        recorded = parse_date(row.get("recorded_at"))
        if recorded is None and not response_headers.get("date"):
            recorded = parse_date(str(row.get("commit_date") or "")[:10])
        out.append(
            Interaction(
                source=str(row.get("file") or path),
                index=int(row.get("index", number)),
                method=str(row.get("method", "GET")).upper(),
                url=str(row.get("uri") or row.get("url") or ""),  # interactions_threads: url
                status=int(row.get("status") or 0),
                request_headers=_headers(row.get("request_headers")),
                request_body=joined_lines(row.get("request_body"))
                or as_bytes(row.get("request_body")),  # .NET uploads: lines
                response_headers=response_headers,
                response_json=body,
                response_problem=problem,
                response_layout=None if streamed else response_layout(raw, response_headers, body),
                response_text=raw if streamed else None,
                streamed=streamed,
                recorded_at=effective_date(recorded, response_headers, body),
                profile_hint=row.get("profile"),
            )
        )
    return out


def _headers(raw: object) -> dict[str, str]:
    """Header maps as the formats keep them: name -> value or list, or [name, value] pairs."""
    pairs: list[tuple[object, object]] = []
    if isinstance(raw, Mapping):
        pairs = list(raw.items())
    elif isinstance(raw, list):
        pairs = [tuple(p) for p in raw if isinstance(p, list | tuple) and len(p) == 2]
    out: dict[str, str] = {}
    for name, value in pairs:
        values = value if isinstance(value, list) else [value]
        joined = ", ".join(str(v) for v in values)
        key = str(name).lower()
        out[key] = f"{out[key]}, {joined}" if key in out else joined
    return out


def _interaction(
    source: str,
    index: int,
    request: tuple[str, str, dict[str, str], object],
    response: tuple[int, dict[str, str], object],
    recorded_at: object = None,
) -> Interaction:
    method, url, request_headers, request_body = request
    status, response_headers, raw = response
    body, problem = decode_body(raw, response_headers)
    recorded = parse_date(recorded_at) or parse_date(response_headers.get("date"))
    return Interaction(
        source=source,
        index=index,
        method=method.upper(),
        url=url,
        status=status,
        request_headers=request_headers,
        request_body=as_bytes(request_body, compact=True),
        response_headers=response_headers,
        response_json=body,
        response_problem=problem,
        response_layout=response_layout(raw, response_headers, body),
        response_text=response_text(raw),
        recorded_at=effective_date(recorded, response_headers, body),
    )


def read_test_proxy(path: Path, document: Mapping[str, Any]) -> list[Interaction]:
    """Azure test-proxy / .NET SessionRecords: ``Entries`` of Request*/Response* fields."""
    out = []
    for number, entry in enumerate(document.get("Entries") or [], 1):
        if not isinstance(entry, Mapping) or "RequestUri" not in entry:
            raise RecordingError(f"{path}: entry {number} has no RequestUri")
        request = (
            str(entry.get("RequestMethod", "GET")),
            str(entry["RequestUri"]),
            _headers(entry.get("RequestHeaders")),
            entry.get("RequestBody"),
        )
        response = (
            int(entry.get("StatusCode") or 0),
            _headers(entry.get("ResponseHeaders")),
            entry.get("ResponseBody"),
        )
        out.append(_interaction(str(path), number, request, response))
    return out


def read_exvcr(path: Path, document: list[Any]) -> list[Interaction]:
    """ExVCR: ``[{"request": {url, method, headers, body}, "response": {status_code, ...}}]``."""
    out = []
    for number, entry in enumerate(document, 1):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("request"), Mapping):
            raise RecordingError(f"{path}: entry {number} has no 'request' object")
        request, response = entry["request"], entry.get("response") or {}
        raw = response.get("body")
        if response.get("binary") and isinstance(raw, str):
            raw = _binary(raw)
        out.append(
            _interaction(
                str(path),
                number,
                (
                    str(request.get("method", "get")),
                    str(request.get("url", "")),
                    _headers(request.get("headers")),
                    request.get("body") or request.get("request_body"),
                ),
                (int(response.get("status_code") or 0), _headers(response.get("headers")), raw),
            )
        )
    return out


def _binary(text: str) -> bytes:
    """ExVCR stores binary bodies as Erlang term_to_binary, base64-encoded: kept as bytes."""
    import base64

    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        return text.encode()


def detect(path: Path) -> tuple[str, Any]:
    """(format name, parsed document) of a recording file, told by its content."""
    if path.suffix == ".jsonl":
        return "reference-jsonl", None
    text = _read_text(path)
    if path.suffix == ".json" or text.lstrip()[:1] in ("{", "["):
        try:
            document = json.loads(text)
        except RecursionError:
            raise RecordingError(f"{path}: JSON nested too deeply to be a recording") from None
        except ValueError as error:
            raise RecordingError(f"{path}: not valid JSON ({error})") from None
        if isinstance(document, Mapping) and isinstance(document.get("Entries"), list):
            net = "SessionRecords" in str(path)
            return ("dotnet-session-records" if net else "azure-test-proxy"), document
        if isinstance(document, list) and all(
            isinstance(e, Mapping) and "request" in e for e in document
        ):
            return "exvcr", document
        raise RecordingError(
            f"{path}: JSON that is neither Azure test-proxy (Entries) nor ExVCR (a list of"
            " request/response objects)"
        )
    if "http_interactions" in text:
        return ("r-vcr" if "status_code" in text else "ruby-vcr"), None
    return "vcrpy", None


def _read_text(path: Path) -> str:
    """A regular file's UTF-8 text (a FIFO is never opened), or a RecordingError."""
    from pytest_assistants.evidence.loading import CassetteError, read_text

    try:
        return read_text(path)
    except CassetteError as error:
        raise RecordingError(str(error)) from None


def read_recording(path: Path) -> tuple[str, list[Interaction]]:
    """(format name, interactions) of any supported recording file; anything in it that no
    reader expected is a one-line RecordingError naming the file, never a traceback."""
    try:
        return _read_recording(path)
    except RecordingError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as error:
        reason = str(error).splitlines()[0][:200] if str(error) else ""
        raise RecordingError(
            f"{path}: not a recording this reader understands"
            f" ({type(error).__name__}{': ' + reason if reason else ''})"
        ) from None


def _read_recording(path: Path) -> tuple[str, list[Interaction]]:
    kind, document = detect(path)
    if kind == "reference-jsonl":
        return kind, read_jsonl(path)
    if kind in ("azure-test-proxy", "dotnet-session-records"):
        return kind, read_test_proxy(path, document)
    if kind == "exvcr":
        return kind, read_exvcr(path, document)
    return kind, read_cassette(path)
