"""Property-based fuzzing of the routes through the real client transport (httpx / httpx2).

Invariants, for every generated request on every dialect's host:
- the answer is JSON in the dialect's envelope, never a 5xx, no header carries CR/LF;
- a rejected request (4xx) leaves the store byte-identical (``repr`` of the snapshot, key
  order and float spelling included);
- the fake never raised internally.

``ASSISTANTS_FUZZ_EXAMPLES`` scales the run (``make fuzz``); the count of generated cases
is printed at the end of the module.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_assistants.errors import malformed_json
from pytest_assistants.fake import FakeAssistants
from pytest_assistants.routes import MAX_JSON_DEPTH

EXAMPLES = int(os.environ.get("ASSISTANTS_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CASES: Counter[str] = Counter()

OPENAI, PORTKEY, ZEROBOT = "api.openai.com", "api.portkey.ai", "api.zerobot.ai"
HOSTS = (OPENAI, PORTKEY, ZEROBOT)
AUTH = {
    OPENAI: {"authorization": "Bearer sk-fuzz", "openai-beta": "assistants=v2"},
    PORTKEY: {
        "x-portkey-api-key": "pk-fuzz",
        "x-portkey-virtual-key": "vk-fuzz",
        "x-portkey-openai-beta": "assistants=v2",
    },
    ZEROBOT: {"authorization": "Bearer zb-fuzz"},
}
MODIFY_METHOD = {OPENAI: "POST", PORTKEY: "POST", ZEROBOT: "PATCH"}
PARSE_ERROR = malformed_json().body
OPENAI_ERROR_KEYS = {"message", "type", "param", "code"}


@pytest.fixture(scope="module", autouse=True)
def _print_case_count(request: pytest.FixtureRequest) -> Iterator[None]:
    """One summary line per module, visible without -s (the terminal reporter writes it)."""
    CASES.clear()
    yield
    total = sum(CASES.values())
    detail = ", ".join(f"{name}={count}" for name, count in sorted(CASES.items()))
    line = f"[fuzz] routes: {total} generated requests ({detail})"
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is None or capture is None:  # xdist workers have no terminal: shown with -s
        print(line)
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(line)


def is_openai_envelope(payload: Any) -> bool:
    if not isinstance(payload, dict) or set(payload) != {"error"}:
        return False
    error = payload["error"]
    return (
        isinstance(error, dict)
        and set(error) == OPENAI_ERROR_KEYS
        and isinstance(error["message"], str)
        and isinstance(error["type"], str)
        and all(error[key] is None or isinstance(error[key], str) for key in ("param", "code"))
    )


def is_portkey_envelope(payload: Any) -> bool:
    """Gateway-originated bodies (§4.1/§4.2): failure objects and Hono's 404."""
    if payload == {"message": "Not Found", "ok": False}:
        return True
    if not isinstance(payload, dict) or payload.get("status") != "failure":
        return False
    extra = set(payload) - {"status", "message", "error"}
    return not extra and isinstance(payload.get("message"), str)


