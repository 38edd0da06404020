"""Property-based fuzzing of routing through the real client transport (httpx / httpx2).

Odd paths, methods and query strings, and assistant ids built to inject headers or carry
any Unicode, for every dialect's host; the invariants checked around every request are in
``fuzz_harness`` (request bodies are fuzzed in ``test_fuzz_bodies``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz_harness import FUZZ, PORTKEY, Harness, hosts, report_cases

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(scope="module", autouse=True)
def _print_case_count(request: pytest.FixtureRequest) -> Iterator[None]:
    yield from report_cases(request, "routes, paths")


@pytest.fixture(scope="module")
def harness() -> Harness:
    return Harness()


METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "CONNECTX"]  # fmt: skip
PREFIXES = ["", "/", "/v1", "/v1/", "/v1/assistants", "/v1/assistants/", "//v1", "/v2/assistants",
            "/v1/assistants/asst_x/files", "/V1/ASSISTANTS"]  # fmt: skip


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
