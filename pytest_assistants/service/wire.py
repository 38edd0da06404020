"""The bytes of a JSON answer, fast: pretty-printing was the fake's costliest step.

Real OpenAI answers are pretty-printed with two-space indents, and the fake keeps those
bytes exactly. ``json.dumps(indent=2)`` cannot use CPython's C encoder (it only handles
``indent=None``) and walks a chain of generators instead: ~40% of a modify's time.
:func:`pretty` builds the same text with plain recursion and the C string escaper, in
under half the time. (Handing flat containers to the C encoder with indent-carrying
separators was tried too: slower for objects of this size, the per-call set-up wins.)

The output is byte-identical to ``json.dumps(value, indent=2, ensure_ascii=False)``;
anything off the plain-JSON path (a non-string key, a subclass, a tuple) falls back to
``json.dumps`` itself, so odd input costs time, never correctness.

Request bodies are read here too (:func:`parse_json_object`): strict JSON with the
provider's verdicts, by the stdlib's own C scanner.
"""

from __future__ import annotations

import json
import json.encoder
import re
from typing import Any

from pytest_assistants.service import errors

_escape: Any = json.encoder.encode_basestring  # the C escaper behind ensure_ascii=False
_float_repr = float.__repr__
_int_repr = int.__repr__
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_KEY_CACHE_SIZE = 512
_KEYS: dict[str, str] = {}  # key -> its escaped form and ": " (field names repeat)


class _OffPath(Exception):
    """A value the fast path does not format: let ``json.dumps`` do it."""


def _float(value: float) -> str:
    if value - value == 0.0:  # finite (inf - inf and nan - nan are nan)
        return _float_repr(value)
    if value != value:
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


# The text around a container's members at each depth, built once: three concatenations
# per container were a fifth of the cost of the small nested objects (tools, resources).
_DEPTHS = 128  # deeper values take json.dumps (request bodies stop at 100 levels)
_SEPS = tuple(",\n" + "  " * (depth + 1) for depth in range(_DEPTHS))
_OPEN_DICT = tuple("{\n" + "  " * (depth + 1) for depth in range(_DEPTHS))
_OPEN_LIST = tuple("[\n" + "  " * (depth + 1) for depth in range(_DEPTHS))
_CLOSE_DICT = tuple("\n" + "  " * depth + "}" for depth in range(_DEPTHS))
_CLOSE_LIST = tuple("\n" + "  " * depth + "]" for depth in range(_DEPTHS))


def _format(value: Any, depth: int) -> str:
    kind = type(value)
    if kind is str:
        return _escape(value)  # type: ignore[no-any-return]
    if kind is dict:
        return _format_dict(value, depth) if value else "{}"
    if kind is list:
        if not value:
            return "[]"
        inner = depth + 1
        items = _SEPS[depth].join([_format(v, inner) for v in value])
        return _OPEN_LIST[depth] + items + _CLOSE_LIST[depth]
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return _int_repr(value)
    if kind is float:
        return _float(value)
    raise _OffPath


def _format_dict(value: dict[Any, Any], depth: int) -> str:
    inner = depth + 1
    members: list[str] = []
    add = members.append
    for key, item in value.items():
        if type(key) is not str:
            raise _OffPath
        try:
            name = _KEYS[key]
        except KeyError:
            name = _key(key)
        # The common leaves inline: a call per member is most of the cost.
        kind = type(item)
        if kind is str:
            add(name + _escape(item))
        elif item is None:
            add(name + "null")
        elif kind is int:
            add(name + _int_repr(item))
        elif kind is float and item - item == 0.0:  # finite
            add(name + _float_repr(item))
        else:
            add(name + _format(item, inner))
    return _OPEN_DICT[depth] + _SEPS[depth].join(members) + _CLOSE_DICT[depth]


def _key(key: Any) -> str:
    if type(key) is not str:
        raise _OffPath
    name: str = _escape(key) + ": "
    if len(_KEYS) < _KEY_CACHE_SIZE:  # user metadata keys may not repeat: bounded
        _KEYS[key] = name
    return name


def pretty(value: Any) -> bytes:
    """``json.dumps(value, indent=2, ensure_ascii=False).encode()``, byte for byte."""
    try:
        text = _format(value, 0)
    except (_OffPath, RecursionError, IndexError):  # IndexError: deeper than _DEPTHS
        text = json.dumps(value, indent=2, ensure_ascii=False)
    return text.encode()


def compact(value: Any) -> bytes:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()``.

    One encoder reused: ``json.dumps`` with options builds a new one on every call.
    """
    return _COMPACT.encode(value).encode()


# -- request bodies ------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


# Our limit (no provider evidence): deeper bodies get the malformed-JSON 400. Without it the
# parser's own limit would depend on the caller's stack depth, and a stored object nested
# hundreds of levels deep breaks copying, snapshots and SDK parsing later on.
MAX_JSON_DEPTH = 100


def _unservable(value: Any, limit: int) -> bool:
    """Nested deeper than ``limit``, or a string with a lone surrogate (``"\\ud800"`` parses
    but is no Unicode text: it could be neither stored as UTF-8 nor echoed in an error)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    return True
        elif isinstance(item, (dict, list)):
            if depth > limit:
                return True
            if isinstance(item, dict):
                stack.extend((key, depth) for key in item)
                stack.extend((child, depth + 1) for child in item.values())
            else:
                stack.extend((child, depth + 1) for child in item)
    return False


def _deeper_than(value: Any, limit: int) -> bool:
    """The depth half of ``_unservable``, level by level over containers only: a flat body
    costs one pass over its values instead of a stack entry per key and value."""
    level, depth = ([value] if isinstance(value, (dict, list)) else []), 1
    while level:
        if depth > limit:
            return True
        deeper = []
        for item in level:
            for child in item.values() if isinstance(item, dict) else item:
                if isinstance(child, (dict, list)):
                    deeper.append(child)
        level, depth = deeper, depth + 1
    return False


# One decoder reused: json.loads with an option builds a new JSONDecoder on every call. Its
# scanner is called directly: ``decode`` adds two method calls and a whitespace match.
_STRICT_JSON = json.JSONDecoder(parse_constant=_reject_constant)
_SCAN: Any = _STRICT_JSON.scan_once  # type: ignore[attr-defined]
_LEAF_TYPES = frozenset((str, int, float, bool, type(None)))
_SPACE: Any = re.compile(r"[ \t\n\r]*").match  # json.decoder's WHITESPACE: always matches


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """Strict JSON: UTF-8 text (no lone surrogate escapes), no NaN/Infinity, an object at the
    top, at most MAX_JSON_DEPTH levels of nesting. Anything else is 400."""
    try:
        text = raw.decode("utf-8")
        value, end = _SCAN(text, 0 if text.startswith("{") else _SPACE(text, 0).end())
        if end != len(text) and _SPACE(text, end).end() != len(text):
            raise ValueError("extra data")
    except (ValueError, RecursionError, StopIteration):
        raise errors.malformed_json() from None
    if not isinstance(value, dict):
        raise errors.malformed_json()
    # Same verdict, cheaper: strict UTF-8 decoding never yields a surrogate, so only a \u
    # escape can bring one in; text without any needs the depth check alone, and an object
    # of plain values (most bodies) is one level deep.
    if "\\u" in text:
        if _unservable(value, MAX_JSON_DEPTH):
            raise errors.malformed_json()
    elif not _LEAF_TYPES.issuperset(map(type, value.values())) and _deeper_than(
        value, MAX_JSON_DEPTH
    ):
        raise errors.malformed_json()
    return value
