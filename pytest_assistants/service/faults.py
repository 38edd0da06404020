"""Fault injection: answers the provider gives when things go wrong, on demand.

A status fault is rendered by the routes in the dialect's envelope; a transport fault
(timeout, dropped connection) is raised as :class:`TransportFault` and turned into the
client library's own exception by whichever way in served the request.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from pytest_assistants.service.errors import ApiError, openai_error
from pytest_assistants.service.routes import qualified

KINDS = ("status", "timeout", "disconnect")

# OpenAI's texts for the statuses users inject most (type/code as served on other routes).
_DEFAULT_FAULTS: dict[int, tuple[str, str, str | None]] = {
    408: ("Request timed out.", "timeout", None),
    409: (
        "The request conflicts with the current state of the resource.",
        "invalid_request_error",
        None,
    ),
    429: (
        "Rate limit reached for requests. Please try again later.",
        "requests",
        "rate_limit_exceeded",
    ),
    500: (
        "The server had an error while processing your request. Sorry about that!",
        "server_error",
        None,
    ),
    502: ("Bad gateway.", "server_error", None),
    503: ("The engine is currently overloaded, please try again later.", "server_error", None),
}


class TransportFault(Exception):
    """Raised through the routes when a fault must break the connection, not answer."""

    def __init__(self, kind: str, operation: str | None = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.operation = operation  # journalled: the request was routed, then dropped


@dataclass
class Fault:
    """One injected failure, answered ``count`` times to the matching operation."""

    status: int = 500
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    count: int = 1
    operation: str | None = None
    kind: str = "status"
    used: int = 0

    def error(self) -> ApiError:
        headers = {**self.fast_retry(), **self.headers}
        if self.body is not None:
            return ApiError(self.status, self.body, headers)
        message, type_, code = _DEFAULT_FAULTS.get(
            self.status, (f"Injected error {self.status}.", "invalid_request_error", None)
        )
        return openai_error(message, status=self.status, type_=type_, code=code, headers=headers)

    def fast_retry(self) -> dict[str, str]:
        """``retry-after-ms: 1`` on answers the SDKs retry (408, 409, 429, 5xx, or
        ``x-should-retry: true``), unless the caller set a retry-after of their own (a
        ``retry-after: 121`` must reach the SDK alone to show its no-retry rule, §9.5)."""
        given = {name.lower(): value for name, value in self.headers.items()}
        retried = self.status in (408, 409, 429) or self.status >= 500
        if given.get("x-should-retry") == "true":
            retried = True
        if not retried or {"retry-after", "retry-after-ms"} & set(given):
            return {}
        return {"retry-after-ms": "1"}


class FaultPlan:
    """Thread-safe queue of faults, consumed in the order they were added."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(
        self,
        status: int,
        *,
        body: dict[str, Any] | None,
        headers: dict[str, str] | None,
        count: int,
        operation: str | None,
        kind: str,
    ) -> Fault:
        """One fault, every argument given (``FakeAssistants.fail`` holds the defaults).

        ``operation`` is a route's qualified name or one of its aliases (None: every request,
        ``fake.route`` handlers' included).
        """
        if operation is not None:
            try:
                operation = qualified(operation)
            except ValueError as error:
                raise ValueError(f"{error} for fail(), or None for every operation") from None
        if kind not in KINDS:
            raise ValueError(
                f"unknown fault kind {kind!r} for fail(): use one of {', '.join(KINDS)}"
            )
        if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
            raise ValueError(f"fail(status={status!r}): use an HTTP status code such as 429 or 503")
        if not isinstance(count, int) or count < 1:
            raise ValueError("fail(count=...) must be at least 1")
        fault = Fault(status, body, dict(headers or {}), count, operation, kind)
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, operation: str) -> Fault | None:
        """The next fault for ``operation`` (``"route"``: a ``fake.route`` handler's)."""
        if not self._faults:
            return None
        with self._lock:
            for fault in self._faults:
                if fault.operation in (None, operation) and fault.used < fault.count:
                    fault.used += 1
                    return fault
        return None

    def inject(self, operation: str) -> None:
        """Raise the next queued fault for ``operation``, if any: a broken connection as
        :class:`TransportFault`, a status fault as the ``ApiError`` its dialect answers."""
        if not self._faults:
            return
        fault = self.take(operation)
        if fault is None:
            return
        if fault.kind != "status":
            raise TransportFault(fault.kind, operation)
        raise fault.error()

    def pending(self) -> list[Fault]:
        with self._lock:
            return [f for f in self._faults if f.used < f.count]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
