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
"""

from __future__ import annotations

import json
import json.encoder
from typing import Any

_escape: Any = json.encoder.encode_basestring  # the C escaper behind ensure_ascii=False
_float_repr = float.__repr__
_int_repr = int.__repr__
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_KEY_CACHE_SIZE = 512
_KEYS: dict[str, str] = {}  # key -> its escaped form and ": " (field names repeat)


class _OffPath(Exception):
    """A value the fast path does not format: let ``json.dumps`` do it."""


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return _float_repr(value)


def _format(value: Any, indent: str) -> str:
    kind = type(value)
    if kind is str:
        return _escape(value)  # type: ignore[no-any-return]
    if kind is dict:
        return _format_dict(value, indent) if value else "{}"
    if kind is list:
        if not value:
            return "[]"
        inner = indent + "  "
        return "[" + inner + ("," + inner).join([_format(v, inner) for v in value]) + indent + "]"
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


def _format_dict(value: dict[Any, Any], indent: str) -> str:
    inner = indent + "  "
    members: list[str] = []
    add = members.append
    for key, item in value.items():
        name = _KEYS.get(key) if type(key) is str else None
        if name is None:
            name = _key(key)
        # The common leaves inline: a call per member is most of the cost.
        kind = type(item)
        if kind is str:
            add(name + _escape(item))
        elif item is None:
            add(name + "null")
        else:
            add(name + _format(item, inner))
    return "{" + inner + ("," + inner).join(members) + indent + "}"


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
        text = _format(value, "\n")
    except (_OffPath, RecursionError):
        text = json.dumps(value, indent=2, ensure_ascii=False)
    return text.encode()


def compact(value: Any) -> bytes:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()``.

    One encoder reused: ``json.dumps`` with options builds a new one on every call.
    """
    return _COMPACT.encode(value).encode()
