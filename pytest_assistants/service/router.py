"""HTTP request -> profile rules -> backend -> HTTP response. Framework-free.

Every way in (httpx / httpx2 transports, global interception, the ASGI server) builds an
:class:`HttpRequest` and renders the :class:`HttpResponse`; no behaviour lives anywhere
else. Checks run in the order of PROVIDER_BEHAVIOUR §11.1 and stop at the first error.
"""

from __future__ import annotations

import json
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from pytest_assistants.service import errors
from pytest_assistants.service import wire as wirejson
from pytest_assistants.service.backend import Backend, Record
from pytest_assistants.service.errors import ApiError
from pytest_assistants.service.faults import FaultPlan, TransportFault
from pytest_assistants.service.profiles import ApiRules, Choices, Profile
from pytest_assistants.service.validation import validate

# Request bodies are parsed in wirejson; these names stay importable from here.
from pytest_assistants.service.wire import MAX_JSON_DEPTH as MAX_JSON_DEPTH
from pytest_assistants.service.wire import parse_json_object as parse_json_object

COLLECTION = "/v1/assistants"
ITEM_PREFIX = "/v1/assistants/"
COLLECTION_OPERATIONS = {"GET": "list", "POST": "create"}
ITEM_OPERATIONS = {"GET": "retrieve", "POST": "modify", "DELETE": "delete"}
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

    Immutable: it keeps bytes and header pairs, and every read of ``headers``, ``json`` or
    ``response_json`` builds a fresh object, so a test that changes what it read changes
    neither the entry nor the store (the answer's dict shares lists with stored records).
    """

    method: str
    url: str
    header_items: tuple[tuple[str, str], ...]  # lower-case names, as received
    body: bytes  # as sent
    status: int
    response_body: bytes  # as answered; b"" when the connection was broken on purpose
    dialect: str
    operation: str | None
    replayed: bool = False  # answered by a cassette, applied to the store as if served

    @property
    def headers(self) -> dict[str, str]:
        return dict(self.header_items)

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


def _query_int(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    # ASCII digits only, as OpenAI parses it: int() would also take "1_0", "+5", " 1 ", "٣".
    if not (raw.isascii() and raw.removeprefix("-").isdigit()):
        raise errors.invalid_type(name, "an integer", "a string")
    value = int(raw)
    if value > high:
        raise errors.above_maximum(name, high, value, integer=True)
    if value < low:
        raise errors.below_minimum(name, low, value, integer=True)
    return value


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
        self.calls: list[Call] = []
        self.max_calls = max_calls  # None: unbounded (a test's fake lives for one test)
        self._trim_lock = threading.Lock()
        self.internal_errors: list[str] = []
        from pytest_assistants.service.dialects.azure import AzureDialect
        from pytest_assistants.service.dialects.portkey import (
            PortkeyGateway,  # dialect layers on top of this router
        )
        from pytest_assistants.service.dialects.zerobot import ZerobotDialect

        self.dialects: dict[str, Callable[[HttpRequest], tuple[str | None, HttpResponse]]] = {
            "openai": self._openai,
            "portkey": PortkeyGateway(self),
            "zerobot": ZerobotDialect(self),
            "azure": AzureDialect(self),
        }

    @property
    def choices(self) -> Choices:
        return self.profile.choices

    # -- entry point ---------------------------------------------------------------------

    def dialect_of(self, host: str) -> str | None:
        host = host.lower()
        found = self.hosts.get(host)
        if found is None and "." in host:  # "*.openai.azure.com" claims every resource
            found = self.hosts.get("*." + host.partition(".")[2])
        return found

    def handle(self, request: HttpRequest, dialect: str | None = None) -> HttpResponse:
        """Answer one request; never raises except :class:`TransportFault`."""
        dialect = dialect or self.dialect_of(request.host) or self.profile.dialect
        operation: str | None = None
        try:
            handler = self.dialects.get(dialect, self._openai)
            operation, response = handler(request)
            if request.method in self.choices.compact_methods and response.json is not None:
                response.body = wirejson.compact(response.json)  # an era's bytes (§13)
        except TransportFault as fault:
            self._journal(request, dialect, operation or fault.operation, 0, b"")
            raise
        except ApiError as error:
            response = self.render_error(error)
        except Exception as exc:  # the fake's own bug: a 500 that fails the test
            self.internal_errors.append("".join(traceback.format_exception(exc)))
            response = self.render_error(errors.internal_error(f"{type(exc).__name__}: {exc}"))
        self._journal(request, dialect, operation, response.status, response.body)
        return response

    def _journal(
        self, request: HttpRequest, dialect: str, operation: str | None, status: int, answer: bytes
    ) -> None:
        body = request.body  # a refused oversize body is never kept
        call = Call(
            request.method,
            request.url,
            tuple(request.headers.items()),
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
        # wirejson: the same bytes as json.dumps(indent=2 / compact), at under half the cost
        # for pretty output (the costliest step of an answer, see bench/RESULTS.md).
        if self.profile.choices.pretty_json:
            return wirejson.pretty(payload)
        return wirejson.compact(payload)

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

    # -- OpenAI --------------------------------------------------------------------------

    def route(self, request: HttpRequest) -> tuple[str, str | None]:
        """(operation, assistant id) or the unknown-route 404."""
        method, path = request.method, request.path.rstrip("/") or "/"
        if path == COLLECTION:
            operation = COLLECTION_OPERATIONS.get(method)
            if operation:
                return operation, None
        elif path.startswith(ITEM_PREFIX):
            assistant_id = path[len(ITEM_PREFIX) :]
            operation = ITEM_OPERATIONS.get(method)
            if operation and "/" not in assistant_id:
                return operation, assistant_id
        raise errors.invalid_url(method, request.path)

    def authenticate(self, request: HttpRequest) -> None:
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key:
            raise errors.missing_api_key()
        if self.profile.choices.api_keys is not None and key not in self.profile.choices.api_keys:
            raise errors.incorrect_api_key(key)

    def beta_rules(self, request: HttpRequest) -> ApiRules:
        beta = request.headers.get("openai-beta", "")
        if "," in beta:
            versions = [
                part.strip().partition("=")[2]
                for part in beta.split(",")
                if part.strip().startswith("assistants=")
            ]
        else:  # the SDKs send one value: the same verdict without the list
            beta = beta.strip()
            versions = [beta.partition("=")[2]] if beta.startswith("assistants=") else []
        if not versions:
            raise errors.missing_beta_header(self.profile.missing_beta_version)
        version = versions[0]
        rules = self.profile.served.get(version)
        if rules is not None:
            return rules
        if self.profile.deprecated_betas.get(version) == "v1_deprecated":
            raise errors.v1_deprecated()
        # Q11: an unknown version gets the missing-header text (no evidence of its own).
        raise errors.missing_beta_header(self.profile.missing_beta_version)

    def read_body(self, request: HttpRequest) -> dict[str, Any]:
        limit = self.profile.choices.max_body_bytes
        declared = request.headers.get("content-length", "")  # the server reads no more
        if len(request.body) > limit or (declared.isdigit() and int(declared) > limit):
            raise errors.body_too_large(limit)
        return parse_json_object(request.body)

    def _openai(self, request: HttpRequest) -> tuple[str | None, HttpResponse]:
        """OpenAI's checks in order; a refusal after routing keeps its operation (journal)."""
        operation: str | None = None
        try:
            self.authenticate(request)
            operation, assistant_id = self.route(request)
            fault = self.faults.take(operation)
            if fault is not None:
                if fault.kind != "status":
                    raise TransportFault(fault.kind, operation)
                return operation, self.render_error(fault.error())
            if self.profile.choices.sunset:
                raise errors.sunset_not_found(request.method, request.path)
            rules = self.beta_rules(request)
            return operation, self.serve(operation, assistant_id, request, rules)
        except ApiError as error:
            return operation, self.render_error(error)

    def serve(
        self, operation: str, assistant_id: str | None, request: HttpRequest, rules: ApiRules
    ) -> HttpResponse:
        """Run one assistants operation under ``rules`` (shared by every dialect)."""
        backend, choices = self.backend, self.profile.choices
        if operation == "create":
            body = self.read_body(request)
            validate(rules.create_schema, body)
            return self.render(200, self.wire(backend.create(body, rules, choices), rules))
        if operation == "list":
            return self.render(200, self.list_page(request, rules))
        assert assistant_id is not None
        if operation == "modify":
            body = self.read_body(request)
            if not backend.exists(assistant_id):
                raise errors.assistant_not_found(assistant_id)
            validate(rules.modify_schema, body)
            record = backend.modify(assistant_id, body, rules, choices)
            return self.render(200, self.wire(record, rules))
        if operation == "retrieve":
            return self.render(200, self.wire(backend.get(assistant_id), rules))
        backend.delete(assistant_id)
        return self.render(
            200, {"id": assistant_id, "object": "assistant.deleted", "deleted": True}
        )

    def list_page(self, request: HttpRequest, rules: ApiRules) -> dict[str, Any]:
        query = dict(parse_qsl(request.query, keep_blank_values=True))
        limit = _query_int(query, "limit", 20, 1, 100)
        order = query.get("order", "desc")
        if order not in ("asc", "desc"):
            raise errors.invalid_value("order", order, ("asc", "desc"))
        page = self.backend.list(
            limit=limit, order=order, after=query.get("after"), before=query.get("before")
        )
        data = [self.wire(record, rules) for record in page.data]
        return {
            "object": "list",
            "data": data,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
            "has_more": page.has_more,
        }


def elapsed_ms(start: float) -> str:
    return str(max(1, int((time.perf_counter() - start) * 1000)))
