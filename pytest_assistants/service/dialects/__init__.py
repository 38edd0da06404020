"""Front doors: one policy per dialect, applied by the router's one request sequence.

A policy says who may call (``authenticate``), which rules apply to a request (``rules``:
the ``OpenAI-Beta`` version, Azure's ``api-version``...), what an unknown route or the
sunset answers, how errors look and what every answer carries (``error_response``,
``decorate``). It serves nothing itself and never holds the router: the router hands it an
:class:`Answers` (rendering and request ids) where it needs one. A gateway (Portkey) admits
a request and forwards it to an upstream policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from pytest_assistants.service import errors, routes

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pytest_assistants.service.errors import ApiError
    from pytest_assistants.service.http import HttpRequest, HttpResponse
    from pytest_assistants.service.profiles import ApiRules, Choices, Profile
    from pytest_assistants.service.routes import Route, RouteTable


class Answers(Protocol):
    """What the router lends a policy to answer with."""

    def render(
        self, status: int, payload: Any, extra: Mapping[str, str] | None = None
    ) -> HttpResponse: ...

    def render_error(self, error: ApiError) -> HttpResponse: ...

    def request_id(self) -> str:
        """A fresh request id (32 hex), from the fake's seeded sequence."""
        ...


class Dialect:
    """OpenAI's behaviour where a dialect says nothing else (the others reuse it)."""

    name = "openai"
    root = "/v1"
    modify_method = "POST"
    operations: frozenset[str] | None = None  # what it serves (None: the whole table)
    upstream: Dialect | None = None  # a gateway's: who answers what it admits

    def __init__(self) -> None:
        self.table: RouteTable = routes.table(self.root, self.modify_method, self.operations)
        """The routes it serves, as it routes them."""
        self.whole_table: RouteTable = routes.table(self.root, self.modify_method)
        """Every route of the table, as it would route them: what it does not serve of it is
        answered as not served by pytest-assistants, never as the provider's 404."""

    def admit(self, request: HttpRequest, choices: Choices) -> HttpRequest:
        """A gateway's own checks: the request it forwards upstream, or its ApiError."""
        return request

    def authenticate(self, request: HttpRequest, choices: Choices) -> None:
        raise NotImplementedError

    def unknown_route(self, request: HttpRequest) -> ApiError:
        return errors.invalid_url(request.method, request.path)

    def sunset(self, request: HttpRequest) -> ApiError | None:
        """The answer after the 2026-08-26 shutdown (the ``sunset`` choice), if any."""
        return errors.sunset_not_found(request.method, request.path)

    def rules(self, request: HttpRequest, profile: Profile, route: Route) -> ApiRules:
        """The rules of the request's API version for ``route`` (or the ApiError why none)."""
        raise NotImplementedError

    def error_response(
        self, request: HttpRequest, error: ApiError, profile: Profile, answers: Answers
    ) -> HttpResponse:
        return answers.render_error(error)

    def decorate(
        self, request: HttpRequest, response: HttpResponse, profile: Profile, answers: Answers
    ) -> HttpResponse:
        """What every answer of this dialect carries (errors included)."""
        raise NotImplementedError
