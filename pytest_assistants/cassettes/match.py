"""How a request is matched to a recorded one, and what a miss says.

A request is identified by a key of six parts; two requests match when their keys are
equal. The same key indexes a cassette (constant-time replay) and feeds vcrpy's matchers
(one per part, so vcrpy's own tools still explain differences). User-agent,
``x-stainless-*`` and auth headers are not part of it: they change with SDK versions and
keys, not with what the call means.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

KEY_PARTS = ("method", "host", "path", "query", "openai_beta", "json_body")
LABELS = {
    "method": "method",
    "host": "host",
    "path": "path",
    "query": "query",
    "openai_beta": "OpenAI-Beta header",
    "json_body": "JSON body",
}
MAX_DIFF_LINES = 30


def _normalise(value: Any) -> Any:
    """1 and 1.0 are the same JSON number to the server; key order is nobody's business."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _normalise(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalise(item) for item in value]
    return value


def body_bytes(request: Any) -> bytes:
    body = getattr(request, "body_bytes", request.body)
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        return bytes(body.read())
    if isinstance(body, dict | list):  # vcrpy's aiohttp stub keeps ``json=`` as given
        return json.dumps(body).encode("utf-8")
    return bytes(body)


def canonical_body(raw: bytes) -> tuple[str, Any]:
    if not raw.strip():
        return ("empty", "")
    try:  # nested too deep for Python's stack: compared as the bytes sent (the fake says 400)
        parsed = json.loads(raw)
        return ("json", json.dumps(_normalise(parsed), sort_keys=True, separators=(",", ":")))
    except (ValueError, RecursionError):
        return ("raw", raw)


def beta_header(request: Any) -> str | None:
    """The ``OpenAI-Beta`` value; None on Azure's ``/openai/`` paths, where the
    ``api-version`` query (part of the key) decides and the header tells nothing apart."""
    if str(getattr(request, "path", "") or "").startswith("/openai/assistants"):
        return None
    value = request.headers.get("OpenAI-Beta")
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return None if value is None else str(value).strip()


PART_OF: dict[str, Callable[[Any], Any]] = {
    "method": lambda r: str(r.method).upper(),
    "host": lambda r: (r.host or "").lower(),
    "path": lambda r: r.path or "/",
    "query": lambda r: tuple(r.query),
    "openai_beta": beta_header,
    "json_body": lambda r: canonical_body(body_bytes(r)),
}


def request_key(request: Any) -> tuple[Any, ...]:
    return tuple(PART_OF[part](request) for part in KEY_PARTS)


def describe(part: str, recorded: Any, new: Any) -> str:
    if part != "json_body":
        return f"{LABELS[part]}: recorded {_shown(recorded)}, this request {_shown(new)}"
    old_lines, new_lines = _body_lines(recorded), _body_lines(new)
    diff = list(
        difflib.unified_diff(old_lines, new_lines, "recorded", "this request", n=1, lineterm="")
    )
    if len(diff) > MAX_DIFF_LINES:
        diff = [*diff[:MAX_DIFF_LINES], f"... ({len(diff) - MAX_DIFF_LINES} more lines)"]
    return "JSON body differs (keys compared in any order):\n" + "\n".join(
        f"      {line}" for line in diff
    )


def _shown(value: Any) -> str:
    if value is None:
        return "(absent)"
    if isinstance(value, tuple):
        return repr(list(value))
    return repr(value)


def _body_lines(canonical: tuple[str, Any]) -> list[str]:
    kind, value = canonical
    if kind == "json":
        return json.dumps(json.loads(value), indent=2, sort_keys=True).splitlines()
    if kind == "raw":
        return [repr(value)]
    return ["(no body)"]


def matchers() -> dict[str, Callable[[Any, Any], None]]:
    """One vcrpy matcher per key part (vcrpy calls them with the new request first)."""

    def make(part: str) -> Callable[[Any, Any], None]:
        get = PART_OF[part]

        def matcher(new: Any, recorded: Any) -> None:
            a, b = get(new), get(recorded)
            if a != b:
                raise AssertionError(describe(part, b, a))

        matcher.__name__ = f"assistants_{part}"
        return matcher

    return {part: make(part) for part in KEY_PARTS}


def closest_message(cassette: Any, request: Any) -> str:
    """Why nothing in the cassette answers ``request``, naming the closest recording."""
    key = request_key(request)
    path = Path(cassette._path)
    mode = getattr(cassette, "mode_name", "none")
    head = [
        f"pytest-assistants: no recorded interaction answers {request.method} {request.uri}",
        f"  cassette: {path} ({len(cassette.data)} interactions, record mode {mode})",
    ]
    if not cassette.data:
        if not path.exists():
            head.append("  the cassette file does not exist yet.")
        return "\n".join([*head, _advice(cassette)])
    best: tuple[tuple[int, int], int, list[str]] | None = None
    for position, (stored, _) in enumerate(cassette.data):
        stored_key = request_key(stored)
        differing = [p for p, a, b in zip(KEY_PARTS, stored_key, key, strict=True) if a != b]
        rank = (len(differing), 1 if cassette.play_counts[position] else 0)
        if best is None or rank < best[0]:
            best = (rank, position, differing)
    assert best is not None
    _, position, differing = best
    stored = cassette.data[position][0]
    where = f"interaction #{position + 1} ({stored.method} {stored.uri})"
    if not differing:
        lines = [
            f"  it matches {where}, which was already replayed: each recorded interaction"
            " answers once, in order.",
        ]
    else:
        stored_key = request_key(stored)
        lines = [f"  closest: {where}, which differs in:"]
        for part in differing:
            index = KEY_PARTS.index(part)
            lines.append("    " + describe(part, stored_key[index], key[index]))
    return "\n".join([*head, *lines, _advice(cassette)])


def _advice(cassette: Any) -> str:
    if getattr(cassette, "shipped", False):
        return (
            "  Shipped cassettes replay only: send the documented request, or record your"
            " own cassette (drop the name from @pytest.mark.assistants_cassette)."
        )
    metadata = getattr(cassette, "_metadata", None) or {}
    if not cassette.data:
        return (
            "  Replay never reaches the network. To record this cassette, run with"
            " --assistants-record-mode=once (with the assistants_fake fixture to record"
            " the fake)."
        )
    if metadata.get("synthetic"):
        return (
            "  This cassette was recorded from the fake: with the assistants_fake fixture"
            " active, run with --assistants-record-mode=new_episodes to add this request"
            " (the fake takes in what the cassette replays, so it answers as in one"
            " session), or --assistants-record-mode=all to record the test again whole."
        )
    return (
        "  This cassette holds a provider's answers. Replay never reaches the network:"
        " --assistants-record-mode=new_episodes records this request from the live"
        " endpoint with its API key set (OpenAI's Assistants API was shut down on"
        " 2026-08-26), or from the fake with the assistants_fake fixture active (the"
        " cassette is then partly synthetic)."
    )