class Harness:
    """One fake, one client per host, and the invariant checks around every request."""

    def __init__(self, **choices: Any) -> None:
        self.fake = FakeAssistants(**choices)
        self.clients = {host: self.fake.http_client(host) for host in HOSTS}
        self.target = ""
        self.refill()

    def refill(self) -> None:
        """Keep the store small (snapshots are copied per request) and one target present."""
        if len(self.fake.backend) > 40 or not self.fake.backend.exists(self.target):
            self.fake.backend.reset()
            made = self.fake.add({"model": "gpt-4o", "name": "keep", "metadata": {"k": "v"}})
            self.target = made["id"]

    def state(self) -> str:
        return repr(self.fake.backend.snapshot())

    def send(
        self,
        kind: str,
        host: str,
        method: str,
        path: str,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        self.refill()
        before = self.state()
        sent = {**AUTH[host], **(headers or {})}
        response = self.clients[host].request(method, path, content=body, headers=sent)
        CASES[kind] += 1
        status = response.status_code
        assert status < 500, (kind, method, path, body[:200], response.text[:500])
        for name, value in response.headers.items():
            assert "\r" not in value, (name, value)
            assert "\n" not in value, (name, value)
            assert not name.lower().startswith("x-injected"), name
        assert response.headers["content-type"].startswith("application/json")
        payload = json.loads(response.content)
        if status >= 400:
            assert self.state() == before, (kind, method, path, body[:200], payload)
            if host == PORTKEY:
                assert is_openai_envelope(payload) or is_portkey_envelope(payload), payload
            else:
                assert is_openai_envelope(payload), payload
        else:
            assert isinstance(payload, dict), payload
        internal = list(self.fake.router.internal_errors)
        self.fake.router.internal_errors.clear()  # one bug reported once, not by every test
        assert not internal, internal[-1]
        return status, payload

    def modify(self, kind: str, host: str, body: bytes, **kw: Any) -> tuple[int, Any]:
        return self.send(
            kind, host, MODIFY_METHOD[host], f"/v1/assistants/{self.target}", body, **kw
        )

    def create(self, kind: str, host: str, body: bytes, **kw: Any) -> tuple[int, Any]:
        return self.send(kind, host, "POST", "/v1/assistants", body, **kw)

    def write(self, kind: str, host: str, body: bytes, to_create: bool, **kw: Any) -> Any:
        return (self.create if to_create else self.modify)(kind, host, body, **kw)


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
hosts = st.sampled_from(HOSTS)
targets = st.booleans()  # True: create, False: modify the stored assistant

CONTENT_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                 "application/json; charset=latin-1", "application/xml", "*/*", "", "application/json\x7f"]  # fmt: skip
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "CONNECTX"]  # fmt: skip
PREFIXES = ["", "/", "/v1", "/v1/", "/v1/assistants", "/v1/assistants/", "//v1", "/v2/assistants",
            "/v1/assistants/asst_x/files", "/V1/ASSISTANTS"]  # fmt: skip


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


ODD_IDS = [
    "asst_\r\nX-Injected: 1", "asst_%0d%0aX-Injected:%201", "asst_%0D%0ASet-Cookie:%20a=b",
    "asst_\u2028\u2029", "asst_é", "asst_😀", "asst_%00", "asst_\x00", "..", "%2e%2e", "asst_%2F..%2F",
    " ", "asst_" + "x" * 5000,
]  # fmt: skip


@FUZZ
@given(
    host=hosts,
    method=st.sampled_from(["GET", "POST", "PATCH", "DELETE", "PUT"]),
    assistant_id=st.sampled_from(ODD_IDS) | st.text(min_size=1, max_size=30),
    encode=st.booleans(),
)
def test_header_injection_and_unicode_in_path_ids(
    harness: Harness, host: str, method: str, assistant_id: str, encode: bool
) -> None:
    raw_id = quote(assistant_id, safe="") if encode else quote(assistant_id, safe="%/:=")
    status, payload = harness.send(
        "odd-id", host, method, f"/v1/assistants/{raw_id}", b'{"name": "n"}'
    )
    plain = encode and "/" not in assistant_id and assistant_id not in (".", "..")
    if plain and method == "GET" and host != PORTKEY:
        # the id is echoed in the JSON body, escaped; never in a header
        assert (status, payload["error"]["message"]) == (
            404,
            f"No assistant found with id '{assistant_id}'.",
        )


@FUZZ
@given(
    host=hosts,
    method=st.sampled_from(METHODS),
    prefix=st.sampled_from(PREFIXES),
    suffix=st.text(max_size=20),
    query=st.text(max_size=30),
    body=st.binary(max_size=64),
)
def test_odd_paths_and_methods(
    harness: Harness, host: str, method: str, prefix: str, suffix: str, query: str, body: bytes
) -> None:
    path = quote(prefix + suffix, safe="/") + ("?" + quote(query, safe="=&") if query else "")
    harness.send("odd-route", host, method, path or "/", body)


@FUZZ
@given(
    host=hosts,
    limit=st.sampled_from(["0", "-1", "101", "1e3", "", "x", "99999999999999999999", "50"]),
    order=st.sampled_from(["asc", "desc", "", "ASC", "rand"]),
    cursor=st.sampled_from(["", "asst_missing", "\u0000", "%0d%0a"]),
)
def test_list_query_garbage(
    harness: Harness, host: str, limit: str, order: str, cursor: str
) -> None:
    query = (
        f"limit={quote(limit)}&order={quote(order)}&after={quote(cursor)}&before={quote(cursor)}"
    )
    harness.send("list-query", host, "GET", f"/v1/assistants?{query}")


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
