"""The one adapter: any client library's request becomes the service's ``HttpRequest``.

Every way in (httpx / httpx2 transports, pool interception, the ASGI server, and the other
client libraries) hands over what it has on the wire: the method, the host, the raw request
target, the header pairs as sent and the body bytes. One set of rules turns them into a
request, so a request means the same whichever way it came:

- header names are case-insensitive (lower-cased); bytes are decoded as Latin-1, as HTTP/1.1
  carries them;
- a repeated header is one header whose values are joined with ", " in the order sent
  (RFC 9110 §5.3; what httpx's ``Headers.items()`` and every HTTP server do);
- the path is percent-decoded (the router matches ids, not escapes); the query is kept as
  sent, for the list parser to decode;
- the body is the bytes as sent.

Every way in also answers through :func:`answered`, which shows each answer to the observers
(a recording cassette), so what a fake answers is recorded whichever way it came.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from urllib.parse import unquote

from pytest_assistants.service.http import HttpRequest

if TYPE_CHECKING:
    from pytest_assistants.service.http import HttpResponse

HeaderPairs = Iterable[tuple[bytes | str, bytes | str]]
Observer = Callable[[HttpRequest, "HttpResponse"], None]
Handle = Callable[[HttpRequest], "HttpResponse"]  # the claiming fake's ``handle``
# Told of every answer a fake gives through a way in: a recording cassette appends the ones
# its own patches did not see (explicit transports, requests, urllib, aiohttp above it).
_OBSERVERS: list[Observer] = []
_OBSERVERS_LOCK = threading.Lock()


def answered(handle: Handle, request: HttpRequest) -> HttpResponse:
    """The claiming fake's answer to ``request``, shown to every observer: every way in
    serves through here, so what a fake answers can be recorded whichever way it came."""
    answer = handle(request)
    if _OBSERVERS:
        for observer in list(_OBSERVERS):
            observer(request, answer)
    return answer


def observe(observer: Observer) -> None:
    with _OBSERVERS_LOCK:
        _OBSERVERS.append(observer)


def unobserve(observer: Observer) -> None:
    with _OBSERVERS_LOCK:
        if observer in _OBSERVERS:
            _OBSERVERS.remove(observer)


def _text(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


# Header pairs seen, as text: requests repeat nearly all of theirs, and the journal keeps
# every request's headers, so each call shares these strings instead of holding a copy of
# its own, and a request whose pairs were all seen is looked up and gathered in C (hashing
# the raw pairs is most of the cost). Bounded: past the limit, new pairs are decoded each
# time.
_PAIRS: dict[tuple[bytes | str, bytes | str], tuple[str, str]] = {}
_NAMES: dict[bytes | str, str] = {}
SHARED_LIMIT = 4096


def _pair(raw: tuple[bytes | str, bytes | str]) -> tuple[str, str]:
    name, value = raw
    text = _NAMES.get(name)
    if text is None:
        text = _text(name).lower()
        if len(_NAMES) < SHARED_LIMIT:
            _NAMES[name] = text
    pair = (text, _text(value))
    if len(_PAIRS) < SHARED_LIMIT:
        _PAIRS[name, value] = pair
    return pair


def header_dict(pairs: HeaderPairs) -> dict[str, str]:
    """Lower-case names -> values, repeated names joined with ", " in the order sent."""
    pairs = pairs if isinstance(pairs, list) else list(pairs)
    try:  # every pair seen before: the usual request
        headers = dict(map(_PAIRS.__getitem__, pairs))
    except (KeyError, TypeError):  # a new pair, or pairs given as lists (unhashable)
        headers = dict(map(_pair, pairs))
    if len(headers) == len(pairs):
        return headers
    headers = {}
    for name, value in map(_pair, pairs):
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def http_request(
    method: bytes | str,
    host: bytes | str,
    target: bytes | str,
    headers: HeaderPairs,
    body: bytes,
    *,
    scheme: str = "https",
) -> HttpRequest:
    """The service's request from what a client put on the wire.

    ``target`` is the raw request target: the percent-encoded path, then ``?query`` if any.
    """
    path, _, query = _text(target).partition("?")
    return HttpRequest(
        method=_text(method).upper(),
        host=_text(host).lower(),
        path=unquote(path) if "%" in path else path,
        query=query,
        headers=header_dict(headers),
        body=body,
        scheme=scheme,
    )
