"""OpenAI Assistants v1 and v2 (``api.openai.com``): the policy every other dialect reuses.

A request is checked in the order of §11.1 and stops at the first error: Bearer key, route,
injected fault, sunset, ``OpenAI-Beta`` version; then the route's handler runs under the
rules of that version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytest_assistants.service import errors
from pytest_assistants.service.dialects import Dialect

if TYPE_CHECKING:
    from pytest_assistants.service.dialects import Answers
    from pytest_assistants.service.http import HttpRequest, HttpResponse
    from pytest_assistants.service.profiles import ApiRules, Choices, Profile
    from pytest_assistants.service.routes import Route


def bearer_key(request: HttpRequest, choices: Choices) -> None:
    """A Bearer key (§4.2 401 texts); with the ``api_keys`` choice, one of those."""
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise errors.missing_api_key()
    allowed = choices.api_keys
    if allowed is not None and key not in allowed:
        raise errors.incorrect_api_key(key)


class OpenAI(Dialect):
    name = "openai"
    authenticate = staticmethod(bearer_key)

    def rules(self, request: HttpRequest, profile: Profile, route: Route) -> ApiRules:
        """The rules of the first ``assistants=`` version named in ``OpenAI-Beta``; a route
        outside the beta (files, vector stores) ignores the header and answers with the
        profile's missing-header version (§14.5: the header is not theirs)."""
        if not route.beta:
            return profile.betas.get(profile.missing_beta_version, profile.default)
        beta = request.headers.get("openai-beta", "")
        if beta.startswith("assistants=") and "," not in beta:  # what the SDKs send
            versions = [beta[len("assistants=") :].strip()]
        else:
            versions = [
                part.strip().removeprefix("assistants=")
                for part in beta.split(",")
                if part.strip().startswith("assistants=")
            ]
        if not versions:
            raise errors.missing_beta_header(profile.missing_beta_version)
        version = versions[0]
        rules = profile.betas.get(version)
        if rules is not None:
            return rules
        if profile.deprecated_betas.get(version) == "v1_deprecated":
            raise errors.v1_deprecated()
        # Q11: an unknown version gets the missing-header text (no evidence of its own).
        raise errors.missing_beta_header(profile.missing_beta_version)

    def decorate(
        self, request: HttpRequest, response: HttpResponse, profile: Profile, answers: Answers
    ) -> HttpResponse:
        return response  # OpenAI's own headers are the router's


POLICY = OpenAI()
