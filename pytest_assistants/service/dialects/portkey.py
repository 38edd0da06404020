"""The Portkey gateway (``api.portkey.ai``): a layer in front of the OpenAI engine (§10).

The gateway has no assistants handler of its own: POST, GET and DELETE on ``/v1/*`` are
proxied, anything else gets Hono's 404 (PUT too: only the 2.0.0 branch routes it). Before
proxying it checks the Portkey key and that a virtual key, provider or config names the
upstream; then the body goes through unchanged (re-serialised) to the OpenAI rules of the
active profile, over the same store as direct OpenAI calls, and the upstream answer - errors
included - comes back unchanged plus the ``x-portkey-*`` headers. Switchable choices
(``profiles.Choices``): ``portkey_default_model``, ``strict_schema``, ``portkey_api_keys``,
``portkey_virtual_keys``, ``portkey_trace_id``.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any, NoReturn

from pytest_assistants.service.dialects import Dialect
from pytest_assistants.service.dialects.openai import POLICY as OPENAI
from pytest_assistants.service.errors import ApiError
from pytest_assistants.service.http import HttpRequest, HttpResponse
from pytest_assistants.service.profiles import PORTKEY_DOCUMENTED
from pytest_assistants.service.resources.assistants.schema import create_schema, modify_schema
from pytest_assistants.service.validation import validate

if TYPE_CHECKING:
    from pytest_assistants.service.dialects import Answers
    from pytest_assistants.service.profiles import Choices, Profile

ROUTED_METHODS = ("POST", "GET", "DELETE")
PORTKEY_DEFAULT_MODEL = "portkey-default"
# The key a virtual key / config stands for (the hosted middleware puts it upstream); with
# the api_keys choice set, the first allowed OpenAI key stands in instead.
PROVIDER_KEY = "sk-portkey-virtual-key-provider"
SERVED_PROVIDERS = ("openai",)
RETRY_STATUS_CODES = (429, 500, 502, 503, 504)  # [GW-main globals.ts]
INVALID_API_KEY = "Portkey Error: Invalid API Key. Error Code: 03"


def _not_json(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def portkey_failure(status: int, message: str, code: str | None = None) -> ApiError:
    """Gateway-originated errors: ``{"status": "failure", "message": ...}`` (§4.1)."""
    body: dict[str, Any] = {"status": "failure", "message": message}
    if code is not None:
        body["error"] = {"message": message, "code": code}
    return ApiError(status, body)


def invalid_api_key() -> ApiError:
    """[GW-2.0 authN.ts + utils/error.ts]: absent and unknown keys get the same 401."""
    return portkey_failure(401, INVALID_API_KEY, "03")


def missing_provider() -> ApiError:
    return portkey_failure(400, "Either x-portkey-config or x-portkey-provider header is required")


def invalid_virtual_key(key: str) -> ApiError:
    return portkey_failure(400, f"Following keys are not valid: {key}")


def invalid_provider() -> ApiError:
    return portkey_failure(400, "Invalid provider passed")


def not_found() -> ApiError:
    """Hono's ``app.notFound`` for unrouted methods such as PATCH [GW-main src/index.ts]."""
    return ApiError(404, {"message": "Not Found", "ok": False})


