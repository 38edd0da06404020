"""Recording what the fake answers through ways vcrpy does not patch.

vcrpy records httpx / httpx2 through their transports, aiohttp through
``ClientSession._request`` and urllib3 / http.client through their connections. The fake
answers some requests before any of those: ``fake.openai()``, ``fake.http_client()``,
``fake.portkey()`` and ``fake.transport()`` hand the client the fake's own transport;
requests and urllib are served above the connections; aiohttp's patch may sit above
vcrpy's, depending on which started first. Without more, a test recording with ``once``
passes, writes nothing, and its next replay fails.

So while a cassette records, it observes every answer a fake gives
(:func:`pytest_assistants.reach.adapter.answered`) and appends each one vcrpy did not see. vcrpy
saw a request exactly when it asked the cassette for a recording and was told to go on
(``can_play_response_for`` returning False); that request is marked in a context variable
(per thread and per task) and left to vcrpy, which appends it itself.
"""

from __future__ import annotations

import contextvars
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from pytest_assistants.reach import adapter, interception

if TYPE_CHECKING:
    from pytest_assistants.service.http import HttpRequest, HttpResponse

# (method, host) of the request vcrpy is sending on after asking the cassette, if any.
_VCRPY_SENDING: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar(
    "assistants_vcrpy_sending", default=None
)
PATH_SAFE = "/:@!$&'()*+,;=-._~"  # what a path keeps unescaped (RFC 3986 pchar and "/")


def vcrpy_sends(method: str, host: str) -> None:
    """Called by the cassette when vcrpy goes on with a request it will append itself."""
    _VCRPY_SENDING.set((method.upper(), host.lower()))


def vcrpy_appended() -> None:
    _VCRPY_SENDING.set(None)


class Recorder:
    """Appends to ``cassette`` every answer of a fake that vcrpy did not see."""

    def __init__(self, cassette: Any) -> None:
        self.cassette = cassette

    def __enter__(self) -> Recorder:
        adapter.observe(self.observe)
        return self

    def __exit__(self, *exc: object) -> None:
        adapter.unobserve(self.observe)

    def observe(self, request: HttpRequest, answer: HttpResponse) -> None:
        sending = _VCRPY_SENDING.get()
        if sending is not None and sending == (request.method.upper(), request.host.lower()):
            _VCRPY_SENDING.set(None)
            return  # vcrpy saw it and appends it once the answer is back
        if self.cassette.write_protected:
            return
        fake = interception.claiming_fake(request.host, request.path)
        if fake is not None:
            self.cassette._note_source(f"recorded from the fake, profile {fake.profile.name}", True)
        self.cassette.append(vcr_request(request), vcr_response(answer))


def vcr_request(request: HttpRequest) -> Any:
    from vcr.request import Request

    query = f"?{request.query}" if request.query else ""
    uri = f"{request.scheme}://{request.host}{quote(request.path, safe=PATH_SAFE)}{query}"
    return Request(request.method, uri, request.body or None, dict(request.headers))


def vcr_response(answer: HttpResponse) -> dict[str, Any]:
    from http import HTTPStatus

    try:
        message = HTTPStatus(answer.status).phrase
    except ValueError:
        message = ""
    return {
        "status": {"code": answer.status, "message": message},
        "headers": {name: [value] for name, value in answer.headers.items()},
        "body": {"string": answer.body},
    }
