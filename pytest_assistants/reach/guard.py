"""The leak guard: while a fake is active, nothing reaches a provider host around it.

Every way in above answers claimed requests before a socket exists. A connection that still
heads for a claimed host came some other way (``http.client``, a raw socket, a library the
fake does not know), so it is refused at the two places every such connection passes:
``socket.getaddrinfo`` (name resolution: ``socket.create_connection``, ``http.client``,
asyncio) and ``socket.socket.connect`` / ``connect_ex`` (a socket given a host name). Only
hosts a fake claims whole are refused; other hosts, 127.0.0.1 (the ``assistants_server``,
your own test servers) and hosts claimed only under a path prefix (gateways serving other
paths too) pass untouched. The error is not an ``OSError``, so no client retries it, and the
fake records it, so the test fails even if the code under test swallows it.
"""

from __future__ import annotations

import socket
from typing import Any

from pytest_assistants.reach import interception
from pytest_assistants.reach.interception import Patch

HOW_TO = (
    "send it through httpx, httpx2, aiohttp, requests / urllib3 or urllib.request (all served"
    " by the fake), or inject fake.transport() / fake.http_client() into your client"
)


class BlockedConnectionError(RuntimeError):
    """A connection to a provider host that no interception served."""


def refuse(host: Any) -> None:
    """Raise (and record on the claiming fake) if ``host`` is a claimed provider host."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return
    fake = interception.guarding_fake(host.rstrip("."))
    if fake is None:
        return
    message = (
        f"pytest-assistants blocked a connection to {host}: it went around the fake"
        f" (a raw socket, http.client or a client library the fake does not intercept); {HOW_TO}"
    )
    fake.leaks.append(message)
    raise BlockedConnectionError(message)


def patches() -> list[Patch]:
    original_getaddrinfo = socket.getaddrinfo
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        refuse(host)
        return original_getaddrinfo(host, *args, **kwargs)

    def connect(self: socket.socket, address: Any) -> None:
        if isinstance(address, tuple):
            refuse(address[0])
        original_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if isinstance(address, tuple):
            refuse(address[0])
        return original_connect_ex(self, address)

    return [
        Patch(socket, "getaddrinfo", getaddrinfo),
        Patch(socket.socket, "connect", connect),
        Patch(socket.socket, "connect_ex", connect_ex),
    ]
