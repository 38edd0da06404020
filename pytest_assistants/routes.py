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

from . import errors
from .backend import Backend, Record
from .errors import ApiError
from .faults import FaultPlan, TransportFault
from .profiles import ApiRules, Choices, Profile
from .validation import validate

COLLECTION = "/v1/assistants"
ITEM_PREFIX = "/v1/assistants/"
DEFAULT_HOSTS: dict[str, str] = {
    "api.openai.com": "openai",
    "api.portkey.ai": "portkey",
    "api.zerobot.ai": "zerobot",
}


@dataclass(slots=True)
class HttpRequest:
    method: str
    host: str
    path: str
    query: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""

    @property
    def url(self) -> str:
        return f"https://{self.host}{self.path}" + (f"?{self.query}" if self.query else "")


@dataclass(slots=True)
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    json: Any = None


@dataclass(slots=True)
class Call:
    """One journal entry: what the code under test sent and what the fake answered."""

    method: str
    url: str
    headers: dict[str, str]
    json: Any
    status: int
    response_json: Any
    dialect: str
    operation: str | None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """Strict JSON: UTF-8, no NaN/Infinity, an object at the top. Anything else is 400."""
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise errors.malformed_json() from None
    if not isinstance(value, dict):
        raise errors.malformed_json()
    return value


def _query_int(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise errors.invalid_type(name, "an integer", "a string") from None
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
    ) -> None:
        self.backend = backend
        self.profile = profile
        self.faults = faults or FaultPlan()
        self.hosts = dict(DEFAULT_HOSTS if hosts is None else hosts)
        self.calls: list[Call] = []
        self.internal_errors: list[str] = []
        self._journal_lock = threading.Lock()
        self.dialects: dict[str, Callable[[HttpRequest], tuple[str | None, HttpResponse]]] = {
            "openai": self._openai,
        }

    @property
    def choices(self) -> Choices:
        return self.profile.choices

    # -- entry point ---------------------------------------------------------------------

    def dialect_of(self, host: str) -> str | None:
        return self.hosts.get(host.lower())

    def handle(self, request: HttpRequest, dialect: str | None = None) -> HttpResponse:
        """Answer one request; never raises except :class:`TransportFault`."""
        dialect = dialect or self.dialect_of(request.host) or self.profile.dialect
        operation: str | None = None
        try:
            handler = self.dialects.get(dialect, self._openai)
            operation, response = handler(request)
        except TransportFault:
            self._journal(request, dialect, operation, 0, None)
            raise
        except ApiError as error:
            response = self.render_error(error)
        except Exception as exc:  # the fake's own bug: a 500 that fails the test
            self.internal_errors.append("".join(traceback.format_exception(exc)))
            response = self.render_error(errors.internal_error(f"{type(exc).__name__}: {exc}"))
        self._journal(request, dialect, operation, response.status, response.json)
        return response

    def _journal(
        self, request: HttpRequest, dialect: str, operation: str | None, status: int, answer: Any
    ) -> None:
        try:
            sent = json.loads(request.body) if request.body else None
        except (ValueError, RecursionError):
            sent = None
        call = Call(
            request.method,
            request.url,
            dict(request.headers),
            sent,
            status,
            answer,
            dialect,
            operation,
        )
        with self._journal_lock:
            self.calls.append(call)

    # -- rendering -----------------------------------------------------------------------

    def headers(self) -> dict[str, str]:
        """Headers on every OpenAI answer (§5.3), minus Cloudflare's."""
        return {
            "content-type": "application/json",
            "openai-version": "2020-10-01",
            "openai-organization": self.choices.organization,
            "openai-processing-ms": "1",
            "x-request-id": self.backend.ids.request_id(),
        }

    def dumps(self, payload: Any) -> bytes:
        if self.choices.pretty_json:
            return json.dumps(payload, indent=2, ensure_ascii=False).encode()
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()

    def render(
        self, status: int, payload: Any, extra: Mapping[str, str] | None = None
    ) -> HttpResponse:
        headers = self.headers()
        if extra:
            headers.update(extra)
        return HttpResponse(status, headers, self.dumps(payload), payload)

    def render_error(self, error: ApiError) -> HttpResponse:
        return self.render(error.status, error.body, error.headers)

    @staticmethod
    def wire(record: Record, rules: ApiRules) -> dict[str, Any]:
        return {key: record[key] for key in rules.key_order}

    # -- OpenAI --------------------------------------------------------------------------

    def route(self, request: HttpRequest) -> tuple[str, str | None]:
        """(operation, assistant id) or the unknown-route 404."""
        method, path = request.method, request.path.rstrip("/") or "/"
        if path == COLLECTION:
            operation = {"GET": "list", "POST": "create"}.get(method)
            if operation:
                return operation, None
        elif path.startswith(ITEM_PREFIX) and "/" not in path[len(ITEM_PREFIX) :]:
            operation = {"GET": "retrieve", "POST": "modify", "DELETE": "delete"}.get(method)
            if operation:
                return operation, path[len(ITEM_PREFIX) :]
        raise errors.invalid_url(method, request.path)

    def authenticate(self, request: HttpRequest) -> None:
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key:
            raise errors.missing_api_key()
        if self.choices.api_keys is not None and key not in self.choices.api_keys:
            raise errors.incorrect_api_key(key)

    def beta_rules(self, request: HttpRequest) -> ApiRules:
        versions = [
            part.strip().partition("=")[2]
            for part in request.headers.get("openai-beta", "").split(",")
            if part.strip().startswith("assistants=")
        ]
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
        if len(request.body) > self.choices.max_body_bytes:
            raise errors.body_too_large(self.choices.max_body_bytes)
        return parse_json_object(request.body)

    def _openai(self, request: HttpRequest) -> tuple[str | None, HttpResponse]:
        self.authenticate(request)
        operation, assistant_id = self.route(request)
        fault = self.faults.take(operation)
        if fault is not None:
            if fault.kind != "status":
                raise TransportFault(fault.kind)
            return operation, self.render_error(fault.error())
        if self.choices.sunset:
            raise errors.sunset_not_found(request.method, request.path)
        rules = self.beta_rules(request)
        return operation, self.serve(operation, assistant_id, request, rules)

    def serve(
        self, operation: str, assistant_id: str | None, request: HttpRequest, rules: ApiRules
    ) -> HttpResponse:
        """Run one assistants operation under ``rules`` (shared by every dialect)."""
        backend, choices = self.backend, self.choices
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
