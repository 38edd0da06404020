"""The ASGI protocol adapter: HTTP messages in, ``fake.handle`` answers out.

Every request becomes an :class:`HttpRequest` and goes to ``fake.handle``; nothing
here decides an answer. One app serves every dialect, chosen per request by path prefix:

- ``/portkey/v1/...`` Portkey rules, ``/zerobot/v1/...`` Zerobot rules, ``/openai/v1/...``
  OpenAI rules (the prefix is removed before routing);
- ``/openai/assistants...?api-version=...`` (Azure OpenAI's own path) Azure rules, path kept;
- ``/v1/...`` the ``--dialect`` option if given, else the ``Host`` header if it names a
  provider host (``api.portkey.ai``...), else the profile's own dialect (OpenAI by default);
- ``/openapi.json`` the OpenAPI document of the default profile (:mod:`.openapi`).

It is kept apart from :mod:`.runner`, which binds sockets and runs uvicorn (the test server,
``pytest-assistants serve``), so the protocol layer needs no server and imports no uvicorn.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from pytest_assistants.reach.adapter import http_request
from pytest_assistants.server import openapi
from pytest_assistants.service.faults import TransportFault

if TYPE_CHECKING:
    from pytest_assistants.reach.fake import FakeAssistants
    from pytest_assistants.service.http import HttpRequest, HttpResponse

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

DIALECTS = ("openai", "portkey", "zerobot", "azure")
OPENAPI_PATH = "/openapi.json"


def split_dialect(path: str) -> tuple[str | None, str]:
    """``/portkey/v1/assistants`` -> ("portkey", "/v1/assistants"); unprefixed -> (None, path).

    ``/openai/assistants...`` is Azure's own path (not the ``/openai`` prefix), so it goes to
    the Azure dialect unchanged, as does ``/azure/openai/assistants...``.
    """
    first, slash, rest = path[1:].partition("/")
    if first == "openai" and (rest == "assistants" or rest.startswith("assistants/")):
        return "azure", path
    if first in DIALECTS:
        return first, slash + rest
    return None, path


class AssistantsApp:
    """ASGI callable serving ``fake`` (swappable: the test server installs one per test).

    ``body_timeout``: seconds a client has to send its whole body, else a 408 and the
    connection is closed (None: wait forever, as the per-test server does).
    """

    def __init__(
        self, fake: FakeAssistants, *, dialect: str | None = None, body_timeout: float | None = None
    ) -> None:
        self.fake = fake
        self.dialect = dialect
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        fake = self.fake  # one fake for the whole request, even if swapped meanwhile
        limit = fake.profile.choices.max_body_bytes
        body: bytes | None = b""  # over the limit, not read: the router answers 413 from
        if _declared_length(scope) <= limit:  # the Content-Length alone
            try:
                async with asyncio.timeout(self.body_timeout):
                    body = await _read_body(receive, limit + 1)
            except TimeoutError:
                await _send(send, body_timed_out(fake, self.body_timeout or 0))
                return
        if body is None:  # the client left before sending all of it: nothing to answer
            return
        raw_path = scope.get("raw_path")
        dialect, path = split_dialect(raw_path.decode("latin-1") if raw_path else scope["path"])
        if path == OPENAPI_PATH and dialect is None and scope["method"] == "GET":
            await _send(send, fake.render(200, openapi.document()))
            return
        request = to_request(scope, path, body)
        try:
            answer = fake.handle(request, dialect or self.dialect)
        except TransportFault as fault:
            await _break_connection(fault.kind, receive, send)
            return
        await _send(send, answer)


def to_request(scope: Scope, path: str, body: bytes) -> HttpRequest:
    """The request through the one adapter; ``path`` is the raw path without its prefix."""
    headers = scope["headers"]
    server = scope.get("server") or ("127.0.0.1", 0)
    host = next((v for k, v in headers if k.lower() == b"host"), f"{server[0]}:{server[1]}")
    query = scope.get("query_string", b"").decode("latin-1")
    return http_request(
        scope["method"],
        host,
        f"{path}?{query}" if query else path,
        headers,
        body,
        scheme=scope.get("scheme", "http"),
    )


def _declared_length(scope: Scope) -> int:
    for name, value in scope["headers"]:
        if name.lower() == b"content-length":
            return int(value) if value.isdigit() else -1
    return -1


def body_timed_out(fake: FakeAssistants, seconds: float) -> HttpResponse:
    """408 in OpenAI's envelope (our choice: no provider evidence), closing the connection."""
    message = f"Request body not received within {seconds:g} seconds (the server's body timeout)."
    error = {"message": message, "type": "invalid_request_error", "param": None, "code": None}
    return fake.render(408, {"error": error}, {"connection": "close"})


async def _read_body(receive: Receive, keep: int) -> bytes | None:
    """The request body (None if the client disconnected first); past ``keep`` bytes it is
    drained, not stored (the router answers 413)."""
    chunks: list[bytes] = []
    size, more = 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        if size < keep:
            chunks.append(chunk)
        size += len(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


async def _send(send: Send, answer: HttpResponse) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers.items()]
    headers.append((b"content-length", str(len(answer.body)).encode()))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})


async def _break_connection(kind: str, receive: Receive, send: Send) -> None:
    """An injected transport fault, for real: ``timeout`` never answers (until the client
    gives up), ``disconnect`` closes the connection with no complete response."""
    if kind == "timeout":
        while (await receive())["type"] != "http.disconnect":
            pass
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})  # no body: cut


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
