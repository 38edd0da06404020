"""``FakeAssistants``: the in-memory service, as a fixture value, a context manager or a
decorator (moto's ``mock_aws`` style). Wiring only: state is the backend's, behaviour the
router's.
"""

from __future__ import annotations

import copy
import functools
import inspect
import os
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from pytest_assistants.reach import clients, deprecations, interception
from pytest_assistants.reach import transports as transport
from pytest_assistants.reach.clients import (
    PORTKEY_TEST_KEY,
    TEST_API_KEY,
)
from pytest_assistants.reach.config import check_choices, frozen
from pytest_assistants.service.backend import Backend, Clock
from pytest_assistants.service.errors import ApiError
from pytest_assistants.service.faults import Fault, FaultPlan
from pytest_assistants.service.profiles import (
    DEFAULT_PROFILE,
    Profile,
    get_profile,
)
from pytest_assistants.service.router import DEFAULT_HOSTS, Call, Router

if TYPE_CHECKING:  # the client libraries are typed here only: no import cost at run time
    import httpx
    import httpx2
    from openai import AsyncAzureOpenAI, AsyncOpenAI, AzureOpenAI, OpenAI
    from portkey_ai import AsyncPortkey, Portkey

    from pytest_assistants.reach.config import Settings
    from pytest_assistants.service.routes import Handler

F = TypeVar("F", bound=Callable[..., Any])

# Set while a fake is active when the environment has none, so an ``openai.OpenAI()`` built
# by the code under test does not stop at the SDK's "api_key client option must be set".
DUMMY_KEYS = {
    "OPENAI_API_KEY": TEST_API_KEY,
    "PORTKEY_API_KEY": PORTKEY_TEST_KEY,
    "AZURE_OPENAI_API_KEY": "azure-test-assistants-fake",
}
# ``fail(operation=...)`` also takes the SDK's method names.
OPERATION_ALIASES = {"update": "modify"}


class FakeInternalError(AssertionError):
    """The fake raised while serving a request: a bug in pytest-assistants, not in your code."""


class NotServedError(AssertionError):
    """The code under test called an endpoint the fake does not serve and no route covers."""


class LeakError(AssertionError):
    """A connection to a provider host went around every interception (see reach/guard.py)."""


class AssistantsView(Mapping[str, dict[str, Any]]):
    """Read-only mapping id -> the wire object a retrieve would return now.

    Every read is a deep copy: changing it changes nothing in the store.
    """

    def __init__(self, fake: FakeAssistants) -> None:
        self._fake = fake

    def __getitem__(self, assistant_id: str) -> dict[str, Any]:
        try:  # one locked read: a delete racing with this read cannot slip in between
            record = self._fake.backend.get(assistant_id)
        except ApiError:
            raise KeyError(assistant_id) from None
        return self._fake.wire(record)

    def __iter__(self) -> Iterator[str]:
        return iter(self._fake.backend.ids_in_order())

    def __len__(self) -> int:
        return len(self._fake.backend)

    def __repr__(self) -> str:
        return f"AssistantsView({list(self)!r})"


