"""Request headers decoded on demand give what decoding them all at once gave.

``RawHeaders`` answers the router's lookups from the bytes as sent and decodes the journal's
dict only when read; both must agree with the plain dict, for any headers: repeated names,
mixed case, NULs, non-ASCII bytes (those take the eager path), names never sent.
"""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_assistants import FakeAssistants
from pytest_assistants.reach.transports import (
    RawHeaders,
    _core_headers,
    _header_dict,
    request_headers,
)
from pytest_assistants.service.router import Call

names = st.sampled_from(
    [b"authorization", b"Authorization", b"OpenAI-Beta", b"openai-beta", b"x-tag", b"X-Tag"]
) | st.binary(min_size=0, max_size=6).filter(lambda raw: b"\n" not in raw and b"\r" not in raw)
values = st.sampled_from([b"", b"Bearer k", b"assistants=v2", b"a, b"]) | st.binary(max_size=8)
header_lists = st.lists(st.tuples(names, values), max_size=8)
probes = [
    "authorization",
    "openai-beta",
    "x-tag",
    "Authorization",
    "absent",
    "",
    "\x00",
    "é",
    "x-tag\x00",
]


def _probe_names(expected: dict[str, str]) -> list[Any]:
    return [*probes, *expected, 7, None, b"authorization"]


def _agrees(lazy: Any, expected: dict[str, str]) -> None:
    for name in _probe_names(expected):
        assert lazy.get(name) == expected.get(name), name
        assert (name in lazy) == (name in expected), name
        if name in expected:
            assert lazy[name] == expected[name]
        else:
            with pytest.raises(KeyError):
                lazy[name]
    assert dict(lazy) == expected
    assert list(lazy) == list(expected)
    assert len(lazy) == len(expected)


@pytest.mark.parametrize("library", ["httpx", "httpx2"])
@settings(max_examples=300, deadline=None)
@given(pairs=header_lists)
def test_httpx_headers_agree_with_items(library: str, pairs: list[tuple[bytes, bytes]]) -> None:
    lib = pytest.importorskip(library)
    headers = lib.Headers(pairs)
    expected = _header_dict(headers)  # the eager decoding the router used before
    assert expected == dict(headers.items())  # httpx's names are lower-case already
    _agrees(request_headers(headers), expected)
    lazy = request_headers(headers)
    if isinstance(lazy, RawHeaders):
        assert lazy.to_dict() == expected
        assert lazy.to_dict() is not lazy.to_dict()


@settings(max_examples=300, deadline=None)
@given(pairs=header_lists)
def test_core_headers_agree_with_the_latin1_dict(pairs: list[tuple[bytes, bytes]]) -> None:
    expected = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in pairs}
    _agrees(_core_headers(pairs), expected)


def test_plain_ascii_headers_stay_lazy_and_odd_ones_do_not() -> None:
    assert isinstance(RawHeaders.of([(b"A", b"b")], join_repeats=True), RawHeaders)
    assert RawHeaders.of([], join_repeats=True) is None
    assert RawHeaders.of([(b"caf\xc3\xa9", b"b")], join_repeats=True) is None
    assert RawHeaders.of([(b"a", b"\xff")], join_repeats=True) is None
    assert RawHeaders.of([(b"a\x00b", b"c")], join_repeats=True) is None


def test_journal_headers_are_the_dict_of_what_was_sent() -> None:
    fake = FakeAssistants()
    client = fake.http_client()
    sent = [("Authorization", "Bearer k"), ("OpenAI-Beta", "assistants=v2"), ("X-Tag", "a")]
    sent.append(("x-tag", "b"))
    client.post("/v1/assistants", json={"model": "gpt-4o"}, headers=sent)
    call = fake.calls[-1]
    headers = call.headers
    assert type(headers) is dict
    assert headers["authorization"] == "Bearer k"
    assert headers["x-tag"] == "a, b"
    assert call.headers is headers  # decoded once, then kept (and may be changed)
    headers["x-extra"] = "1"
    assert call.headers["x-extra"] == "1"
    assert "headers={'host': 'api.openai.com'" in repr(call)


def test_a_journal_entry_compares_pickles_and_copies_as_before() -> None:
    fake = FakeAssistants()
    fake.http_client().post(
        "/v1/assistants",
        json={"model": "gpt-4o"},
        headers={"authorization": "Bearer k", "openai-beta": "assistants=v2"},
    )
    call = fake.calls[-1]
    plain = Call(
        call.method,
        call.url,
        dict(call.headers),
        call.body,
        call.status,
        call.response_json,
        call.dialect,
        call.operation,
    )
    assert plain == call
    assert repr(plain) == repr(call)
    assert pickle.loads(pickle.dumps(call)) == call
    assert copy.deepcopy(call) == call