class Portkey(Dialect):
    """Portkey's checks (:meth:`admit`), then the OpenAI policy upstream, whose answers come
    back with the ``x-portkey-*`` headers (:meth:`decorate`)."""

    name = "portkey"
    upstream = OPENAI

    # -- the gateway's own checks --------------------------------------------------------

    def admit(self, request: HttpRequest, choices: Choices) -> HttpRequest:
        """The request as forwarded upstream, or the gateway's own error."""
        if request.method not in ROUTED_METHODS or not request.path.startswith("/v1/"):
            raise not_found()
        headers = request.headers
        key = headers.get("x-portkey-api-key", "").strip()
        if not key or (
            choices.portkey_api_keys is not None and key not in choices.portkey_api_keys
        ):
            raise invalid_api_key()
        virtual = headers.get("x-portkey-virtual-key", "").strip()
        provider = headers.get("x-portkey-provider", "").strip()
        config = headers.get("x-portkey-config", "").strip()
        known = choices.portkey_virtual_keys
        if virtual and known is not None and virtual not in known:
            raise invalid_virtual_key(virtual)
        if not (virtual or provider or config):
            raise missing_provider()
        if provider and not (virtual or config) and provider.lower() not in SERVED_PROVIDERS:
            raise invalid_provider()
        forwarded = {
            name: value
            for name, value in headers.items()
            if not name.startswith("x-portkey-") and name not in ("content-length", "expect")
        }
        if "x-portkey-openai-beta" in headers:
            forwarded["openai-beta"] = headers["x-portkey-openai-beta"]
        if virtual or config:  # the stored provider key replaces the caller's Authorization
            allowed = sorted(choices.api_keys or [PROVIDER_KEY])
            forwarded["authorization"] = f"Bearer {allowed[0]}"
        return HttpRequest(
            method=request.method,
            host="api.openai.com",
            path=request.path,
            query=request.query,
            headers=forwarded,
            body=self.forwarded_body(request, choices),
        )

    def forwarded_body(self, request: HttpRequest, choices: Choices) -> bytes:
        """The body re-serialised as the gateway does; GET/DELETE carry none."""
        if request.method != "POST":
            return b""
        try:
            body = json.loads(request.body, parse_constant=_not_json)
        except (ValueError, RecursionError):
            return request.body  # not JSON: upstream answers its own 400
        if not isinstance(body, dict):
            return request.body
        if body.get("model") == PORTKEY_DEFAULT_MODEL and choices.portkey_default_model == "ignore":
            del body["model"]
        parts = request.path.strip("/").split("/")
        if choices.strict_schema and parts[1:2] == ["assistants"] and len(parts) <= 3:
            creating = len(parts) == 2  # [S2] documents the assistant's create and modify
            documented = PORTKEY_DOCUMENTED
            validate((create_schema if creating else modify_schema)(documented), body)
        try:
            return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        except (UnicodeEncodeError, RecursionError):  # lone surrogate, too deep: upstream's 400
            return request.body

    # -- answers -------------------------------------------------------------------------

    def error_response(
        self, request: HttpRequest, error: ApiError, profile: Profile, answers: Answers
    ) -> HttpResponse:
        """The gateway's own refusals (upstream errors come back through :meth:`decorate`)."""
        if "error" in error.body and "status" not in error.body:
            # strict_schema findings use OpenAI's envelope (the validator's vocabulary)
            trace = profile.choices.portkey_trace_id
            return self._with_headers(request, answers.render_error(error), trace=trace)
        # generateApiErrorResponse (auth) sets a charset; Hono's c.json does not
        charset = ";charset=UTF-8" if error.status == 401 else ""
        body = json.dumps(error.body, separators=(",", ":")).encode()
        headers = {"content-type": f"application/json{charset}"}
        return HttpResponse(error.status, headers, body, error.body)

    def decorate(
        self, request: HttpRequest, response: HttpResponse, profile: Profile, answers: Answers
    ) -> HttpResponse:
        """§5.3: upstream headers plus x-portkey-*, without content-length."""
        return self._with_headers(request, response, trace=profile.choices.portkey_trace_id)

    def _with_headers(
        self, request: HttpRequest, response: HttpResponse, *, trace: bool
    ) -> HttpResponse:
        headers = {k: v for k, v in response.headers.items() if k != "content-length"}
        given = request.headers.get("x-portkey-trace-id", "")
        if "\r" in given or "\n" in given:  # only Router.handle can carry one; never echo it
            given = ""
        if trace:
            given = given or self.trace_id(headers)
        headers["x-portkey-trace-id"] = given  # the open-source gateway: the caller's, or ""
        # No retry config: a retriable status ends with -1 ("attempts exhausted") [GW-main hooks]
        exhausted = response.status in RETRY_STATUS_CODES
        headers["x-portkey-retry-attempt-count"] = "-1" if exhausted else "0"
        headers["x-portkey-last-used-option-index"] = "config"  # the root target's json path
        headers["x-portkey-provider"] = "openai"
        response.headers = headers
        return response

    @staticmethod
    def trace_id(headers: dict[str, str]) -> str:
        """A UUID derived from the upstream request id, so it is seeded like every id."""
        request_id = headers.get("x-request-id", "")
        digits = request_id.removeprefix("req_")
        try:
            return str(uuid.UUID(hex=digits[:32].rjust(32, "0")))
        except ValueError:
            return str(uuid.UUID(int=0))


POLICY = Portkey()
