"""Answer bytes and request bodies.

Real OpenAI answers are pretty-printed with two-space indents (§5.3): :func:`dumps` gives
exactly ``json.dumps(indent=2)``'s bytes, or compact ones where a profile says so. Request
bodies are strict JSON with the providers' verdict (:func:`read_json`).

The standard library's encoder pretty-prints in pure Python (its C encoder only writes
compact JSON), which was about 5% of an SDK call; orjson writes the same bytes in C for
every value :func:`orjson_writes_the_same` accepts, and ``json`` writes the rest.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, NoReturn

import orjson

from pytest_assistants.service import errors

if TYPE_CHECKING:
    from collections.abc import Mapping

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
    if orjson_writes_the_same(payload):
        try:
            written = orjson.dumps(payload, option=orjson.OPT_INDENT_2 if pretty else None)
        except orjson.JSONEncodeError:  # an int beyond 64 bits, or nested beyond its limit
            pass
        else:
            # A copy of the exact length: orjson's bytes keep its whole write buffer (4 KiB
            # and more), and the journal keeps every answer, so each call would hold pages.
            return bytes(memoryview(written))
    return (PRETTY if pretty else COMPACT).encode(payload).encode()


PLAIN_SCALARS = frozenset({str, int, bool, type(None)})


def orjson_writes_the_same(value: Any) -> bool:
    """Whether orjson's bytes for ``value`` are ``json``'s: plain JSON types only (no
    subclasses, which ``json`` and orjson treat differently), and no float
    that Python writes with an exponent (``repr`` does below 1e-4 and from 1e16: ``1e-05``,
    where orjson writes ``0.00001``) or as NaN / Infinity. ``tests/service/test_wire_bytes.py``
    holds the two writers to the same bytes. Scalars are checked where they are met: only
    containers and floats wait on the stack (an answer is mostly strings and numbers)."""
    stack = [value]
    pop, push = stack.pop, stack.append
    while stack:
        item = pop()
        kind = type(item)
        if kind is dict:  # its keys: orjson refuses any but str, and json writes those
            for child in item.values():
                if type(child) not in PLAIN_SCALARS:
                    push(child)
        elif kind is list:
            for child in item:
                if type(child) not in PLAIN_SCALARS:
                    push(child)
        elif kind is float:
            if not (item == 0 or 1e-4 <= abs(item) < 1e16):  # NaN and infinities fail too
                return False
        elif kind not in PLAIN_SCALARS:
            return False
    return True


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
            if not _is_text(item):
                return True
        elif isinstance(item, dict):
            if depth > MAX_JSON_DEPTH:
                return True
            for key, child in item.items():
                if not _is_text(key):
                    return True
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            if depth > MAX_JSON_DEPTH:
                return True
            for child in item:
                stack.append((child, depth + 1))
    return False


def _is_text(text: str) -> bool:
    """Whether ``text`` is Unicode text (UTF-8 can hold it: no lone surrogate)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# Digits kept as "0", everything else as " ": 19 digits in a row show as NINETEEN_DIGITS.
DIGITS_ONLY = bytes(48 if 48 <= byte <= 57 else 32 for byte in range(256))
NINETEEN_DIGITS = b"0" * 19


def _decode(body: bytes) -> Any:
    """``json``'s reading of ``body`` (strict, UTF-8), done by orjson in C where the two
    agree. Where orjson refuses a body (a number past a double such as 1e400, a lone
    surrogate escape: json reads both, and the checks after refuse the second) json gives
    the verdict; where orjson would read other values (an integer past 64 bits becomes a
    float there: 19 digits in a row) json reads it. ``tests/service/test_wire.py`` holds
    the two readings to the same values."""
    if NINETEEN_DIGITS not in body.translate(DIGITS_ONLY):
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            pass
    return STRICT.decode(body.decode("utf-8"))


def read_json(body: bytes, headers: Mapping[str, str], limit: int) -> dict[str, Any]:
    """A request body as the provider reads it: strict JSON (UTF-8 text, no lone surrogate
    escapes, no NaN / Infinity), an object at the top, at most MAX_JSON_DEPTH levels deep;
    anything else is the 400. Past ``limit`` bytes (the ``max_body_bytes`` choice; a declared
    Content-Length counts, the server reads no more than that) our 413."""
    declared = headers.get("content-length", "")
    if len(body) > limit or (declared.isdigit() and int(declared) > limit):
        raise errors.body_too_large(limit)
    try:
        value = _decode(body)
    except (ValueError, RecursionError):
        raise errors.malformed_json() from None
    if not isinstance(value, dict):
        raise errors.malformed_json()
    # A lone surrogate can only come from a \\u escape (the bytes were valid UTF-8), and no
    # body nests deeper than it has brackets: most bodies need no walk at all.
    shallow = body.count(b"{") + body.count(b"[") <= MAX_JSON_DEPTH
    if (b"\\u" in body or not shallow) and _unservable(value):
        raise errors.malformed_json()
    return value
