"""The request sequence, written once: claim -> user route -> dialect policy -> table ->
handler -> rendered answer, with a journal entry. Framework-free.

1. The host table (:class:`HostTable`) says which dialect a request's host and path prefix
   belong to.
2. A ``fake.route`` handler for the method and path answers first; a provider endpoint the
   fake does not serve gets the 501 that says so.
3. A gateway policy (Portkey) admits the request and forwards it to its upstream policy.
4. The policy authenticates, the route table names the operation, an injected fault may
   answer instead, the sunset choice answers 404, the policy picks the rules of the request's
   API version, and the route's handler answers; every :class:`ApiError` on the way is
   rendered by the policy, which also decorates every answer with its headers.

Any other exception is the fake's own bug: a 500 that fails the test (``fake.check``).
"""

from __future__ import annotations

import dataclasses
import threading
import traceback
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pytest_assistants.service import errors
from pytest_assistants.service.dialects import azure, openai, portkey, zerobot
from pytest_assistants.service.errors import ApiError
from pytest_assistants.service.faults import FaultPlan, TransportFault
from pytest_assistants.service.http import Call, EventStream, HttpResponse
from pytest_assistants.service.profiles import DEFAULT_HOSTS
from pytest_assistants.service.resources.common import Answer, Context
from pytest_assistants.service.resources.runs.script import Script
from pytest_assistants.service.user_routes import (
    NOT_SERVED_HEADERS,
    Notes,
    UserRoutes,
    not_served_body,
    not_served_message,
    outside_the_fake,
)
from pytest_assistants.service.wire import dumps

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pytest_assistants.service.dialects import Dialect
    from pytest_assistants.service.http import HttpRequest
    from pytest_assistants.service.profiles import Profile
    from pytest_assistants.service.routes import Route
    from pytest_assistants.service.store import Store

POLICIES: dict[str, Dialect] = {
    "openai": openai.POLICY,
    "portkey": portkey.POLICY,
    "zerobot": zerobot.POLICY,
    "azure": azure.POLICY,
}


# -- which requests a fake claims ----------------------------------------------------------


def host_matches(pattern: str, host: str) -> bool:
    """The one comparison of a configured host with a request's host (lower-case both):
    ``*.openai.azure.com`` claims every resource name (one label) under openai.azure.com."""
    if pattern.startswith("*."):
        return host.partition(".")[2] == pattern[2:] and "." in host
    return pattern == host


def split_entry(entry: str) -> tuple[str, str]:
    """``"Proxy.example.com/openai/v1"`` -> ``("proxy.example.com", "/openai")``: a host and
    the gateway prefix before the dialect's own routes (a trailing ``/v1`` means the same)."""
    host, _, rest = entry.strip().partition("/")
    rest = rest.strip("/")
    return host.lower(), ("/" + rest).removesuffix("/v1") if rest else ""


class HostTable:
    """Configured ``host`` or ``host/prefix`` entries, longest prefix first, so the most
    specific claim wins."""

    def __init__(self, hosts: Mapping[str, str]) -> None:
        entries = [(*split_entry(entry), dialect) for entry, dialect in hosts.items()]
        self.entries = sorted(entries, key=lambda entry: -len(entry[1]))

    def dialect_of(self, host: str) -> str | None:
        """The dialect of a whole host (an entry without prefix), if one is configured."""
        host = host.lower()
        for pattern, prefix, dialect in self.entries:
            if not prefix and host_matches(pattern, host):
                return dialect
        return None

    def claim(self, host: str, path: str) -> tuple[str, str] | None:
        """(dialect, path without the prefix) when an entry covers this request, else None."""
        host = host.lower()
        for pattern, prefix, dialect in self.entries:
            if host_matches(pattern, host) and (
                not prefix or path == prefix or path.startswith(prefix + "/")
            ):
                return dialect, path[len(prefix) :] or "/"
        return None


# -- the journal ---------------------------------------------------------------------------

# method, URL, request headers, request body, status, answer body, dialect, operation,
# answer headers: Call's fields in order (``replayed`` is False for everything answered).
Entry = tuple[str, str, dict[str, str], bytes, int, bytes, str, "str | None", dict[str, str]]


