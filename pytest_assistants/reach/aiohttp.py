"""The way in for aiohttp's ``ClientSession``, and so for openai's ``DefaultAioHttpClient``
(httpx-aiohttp sends through a ``ClientSession``).

The patch point is ``ClientSession._request``, the one coroutine every method goes through;
vcrpy and aioresponses patch the same, so the fake composes with them as they compose with
each other (the copy vcrpy saved of it is patched too, so a cassette started while the fake
is active records what the fake answers). A claimed request is rebuilt as aiohttp would
send it (session headers, then the call's, ``json=`` serialised with the session's
encoder) and answered with the response vcrpy's aiohttp stub builds
(``vcr.stubs.aiohttp_stubs.build_response``: aiohttp's own ``ClientResponse`` over
aiohttp's own stream), so ``.json()``, ``.read()``, ``.content`` and ``raise_for_status``
behave as against a server. Other hosts go to the original.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from pytest_assistants.reach import interception
from pytest_assistants.reach.adapter import answered, http_request
from pytest_assistants.reach.interception import Patch
from pytest_assistants.reach.requests import reason
from pytest_assistants.service.faults import TransportFault

if TYPE_CHECKING:
    from pytest_assistants.service.http import HttpRequest


async def body_bytes(session: Any, data: Any, json: Any) -> tuple[bytes, str | None]:
    """(body, content type aiohttp would add) for ``data=`` or ``json=``."""
    if json is not None:
        return session.json_serialize(json).encode("utf-8"), "application/json"
    if data is None:
        return b"", None
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data), None
    if isinstance(data, str):
        return data.encode("utf-8"), None
    if isinstance(data, Mapping):
        return urlencode(list(data.items())).encode(), "application/x-www-form-urlencoded"
    if hasattr(data, "__aiter__"):
        chunks = [chunk async for chunk in data]
        return b"".join(bytes(chunk) for chunk in chunks), None
    return b"".join(bytes(chunk) for chunk in data), None


def patches() -> list[Patch]:
    if not interception.installed("aiohttp"):
        return []
    aiohttp = importlib.import_module("aiohttp")
    yarl = importlib.import_module("yarl")
    multidict = importlib.import_module("multidict")
    stubs = importlib.import_module("vcr.stubs.aiohttp_stubs")
    vcr_request = importlib.import_module("vcr.request")
    original = aiohttp.ClientSession._request

    async def request(self: Any, method: str, str_or_url: Any, **kwargs: Any) -> Any:
        url = yarl.URL(str(str_or_url))
        if not url.is_absolute():
            url = yarl.URL(str(getattr(self, "_base_url", None) or "")).join(url)
        handle = interception.claiming_handler(url.host or "", url.path or "/")
        if handle is None:
            return await original(self, method, str_or_url, **kwargs)
        if kwargs.get("params"):
            url = url.extend_query(kwargs["params"])
        body, content_type = await body_bytes(self, kwargs.get("data"), kwargs.get("json"))
        headers = multidict.CIMultiDict(self.headers)
        headers.update(multidict.CIMultiDict(kwargs.get("headers") or {}))
        auth = kwargs.get("auth") or self.auth
        if auth is not None:
            headers["Authorization"] = auth.encode()
        if content_type and "Content-Type" not in headers:
            headers["Content-Type"] = content_type
        try:
            sent = to_request(method, url, list(headers.items()), body)
            answer = answered(handle, sent)
        except TransportFault as fault:
            if fault.kind == "timeout":
                raise aiohttp.SocketTimeoutError(
                    "Timeout on reading data from socket (injected by assistants_fake.fail)"
                ) from None
            raise aiohttp.ServerDisconnectedError(
                "Server disconnected (injected by assistants_fake.fail)"
            ) from None
        recorded = vcr_request.Request(method, str(url), body, {k: v for k, v in headers.items()})
        response = stubs.build_response(
            recorded,
            {
                "status": {"code": answer.status, "message": reason(answer.status)},
                "headers": {name: [value] for name, value in answer.headers.items()},
                "body": {"string": answer.body},
            },
            [],
        )
        check = kwargs.get("raise_for_status")
        if check is None:
            check = getattr(self, "_raise_for_status", None)  # ClientSession(raise_for_status=)
        if callable(check):
            await check(response)
        elif check:
            response.raise_for_status()
        return response

    found = [Patch(aiohttp.ClientSession, "_request", request)]
    # vcrpy wraps the ``_request`` it saved when vcr.patch was first imported: a cassette
    # started while this fake is active must wrap the fake's, or its requests go around
    # the fake to the network (and the leak guard) whenever vcrpy was imported before.
    saved = sys.modules.get("vcr.patch")
    if saved is not None and hasattr(saved, "_AiohttpClientSessionRequest"):
        found.append(Patch(saved, "_AiohttpClientSessionRequest", request))
    return found


def to_request(method: str, url: Any, headers: list[tuple[str, str]], body: bytes) -> HttpRequest:
    return http_request(method, url.host, url.raw_path_qs, headers, body, scheme=url.scheme)
