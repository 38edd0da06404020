"""The way in for the standard library's ``urllib.request``.

The patch points are the handlers' ``http_open`` / ``https_open``, the documented place
where an opener turns a prepared ``Request`` into a response: the request arrives with the
headers urllib adds (``Content-Type``, ``Content-Length``, ``User-Agent``), and the answer
goes on through the opener's processors, so a 4xx raises ``HTTPError`` with the body, as
from a server. ``http.client`` itself is left alone: a connection opened with it is the
leak guard's. Other hosts go to the original handlers untouched.
"""

from __future__ import annotations

import http.client
import io
import urllib.error
import urllib.request
import urllib.response
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pytest_assistants.reach import interception
from pytest_assistants.reach.adapter import answered, http_request
from pytest_assistants.reach.interception import Patch
from pytest_assistants.reach.requests import body_bytes, reason
from pytest_assistants.service.faults import TransportFault

if TYPE_CHECKING:
    from pytest_assistants.reach.interception import Handle
    from pytest_assistants.service.http import HttpRequest


def to_request(request: urllib.request.Request, body: bytes) -> HttpRequest:
    parts = urlsplit(request.full_url)
    return http_request(
        request.get_method(),
        parts.hostname or request.host,
        request.selector,
        request.header_items(),
        body,
        scheme=parts.scheme,
    )


def serve(handle: Handle, request: urllib.request.Request) -> urllib.response.addinfourl:
    try:
        answer = answered(handle, to_request(request, body_bytes(request.data)))
    except TransportFault as fault:
        error: OSError = (
            TimeoutError("timed out (injected by assistants_fake.fail)")
            if fault.kind == "timeout"
            else http.client.RemoteDisconnected(
                "Remote end closed connection without response (injected by assistants_fake.fail)"
            )
        )
        raise urllib.error.URLError(error) from None
    headers = http.client.HTTPMessage()
    for name, value in answer.headers.items():
        headers[name] = value
    response = urllib.response.addinfourl(
        io.BytesIO(answer.body), headers, request.full_url, answer.status
    )
    # what http.client's response carries, and HTTPError shows
    response.msg = reason(answer.status)  # type: ignore[attr-defined]
    return response


def _opener(original: Any) -> Any:
    def open_request(self: Any, request: urllib.request.Request) -> Any:
        parts = urlsplit(request.full_url)
        handle = interception.claiming_handler(parts.hostname or "", parts.path or "/")
        if handle is None:
            return original(self, request)
        return serve(handle, request)

    return open_request


def patches() -> list[Patch]:
    return [
        Patch(
            urllib.request.HTTPHandler, "http_open", _opener(urllib.request.HTTPHandler.http_open)
        ),
        Patch(
            urllib.request.HTTPSHandler,
            "https_open",
            _opener(urllib.request.HTTPSHandler.https_open),
        ),
    ]