class Journal:
    """The calls in order (``fake.calls``); ``max_calls`` keeps only the newest (None: all).

    Answering adds a plain tuple (one atomic ``list.append``: concurrent requests need no
    lock); the :class:`Call` a test reads is built at the first read and kept, the same
    object on every later read. Most entries are never read, and a frozen dataclass costs
    about fifteen times a tuple to build. An entry keeps what was true when answered: a
    copy of the request's headers (a caller's dict may change), the bodies, the answer's
    own header dict (nothing changes it after). Building and trimming hold the one lock.
    """

    def __init__(self, max_calls: int | None = None) -> None:
        self.max_calls = max_calls
        self._entries: list[Entry | Call] = []
        self._built = 0  # entries before this index are Calls already
        self._lock = threading.Lock()

    def add(
        self, request: HttpRequest, dialect: str, operation: str | None, answer: HttpResponse | None
    ) -> None:
        """Keep what ``request`` sent and what it was answered (None: the connection was
        broken on purpose). The caller drops a refused oversize body first."""
        query = f"?{request.query}" if request.query else ""
        self._entries.append(
            (
                request.method,
                f"{request.scheme}://{request.host}{request.path}{query}",  # request.url
                dict(request.headers),
                request.body,
                0 if answer is None else answer.status,
                b"" if answer is None else answer.body,
                dialect,
                operation,
                {} if answer is None else answer.headers,
            )
        )
        if self.max_calls is not None and len(self._entries) > self.max_calls:
            self._trim(self.max_calls)

    def keep(self, call: Call) -> None:
        """Keep a call built elsewhere (a replayed one)."""
        self._entries.append(call)
        if self.max_calls is not None and len(self._entries) > self.max_calls:
            self._trim(self.max_calls)

    def _trim(self, newest: int) -> None:
        with self._lock:
            dropped = max(0, len(self._entries) - newest)
            del self._entries[:dropped]
            self._built = max(0, self._built - dropped)

    def calls(self) -> list[Call]:
        """Every kept call, oldest first: a new list, of entries built once."""
        with self._lock:
            entries, end = self._entries, len(self._entries)  # later appends: next read
            for index in range(self._built, end):
                entry = entries[index]
                if type(entry) is tuple:
                    method, url, headers, body, status, answer_body, dialect, operation, out = entry
                    entries[index] = Call(
                        method,
                        url,
                        MappingProxyType(headers),
                        body,
                        status,
                        answer_body,
                        dialect,
                        operation,
                        response_headers=MappingProxyType(out),
                    )
            self._built = end
            return entries[:end]  # type: ignore[return-value]  # all Calls up to end

    def clear(self) -> None:
        with self._lock:
            self._entries = []
            self._built = 0


# -- the sequence --------------------------------------------------------------------------


