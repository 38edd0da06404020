"""Property-based fuzzing of request bodies through the real client transport (httpx / httpx2).

Arbitrary bytes, JSON of any shape, assistant-shaped JSON, deep nesting, duplicate keys,
NaN and Infinity, invalid UTF-8, wrong content types and the body size limit, on create
and on modify, for every dialect's host; the invariants checked around every request are
in ``fuzz_harness``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_assistants.service.wire import MAX_JSON_DEPTH
from tests.fuzz_harness import (
    FUZZ,
    OPENAI,
    PARSE_ERROR,
    PORTKEY,
    ZEROBOT,
    Harness,
    hosts,
    is_openai_envelope,
    report_cases,
)

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(scope="module", autouse=True)
def _print_case_count(request: pytest.FixtureRequest) -> Iterator[None]:
    yield from report_cases(request, "routes, bodies")


@pytest.fixture(scope="module")
def harness() -> Harness:
    return Harness()


# -- strategies ----------------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**4000), max_value=10**4000)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=25,
)
FIELDS = ["model", "name", "description", "instructions", "tools", "metadata", "temperature",
          "top_p", "response_format", "tool_resources", "reasoning_effort", "file_ids"]  # fmt: skip
tool = st.fixed_dictionaries(
    {"type": st.sampled_from(["code_interpreter", "file_search", "function", "retrieval", "x"])},
    optional={
        "function": st.fixed_dictionaries(
            {"name": st.text(max_size=70)},
            optional={"parameters": json_values, "strict": json_values},
        ),
        "file_search": st.fixed_dictionaries(
            {}, optional={"max_num_results": scalars, "ranking_options": json_values}
        ),
    },
)
plausible = {
    "model": st.sampled_from(["gpt-4o", "o3-mini", "gpt-5.1", "nope", "ft:gpt-4o:x:y"]) | scalars,
    "tools": st.lists(tool, max_size=3) | json_values,
    "metadata": st.dictionaries(st.text(max_size=70), st.text(max_size=600) | scalars, max_size=18)
    | json_values,
    "temperature": st.floats(-1, 3) | scalars,
    "top_p": st.floats(-1, 2) | scalars,
    "response_format": st.sampled_from(["auto", "none", {"type": "json_object"}]) | json_values,
    "tool_resources": st.fixed_dictionaries(
        {},
        optional={
            "code_interpreter": st.fixed_dictionaries({"file_ids": json_values}),
            "file_search": st.fixed_dictionaries(
                {}, optional={"vector_store_ids": json_values, "vector_stores": json_values}
            ),
        },
    )
    | json_values,
    "reasoning_effort": st.sampled_from(["low", "high", "max"]) | scalars,
}
assistant_like = st.fixed_dictionaries(
    {},
    optional={name: plausible.get(name, json_values) for name in FIELDS}
    | {"extra_" + str(i): json_values for i in range(2)},
)
targets = st.booleans()  # True: create, False: modify the stored assistant

CONTENT_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                 "application/json; charset=latin-1", "application/xml", "*/*", "", "application/json\x7f"]  # fmt: skip


# -- properties ----------------------------------------------------------------------------


@FUZZ
@given(host=hosts, to_create=targets, body=st.binary(max_size=512))
def test_arbitrary_bytes(harness: Harness, host: str, to_create: bool, body: bytes) -> None:
    harness.write("bytes", host, body, to_create)


@FUZZ
@given(host=hosts, to_create=targets, value=json_values)
def test_arbitrary_json_of_any_shape(
    harness: Harness, host: str, to_create: bool, value: Any
) -> None:
    status, _ = harness.write("any-json", host, json.dumps(value).encode(), to_create)
    if not isinstance(value, dict):
        assert status == 400


@FUZZ
@given(host=hosts, to_create=targets, body=assistant_like)
def test_assistant_shaped_json(
    harness: Harness, host: str, to_create: bool, body: dict[str, Any]
) -> None:
    harness.write("assistant-json", host, json.dumps(body).encode(), to_create)


@FUZZ
@given(
    host=hosts,
    to_create=targets,
    depth=st.integers(1, 20_000),
    opener=st.sampled_from([(b"[", b"]"), (b'{"a":', b"}")]),
    where=st.sampled_from(["top", "metadata", "parameters", "name"]),
)
def test_deep_nesting(
    harness: Harness,
    host: str,
    to_create: bool,
    depth: int,
    opener: tuple[bytes, bytes],
    where: str,
) -> None:
    open_, close = opener
    nested = open_ * depth + b"1" + close * depth
    wrap = {
        "top": (b"", b"", 0),
        "metadata": (b'{"model":"gpt-4o","metadata":', b"}", 1),
        "name": (b'{"model":"gpt-4o","name":', b"}", 1),
        "parameters": (
            b'{"model":"gpt-4o","tools":[{"type":"function","function":{"name":"f","parameters":',
            b"}}]}",
            4,
        ),
    }
    head, tail, levels = wrap[where]
    status, payload = harness.write("deep", host, head + nested + tail, to_create)
    if depth + levels > MAX_JSON_DEPTH and host != PORTKEY:
        assert (status, payload) == (400, PARSE_ERROR)


@FUZZ
@given(
    host=hosts,
    to_create=targets,
    pairs=st.lists(
        st.tuples(
            st.sampled_from(["name", "description", "metadata", "model", "top_p"]), json_values
        ),
        min_size=2,
        max_size=6,
    ),
)
def test_duplicate_keys(
    harness: Harness, host: str, to_create: bool, pairs: list[tuple[str, Any]]
) -> None:
    text = "{" + ",".join(f"{json.dumps(k)}:{json.dumps(v)}" for k, v in pairs) + "}"
    status, payload = harness.write("duplicate-keys", host, text.encode(), to_create)
    last = dict(pairs)
    if status == 200 and "name" in last and host != ZEROBOT:
        assert payload["name"] == last["name"]  # the last occurrence wins, as in json.loads


@FUZZ
@given(
    host=hosts,
    to_create=targets,
    body=assistant_like,
    field=st.sampled_from(["temperature", "top_p", "name", "metadata", "tools"]),
    constant=st.sampled_from(["NaN", "Infinity", "-Infinity", "[NaN]", '{"k": Infinity}']),
)
def test_nan_and_infinity(
    harness: Harness, host: str, to_create: bool, body: dict[str, Any], field: str, constant: str
) -> None:
    body.pop(field, None)
    text = json.dumps({"model": "gpt-4o", **body})[:-1] + f', "{field}": {constant}}}'
    status, payload = harness.write("nan-infinity", host, text.encode(), to_create)
    assert (status, payload) == (400, PARSE_ERROR) or is_openai_envelope(payload)
    assert status == 400


@FUZZ
@given(
    host=hosts,
    to_create=targets,
    bad=st.sampled_from(
        [b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xc0\xaf"]
    ),
    noise=st.binary(max_size=8),
    field=st.sampled_from(["name", "model", "description"]),
)
def test_invalid_utf8(
    harness: Harness, host: str, to_create: bool, bad: bytes, noise: bytes, field: str
) -> None:
    body = b'{"model": "gpt-4o", "' + field.encode() + b'": "x' + bad + noise + b'"}'
    status, _ = harness.write("invalid-utf8", host, body, to_create)
    assert status == 400


@FUZZ
@given(
    host=hosts,
    to_create=targets,
    body=assistant_like,
    content_type=st.sampled_from(CONTENT_TYPES),
    form=st.booleans(),
)
def test_wrong_content_types(
    harness: Harness,
    host: str,
    to_create: bool,
    body: dict[str, Any],
    content_type: str,
    form: bool,
) -> None:
    raw = "&".join(f"{k}={quote(str(v))}" for k, v in body.items()) if form else json.dumps(body)
    status, _ = harness.write(
        "content-type", host, raw.encode(), to_create, headers={"content-type": content_type}
    )
    if form and body:
        assert status == 400


@FUZZ
@given(host=hosts, to_create=targets, size=st.integers(0, 8192))
def test_body_size_limit(host: str, to_create: bool, size: int) -> None:
    """Bodies over ``max_body_bytes`` get the documented 413; at or under it they do not."""
    small = _small_limit_harness()
    body = json.dumps({"model": "gpt-4o", "description": "d" * size}).encode()
    status, payload = small.write("size", host, body, to_create)
    over = len(body) > 4096
    if host != PORTKEY:  # the gateway re-serialises, so its upstream size can differ
        assert (status == 413) == over
    if status == 413:
        assert payload["error"]["code"] == "request_too_large"
        assert "max_body_bytes" in payload["error"]["message"]


_SMALL: list[Harness] = []


def _small_limit_harness() -> Harness:
    if not _SMALL:
        _SMALL.append(Harness(max_body_bytes=4096))
    return _SMALL[0]


def test_default_limit_boundary_is_exact(harness: Harness) -> None:
    """8 MiB exactly (whitespace padding) is served; one byte more is 413."""
    limit = harness.fake.profile.choices.max_body_bytes
    core = json.dumps({"name": "edge"}).encode()
    at_limit = core[:-1] + b" " * (limit - len(core)) + b"}"
    status, payload = harness.modify("size", OPENAI, at_limit)
    assert (status, payload["name"]) == (200, "edge")
    status, payload = harness.modify("size", OPENAI, at_limit + b" ")
    assert status == 413
    assert payload["error"]["code"] == "request_too_large"
