"""Zerobot (``api.zerobot.ai/v1``): the only source is its docs page [S4] (§7).

Documented: ``PATCH /v1/assistants/{id}`` modifies, Bearer auth, no ``OpenAI-Beta`` header,
no ``reasoning_effort``, ``tool_resources.file_search.vector_stores`` accepted on modify
(a new ``vs_`` id is attached). INFERRED, because nothing else about Zerobot is public
(Q12): create / retrieve / list / delete on OpenAI's paths, OpenAI's error envelopes and
texts, ``POST`` on an assistant answered by OpenAI's ``Invalid URL`` 404, the rules of
``profiles.ZEROBOT_API``, answers without OpenAI's ``openai-*`` headers, one store shared
with the other hosts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytest_assistants.service.dialects import Dialect
from pytest_assistants.service.dialects.openai import bearer_key
from pytest_assistants.service.profiles import ZEROBOT_API

if TYPE_CHECKING:
    from pytest_assistants.service.dialects import Answers
    from pytest_assistants.service.errors import ApiError
    from pytest_assistants.service.http import HttpRequest, HttpResponse
    from pytest_assistants.service.profiles import ApiRules, Profile
    from pytest_assistants.service.routes import Route


class Zerobot(Dialect):
    """PATCH modifies; only the assistant's five operations are documented (§7), so other
    endpoints are not served; Zerobot's own rules (a profile may give others in its
    ``dialects["zerobot"]``)."""

    name = "zerobot"
    modify_method = "PATCH"
    operations = frozenset(
        f"assistants.{verb}" for verb in ("create", "list", "retrieve", "modify", "delete")
    )

    authenticate = staticmethod(bearer_key)  # Bearer auth, as OpenAI's [S4]

    def sunset(self, request: HttpRequest) -> ApiError | None:
        return None  # Zerobot was not part of OpenAI's shutdown

    def rules(self, request: HttpRequest, profile: Profile, route: Route) -> ApiRules:
        return profile.dialects.get("zerobot", ZEROBOT_API)

    def decorate(
        self, request: HttpRequest, response: HttpResponse, profile: Profile, answers: Answers
    ) -> HttpResponse:
        """Zerobot documents no response headers: keep only what any JSON API sends."""
        response.headers = {
            name: value
            for name, value in response.headers.items()
            if not name.startswith("openai-")
        }
        return response


POLICY = Zerobot()
