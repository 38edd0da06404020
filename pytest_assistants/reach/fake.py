"""``FakeAssistants``: the in-memory service, as a fixture value, a context manager or a
decorator (moto's ``mock_aws`` style). Wiring only: state is the store's, behaviour the
router's; both stay private. Users read copies (``assistants``, ``calls``); the other layers
use named methods (``handle``, ``claims``, ``put``, ``discard``, ``journal``, ``persist``...).
"""

from __future__ import annotations

import copy
import functools
import inspect
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pytest_assistants.reach import clients, deprecations, interception
from pytest_assistants.reach.clients import (
    PORTKEY_TEST_KEY,
    TEST_API_KEY,
)
from pytest_assistants.reach.config import check_choices, frozen
from pytest_assistants.reach.views import StoredViews
from pytest_assistants.service.faults import Fault, FaultPlan
from pytest_assistants.service.profiles import (
    DEFAULT_HOSTS,
    DEFAULT_PROFILE,
    Profile,
    get_profile,
)
from pytest_assistants.service.router import Router
from pytest_assistants.service.routes import KINDS, Kind
from pytest_assistants.service.store import Clock, KeyTakenError, Store

if TYPE_CHECKING:  # the client libraries are typed here only: no import cost at run time
    from pytest_assistants.reach.config import Settings
    from pytest_assistants.service.http import Call, HttpResponse
    from pytest_assistants.service.resources.runs.script import Script
    from pytest_assistants.service.user_routes import Handler

F = TypeVar("F", bound=Callable[..., Any])

# Set while a fake is active when the environment has none, so an ``openai.OpenAI()`` built
# by the code under test does not stop at the SDK's "api_key client option must be set".
DUMMY_KEYS = {
    "OPENAI_API_KEY": TEST_API_KEY,
    "PORTKEY_API_KEY": PORTKEY_TEST_KEY,
    "AZURE_OPENAI_API_KEY": "azure-test-assistants-fake",
}
ASSISTANT = "assistant"


class Persistence(Protocol):
    """What ``FakeAssistants.persist`` attaches (``server/state.py``'s SQLite state)."""

    def attach(self, store: Store) -> int: ...


class FakeInternalError(AssertionError):
    """The fake raised while serving a request: a bug in pytest-assistants, not in your code."""


class NotServedError(AssertionError):
    """The code under test called an endpoint the fake does not serve and no route covers."""


class LeakError(AssertionError):
    """A connection to a provider host went around every interception (see reach/guard.py)."""


