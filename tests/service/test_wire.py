"""Answer bytes and the strict request-body verdicts of ``service/wire.py``.

Expected bytes are written out by hand in the shape OpenAI's answers have (§5.3: two-space
indents, ``1.0`` floats, UTF-8 text unescaped), not produced by the code under test.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_assistants import FakeAssistants
from pytest_assistants.service import wire
from pytest_assistants.service.errors import ApiError
from pytest_assistants.service.http import Call
from pytest_assistants.service.wire import MAX_JSON_DEPTH, dumps, read_json

ANSWER = {
    "id": "asst_abc123",
    "object": "assistant",
    "name": "Tutor é",
    "tools": [{"type": "code_interpreter"}],
    "top_p": 1.0,
    "metadata": {},
    "file_ids": [],
    "description": None,
}


def test_answers_are_pretty_printed_as_openai_sends_them() -> None:
    assert dumps(ANSWER) == (
        b'{\n  "id": "asst_abc123",\n  "object": "assistant",\n  "name": "Tutor \xc3\xa9",\n'
        b'  "tools": [\n    {\n      "type": "code_interpreter"\n    }\n  ],\n'
        b'  "top_p": 1.0,\n  "metadata": {},\n  "file_ids": [],\n  "description": null\n}'
    )


def test_compact_answers_have_no_spaces() -> None:
    assert dumps(ANSWER, pretty=False) == (
        b'{"id":"asst_abc123","object":"assistant","name":"Tutor \xc3\xa9",'
        b'"tools":[{"type":"code_interpreter"}],"top_p":1.0,"metadata":{},"file_ids":[],'
        b'"description":null}'
    )


def test_a_profile_without_pretty_json_answers_compactly() -> None:
    """``pretty_json=False`` is the fake's compact choice, for every method and status."""
    client = FakeAssistants(pretty_json=False).http_client()
    beta = {"Authorization": "Bearer sk-test", "OpenAI-Beta": "assistants=v2"}
    assert client.get("/assistants", headers=beta).content == (
        b'{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}'
    )


def nested(levels: int) -> bytes:
    """An object whose ``a`` member holds ``levels - 1`` nested lists: ``levels`` in all."""
    return b'{"a": ' + b"[" * (levels - 1) + b"]" * (levels - 1) + b"}"


def objects(levels: int) -> bytes:
    """A body of ``levels`` objects, each inside the one before."""
    return b'{"a": ' * (levels - 1) + b"{}" + b"}" * (levels - 1)


def objects_value(levels: int) -> dict[str, Any]:
    """What ``objects(levels)`` parses to."""
    value: dict[str, Any] = {}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


def lists(count: int) -> list[Any]:
    """``count`` lists, each inside the one before."""
    value: list[Any] = []
    for _ in range(count - 1):
        value = [value]
    return value


def with_sibling(body: bytes) -> bytes:
    """``body`` (an object) with one more member, ``"b": []``: a bracket more than its
    depth, so the body is no longer shallow by its bracket count alone."""
    return body[:-1] + b', "b": []}'


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'{"name": "\\ud83d\\ude00"}', {"name": "\U0001f600"}),  # a proper surrogate pair
        (b'{"name": "\\\\ud800"}', {"name": "\\ud800"}),  # an escaped backslash, no escape
        (b' \r\n{"name": "x"}\t ', {"name": "x"}),  # JSON whitespace around the object
        (nested(100), {"a": lists(99)}),  # MAX_JSON_DEPTH levels in all
        (objects(100), objects_value(100)),
        # More brackets than levels: the depth is counted, not the brackets.
        (with_sibling(nested(100)), {"a": lists(99), "b": []}),
        (with_sibling(objects(100)), {**objects_value(100), "b": []}),
    ],
    ids=[
        "pair",
        "escaped-backslash",
        "whitespace",
        "deepest-allowed",
        "deepest-objects",
        "deepest-lists-and-a-sibling",
        "deepest-objects-and-a-sibling",
    ],
)
def test_bodies_the_provider_accepts(raw: bytes, expected: dict[str, Any]) -> None:
    assert read_json(raw, {}, len(raw)) == expected


