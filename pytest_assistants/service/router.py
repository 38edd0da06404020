"""HTTP request -> dialect -> HTTP response, with a journal entry. Framework-free.

Every way in (httpx / httpx2 transports, global interception, the ASGI server) builds an
:class:`HttpRequest` and renders the :class:`HttpResponse`. The router picks the dialect
by host, hands it the request, and journals what was answered; the dialects (``dialects/``)
hold every provider rule and call back into :meth:`Router.render` for the answer bytes.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pytest_assistants.service import errors
from pytest_assistants.service.dialects.azure import AzureDialect
from pytest_assistants.service.dialects.openai import OpenAIDialect
from pytest_assistants.service.dialects.portkey import PortkeyGateway
from pytest_assistants.service.dialects.zerobot import ZerobotDialect
from pytest_assistants.service.faults import FaultPlan, TransportFault
from pytest_assistants.service.hosts import HostTable
from pytest_assistants.service.routes import Routes
from pytest_assistants.service.wire import dumps

if TYPE_CHECKING:
    from pytest_assistants.service.backend import Backend, Record
    from pytest_assistants.service.errors import ApiError
    from pytest_assistants.service.profiles import ApiRules, Choices, Profile

DEFAULT_HOSTS: dict[str, str] = {
    "api.openai.com": "openai",
    "api.portkey.ai": "portkey",
    "api.zerobot.ai": "zerobot",
    "*.openai.azure.com": "azure",  # "*." claims every subdomain (any resource name)
}


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

    Immutable: it keeps bytes and a read-only copy of the headers, and every read of
    ``headers``, ``json`` or ``response_json`` builds a fresh object, so a test that changes
    what it read changes neither the entry nor the store (the answer's dict shares lists
    with stored records).
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


Dialect = Callable[[HttpRequest], tuple[str | None, HttpResponse]]
"""A dialect answers a request and names the operation it ran (None: not routed)."""


class Router:
    """Serves every dialect over one backend; the profile decides the rules."""

    def __init__(
        self,
        backend: Backend,
        profile: Profile,
        *,
        faults: FaultPlan | None = None,
        hosts: Mapping[str, str] | None = None,
        max_calls: int | None = None,
    ) -> None:
        self.backend = backend
        self.profile = profile
        self.faults = faults or FaultPlan()
        self.hosts = dict(DEFAULT_HOSTS if hosts is None else hosts)
        self.host_table = HostTable(self.hosts)
        self.routes = Routes()
        self.calls: list[Call] = []
        self.max_calls = max_calls  # None: unbounded (a test's fake lives for one test)
        self._trim_lock = threading.Lock()
        self.internal_errors: list[str] = []
        self.openai = OpenAIDialect(self)  # the default, and the rules the others reuse
        self.dialects: dict[str, Dialect] = {
            "openai": self.openai,
            "portkey": PortkeyGateway(self),
            "zerobot": ZerobotDialect(self),
            "azure": AzureDialect(self),
        }

    @property
    def choices(self) -> Choices:
        return self.profile.choices

    # -- entry point ---------------------------------------------------------------------

    def dialect_of(self, host: str) -> str | None:
        return self.host_table.dialect_of(host)

    def claims(self, host: str, path: str) -> bool:
        """Whether a request to ``host`` and ``path`` is this fake's to answer."""
        return self.host_table.claim(host, path) is not None

    def handle(self, request: HttpRequest, dialect: str | None = None) -> HttpResponse:
        """Answer one request; never raises except :class:`TransportFault`."""
        sent = request  # the journal keeps the URL as sent, gateway prefix included
        claim = self.host_table.claim(request.host, request.path)
        if claim is not None:
            if claim[1] != request.path:
                request = dataclasses.replace(request, path=claim[1])
            dialect = dialect or claim[0]
        dialect = dialect or self.profile.dialect
        operation: str | None = None
        try:
            extra = self.extra_route(request)
            if extra is not None:
                operation, response = extra
            else:
                handler = self.dialects.get(dialect, self.openai)
                operation, response = handler(request)
                if request.method in self.choices.compact_methods and response.json is not None:
                    response.body = dumps(response.json, pretty=False)  # an era's bytes (§13)
        except TransportFault as fault:
            self._journal(sent, dialect, operation or fault.operation, 0, b"")
            raise
        except Exception as exc:  # the fake's own bug: a 500 that fails the test (every
            # dialect answers its own ApiErrors)
            self.internal_errors.append("".join(traceback.format_exception(exc)))
            response = self.render_error(errors.internal_error(f"{type(exc).__name__}: {exc}"))
        self._journal(sent, dialect, operation, response.status, response.body)
        return response

    def extra_route(self, request: HttpRequest) -> tuple[str, HttpResponse] | None:
        """A user route's answer, the not-served 501, or None for the dialect to answer."""
        outcome = self.routes.answer(request)
        if outcome is None:
            return None
        operation, status, headers, payload = outcome
        return operation, self.render(status, payload, headers)

    def _journal(
        self, request: HttpRequest, dialect: str, operation: str | None, status: int, answer: bytes
    ) -> None:
        body = request.body  # a refused oversize body is never kept
        call = Call(
            request.method,
            request.url,
            MappingProxyType(dict(request.headers)),  # one object, not a tuple per header
            body if len(body) <= self.profile.choices.max_body_bytes else b"",
            status,
            answer,
            dialect,
            operation,
        )
        self.calls.append(call)  # atomic: concurrent requests need no lock of ours
        if self.max_calls is not None and len(self.calls) > self.max_calls:
            with self._trim_lock:  # the journal keeps the newest max_calls calls
                del self.calls[: max(0, len(self.calls) - self.max_calls)]

    # -- rendering -----------------------------------------------------------------------

    def headers(self) -> dict[str, str]:
        """Headers on every OpenAI answer (§5.3), minus Cloudflare's."""
        return {
            "content-type": "application/json",
            "openai-version": "2020-10-01",
            "openai-organization": self.profile.choices.organization,
            "openai-processing-ms": "1",
            "x-request-id": self.backend.ids.request_id(self.profile.choices.request_id_prefix),
        }

    def dumps(self, payload: Any) -> bytes:
        return dumps(payload, pretty=self.profile.choices.pretty_json)

    def render(
        self, status: int, payload: Any, extra: Mapping[str, str] | None = None
    ) -> HttpResponse:
        headers = self.headers()
        if extra:
            headers.update(extra)
        return HttpResponse(status, headers, self.dumps(payload), payload)

    def render_error(self, error: ApiError) -> HttpResponse:
        response = self.render(error.status, error.body, error.headers)
        inner = error.body.get("error")
        if error.status == 401 and isinstance(inner, dict) and "type" in inner:
            # Recorded 401s (5/5) name no organization (the key was not resolved to one)
            # and ask for Basic auth.
            response.headers.pop("openai-organization", None)
            response.headers.setdefault("www-authenticate", 'Basic realm="OpenAI API"')
        return response

    @staticmethod
    def wire(record: Record, rules: ApiRules) -> dict[str, Any]:
        out = {key: record[key] for key in rules.key_order}
        # One store serves v1 and v2 (2024): each version shows the other's file tool as
        # its own (retrieval <-> file_search, INFERRED from the v2 migration guide).
        foreign = "file_search" if rules.file_ids else "retrieval"
        for tool in out["tools"]:
            if tool["type"] != foreign:
                continue
            own = "retrieval" if rules.file_ids else "file_search"
            out["tools"] = [
                {"type": own} if tool["type"] == foreign else tool for tool in out["tools"]
            ]
            resources = out.get("tool_resources")
            if resources is not None and "file_search" not in resources:
                out["tool_resources"] = {**resources, "file_search": {"vector_store_ids": []}}
            break
        return out