class Router:
    """Serves every dialect over one store; the profile decides the rules.

    It is the :class:`~pytest_assistants.service.dialects.Answers` its policies render with.
    ``max_calls`` keeps only the newest calls in the journal (None: all of them).
    """

    def __init__(
        self,
        store: Store,
        profile: Profile,
        *,
        faults: FaultPlan | None = None,
        hosts: Mapping[str, str] | None = None,
        max_calls: int | None = None,
    ) -> None:
        self.store = store
        self.profile = profile
        self.faults = faults or FaultPlan()
        self.hosts = HostTable(DEFAULT_HOSTS if hosts is None else hosts)
        self.user_routes = UserRoutes()
        self.journal = Journal(max_calls)
        self.internal_errors = Notes()  # tracebacks of the fake's own bugs
        self.not_served = Notes()  # what each not-served request should do instead
        self.script = Script()  # the model's next steps

    def reset(self) -> None:
        """A fresh state: the store rebuilt; journal, notes and pending faults forgotten.
        The user's routes and the hosts stay (they are configuration, not state)."""
        self.store.reset()
        self.faults.clear()
        self.script.clear()
        self.journal.clear()
        self.internal_errors = Notes()
        self.not_served = Notes()
        self.user_routes.errors = Notes()

    def claims(self, host: str, path: str) -> bool:
        """Whether a request to ``host`` and ``path`` is this fake's to answer."""
        return self.hosts.claim(host, path) is not None

    def handle(self, request: HttpRequest, dialect: str | None = None) -> HttpResponse:
        """Answer one request; never raises except :class:`TransportFault`."""
        sent = request  # the journal keeps the URL as sent, gateway prefix included
        claim = self.hosts.claim(request.host, request.path)
        if claim is not None:
            if claim[1] != request.path:
                request = dataclasses.replace(request, path=claim[1])
            dialect = dialect or claim[0]
        dialect = dialect or self.profile.dialect
        policy = POLICIES.get(dialect, openai.POLICY)
        operation: str | None = None
        profile = self.profile
        try:
            found_user = self.user_routes.table and self.user_routes.find(
                request.method, request.path
            )
            target = policy.upstream or policy
            found = None if found_user else target.table.match(request.method, request.path)
            if found_user:
                operation, response = "route", self._user_route(policy, request, *found_user)
            elif found is None and self._not_served(target, request):
                operation, response = "not_served", self._not_served_answer(request)
            elif policy.upstream is not None:  # a gateway: its checks, then the upstream's
                try:
                    forwarded = policy.admit(request, profile.choices)
                except ApiError as error:
                    response = policy.error_response(request, error, profile, self)
                else:
                    operation, response = self._serve(target, forwarded, found)
                    response = policy.decorate(request, response, profile, self)
            else:
                operation, response = self._serve(policy, request, found)
            if (
                operation not in ("route", "not_served")
                and request.method in profile.choices.compact_methods
                and response.json is not None
            ):
                response.body = dumps(response.json, pretty=False)  # an era's bytes (§13)
        except TransportFault as fault:
            self._journal(sent, dialect, operation or fault.operation, None)
            raise
        except Exception as exc:  # the fake's own bug (every policy answers its ApiErrors)
            self.internal_errors.add("".join(traceback.format_exception(exc)))
            response = self.render_error(errors.internal_error(f"{type(exc).__name__}: {exc}"))
        self._journal(sent, dialect, operation, response)
        return response

    def _serve(
        self,
        policy: Dialect,
        request: HttpRequest,
        found: tuple[Route, dict[str, str]] | None,
    ) -> tuple[str | None, HttpResponse]:
        profile = self.profile
        choices = profile.choices
        operation: str | None = None  # known once the request is authenticated and routed
        try:
            policy.authenticate(request, choices)
            if found is None:
                raise policy.unknown_route(request)
            route, params = found
            operation = route.operation
            self.faults.inject(operation)
            if choices.sunset:
                gone = policy.sunset(request)
                if gone is not None:
                    raise gone
            rules = policy.rules(request, profile, route)
            if route.needs is not None and route.needs not in rules.served:
                raise policy.unknown_route(request)  # not yet, or no longer, in this version
            context = Context(request, params, rules, choices, self.store, self.script)
            response = self.answer(route.handler(context))
            if request.headers.get("x-stainless-poll-helper") == "true":
                # The SDK's poll helpers wait what this says (1 s without it): our choice,
                # as retry-after-ms on faults, so polled runs finish in milliseconds.
                response.headers["openai-poll-after-ms"] = str(choices.poll_after_ms)
        except ApiError as error:
            response = policy.error_response(request, error, profile, self)
        return operation, policy.decorate(request, response, profile, self)

    def _not_served_answer(self, request: HttpRequest) -> HttpResponse:
        """The 501 that tells the test how to serve the endpoint itself."""
        self.not_served.add(not_served_message(request.method, request.path))
        body = not_served_body(request.method, request.path)
        return self.render(501, body, NOT_SERVED_HEADERS)

    def _not_served(self, policy: Dialect, request: HttpRequest) -> bool:
        """A family endpoint this dialect does not serve, or one outside the fake."""
        whole = policy.whole_table
        if whole is not policy.table and whole.match(request.method, request.path):
            return True
        return outside_the_fake(request.path)

    def _user_route(
        self, policy: Dialect, request: HttpRequest, handler: Any, params: dict[str, str]
    ) -> HttpResponse:
        """A ``fake.route`` handler's answer; ``fail()`` faults apply to it too."""
        try:
            self.faults.inject("route")
        except ApiError as error:
            return policy.error_response(request, error, self.profile, self)
        status, headers, payload = self.user_routes.answer(request, handler, params)
        return self.render(status, payload, headers)

    def _journal(
        self, request: HttpRequest, dialect: str, operation: str | None, answer: HttpResponse | None
    ) -> None:
        if len(request.body) > self.profile.choices.max_body_bytes:  # refused: never kept
            request = dataclasses.replace(request, body=b"")
        self.journal.add(request, dialect, operation, answer)

    # -- rendering (the Answers the policies use) ----------------------------------------

    def request_id(self) -> str:
        return self.store.ids.request_id("")

    def headers(self) -> dict[str, str]:
        """Headers on every OpenAI answer (§5.3), minus Cloudflare's."""
        choices = self.profile.choices
        return {
            "content-type": "application/json",
            "openai-version": "2020-10-01",
            "openai-organization": choices.organization,
            "openai-processing-ms": "1",
            "x-request-id": self.store.ids.request_id(choices.request_id_prefix),
        }

    def render(
        self, status: int, payload: Any, extra: Mapping[str, str] | None = None
    ) -> HttpResponse:
        headers = self.headers()
        if extra:
            headers.update(extra)
        pretty = self.profile.choices.pretty_json
        return HttpResponse(status, headers, dumps(payload, pretty=pretty), payload)

    def answer(self, payload: Any) -> HttpResponse:
        """A handler's 200: its JSON, an event stream, or an :class:`Answer`'s headers or
        raw bytes."""
        if type(payload) is EventStream:
            return self.render_events(payload)
        if not isinstance(payload, Answer):
            return self.render(200, payload)
        if payload.raw is None:
            return self.render(200, payload.payload, payload.headers)
        headers = {**self.headers(), **payload.headers, "content-type": payload.content_type}
        return HttpResponse(200, headers, payload.raw)

    def render_events(self, stream: EventStream) -> HttpResponse:
        """Server-sent events as recorded (§14.3): ``event: name``, ``data: compact JSON``."""
        headers = self.headers()
        headers["content-type"] = "text/event-stream; charset=utf-8"
        body = b"".join(
            b"event: %s\ndata: %s\n\n"
            % (name.encode(), data.encode() if isinstance(data, str) else dumps(data, pretty=False))
            for name, data in stream.events
        )
        return HttpResponse(200, headers, body)

    def render_error(self, error: ApiError) -> HttpResponse:
        response = self.render(error.status, error.body, error.headers)
        inner = error.body.get("error")
        if error.status == 401 and isinstance(inner, dict) and "type" in inner:
            # Recorded 401s (5/5) name no organization (the key was not resolved to one)
            # and ask for Basic auth.
            response.headers.pop("openai-organization", None)
            response.headers.setdefault("www-authenticate", 'Basic realm="OpenAI API"')
        return response
