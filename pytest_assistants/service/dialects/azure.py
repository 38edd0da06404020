"""Azure OpenAI (``{resource}.openai.azure.com/openai/assistants``): §13 of the behaviour.

Recorded (interactions_azure.jsonl): the same assistant object, key order, ``asst_`` ids and
``No assistant found`` 404 as OpenAI of the period; modify is POST; the ``api-version`` query
(not ``OpenAI-Beta``, which Azure's own SDKs omit) decides v1 or v2; the answers carry
Azure's headers, whose set changed over time (:data:`HEADER_STYLES`). Documented choices,
widely quoted but not recorded: a missing or unknown key (``api-key`` or Entra ID bearer;
the ``api_keys`` choice restricts both) gets the API Management 401, checked first; a
missing or unknown ``api-version`` or any other path gets the 404 ``Resource not found``;
validation errors use OpenAI's texts (Azure served OpenAI's engine, as its 404 shows).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from pytest_assistants.service.dialects import Dialect
from pytest_assistants.service.errors import ApiError
from pytest_assistants.service.profiles import (
    AZURE_API_VERSIONS,
    AZURE_DEFAULT_PROFILE,
    azure_profile_for,
    get_profile,
)

if TYPE_CHECKING:
    from pytest_assistants.service.dialects import Answers
    from pytest_assistants.service.http import HttpRequest, HttpResponse
    from pytest_assistants.service.profiles import ApiRules, Choices, Profile
    from pytest_assistants.service.routes import Route

ACCESS_DENIED = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to"
    " provide a valid key for an active subscription and use a correct regional API endpoint"
    " for your resource."
)
REGION = "Sweden Central"  # the region of most recordings
SECURITY_HEADERS = {
    "strict-transport-security": "max-age=31536000; includeSubDomains; preload",
    "x-content-type-options": "nosniff",
}


@dataclass(frozen=True)
class HeaderStyle:
    """Which of Azure's headers a successful answer carried in one era (profile ``era``).

    Recorded: ``x-ms-client-request-id`` echoed until 2024 (not in 2025);
    ``x-ms-middleware-request-id`` from June 2024; ``x-ratelimit-remaining-*`` on a POST
    that names a ``model`` in Feb and Jun 2024, never from Sep 2024; the ``openai-*``
    headers in 2025. Error answers (two recorded 404s) carry only ``apim-request-id``,
    ``x-ms-region`` and the security headers, in every era (INFERRED beyond 2024).
    """

    echo_client_id: bool
    middleware_id: bool
    rate_limits: bool
    openai_headers: bool


HEADER_STYLES = {
    "2024-02": HeaderStyle(True, False, True, False),
    "2024-05": HeaderStyle(True, True, True, False),
    "2024-08": HeaderStyle(True, True, False, False),
    "2025-03": HeaderStyle(False, True, False, True),
}


def azure_error(status: int, message: str) -> ApiError:
    """Azure's own envelope: a string ``code`` and a ``message``, nothing else (§13)."""
    return ApiError(status, {"error": {"code": str(status), "message": message}})


def access_denied() -> ApiError:
    return azure_error(401, ACCESS_DENIED)


def resource_not_found() -> ApiError:
    return azure_error(404, "Resource not found")


def api_version_of(request: HttpRequest) -> str | None:
    return dict(parse_qsl(request.query, keep_blank_values=True)).get("api-version")


class Azure(Dialect):
    """Azure's key, path and version checks; the rules of the request's ``api-version``."""

    name = "azure"
    root = "/openai"

    def authenticate(self, request: HttpRequest, choices: Choices) -> None:
        headers = request.headers
        scheme, _, token = headers.get("authorization", "").partition(" ")
        keys = [headers.get("api-key", "").strip()]
        if scheme.lower() == "bearer":
            keys.append(token.strip())
        keys = [key for key in keys if key]
        allowed = choices.api_keys
        if not keys or (allowed is not None and not allowed.intersection(keys)):
            raise access_denied()

    def unknown_route(self, request: HttpRequest) -> ApiError:
        return resource_not_found()

    def sunset(self, request: HttpRequest) -> ApiError | None:
        return resource_not_found()

    def rules(self, request: HttpRequest, profile: Profile, route: Route) -> ApiRules:
        api_version = api_version_of(request)
        rules = azure_profile(request, profile).api_versions.get(api_version or "")
        if rules is None or api_version not in AZURE_API_VERSIONS:
            raise resource_not_found()
        return rules

    def error_response(
        self, request: HttpRequest, error: ApiError, profile: Profile, answers: Answers
    ) -> HttpResponse:
        response = answers.render(error.status, error.body)
        response.headers = {**base_headers(answers), **error.headers}
        return response

    def decorate(
        self, request: HttpRequest, response: HttpResponse, profile: Profile, answers: Answers
    ) -> HttpResponse:
        """A served answer's headers, in the style of the era (errors keep their own)."""
        if response.status >= 400:
            return response
        style = HEADER_STYLES[azure_profile(request, profile).era]  # every Azure era has one
        headers = base_headers(answers)
        client_id = request.headers.get("x-ms-client-request-id")
        if style.echo_client_id and client_id and not {"\r", "\n"} & set(client_id):
            headers["x-ms-client-request-id"] = client_id
        if style.middleware_id:
            headers["x-ms-middleware-request-id"] = headers["apim-request-id"]
        if style.rate_limits and request.method == "POST" and names_model(request.body):
            headers["x-ratelimit-remaining-requests"] = "99"
            headers["x-ratelimit-remaining-tokens"] = "99360"
        if style.openai_headers:
            kept = ("openai-organization", "openai-processing-ms", "openai-version")
            headers.update({name: response.headers[name] for name in kept})
        for name in ("content-type", "openai-poll-after-ms"):  # a file's bytes; the poll hint
            if name in response.headers:
                headers[name] = response.headers[name]
        headers["x-request-id"] = str(uuid.UUID(hex=answers.request_id()))
        response.headers = headers
        return response


def azure_profile(request: HttpRequest, active: Profile) -> Profile:
    """The active profile if it is an Azure one, else the Azure era of the request's version."""
    if active.dialect == "azure":
        return active
    api_version = api_version_of(request)
    return get_profile(azure_profile_for(request.host, api_version) or AZURE_DEFAULT_PROFILE)


def base_headers(answers: Answers) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "apim-request-id": str(uuid.UUID(hex=answers.request_id())),
        **SECURITY_HEADERS,
        "x-ms-region": REGION,
    }


def names_model(body: bytes) -> bool:
    """Whether a served POST's body names a model: the rate limiter counts tokens against a
    deployment only then. A served upload's body is a form, not JSON: it names none."""
    try:
        return "model" in json.loads(body)
    except ValueError:  # a multipart upload (UnicodeDecodeError is a ValueError too)
        return False


POLICY = Azure()
