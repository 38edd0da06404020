"""The one route table: (method, path template) -> qualified operation -> handler.

Every dialect routes with it (each from its own root, ``/v1`` or Azure's ``/openai``, and
Zerobot modifying with PATCH); the recordings reader, fault injection, behaviour coverage
and the OpenAPI document read it too. Operation names are the SDK's, qualified by resource
(``"assistants.modify"``, the SDK's ``assistants.update``); :data:`ALIASES` keeps the short
names ``fail(operation=...)`` took before (``"update"``, ``"modify"``...).

Adding a resource: a folder under ``resources/`` and its rows here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pytest_assistants.service.resources.assistants import files as assistant_files
from pytest_assistants.service.resources.assistants import handlers as assistants
from pytest_assistants.service.resources.assistants import semantics as assistant_semantics
from pytest_assistants.service.resources.files import handlers as files
from pytest_assistants.service.resources.messages import handlers as messages
from pytest_assistants.service.resources.runs import handlers as runs
from pytest_assistants.service.resources.runs import records as run_records
from pytest_assistants.service.resources.threads import handlers as threads
from pytest_assistants.service.resources.vector_stores import batches
from pytest_assistants.service.resources.vector_stores import files as store_files
from pytest_assistants.service.resources.vector_stores import handlers as vector_stores

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from pytest_assistants.service.profiles import ApiRules
    from pytest_assistants.service.resources.common import Handler
    from pytest_assistants.service.store import Record


@dataclass(frozen=True)
class Route:
    """One row: ``template`` is relative to the dialect's root (``/assistants/{assistant_id}``)."""

    method: str
    template: str
    operation: str
    handler: Handler
    beta: bool = True  # needs OpenAI-Beta: assistants=<v> (files and vector stores do not)
    needs: str | None = None  # a part some API versions lack (ApiRules.served)

    @property
    def family(self) -> str:
        """The API family the route belongs to: its first path segment."""
        return self.template.split("/")[1]

    @property
    def modifies(self) -> bool:
        """A modify: POST on OpenAI's API, PATCH on Zerobot's (§7)."""
        return self.operation.rpartition(".")[2] == "modify"


THREAD = "/threads/{thread_id}"
MESSAGE = f"{THREAD}/messages/{{message_id}}"
RUN = f"{THREAD}/runs/{{run_id}}"


def _assistant_files(method: str, template: str, operation: str, handler: Handler) -> Route:
    """v1's assistant files (``resources/assistants/files.py``): gone with v1."""
    return Route(method, f"/assistants/{{assistant_id}}/files{template}", operation, handler,
                 needs="assistant_files")  # fmt: skip


def _files(method: str, template: str, operation: str, handler: Handler) -> Route:
    """Files need no OpenAI-Beta (§14.5)."""
    return Route(method, f"/files{template}", operation, handler, beta=False)


def _stores(
    method: str, template: str, operation: str, handler: Handler, needs: str = "vector_stores"
) -> Route:
    """Vector stores need no OpenAI-Beta (§14.5) and came with v2."""
    return Route(method, f"/vector_stores{template}", operation, handler, beta=False, needs=needs)


