"""OpenAI Assistants v1 and v2 (``api.openai.com``): the rules every other dialect reuses.

A request is checked in the order of PROVIDER_BEHAVIOUR §11.1 and stops at the first
error: Bearer key, route, injected fault, sunset, ``OpenAI-Beta`` version; then
:meth:`OpenAIDialect.serve` runs the operation on the backend under the rules of that
version. Portkey forwards to this dialect; Zerobot routes its own way and then calls
:meth:`~OpenAIDialect.serve`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from pytest_assistants.service import errors
from pytest_assistants.service.errors import ApiError
from pytest_assistants.service.validation import create_schema, modify_schema, validate
from pytest_assistants.service.wire import parse_json_object

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pytest_assistants.service.profiles import ApiRules
    from pytest_assistants.service.router import HttpRequest, HttpResponse, Router

COLLECTION = "/v1/assistants"
COLLECTION_OPERATIONS = {"GET": "list", "POST": "create"}
ITEM_OPERATIONS = {"GET": "retrieve", "POST": "modify", "DELETE": "delete"}


def match(
    request: HttpRequest, collection: str, item_operations: Mapping[str, str] = ITEM_OPERATIONS
) -> tuple[str, str | None] | None:
    """(operation, assistant id) of a request to ``collection`` or one of its items, or None.

    Every dialect routes this way; they differ in the collection's path (Azure's
    ``/openai/assistants``), the method that modifies (Zerobot's PATCH) and the 404 they give.
    """
    method, path = request.method, request.path.rstrip("/")
    if path == collection:
        operation = COLLECTION_OPERATIONS.get(method)
        return None if operation is None else (operation, None)
    item_prefix = collection + "/"
    if not path.startswith(item_prefix):
        return None
    assistant_id = path[len(item_prefix) :]  # not empty: the path is rstripped
    if "/" in assistant_id:
        return None
    operation = item_operations.get(method)
    return None if operation is None else (operation, assistant_id)


def route(request: HttpRequest) -> tuple[str, str | None]:
    """(operation, assistant id), or the unknown-route 404."""
    found = match(request, COLLECTION)
    if found is None:
        raise errors.invalid_url(request.method, request.path)
    return found


def query_int(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within [low, high], with OpenAI's texts when it is not."""
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


class OpenAIDialect:
    """``Router.dialects["openai"]``: OpenAI's checks, then the operation."""

    def __init__(self, router: Router) -> None:
        self.router = router

    def __call__(self, request: HttpRequest) -> tuple[str | None, HttpResponse]:
        """A refusal after routing keeps its operation, for the journal."""
        router, choices = self.router, self.router.profile.choices
        operation: str | None = None
        try:
            self.authenticate(request)
            operation, assistant_id = route(request)
            router.faults.inject(operation)
            if choices.sunset:
                raise errors.sunset_not_found(request.method, request.path)
            rules = self.beta_rules(request)
            return operation, self.serve(operation, assistant_id, request, rules)
        except ApiError as error:
            return operation, router.render_error(error)

    def authenticate(self, request: HttpRequest) -> None:
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key:
            raise errors.missing_api_key()
        allowed = self.router.profile.choices.api_keys
        if allowed is not None and key not in allowed:
            raise errors.incorrect_api_key(key)

    def beta_rules(self, request: HttpRequest) -> ApiRules:
        """The rules of the first ``assistants=`` version named in ``OpenAI-Beta``."""
        profile = self.router.profile
        versions = [
            part.strip().removeprefix("assistants=")
            for part in request.headers.get("openai-beta", "").split(",")
            if part.strip().startswith("assistants=")
        ]
        if not versions:
            raise errors.missing_beta_header(profile.missing_beta_version)
        rules = profile.served.get(versions[0])
        if rules is not None:
            return rules
        if profile.deprecated_betas.get(versions[0]) == "v1_deprecated":
            raise errors.v1_deprecated()
        # Q11: an unknown version gets the missing-header text (no evidence of its own).
        raise errors.missing_beta_header(profile.missing_beta_version)

    def read_body(self, request: HttpRequest) -> dict[str, Any]:
        limit = self.router.profile.choices.max_body_bytes
        declared = request.headers.get("content-length", "")  # the server reads no more
        if len(request.body) > limit or (declared.isdigit() and int(declared) > limit):
            raise errors.body_too_large(limit)
        return parse_json_object(request.body)

    def serve(
        self, operation: str, assistant_id: str | None, request: HttpRequest, rules: ApiRules
    ) -> HttpResponse:
        """Run one assistants operation under ``rules`` (shared by every dialect)."""
        router = self.router
        backend, choices = router.backend, router.profile.choices
        if operation == "create":
            body = self.read_body(request)
            validate(create_schema(rules), body)
            return router.render(200, router.wire(backend.create(body, rules, choices), rules))
        if operation == "list":
            return router.render(200, self.list_page(request, rules))
        assert assistant_id is not None
        if operation == "modify":
            body = self.read_body(request)
            if not backend.exists(assistant_id):
                raise errors.assistant_not_found(assistant_id)
            validate(modify_schema(rules), body)
            record = backend.modify(assistant_id, body, rules, choices)
            return router.render(200, router.wire(record, rules))
        if operation == "retrieve":
            return router.render(200, router.wire(backend.get(assistant_id), rules))
        backend.delete(assistant_id)
        deleted = {"id": assistant_id, "object": "assistant.deleted", "deleted": True}
        return router.render(200, deleted)

    def list_page(self, request: HttpRequest, rules: ApiRules) -> dict[str, Any]:
        query = dict(parse_qsl(request.query, keep_blank_values=True))
        limit = query_int(query, "limit", 20, 1, 100)
        order = query.get("order", "desc")
        if order not in ("asc", "desc"):
            raise errors.invalid_value("order", order, ("asc", "desc"))
        page = self.router.backend.list(
            limit=limit, order=order, after=query.get("after"), before=query.get("before")
        )
        data = [self.router.wire(record, rules) for record in page.data]
        return {
            "object": "list",
            "data": data,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
            "has_more": page.has_more,
        }
