"""The request, the answer and the journal entry: leaf types every layer imports.

Every way in (httpx / httpx2 transports, global interception, aiohttp, requests, urllib,
the ASGI server) builds an :class:`HttpRequest` and renders the :class:`HttpResponse`;
:class:`Call` is what the journal keeps of both; :class:`RouteRequest` is what a handler
given to ``fake.route(...)`` receives. Nothing here imports the rest of the package.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(slots=True)
class HttpRequest:
    method: str
    host: str
    path: str
    query: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""
    scheme: str = "https"  # what the providers speak; the server passes its own

    @property
    def url(self) -> str:
        query = f"?{self.query}" if self.query else ""
        return f"{self.scheme}://{self.host}{self.path}{query}"


@dataclass(slots=True)
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    json: Any = None


@dataclass(frozen=True, slots=True)
class Call:
    """One journal entry: what the code under test sent and what the fake answered.

    Immutable: it keeps bytes and read-only copies of the headers, and every read of
    ``headers``, ``json`` or ``response_json`` builds a fresh object, so a test that changes
    what it read changes neither the entry nor the store. ``operation`` is the route's
    qualified name (``"assistants.modify"``), ``"route"`` for a ``fake.route`` handler,
    ``"not_served"``, or None when the request matched no route.
    """

    method: str
    url: str
    sent_headers: Mapping[str, str]  # read-only; lower-case names, as received
    body: bytes  # as sent
    status: int
    response_body: bytes  # as answered; b"" when the connection was broken on purpose
    dialect: str
    operation: str | None
    replayed: bool = False  # answered by a cassette, applied to the store as if served
    response_headers: Mapping[str, str] = field(default_factory=dict)  # read-only, lower-case

    @property
    def headers(self) -> dict[str, str]:
        return dict(self.sent_headers)

    @property
    def json(self) -> Any:
        """The request body as JSON, or None (no body, or not JSON)."""
        return _loads_or_none(self.body)

    @property
    def response_json(self) -> Any:
        """The answer's body as JSON, or None (no answer)."""
        return _loads_or_none(self.response_body)


def _loads_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except (ValueError, RecursionError):
        return None


@dataclass(frozen=True)
class RouteRequest:
    """What a ``fake.route(...)`` handler gets: the request, with the path's ``{name}``
    values in ``params``."""

    method: str
    url: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def json(self) -> Any:
        """The body as JSON (None when empty)."""
        return json.loads(self.body) if self.body else None


@dataclass(frozen=True)
class EventStream:
    """What a handler answers a streamed request with: server-sent events in order, each
    ``(event name, data)``; data is a JSON value, or text such as ``[DONE]`` (§14.3)."""

    events: list[tuple[str, Any]]