class FakeAssistants:
    """An in-memory Assistants service with the providers' exact behaviour.

    While active (``start()`` / ``with`` / decorator / the ``assistants_fake`` fixture),
    every request to a provider host is served by it, whichever client library sends it
    (httpx, httpx2, aiohttp, requests / urllib3, urllib); any other connection to such a
    host is refused by the leak guard. ``max_calls`` keeps only the newest calls in the
    journal; unbounded by default, since a test's fake lives for one test and tests count its
    whole journal (``pytest-assistants serve`` bounds it).
    """

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
        self.backend = Backend(seed=seed, clock=Clock(clock_start))
        self.faults = FaultPlan()
        self.router = Router(
            self.backend,
            self.profile,
            faults=self.faults,
            hosts={**DEFAULT_HOSTS, **(hosts or {})},
            max_calls=max_calls,
        )
        self.injected: list[Fault] = []  # every fault fail() added, in order (used counts)
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
                with self.reset_and_start():
                    return await func(*args, **kwargs)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.reset_and_start():
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    def reset_and_start(self) -> FakeAssistants:
        self.reset()
        return self

    # -- state ---------------------------------------------------------------------------

    @property
    def clock(self) -> Clock:
        return self.backend.clock

    @property
    def assistants(self) -> AssistantsView:
        return AssistantsView(self)

    @property
    def calls(self) -> list[Call]:
        """The journal so far, oldest first: a new list each time, of immutable entries."""
        return list(self.router.calls)

    def wire(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """A deep copy of ``record`` as the profile serves it (never the stored object)."""
        rules = next(iter(self.profile.served.values()))
        return copy.deepcopy(Router.wire(dict(record), rules))

    def add(self, obj: Any) -> dict[str, Any]:
        """Preload an assistant exactly as given (a dict or an SDK ``Assistant``).

        Missing fields get the server defaults; a malformed object raises a TypeError that
        names the bad field, before anything is stored. The store keeps a copy of ``obj``
        and returns another: changing either afterwards changes nothing stored.
        """
        from pytest_assistants.service.models import parse_assistant

        return self.wire(self.backend.add(parse_assistant(obj)))

    def reset(self) -> None:
        """Forget every assistant, call and pending fault; ids start again from the seed."""
        self.backend.reset()
        self.faults.clear()
        self.injected.clear()
        self.router.calls.clear()
        self.router.internal_errors.clear()
        self.router.routes.not_served.clear()
        self.router.routes.errors.clear()
        self.leaks.clear()

    def route(self, method: str, path: str, handler: Handler) -> None:
        """Serve an endpoint the fake does not (threads, runs, files...) with ``handler``.

        ``path`` may hold ``{name}`` placeholders (``/v1/threads/{thread_id}/runs``), given
        to the handler as ``request.params``; the handler returns ``(status, headers, json)``
        (or ``(status, json)``, or the JSON alone for a 200). Sync and async clients alike.
        Routes outlive ``reset()``, like hosts.
        """
        self.router.routes.add(method, path, handler)

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
        ``operation`` takes the SDK's method names too (``"update"`` is ``"modify"``).
        """
        if isinstance(operation, str):
            operation = OPERATION_ALIASES.get(operation, operation)
        if kind == "status" and isinstance(status, int) and 100 <= status < 400:
            raise ValueError(
                f"fail(status={status}): a fault must be an error status (400 to 599),"
                " e.g. fail(429) or fail(503); a success needs no injecting"
            )
        fault = self.faults.add(
            status, body=body, headers=headers, count=count, operation=operation, kind=kind
        )
        self.injected.append(fault)
        return fault

    def check(self) -> None:
        """Raise if the fake hit a bug of its own while serving (the 500s it answered), was
        asked for an endpoint it does not serve, or refused a connection around it."""
        if self.router.internal_errors:
            raise FakeInternalError(
                "pytest-assistants raised while serving a request (please report it):\n"
                + "\n".join(self.router.internal_errors)
            )
        if self.router.routes.errors:
            raise AssertionError(
                "a handler given to fake.route(...) raised:\n"
                + "\n".join(self.router.routes.errors)
            )
        if self.leaks:
            raise LeakError("\n".join(self.leaks))
        if self.router.routes.not_served:
            raise NotServedError("\n".join(dict.fromkeys(self.router.routes.not_served)))

    # -- clients -------------------------------------------------------------------------

    @overload
    def transport(self, library: Literal["httpx"]) -> httpx.BaseTransport: ...
    @overload
    def transport(self, library: Literal["httpx2"]) -> httpx2.BaseTransport: ...
    @overload
    def transport(
        self, library: str | None = None
    ) -> httpx.BaseTransport | httpx2.BaseTransport: ...
    def transport(self, library: str | None = None) -> Any:
        """A sync transport for an httpx (default for openai 2.x) or httpx2 client."""
        sync_class, _ = transport.transport_classes(library or transport.openai_library())
        return sync_class(self.router)

    @overload
    def async_transport(self, library: Literal["httpx"]) -> httpx.AsyncBaseTransport: ...
    @overload
    def async_transport(self, library: Literal["httpx2"]) -> httpx2.AsyncBaseTransport: ...
    @overload
    def async_transport(
        self, library: str | None = None
    ) -> httpx.AsyncBaseTransport | httpx2.AsyncBaseTransport: ...
    def async_transport(self, library: str | None = None) -> Any:
        _, async_class = transport.transport_classes(library or transport.openai_library())
        return async_class(self.router)

    @overload
    def http_client(
        self, host: str = ..., *, library: Literal["httpx"], **kwargs: Any
    ) -> httpx.Client: ...
    @overload
    def http_client(
        self, host: str = ..., *, library: Literal["httpx2"], **kwargs: Any
    ) -> httpx2.Client: ...
    @overload
    def http_client(
        self, host: str = ..., *, library: str | None = None, **kwargs: Any
    ) -> httpx.Client | httpx2.Client: ...
    def http_client(
        self, host: str = "api.openai.com", *, library: str | None = None, **kwargs: Any
    ) -> Any:
        """A raw client whose requests all go to the fake.

        Its ``base_url`` ends where the dialect's routes start, ``https://{host}/v1`` (as
        ``assistants_server.url`` does; Azure: ``https://{host}/openai``), so
        ``client.post("/assistants", ...)`` works; a ``host/prefix`` entry gives
        ``https://host/prefix/v1``.
        """
        name = library or transport.openai_library()
        lib = transport.load_library(name)
        kwargs.setdefault(
            "base_url", base_url(host, self.router.dialect_of(host.partition("/")[0]))
        )
        return lib.Client(transport=self.transport(name), **kwargs)

    @overload
    def async_http_client(
        self, host: str = ..., *, library: Literal["httpx"], **kwargs: Any
    ) -> httpx.AsyncClient: ...
    @overload
    def async_http_client(
        self, host: str = ..., *, library: Literal["httpx2"], **kwargs: Any
    ) -> httpx2.AsyncClient: ...
    @overload
    def async_http_client(
        self, host: str = ..., *, library: str | None = None, **kwargs: Any
    ) -> httpx.AsyncClient | httpx2.AsyncClient: ...
    def async_http_client(
        self, host: str = "api.openai.com", *, library: str | None = None, **kwargs: Any
    ) -> Any:
        name = library or transport.openai_library()
        lib = transport.load_library(name)
        kwargs.setdefault(
            "base_url", base_url(host, self.router.dialect_of(host.partition("/")[0]))
        )
        return lib.AsyncClient(transport=self.async_transport(name), **kwargs)

    def openai(self, **kwargs: Any) -> OpenAI:
        """An ``openai.OpenAI`` client wired to the fake (openai 2.x on httpx, 3.x on httpx2)."""
        client: OpenAI = clients.build(self, "OpenAI", kwargs, asynchronous=False)
        return client

    def async_openai(self, **kwargs: Any) -> AsyncOpenAI:
        client: AsyncOpenAI = clients.build(self, "AsyncOpenAI", kwargs, asynchronous=True)
        return client

    def azure_openai(self, **kwargs: Any) -> AzureOpenAI:
        """An ``openai.AzureOpenAI`` client wired to the fake: resource
        ``pytest-assistants.openai.azure.com``, and unless given the ``api_version`` of the
        Azure profile in use (2025-03-01-preview otherwise), which picks v1 or v2 rules per
        request, as on Azure."""
        client: AzureOpenAI = clients.build(self, "AzureOpenAI", kwargs, asynchronous=False)
        return client

    def async_azure_openai(self, **kwargs: Any) -> AsyncAzureOpenAI:
        client: AsyncAzureOpenAI = clients.build(
            self, "AsyncAzureOpenAI", kwargs, asynchronous=True
        )
        return client

    def portkey(self, **kwargs: Any) -> Portkey:
        """A ``portkey_ai.Portkey`` client wired to the fake (its vendored openai uses httpx)."""
        client: Portkey = clients.build(self, "Portkey", kwargs, asynchronous=False)
        return client

    def async_portkey(self, **kwargs: Any) -> AsyncPortkey:
        client: AsyncPortkey = clients.build(self, "AsyncPortkey", kwargs, asynchronous=True)
        return client

    def __repr__(self) -> str:
        name, count = self.profile.name, len(self.backend)
        return f"FakeAssistants(profile={name!r}, seed={self.seed}, assistants={count})"


def base_url(host: str, dialect: str | None = None) -> str:
    """Where the dialect's routes start: ``https://api.zerobot.ai/v1``, ``https://h/openai/v1``
    for a ``h/openai`` entry, and Azure's ``https://contoso.openai.azure.com/openai``."""
    if dialect == "azure":
        return f"https://{host.rstrip('/').removesuffix('/openai')}/openai"
    return f"https://{host.rstrip('/').removesuffix('/v1')}/v1"


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