STORE, STORE_FILE = "/{vector_store_id}", "/{vector_store_id}/files/{file_id}"
BATCH = "/{vector_store_id}/file_batches/{batch_id}"
ROUTES: tuple[Route, ...] = (
    Route("POST", "/assistants", "assistants.create", assistants.create),
    Route("GET", "/assistants/{assistant_id}", "assistants.retrieve", assistants.retrieve),
    Route("POST", "/assistants/{assistant_id}", "assistants.modify", assistants.modify),
    Route("GET", "/assistants", "assistants.list", assistants.list_),
    Route("DELETE", "/assistants/{assistant_id}", "assistants.delete", assistants.delete),
    # threads (§14)
    Route("POST", "/threads", "threads.create", threads.create),
    Route("GET", "/threads/{thread_id}", "threads.retrieve", threads.retrieve),
    Route("POST", "/threads/{thread_id}", "threads.modify", threads.modify),
    Route("DELETE", "/threads/{thread_id}", "threads.delete", threads.delete),
    Route("POST", "/threads/runs", "threads.create_and_run", runs.create_and_run),
    # messages
    Route("POST", f"{THREAD}/messages", "threads.messages.create", messages.create),
    Route("GET", f"{THREAD}/messages", "threads.messages.list", messages.list_),
    Route("GET", f"{MESSAGE}", "threads.messages.retrieve", messages.retrieve),
    Route("POST", f"{MESSAGE}", "threads.messages.modify", messages.modify),
    Route("DELETE", f"{MESSAGE}", "threads.messages.delete", messages.delete),
    # runs and their steps
    Route("POST", f"{THREAD}/runs", "threads.runs.create", runs.create),
    Route("GET", f"{THREAD}/runs", "threads.runs.list", runs.list_),
    Route("GET", RUN, "threads.runs.retrieve", runs.retrieve),
    Route("POST", RUN, "threads.runs.modify", runs.modify),
    Route("POST", f"{RUN}/cancel", "threads.runs.cancel", runs.cancel),
    Route(
        "POST",
        f"{RUN}/submit_tool_outputs",
        "threads.runs.submit_tool_outputs",
        runs.submit_tool_outputs,
    ),
    Route("GET", f"{RUN}/steps", "threads.runs.steps.list", runs.list_steps),
    Route("GET", f"{RUN}/steps/{{step_id}}", "threads.runs.steps.retrieve", runs.retrieve_step),
    # v1 assistant files, files, vector stores (§14.5)
    _assistant_files("POST", "", "assistants.files.create", assistant_files.create),
    _assistant_files("GET", "/{file_id}", "assistants.files.retrieve", assistant_files.retrieve),
    _assistant_files("GET", "", "assistants.files.list", assistant_files.list_),
    _assistant_files("DELETE", "/{file_id}", "assistants.files.delete", assistant_files.delete),
    _files("POST", "", "files.create", files.create),
    _files("GET", "/{file_id}", "files.retrieve", files.retrieve),
    _files("GET", "", "files.list", files.list_),
    _files("DELETE", "/{file_id}", "files.delete", files.delete),
    _files("GET", "/{file_id}/content", "files.content", files.content),
    _stores("POST", "", "vector_stores.create", vector_stores.create),
    _stores("GET", STORE, "vector_stores.retrieve", vector_stores.retrieve),
    _stores("POST", STORE, "vector_stores.modify", vector_stores.modify),
    _stores("GET", "", "vector_stores.list", vector_stores.list_),
    _stores("DELETE", STORE, "vector_stores.delete", vector_stores.delete),
    _stores("POST", f"{STORE}/files", "vector_stores.files.create", store_files.create),
    _stores("GET", STORE_FILE, "vector_stores.files.retrieve", store_files.retrieve),
    _stores("POST", STORE_FILE, "vector_stores.files.modify", store_files.update,
            needs="file_attributes"),  # attributes came in 2025
    _stores("GET", f"{STORE}/files", "vector_stores.files.list", store_files.list_),
    _stores("DELETE", STORE_FILE, "vector_stores.files.delete", store_files.delete),
    _stores("POST", f"{STORE}/file_batches", "vector_stores.file_batches.create", batches.create),
    _stores("GET", BATCH, "vector_stores.file_batches.retrieve", batches.retrieve),
    _stores("POST", f"{BATCH}/cancel", "vector_stores.file_batches.cancel", batches.cancel),
    _stores("GET", f"{BATCH}/files", "vector_stores.file_batches.list_files",
            batches.list_files),
)  # fmt: skip
OPERATIONS: tuple[str, ...] = tuple(route.operation for route in ROUTES)


@dataclass(frozen=True)
class Kind:
    """One kind of stored object (its ``object`` field): how its ids begin, how an object
    given whole becomes a record (``parse``: a user's, checked field by field; ``preload``:
    one the fake itself stored, from a state file), how a record is shown, and the key it
    is filed under (``key``; None: its id; ``vs_id/file_id`` for a vector store file)."""

    name: str
    id_prefix: str
    parse: Callable[[Any, int], Record]
    preload: Callable[[Mapping[str, Any], int], Record]
    render: Callable[[Record, ApiRules], dict[str, Any]]
    key: Callable[[Record], str] | None = None


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            assistants.KIND,
            assistants.ID_PREFIX,
            assistants.parse,
            assistant_semantics.preloaded,
            assistants.render_for,
        ),
        Kind(
            threads.KIND,
            threads.ID_PREFIX,
            threads.preloaded,
            threads.preloaded,
            threads.render_for,
        ),
        Kind(
            messages.KIND,
            messages.ID_PREFIX,
            messages.preloaded,
            messages.preloaded,
            messages.render_for,
        ),
        Kind(
            run_records.RUN,
            run_records.RUN_PREFIX,
            run_records.preloaded_run,
            run_records.preloaded_run,
            run_records.render_run_for,
        ),
        Kind(
            run_records.STEP,
            run_records.STEP_PREFIX,
            run_records.preloaded_step,
            run_records.preloaded_step,
            run_records.render_step_for,
        ),
        Kind(
            assistant_files.KIND,
            files.ID_PREFIX,
            assistant_files.preloaded,
            assistant_files.preloaded,
            assistant_files.render_for,
            assistant_files.key_of,
        ),
        Kind(files.KIND, files.ID_PREFIX, files.parse, files.preloaded, files.render_for),
        Kind(
            vector_stores.KIND,
            "vs_",
            vector_stores.preloaded,
            vector_stores.preloaded,
            vector_stores.render_for,
        ),
        Kind(
            store_files.KIND,
            files.ID_PREFIX,
            store_files.preloaded,
            store_files.preloaded,
            store_files.render_for,
            store_files.key_of,
        ),
        Kind(batches.KIND, "vsfb_", batches.preloaded, batches.preloaded, batches.render_for),
    )
}
FAMILIES: frozenset[str] = frozenset(route.family for route in ROUTES)