class FakeAssistants(clients.WiredClients, StoredViews):
    """An in-memory Assistants service with the providers' exact behaviour.

    While active (``start()`` / ``with`` / decorator / the ``assistants_fake`` fixture),
    every request to a provider host is served by it, whichever client library sends it
    (httpx, httpx2, aiohttp, requests / urllib3, urllib); any other connection to such a
    host is refused by the leak guard. ``max_calls`` keeps only the newest calls in the
    journal; unbounded by default, since a test's fake lives for one test and tests count its
    whole journal (``pytest-assistants serve`` bounds it).
    """

    handle: Callable[..., HttpResponse]
    """``handle(request, dialect=None)``: answer one :class:`HttpRequest` as the fake does
    (every way in calls it); raises ``TransportFault`` for an injected broken connection."""
    claims: Callable[[str, str], bool]
    """``claims(host, path)``: whether a request to ``host`` and ``path`` is this fake's."""
    dialect_of: Callable[[str], str | None]
    """``dialect_of(host)``: the dialect a whole host is served with, if it is claimed."""

    def __init__(
        self,
        profile: str | Profile = DEFAULT_PROFILE,
        *,
        seed: int = 0,
        clock_start: int | None = None,
        hosts: Mapping[str, str] | None = None,
        max_calls: int | None = None,
        **choices: Any,
    ) -> None:
        base = get_profile(profile) if isinstance(profile, str) else profile
        check_choices(choices)
        self.profile = base.with_choices(**frozen(choices)) if choices else base
        self.seed = seed
        self._store = Store(seed=seed, clock=Clock(clock_start))
        self._plan = FaultPlan()
        self._router = Router(
            self._store,
            self.profile,
            faults=self._plan,
            hosts={**DEFAULT_HOSTS, **(hosts or {})},
            max_calls=max_calls,
        )
        # The router's own methods, not wrappers: no extra call on any request's way.
        self.handle = self._router.handle
        self.claims = self._router.claims
        self.dialect_of = self._router.hosts.dialect_of
        self._faults: list[Fault] = []  # every fault fail() added, in order
        self.leaks: list[str] = []  # connections the leak guard refused
        self._active = False
        self._keys_set: dict[str, str] = {}

    # -- activation ----------------------------------------------------------------------

    def start(self) -> FakeAssistants:
        if not self._active:
            interception.activate(self)
            self._active = True
            self._quieted = deprecations.quiet()  # the SDK's Assistants deprecation texts
            for name, value in DUMMY_KEYS.items():
                if not os.environ.get(name):
                    os.environ[name] = self._keys_set[name] = value
        return self

    def stop(self) -> None:
        if self._active:
            interception.deactivate(self)
            self._active = False
            deprecations.release(self._quieted)
            for name, value in self._keys_set.items():
                if os.environ.get(name) == value:  # untouched since: ours to take back
                    del os.environ[name]
            self._keys_set.clear()

    def __enter__(self) -> FakeAssistants:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __call__(self, func: F) -> F:
        """Use as a decorator: the function runs with a fresh fake active."""
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                self.reset()
                with self:
                    return await func(*args, **kwargs)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self.reset()
            with self:
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    # -- state ---------------------------------------------------------------------------

    @property
    def clock(self) -> Clock:
        return self._store.clock

    @property
    def calls(self) -> list[Call]:
        """The journal so far, oldest first: a new list each time, of immutable entries."""
        return self._router.journal.calls()

    @property
    def script(self) -> Script:
        """The model's next steps, in order across runs: ``script.reply(text)``,
        ``script.call_tools((name, arguments), ...)``, ``script.fail(code, message)``,
        ``script.incomplete(text)``. A run nobody scripted for completes with a default
        reply (``DEFAULT_REPLY``)."""
        return self._router.script

    @property
    def max_calls(self) -> int | None:
        """How many calls the journal keeps (the newest); None: all of them."""
        return self._router.journal.max_calls

    def snapshot(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Everything stored, as kept: kind (``"assistant"``...) -> id -> object. A deep copy,
        to compare before and after a request that must change nothing."""
        return self._store.snapshot()

    @property
    def faults(self) -> tuple[Fault, ...]:
        """Every fault ``fail()`` added, in order; ``used`` counts the answers it gave."""
        return tuple(self._faults)

    def add(self, obj: Any) -> dict[str, Any]:
        """Preload an object exactly as given (a dict or an SDK model): an assistant, or any
        object of the family by its ``object`` field.

        Missing fields get the server defaults; a malformed object raises a TypeError that
        names the bad field, and an id the store already holds a ValueError, before anything
        is stored (preloading never replaces an object; creates never reuse a preloaded id).
        The store keeps a copy of ``obj`` and returns another: changing either afterwards
        changes nothing stored.
        """
        try:
            return self._put(obj, replace=False)
        except KeyTakenError as error:
            raise ValueError(
                f"add(): {error} (add() preloads new objects; change a stored one through"
                " the API, or reset() the fake first)"
            ) from None

    def put(self, obj: Any) -> dict[str, Any]:
        """Store an object as a provider answered it, replacing one with its id: what a
        replayed answer does to the fake (``cassettes``, conformance)."""
        return self._put(obj, replace=True)

    def _put(self, obj: Any, *, replace: bool) -> dict[str, Any]:
        kind = kind_of(obj)
        store = self._store
        record = kind.parse(obj, store.clock.now())
        with store.transaction() as tx:
            record["id"] = record["id"] or tx.new_id(kind.id_prefix)
            key = None if kind.key is None else kind.key(record)
            tx.put(kind.name, record, key, new=not replace)
        return copy.deepcopy(kind.render(record, self.profile.default))

    def discard(self, object_id: str, kind: str = ASSISTANT) -> bool:
        """Remove an object if the store holds it (a replayed delete); whether it did."""
        with self._store.transaction() as tx:
            if self._store.get(kind, object_id) is None:
                return False
            tx.delete(kind, object_id)
        return True

    def spend_id(self, prefix: str = "asst_") -> str:
        """Draw the id a create would have drawn (a replayed create keeps the sequence)."""
        with self._store.transaction() as tx:
            return tx.new_id(prefix)

    def journal(self, call: Call) -> None:
        """Keep ``call`` (a replayed one) in the journal, spending the request id the fake
        would have spent answering it."""
        self._store.ids.request_id()
        self._router.journal.keep(call)

    def render(
        self, status: int, payload: Any, headers: Mapping[str, str] | None = None
    ) -> HttpResponse:
        """An answer in the profile's byte format with OpenAI's headers (the server's own)."""
        return self._router.render(status, payload, headers)

    def persist(self, state: Persistence) -> int:
        """Attach a persistence layer (``serve --state``) to the empty store; it loads what
        it holds and writes every later change. Returns how many objects it loaded."""
        return state.attach(self._store)

    def reset(self) -> None:
        """Forget every object, call and pending fault; ids start again from the seed.
        Routes and hosts stay, as does persistence (which is told to forget too)."""
        self._router.reset()
        self._faults.clear()
        self.leaks.clear()

    def route(self, method: str, path: str, handler: Handler) -> None:
        """Serve an endpoint the fake does not (chat, embeddings...) with ``handler``, or
        override one it does.

        ``path`` may hold ``{name}`` placeholders (``/v1/threads/{thread_id}/runs``), given
        to the handler as ``request.params``; the handler returns ``(status, headers, json)``
        (or ``(status, json)``, or the JSON alone for a 200). Sync and async clients alike.
        ``fail()`` faults apply to routed requests too. Routes outlive ``reset()``, like hosts.
        """
        self._router.user_routes.add(method, path, handler)

    def fail(
        self,
        status: int = 500,
        *,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        count: int = 1,
        operation: str | None = None,
        kind: str = "status",
    ) -> Fault:
        """Answer the next ``count`` matching requests with an error (or a broken connection).

        429 and 5xx answers carry ``retry-after-ms: 1`` so SDK retries stay fast.
        ``kind="timeout"`` / ``"disconnect"`` raise the HTTP library's own exception.
        ``operation`` is a qualified name (``"assistants.modify"``) or a short one the SDK
        uses (``"update"``, ``"create"``...); None: every request, routed ones included.
        """
        if kind == "status" and isinstance(status, int) and 100 <= status < 400:
            raise ValueError(
                f"fail(status={status}): a fault must be an error status (400 to 599),"
                " e.g. fail(429) or fail(503); a success needs no injecting"
            )
        fault = self._plan.add(
            status, body=body, headers=headers, count=count, operation=operation, kind=kind
        )
        self._faults.append(fault)
        return fault

    def check(self) -> None:
        """Raise if the fake hit a bug of its own while serving (the 500s it answered), was
        asked for an endpoint it does not serve, or refused a connection around it."""
        router = self._router
        if router.internal_errors:
            raise FakeInternalError(
                "pytest-assistants raised while serving a request (please report it):\n"
                + "\n".join(router.internal_errors.messages())
            )
        if router.user_routes.errors:
            raise AssertionError(
                "a handler given to fake.route(...) raised:\n"
                + "\n".join(router.user_routes.errors.messages())
            )
        if self.leaks:
            raise LeakError("\n".join(self.leaks))
        if router.not_served:
            raise NotServedError("\n".join(router.not_served.messages()))

    def __repr__(self) -> str:
        name, count = self.profile.name, len(self.assistants)
        return f"FakeAssistants(profile={name!r}, seed={self.seed}, assistants={count})"


def kind_of(obj: Any) -> Kind:
    """The kind of a preloaded object, by its ``object`` field (none: an assistant)."""
    name = obj.get("object") if isinstance(obj, Mapping) else getattr(obj, "object", None)
    kind = KINDS.get(name or ASSISTANT)
    if kind is None:
        known = ", ".join(sorted(KINDS))
        raise TypeError(f"add() takes objects of the Assistants API ({known}), not {name!r}")
    return kind


def fake_for_test(settings: Settings) -> FakeAssistants:
    """The fake one test's settings describe (fixture and server alike); an option of the
    wrong name or type fails that test at setup with the fix, never as a 500 later on."""
    import pytest

    try:
        return FakeAssistants(
            settings.profile,
            seed=settings.seed,
            clock_start=settings.clock_start,
            hosts=settings.hosts,
            **settings.choices,
        )
    except (TypeError, ValueError) as error:
        problem = str(error)
    # Outside the except block: pytest would print the error twice, chained.
    pytest.fail(f"pytest-assistants configuration: {problem}", pytrace=False)
