"""Answer bytes and request bodies, with the standard library's ``json`` and nothing else.

Real OpenAI answers are pretty-printed with two-space indents (§5.3): :func:`dumps` gives
exactly ``json.dumps(indent=2)``'s bytes, or compact ones where a profile says so. Request
bodies are strict JSON with the providers' verdict (:func:`parse_json_object`).
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

from pytest_assistants.service import errors

# Our limit (no provider evidence): deeper bodies get the malformed-JSON 400. Without it the
# parser's own limit would depend on the caller's stack depth, and a stored object nested
# hundreds of levels deep breaks copying, snapshots and SDK parsing later on.
MAX_JSON_DEPTH = 100


# json.dumps / json.loads with options build a new encoder / decoder on every call; these
# are built once (the same classes, through their public API).
PRETTY = json.JSONEncoder(indent=2, ensure_ascii=False)
COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(payload: Any, *, pretty: bool = True) -> bytes:
    """The answer body: two-space indents as OpenAI sent them, or compact."""
    return (PRETTY if pretty else COMPACT).encode(payload).encode()


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


STRICT = json.JSONDecoder(parse_constant=_reject_constant)  # no NaN / Infinity


def _unservable(value: Any) -> bool:
    """Nested deeper than MAX_JSON_DEPTH, or a string with a lone surrogate (``"\\ud800"``
    parses but is no Unicode text: it could be neither stored as UTF-8 nor echoed back)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if not item.isascii() and not _is_utf8(item):
                return True
        elif isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                return True
            children = [*item, *item.values()] if isinstance(item, dict) else item
            stack.extend([(child, depth + 1) for child in children])
    return False


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """Strict JSON: UTF-8 text (no lone surrogate escapes), no NaN/Infinity, an object at the
    top, at most MAX_JSON_DEPTH levels of nesting. Anything else is 400."""
    try:
        value = STRICT.decode(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        raise errors.malformed_json() from None
    if not isinstance(value, dict) or _unservable(value):
        raise errors.malformed_json()
    return value
