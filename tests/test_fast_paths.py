"""The speed-ups keep the bytes and verdicts of the plain code they replace.

Each fast path (see bench/RESULTS.md) is checked against the straightforward stdlib
expression it stands in for, on generated JSON as well as on the odd cases.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_assistants.service import wire as wirejson
from pytest_assistants.service.router import MAX_JSON_DEPTH, Call, parse_json_object
from pytest_assistants.service.wire import _deeper_than, _unservable

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


def reference_pretty(value: Any) -> bytes:
    return json.dumps(value, indent=2, ensure_ascii=False).encode()


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_pretty_is_byte_identical_to_json_dumps(value: Any) -> None:
    assert wirejson.pretty(value) == reference_pretty(value)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_compact_is_byte_identical_to_json_dumps(value: Any) -> None:
    expected = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    assert wirejson.compact(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        {7: "int key", 2.5: "float key", True: "bool key", None: "null key"},
        {"tuple": (1, [2, (3,)])},
        [math.nan, math.inf, -math.inf, -0.0, 1e300, 10**40],
        {"é": "ünïcode", "quote": '"', "control": "\x00\x1f\n\t"},
        {"nested": {"empty": {}, "list": [], "deep": [[[{"a": [{}]}]]]}},
        "",
        [],
        {},
    ],
    ids=["non-str-keys", "tuples", "floats", "escapes", "empties", "str", "list", "dict"],
)
def test_pretty_matches_json_dumps_off_the_common_path(value: Any) -> None:
    assert wirejson.pretty(value) == reference_pretty(value)


def test_pretty_falls_back_for_what_json_dumps_refuses() -> None:
    with pytest.raises(TypeError):
        wirejson.pretty({"a": {1, 2}})
    with pytest.raises(UnicodeEncodeError):  # as json.dumps(...).encode() does
        wirejson.pretty({"lone surrogate": "\ud800"})


@settings(max_examples=200, deadline=None)
@given(json_values, st.integers(min_value=1, max_value=4))
def test_depth_check_agrees_with_the_full_walk(value: Any, limit: int) -> None:
    """Without lone surrogates (the text-level pre-check rules them out), both agree."""
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return  # holds a lone surrogate: the full walk decides, not this fast path
    assert _deeper_than(value, limit) == _unservable(value, limit)


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        (b'{"name": "\\ud800"}', False),  # lone surrogate escape
        (b'{"name": "\\ud83d\\ude00"}', True),  # a proper pair
        (b'{"name": "\\\\ud800"}', True),  # an escaped backslash, not an escape
        (b'{"a": ' + b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH + b"}", False),
        (b'{"a": ' + b"[" * (MAX_JSON_DEPTH - 1) + b"]" * (MAX_JSON_DEPTH - 1) + b"}", True),
    ],
    ids=["lone-surrogate", "pair", "escaped-backslash", "too-deep", "deepest-allowed"],
)
def test_parse_json_object_verdicts(raw: bytes, ok: bool) -> None:
    if ok:
        assert parse_json_object(raw) == json.loads(raw)
    else:
        with pytest.raises(Exception, match="parse the JSON body"):
            parse_json_object(raw)


@pytest.mark.parametrize(
    ("body", "expected"),
    [(b'{"name": "x"}', {"name": "x"}), (b"", None), (b"{not json", None), (b"[1]", [1])],
)
def test_journal_json_is_parsed_from_the_body_on_access(body: bytes, expected: Any) -> None:
    call = Call("POST", "https://api.openai.com/v1/assistants", (), body, 200, b"", "openai", None)
    assert call.json == expected
    assert call.json is not call.json or expected is None  # a fresh copy on every read
