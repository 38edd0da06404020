"""Limits of ``pytest-assistants serve``: idle and slow clients, and how many at once.

uvicorn closes a keep-alive connection idle for ``timeout_keep_alive`` seconds, but cancels
that timer on any byte received, and has no timer at all before a connection's first
request: a client sending one header byte every few seconds, or nothing, holds its
connection forever. :func:`guarded_protocol` adds the missing timer to uvicorn's h11
protocol (``uvicorn.Config(http=...)`` takes a protocol class): a request's headers must be
complete within ``header_timeout`` seconds of the connection opening or of their first
byte. The body has its own timeout in the ASGI app; ``limit_concurrency`` caps connections.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio


@dataclass(frozen=True)
class ServeLimits:
    """Defaults for ``serve``: generous for any test client, short for an idle socket."""

    keep_alive: int = 5  # seconds an idle keep-alive connection stays open (uvicorn's default)
    header_timeout: float = 10.0  # seconds to send a request's headers
    body_timeout: float = 30.0  # seconds to send a request's body (then a 408)
    max_connections: int = 256  # further requests get a 503 while this many are open
    max_calls: int = 1000  # calls the journal keeps (``serve`` has no reader for more)

    def uvicorn_options(self) -> dict[str, Any]:
        return {
            "timeout_keep_alive": self.keep_alive,
            "limit_concurrency": self.max_connections,
            "http": guarded_protocol(self.header_timeout),
        }


def guarded_protocol(header_timeout: float) -> type[Any]:
    """uvicorn's h11 protocol, closing connections whose request headers are late."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class GuardedH11Protocol(H11Protocol):
        _header_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            if self._awaiting_headers() and self._header_timer is None:
                self._arm()  # the first byte of the next request starts its header clock
            super().data_received(data)
            if not self._awaiting_headers():
                self._disarm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _awaiting_headers(self) -> bool:
            return self.cycle is None or bool(self.cycle.response_complete)

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(header_timeout, self._expired)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _expired(self) -> None:
            self._header_timer = None
            if self._awaiting_headers() and not self.transport.is_closing():
                self.transport.close()

    return GuardedH11Protocol
