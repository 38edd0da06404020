"""Endpoints beyond the assistants: a user's own handlers, and a distinct answer for the
provider endpoints the fake does not serve.

Wrapper libraries (LangChain, LlamaIndex) call threads, runs, messages and files around the
assistants. Answering those with an imitation of the provider's ``Invalid URL`` 404 would
make "not served by pytest-assistants" look like "my code is wrong"; instead they get a 501
that says so (``x-should-retry: false``, so SDKs give up at once), and the test fails with
the way out: ``fake.route(method, path, handler)``.
"""

from __future__ import annotations

import json
import re
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pytest_assistants.service.errors import openai_error

if TYPE_CHECKING:
    from pytest_assistants.service.router import HttpRequest

NOT_SERVED = "not served by pytest-assistants"
MARK_HEADER = "x-pytest-assistants"
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
# The provider API families beside /v1/assistants (OpenAI's reference, 2026), and the v1
# assistant files under /v1/assistants/{id}/files.
FAMILIES = frozenset(
    {
        "threads", "files", "vector_stores", "uploads", "batches", "chat", "completions",
        "embeddings", "models", "moderations", "images", "audio", "fine_tuning", "responses",
        "realtime", "organization", "evals", "containers", "conversations",
    }
)  # fmt: skip
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class RouteRequest:
    """What a route handler gets: the request, with the path's ``{name}`` values."""

    method: str
    url: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def json(self) -> Any:
        """The body as JSON (None when empty)."""
        return json.loads(self.body) if self.body else None


Handler = Callable[[RouteRequest], Any]


def compile_path(path: str) -> re.Pattern[str]:
    """``/v1/threads/{thread_id}/runs`` -> a pattern with one named group per placeholder."""
    if not path.startswith("/"):
        raise ValueError(f"route path {path!r} must start with '/', e.g. '/v1/threads'")
    pattern, end = [], 0
    for match in _PLACEHOLDER.finditer(path):
        pattern.append(re.escape(path[end : match.start()]))
        pattern.append(f"(?P<{match.group(1)}>[^/]+)")
        end = match.end()
    pattern.append(re.escape(path[end:]))
    return re.compile("".join(pattern).rstrip("/") + "/*")  # trailing slashes: one path


class Routes:
    """The user's handlers (the last one added for a method and path wins), and what the
    test must hear about: not-served requests, handlers that raised."""

    def __init__(self) -> None:
        self.table: list[tuple[str, re.Pattern[str], Handler]] = []
        self.not_served: list[str] = []  # what each not-served request should do instead
        self.errors: list[str] = []  # tracebacks of handlers that raised

    def add(self, method: str, path: str, handler: Handler) -> None:
        method = method.upper()
        if method not in METHODS:
            raise ValueError(f"route method {method!r} is not one of {', '.join(sorted(METHODS))}")
        if not callable(handler):
            raise TypeError("route handler must be a function of the request")
        self.table.append((method, compile_path(path), handler))

    def find(self, method: str, path: str) -> tuple[Handler, dict[str, str]] | None:
        for wanted, pattern, handler in reversed(self.table):
            match = pattern.fullmatch(path) if wanted == method else None
            if match:
                return handler, match.groupdict()
        return None

    def clear(self) -> None:
        self.table.clear()

    def answer(self, sent: HttpRequest) -> tuple[str, int, dict[str, str], Any] | None:
        """(operation, status, headers, JSON) of a routed or not-served request, else None."""
        method, path = sent.method, sent.path
        found = self.find(method, path)
        if found is not None:
            handler, params = found
            request = RouteRequest(
                method, sent.url, path, sent.query, dict(sent.headers), sent.body, params
            )
            try:
                return ("route", *answer_of(handler(request)))
            except Exception as exc:  # the user's handler: its traceback fails the test
                self.errors.append("".join(traceback.format_exception(exc)))
                error = openai_error(
                    f"The handler given to fake.route raised {type(exc).__name__}: {exc}",
                    status=500,
                    type_="server_error",
                    headers={"x-should-retry": "false"},
                )
                return "route", error.status, dict(error.headers), error.body
        if not is_not_served(path):
            return None
        self.not_served.append(not_served_message(method, path))
        extra = {"x-should-retry": "false", MARK_HEADER: NOT_SERVED}
        return "not_served", 501, extra, not_served_body(method, path)


def is_not_served(path: str) -> bool:
    """A provider endpoint outside the fake (not a typo of an assistants route)."""
    parts = path.strip("/").split("/")
    if len(parts) < 2 or parts[0] not in ("v1", "openai"):  # openai: Azure's own paths
        return False
    v1_files = len(parts) >= 4 and parts[1] == "assistants" and parts[3] == "files"
    return parts[1] in FAMILIES or v1_files


def not_served_message(method: str, path: str) -> str:
    return (
        f"{method} {path} is {NOT_SERVED}: serve it in your test with"
        f" fake.route({method!r}, {path!r}, handler), a function of the request returning"
        " (status, headers, json)"
    )


def not_served_body(method: str, path: str) -> dict[str, Any]:
    """OpenAI's error envelope, so SDKs show the message; the code says who answered."""
    return {
        "error": {
            "message": not_served_message(method, path),
            "type": "not_served",
            "param": None,
            "code": "not_served_by_pytest_assistants",
        }
    }


def answer_of(result: Any) -> tuple[int, dict[str, str], Any]:
    """A handler's return value: ``(status, headers, json)``, ``(status, json)`` or ``json``."""
    if isinstance(result, tuple) and len(result) == 3 and isinstance(result[0], int):
        return result[0], {k.lower(): str(v) for k, v in dict(result[1]).items()}, result[2]
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], int):
        return result[0], {}, result[1]
    return 200, {}, result
