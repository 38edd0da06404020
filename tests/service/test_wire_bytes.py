"""Answer bytes are ``json.dumps``'s, whichever writer wrote them (service/wire.py).

Real answers are Python's ``json.dumps(indent=2)`` bytes (§5.3): two-space indents, ``1e-05``
for small floats, non-ASCII text as UTF-8. orjson writes the same bytes in C for the values
``orjson_writes_the_same`` accepts; everything else goes to ``json``. These tests hold
``dumps`` to the standard library's bytes over any JSON value and over the values where
the two writers differ.
"""

from __future__ import annotations

import enum
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_assistants.service import wire
from pytest_assistants.service.wire import dumps, orjson_writes_the_same
from tests.expected import served_v2


def reference(value: Any, *, pretty: bool) -> bytes:
    if pretty:
        return json.dumps(value, indent=2, ensure_ascii=False).encode()
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


TEXT = st.text(st.characters(exclude_categories=["Cs"]))  # lone surrogates: no UTF-8 text
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()  # NaN, infinities, 1e-05, 1e+16, -0.0 and 5e-324 included
    | TEXT
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(value=VALUES, pretty=st.booleans())
def test_dumps_writes_jsons_bytes_for_any_json_value(value: Any, pretty: bool) -> None:
    assert dumps(value, pretty=pretty) == reference(value, pretty=pretty)


class Colour(enum.IntEnum):
    RED = 1


class Name(str):
    pass


@pytest.mark.parametrize(
    "value",
    [
        1e-05,  # json: 1e-05; orjson: 0.00001
        {"temperature": 1e-07},
        1e16,
        # Either side of the floats repr writes without an exponent: [1e-4, 1e16).
        1e-4,
        -1e-4,
        9.999999999999999e-05,
        9999999999999998.0,
        -1e16,
        5e-324,
        0.0,
        -0.0,
        math.nan,  # json: NaN; orjson: null
        -math.inf,
        2**64,  # beyond orjson's integers
        {1: "int key"},  # json writes "1"; orjson refuses any key but str
        {None: 1, True: 2, 1.5: 3},
        {"nested": [{2: "deep int key"}]},
        {Name("a str subclass key"): 1},
        ("a", "tuple"),
        {"enum": Colour.RED},
        Name("a str subclass"),
        pytest.param({"text": '\x00\x1f\x7f\u2028é😀"\\/'}, id="escapes-and-unicode"),
        {"empty": {}, "nothing": [], "nested": [{}, []]},
    ],
    ids=repr,
)
@pytest.mark.parametrize("pretty", [True, False], ids=["pretty", "compact"])
def test_values_the_writers_disagree_on_get_jsons_bytes(value: Any, pretty: bool) -> None:
    assert dumps(value, pretty=pretty) == reference(value, pretty=pretty)


def test_a_served_assistant_takes_the_fast_writer() -> None:
    """The wire object of §5.1, with floats and nested tools, is written by orjson."""
    tools = [
        {"type": "code_interpreter"},
        {"type": "file_search", "file_search": {"ranking_options": {"score_threshold": 0.5}}},
    ]
    assert orjson_writes_the_same(
        served_v2("asst_abc123", 1699009709, tools=tools, metadata={"k": "v"})
    )


class NoEncoder:
    """Stands in for ``json``'s encoders: a call means the slow writer was used."""

    def encode(self, value: Any) -> str:
        raise AssertionError(f"json wrote {value!r}")


@pytest.mark.parametrize("pretty", [True, False], ids=["pretty", "compact"])
def test_a_served_assistant_is_written_by_orjson(
    monkeypatch: pytest.MonkeyPatch, pretty: bool
) -> None:
    """The fast writer is the point of the guard: a §5.1 object never reaches ``json``."""
    monkeypatch.setattr(wire, "PRETTY", NoEncoder())
    monkeypatch.setattr(wire, "COMPACT", NoEncoder())
    served = served_v2("asst_abc123", 1699009709, metadata={"k": "v"})
    assert dumps(served, pretty=pretty) == reference(served, pretty=pretty)


@pytest.mark.parametrize("value", [0.0, -0.0, 1e-4, -1e-4, 0.5, 9999999999999998.0])
def test_floats_repr_writes_without_an_exponent_take_the_fast_writer(value: float) -> None:
    """The guard's bounds are repr's: from 1e-4 up to (not including) 1e16, and zero."""
    assert orjson_writes_the_same({"score_threshold": value})


@pytest.mark.parametrize(
    "value", [1e-05, math.inf, ("t",), Colour.RED, Name("n"), [{"deep": [1e16]}]]
)
def test_values_written_differently_are_left_to_json(value: Any) -> None:
    """Keys are not the guard's: orjson refuses any key but a str, and json writes those
    (the keys above, in ``test_values_the_writers_disagree_on_get_jsons_bytes``)."""
    assert not orjson_writes_the_same(value)