@pytest.mark.parametrize(
    "raw",
    [
        b'{"name": "\\ud800"}',  # lone surrogate escape
        b'{"\\udc00": "in a key"}',
        b'{"tools": [{"function": {"name": "\\ud83d"}}]}',  # deep in lists and objects
        nested(101),  # one level more than MAX_JSON_DEPTH
        objects(101),
        b'{"name": NaN}',
        b'{"top_p": Infinity}',
        b"[1]",  # not an object
        b'{"a": 1} {"b": 2}',  # extra data
        b'{"name": "\xff"}',  # not UTF-8
        b"",
    ],
    ids=[
        "lone-surrogate",
        "surrogate-key",
        "surrogate-deep",
        "too-deep",
        "too-deep-objects",
        "nan",
        "infinity",
        "array",
        "extra",
        "latin-1",
        "empty",
    ],
)
def test_bodies_that_get_the_malformed_json_400(raw: bytes) -> None:
    with pytest.raises(ApiError) as caught:
        read_json(raw, {}, len(raw))
    assert caught.value.status == 400
    assert caught.value.body["error"]["message"].startswith(
        "We could not parse the JSON body of your request."
    )


def test_the_depth_limit_is_one_hundred() -> None:
    assert MAX_JSON_DEPTH == 100  # our choice (no provider evidence), documented in wire.py


def test_journal_json_is_a_fresh_copy_of_the_body() -> None:
    call = Call("POST", "https://api.openai.com/v1/assistants", {}, b'{"metadata": {"k": "v"}}',
                200, None, "openai", None)  # fmt: skip
    call.json["metadata"]["k"] = "changed"
    assert call.json == {"metadata": {"k": "v"}}
    broken = Call("POST", "https://api.openai.com/v1/assistants", {}, b"{not json", 400, None,
                  "openai", None)  # fmt: skip
    assert broken.json is None


def strict_reading(body: bytes) -> tuple[str, str]:
    """The oracle: the standard library's strict reading (UTF-8, no NaN / Infinity)."""

    def refuse(name: str) -> Any:
        raise ValueError(name)

    try:
        return "read", repr(json.loads(body.decode("utf-8"), parse_constant=refuse))
    except (ValueError, RecursionError):
        return "refused", ""


def our_reading(body: bytes) -> tuple[str, str]:
    try:
        return "read", repr(wire._decode(body))  # repr: int vs float, -0.0, key order
    except (ValueError, RecursionError):
        return "refused", ""


TOKENS = [
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b" ",
    b"\t",
    b"\n",
    b'"a"',
    b'"b"',
    b'"\\u00e9"',
    b'"\\ud800"',
    b'"\\udc00"',
    b'"\\ud83d\\ude00"',
    b'"\xc3\xa9"',
    b"\xff",
    b"\xef\xbb\xbf",
    b"0",
    b"-0",
    b"-0.0",
    b"1.5",
    b"1e400",
    b"-1e400",
    b"1e-400",
    b"2.5e-324",
    b"00",
    b"1.",
    b"9223372036854775807",
    b"9223372036854775808",
    b"-9223372036854775809",
    b"18446744073709551615",
    b"18446744073709551616",
    b"1234567890123456789012345.5",
    b'"1234567890123456789012"',
    b"true",
    b"false",
    b"null",
    b"NaN",
    b"Infinity",
    b"+1",
]


@settings(max_examples=3000, deadline=None)
@given(
    body=st.one_of(
        st.lists(st.sampled_from(TOKENS), max_size=12).map(b"".join),
        st.lists(st.sampled_from(TOKENS), max_size=6).map(lambda t: b'{"k": ' + b"".join(t) + b"}"),
        st.recursive(
            st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(),
            lambda inner: (
                st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3)
            ),
            max_leaves=12,
        ).map(lambda value: json.dumps({"v": value}).encode()),
    )
)
def test_a_body_is_read_as_strict_json_reads_it(body: bytes) -> None:
    """orjson reads the usual body; whatever it reads, refuses or would read otherwise
    (integers past 64 bits, 1e400, lone surrogate escapes), the result is json's."""
    assert our_reading(body) == strict_reading(body)


@pytest.mark.parametrize(
    "body",
    [b'{"n": 18446744073709551616}', b'{"n": -9223372036854775809}', b'{"n": 1e400}'],
)
def test_numbers_orjson_reads_otherwise_are_jsons(body: bytes) -> None:
    assert our_reading(body) == strict_reading(body)
    assert our_reading(body)[0] == "read"
