"""Zerobot (``api.zerobot.ai/v1``): the only source is its docs page [S4] (§7).

Documented: ``PATCH /v1/assistants/{id}`` modifies, Bearer auth, no ``OpenAI-Beta`` header,
no ``reasoning_effort``, ``tool_resources.file_search.vector_stores`` accepted on modify
(a new ``vs_`` id is attached). INFERRED, because nothing else about Zerobot is public
(Q12): create / retrieve / list / delete on OpenAI's paths, OpenAI's error envelopes and
texts, ``POST`` on an assistant answered by OpenAI's ``Invalid URL`` 404, the rules of
``profiles.ZEROBOT_RULES``, answers without OpenAI's ``openai-*`` headers, one store shared
with the other hosts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytest_assistants.service.dialects import openai
from pytest_assistants.service.errors import ApiError, invalid_url
from pytest_assistants.service.profiles import ZEROBOT_RULES

if TYPE_CHECKING:
    from pytest_assistants.service.router import HttpRequest, HttpResponse, Router

ITEM_OPERATIONS = {"GET": "retrieve", "PATCH": "modify", "DELETE": "delete"}


def route(request: HttpRequest) -> tuple[str, str | None]:
    """(operation, assistant id), or the 404 for any other method or path."""
    found = openai.match(request, openai.COLLECTION, ITEM_OPERATIONS)
    if found is None:
        raise invalid_url(request.method, request.path)
    return found


class ZerobotDialect:
    """``Router.dialects["zerobot"]``: Zerobot's routing, then the shared operations."""

    def __init__(self, router: Router) -> None:
        self.router = router

    def __call__(self, request: HttpRequest) -> tuple[str | None, HttpResponse]:
        router = self.router
        operation: str | None = None
        try:
            router.openai.authenticate(request)
            operation, assistant_id = route(request)
            router.faults.inject(operation)
            rules = router.profile.served.get("zerobot", ZEROBOT_RULES)
            response = router.openai.serve(operation, assistant_id, request, rules)
        except ApiError as error:
            response = router.render_error(error)
        return operation, self.plain(response)

    @staticmethod
    def plain(response: HttpResponse) -> HttpResponse:
        """Zerobot documents no response headers: keep only what any JSON API sends."""
        response.headers = {
            name: value
            for name, value in response.headers.items()
            if not name.startswith("openai-")
        }
        return response
