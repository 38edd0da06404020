"""A user's own handlers (``fake.route``), and a distinct answer for the provider endpoints
the fake does not serve.

Code under test calls endpoints outside the Assistants family (chat, embeddings...) or not
served in a dialect. Answering those with an imitation of the provider's ``Invalid URL`` 404
would make "not served by pytest-assistants" look like "my code is wrong"; instead they get a
501 that says so (``x-should-retry: false``, so SDKs give up at once), and the test fails
with the way out: ``fake.route(method, path, handler)``. A user's route is matched before
the fake's own table, so it may also override a served endpoint.

What the test must hear about (not-served requests, handlers that raised) is kept in
:class:`Notes`, bounded: a long-running ``serve`` keeps memory flat.
"""

from __future__ import annotations

import re
import threading
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pytest_assistants.service.errors import openai_error
from pytest_assistants.service.http import RouteRequest
from pytest_assistants.service.routes import FAMILIES

if TYPE_CHECKING:
    from pytest_assistants.service.http import HttpRequest

NOT_SERVED = "not served by pytest-assistants"
MARK_HEADER = "x-pytest-assistants"
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
# The provider's API families (OpenAI's reference, 2026): a path in one of them the fake's
# table does not cover is an endpoint outside the fake, not a typo.
PROVIDER_FAMILIES = frozenset(
    {
        "assistants", "threads", "files", "vector_stores", "uploads", "batches", "chat",
        "completions", "embeddings", "models", "moderations", "images", "audio", "fine_tuning",
        "responses", "realtime", "organization", "evals", "containers", "conversations",
    }
)  # fmt: skip
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


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


class Notes:
    """Distinct messages in the order first met, at most ``limit`` of them (a long-running
    server meets unbounded distinct paths); the notes past the limit are only counted."""

    def __init__(self, limit: int = 100) -> None:
        self.limit = limit
        self._seen: dict[str, None] = {}
        self.left_out = 0
        self._lock = threading.Lock()

    def add(self, message: str) -> None:
        with self._lock:
            if message in self._seen:
                return
            if len(self._seen) < self.limit:
                self._seen[message] = None
            else:
                self.left_out += 1

    def messages(self) -> list[str]:
        with self._lock:
            more = [f"... and {self.left_out} more"] if self.left_out else []
            return [*self._seen, *more]

    def __bool__(self) -> bool:
        return bool(self._seen)

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()
            self.left_out = 0


class UserRoutes:
    """The user's handlers (the last one added for a method and path wins)."""

    def __init__(self) -> None:
        self.table: list[tuple[str, re.Pattern[str], Handler]] = []
        self.errors = Notes()  # tracebacks of handlers that raised

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

    def answer(
        self, sent: HttpRequest, handler: Handler, params: dict[str, str]
    ) -> tuple[int, dict[str, str], Any]:
        """(status, headers, JSON) of the user's handler; its exception becomes a 500 and a
        traceback that fails the test."""
        request = RouteRequest(
            sent.method, sent.url, sent.path, sent.query, dict(sent.headers), sent.body, params
        )
        try:
            return answer_of(handler(request))
        except Exception as exc:  # the user's handler: its traceback fails the test
            self.errors.add("".join(traceback.format_exception(exc)))
            error = openai_error(
                f"The handler given to fake.route raised {type(exc).__name__}: {exc}",
                status=500,
                type_="server_error",
                headers={"x-should-retry": "false"},
            )
            return error.status, dict(error.headers), error.body


# Sub-resources of a served family that the table does not serve (yet): family, and a
# literal segment after it (``/vector_stores/{id}/search``, ``.../files/{id}/content``).
UNSERVED_SUBRESOURCES = frozenset({("vector_stores", "search"), ("vector_stores", "content")})


def outside_the_fake(path: str) -> bool:
    """Whether ``path`` (under ``/v1`` or Azure's ``/openai``) is a provider endpoint the
    fake's table does not cover (chat, embeddings...), rather than a typo of a served one."""
    parts = path.strip("/").split("/")
    if len(parts) < 2 or parts[0] not in ("v1", "openai"):
        return False
    if parts[1] in PROVIDER_FAMILIES and parts[1] not in FAMILIES:
        return True
    return any((parts[1], segment) in UNSERVED_SUBRESOURCES for segment in parts[3::2])


NOT_SERVED_HEADERS = {"x-should-retry": "false", MARK_HEADER: NOT_SERVED}


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