# Names fail(operation=...) accepted before operations were qualified, and the SDK's verb.
ALIASES = {
    "create": "assistants.create",
    "retrieve": "assistants.retrieve",
    "modify": "assistants.modify",
    "update": "assistants.modify",
    "assistants.update": "assistants.modify",
    "list": "assistants.list",
    "delete": "assistants.delete",
}


SHORT_NAMES = ("create", "retrieve", "modify", "update", "list", "delete")


def qualified(operation: str) -> str:
    """The table's name for ``operation`` (a qualified name or a short one), or ValueError."""
    name = ALIASES.get(operation, operation)
    if name not in OPERATIONS:
        raise ValueError(
            f"unknown operation {operation!r}: use a route's name (such as assistants.modify"
            " or threads.runs.create: the operations of the fake's journal) or an assistant's"
            f" short one ({', '.join(SHORT_NAMES)})"
        )
    return name


class _Node:
    __slots__ = ("literals", "methods", "param", "param_name")

    def __init__(self) -> None:
        self.literals: dict[str, _Node] = {}
        self.param: _Node | None = None
        self.param_name = ""
        self.methods: dict[str, Route] = {}


class RouteTable:
    """The rows compiled into a tree of path segments, matched in one walk.

    A literal segment wins over a placeholder; a placeholder never matches an empty segment
    (``/assistants//x`` is no route).
    """

    def __init__(self, routes: tuple[Route, ...], *, root: str, modify_method: str) -> None:
        self.root = root
        self.routes = routes
        self._tree = _Node()
        for route in routes:
            node = self._tree
            for segment in route.template.strip("/").split("/"):
                if segment.startswith("{"):
                    if node.param is None:
                        node.param = _Node()
                        node.param_name = segment[1:-1]
                    node = node.param
                else:
                    node = node.literals.setdefault(segment, _Node())
            node.methods[modify_method if route.modifies else route.method] = route

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """(route, path parameters) of a request path (with its root), or None."""
        root = self.root
        if not path.startswith(root) or path[len(root) : len(root) + 1] != "/":
            return None
        segments = path[len(root) + 1 :].rstrip("/").split("/")
        # The usual path needs no going back: literals where there are some, else the
        # placeholder, and the method is there at the end.
        node, params = self._tree, {}
        for segment in segments:
            following = node.literals.get(segment)
            if following is None:
                if node.param is None or not segment:
                    break
                params[node.param_name] = segment
                following = node.param
            node = following
        else:
            if method in node.methods:
                return node.methods[method], params
        # Depth first, literals before placeholders; a stack entry is (node, next segment,
        # the placeholder values bound on the way there).
        stack: list[tuple[_Node, int, tuple[tuple[str, str], ...]]] = [(self._tree, 0, ())]
        while stack:
            node, index, bound = stack.pop()
            if index == len(segments):
                route = node.methods.get(method)
                if route is not None:
                    return route, dict(bound)
                continue
            segment = segments[index]
            if node.param is not None and segment:
                stack.append((node.param, index + 1, (*bound, (node.param_name, segment))))
            literal = node.literals.get(segment)
            if literal is not None:
                stack.append((literal, index + 1, bound))
        return None


@functools.cache
def table(
    root: str = "/v1", modify_method: str = "POST", operations: frozenset[str] | None = None
) -> RouteTable:
    """The table as a dialect routes it (from its root, with its modify method, only the
    ``operations`` it serves; None: all), compiled once per dialect."""
    rows = tuple(r for r in ROUTES if operations is None or r.operation in operations)
    return RouteTable(rows, root=root, modify_method=modify_method)
