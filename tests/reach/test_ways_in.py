"""One request means the same whichever way it comes in (DESIGN.md: one adapter).

Repeated headers, header case, percent-encoded paths and body bytes go through the explicit
transport (sync and async), global interception of httpx / httpx2 and of httpcore's pool
beneath them, and the ASGI server over a real socket; the journal entry and the answer must be the same every way.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.reach import adapter

httpx = pytest.importorskip("httpx")

BASE = "https://api.openai.com/v1"
AUTH = ("Authorization", "Bearer sk-test")
V2 = ("OpenAI-Beta", "assistants=v2")

Send = Callable[[FakeAssistants, str, str, list[tuple[str, str]], bytes], tuple[int, Any]]


def via_transport(
    fake: FakeAssistants, method: str, url: str, headers: list[tuple[str, str]], body: bytes
) -> tuple[int, Any]:
    with httpx.Client(transport=fake.transport("httpx")) as client:
        answer = client.request(method, url, headers=headers, content=body)
    return answer.status_code, answer.json()


def via_async_transport(
    fake: FakeAssistants, method: str, url: str, headers: list[tuple[str, str]], body: bytes
) -> tuple[int, Any]:
    async def send() -> tuple[int, Any]:
        async with httpx.AsyncClient(transport=fake.async_transport("httpx")) as client:
            answer = await client.request(method, url, headers=headers, content=body)
        return answer.status_code, answer.json()

    return asyncio.run(send())


def via_interception(
    fake: FakeAssistants, method: str, url: str, headers: list[tuple[str, str]], body: bytes
) -> tuple[int, Any]:
    with httpx.Client() as client:  # no transport given: httpx's own, patched, serves it
        answer = client.request(method, url, headers=headers, content=body)
    return answer.status_code, answer.json()


def via_async_interception(
    fake: FakeAssistants, method: str, url: str, headers: list[tuple[str, str]], body: bytes
) -> tuple[int, Any]:
    async def send() -> tuple[int, Any]:
        async with httpx.AsyncClient() as client:
            answer = await client.request(method, url, headers=headers, content=body)
        return answer.status_code, answer.json()

    return asyncio.run(send())


def via_httpcore_pool(
    fake: FakeAssistants, method: str, url: str, headers: list[tuple[str, str]], body: bytes
) -> tuple[int, Any]:
    """httpcore driven directly (and what httpx reaches when a cassette wraps its transport)."""
    httpcore = pytest.importorskip("httpcore")
    with httpcore.ConnectionPool() as pool:
        answer = pool.request(method, url, headers=headers, content=body)
    return answer.status, json.loads(answer.content)


def via_async_httpcore_pool(
    fake: FakeAssistants, method: str, url: str, headers: list[tuple[str, str]], body: bytes
) -> tuple[int, Any]:
    httpcore = pytest.importorskip("httpcore")

    async def send() -> tuple[int, Any]:
        async with httpcore.AsyncConnectionPool() as pool:
            answer = await pool.request(method, url, headers=headers, content=body)
        return answer.status, json.loads(answer.content)

    return asyncio.run(send())


def via_interception_httpx2(
    fake: FakeAssistants, method: str, url: str, headers: list[tuple[str, str]], body: bytes
) -> tuple[int, Any]:
    httpx2 = pytest.importorskip("httpx2")
    with httpx2.Client() as client:
        answer = client.request(method, url, headers=headers, content=body)
    return answer.status_code, answer.json()


def via_server(
    fake: FakeAssistants, method: str, url: str, headers: list[tuple[str, str]], body: bytes
) -> tuple[int, Any]:
    """A raw HTTP/1.1 request over a real socket: header case and repeats exactly as written."""
    pytest.importorskip("uvicorn")
    import socket

    from pytest_assistants.server.runner import BackgroundServer

    server = BackgroundServer().start()
    try:
        server.app.fake = fake
        host, port = server.root_url.split("//", 1)[1].split("/", 1)[0].split(":")
        target = url.removeprefix("https://api.openai.com")
        lines = [f"{method} {target} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in headers]
        lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(raw)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
    finally:
        server.stop()
    head, _, payload = b"".join(chunks).partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), json.loads(payload)


WAYS: dict[str, Send] = {
    "transport": via_transport,
    "async-transport": via_async_transport,
    "interception-httpx": via_interception,
    "interception-httpx2": via_interception_httpx2,
    "async-interception-httpx": via_async_interception,
    "interception-httpcore-pool": via_httpcore_pool,
    "async-interception-httpcore-pool": via_async_httpcore_pool,
    "server": via_server,
}


@pytest.fixture(params=sorted(WAYS))
def send(request: pytest.FixtureRequest) -> Send:
    return WAYS[request.param]


@pytest.fixture
def fake() -> Any:
    with FakeAssistants() as fake:
        yield fake


def test_a_repeated_beta_header_is_one_joined_header(fake: FakeAssistants, send: Send) -> None:
    status, body = send(
        fake,
        "POST",
        f"{BASE}/assistants",
        [AUTH, V2, ("OpenAI-Beta", "assistants=v2")],
        b'{"model": "gpt-4o"}',
    )
    assert (status, body["object"]) == (200, "assistant")
    assert fake.calls[-1].headers["openai-beta"] == "assistants=v2, assistants=v2"


def test_header_names_are_case_insensitive(fake: FakeAssistants, send: Send) -> None:
    status, _ = send(
        fake,
        "POST",
        f"{BASE}/assistants",
        [("AUTHORIZATION", "Bearer sk-test"), ("openai-BETA", "assistants=v2")],
        b'{"model": "gpt-4o"}',
    )
    assert status == 200
    headers = fake.calls[-1].headers
    assert headers["authorization"] == "Bearer sk-test"
    assert "AUTHORIZATION" not in headers


def test_a_percent_encoded_id_is_the_same_id(fake: FakeAssistants, send: Send) -> None:
    made = fake.add({"id": "asst_abc123", "model": "gpt-4o"})
    status, body = send(fake, "GET", f"{BASE}/assistants/asst%5Fabc123", [AUTH, V2], b"")
    assert (status, body["id"]) == (200, made["id"])
    assert fake.calls[-1].url.endswith("/v1/assistants/asst_abc123")


def test_the_body_bytes_reach_the_journal_as_sent(fake: FakeAssistants, send: Send) -> None:
    raw = '{"model":"gpt-4o",  "name":"caf\\u00e9 ☕"}'.encode()
    status, body = send(
        fake, "POST", f"{BASE}/assistants", [AUTH, V2, ("Content-Type", "application/json")], raw
    )
    assert (status, body["name"]) == (200, "café ☕")
    assert fake.calls[-1].body == raw


def test_the_query_is_kept_as_sent(fake: FakeAssistants, send: Send) -> None:
    status, body = send(fake, "GET", f"{BASE}/assistants?limit=2&order=asc", [AUTH, V2], b"")
    assert (status, body["object"]) == (200, "list")
    assert fake.calls[-1].url.endswith("/v1/assistants?limit=2&order=asc")


def test_shared_header_texts_stay_bounded_and_each_request_keeps_its_own() -> None:
    """Header names and values are decoded once and shared between requests (the journal
    keeps them all); a value never seen before past the bound is still the request's own,
    and the shared tables stop growing there (no memory grows with distinct values)."""
    fake = FakeAssistants()
    http = fake.http_client()
    count = adapter.SHARED_LIMIT + 50
    for number in range(count):
        http.get("/assistants", headers={**dict([AUTH, V2]), "X-Trace": f"trace-{number}"})
    assert [call.headers["x-trace"] for call in fake.calls[-3:]] == [
        f"trace-{number}" for number in range(count - 3, count)
    ]
    assert len(adapter._PAIRS) <= adapter.SHARED_LIMIT
    assert len(adapter._NAMES) <= adapter.SHARED_LIMIT
