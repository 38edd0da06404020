"""The fake over real HTTP: the ASGI app of :mod:`.asgi_app`, run with uvicorn.

One port serves every dialect (``/portkey/v1``, ``/zerobot/v1``, ``/openai/v1``, plain
``/v1`` and Azure's ``/openai/assistants``; see :mod:`.asgi_app`, whose public names are
re-exported here). This module binds the socket and runs the server: in a daemon thread
for the ``assistants_server`` fixture, in the foreground for ``pytest-assistants serve``,
or from another ASGI server through :func:`create_app`.

uvicorn is imported only by :func:`run_cli` and :class:`BackgroundServer` (extra ``server``).
"""

from __future__ import annotations

import contextlib
import functools
import signal
import socket
import sys
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pytest_assistants.reach.clients import AZURE_API_VERSION, TEST_API_KEY
from pytest_assistants.reach.fake import FakeAssistants, fake_for_test
from pytest_assistants.server.app import DIALECTS, AssistantsApp
from pytest_assistants.server.limits import ServeLimits

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterator

    import pytest
    from openai import AsyncOpenAI, AzureOpenAI, OpenAI

    from pytest_assistants.reach.config import Settings
    from pytest_assistants.server.state import SqliteState
    from pytest_assistants.service.store import Change, Store


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free port), so the URL is known before serving."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must say TCP: asyncio sets TCP_NODELAY only then (else 40 ms per answer, Nagle)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    return sock


def base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _uvicorn_config(app: AssistantsApp, **options: Any) -> Any:
    try:
        import uvicorn
    except ImportError:
        raise ImportError(
            "the assistants server needs uvicorn: pip install 'pytest-assistants[server]'"
        ) from None
    options.setdefault("log_level", "warning")
    options.setdefault("access_log", False)
    return uvicorn.Config(app, lifespan="on", server_header=False, **options)


# -- the test server -----------------------------------------------------------------------


class BackgroundServer:
    """uvicorn in a daemon thread on 127.0.0.1:<free port>: one per pytest process, reused."""

    def __init__(self) -> None:
        self.app = AssistantsApp(FakeAssistants())
        # Idle keep-alive connections stay open for a minute (uvicorn: 5 s), so a test that
        # pauses never races the server closing the connection its client is about to reuse.
        config = _uvicorn_config(self.app, timeout_graceful_shutdown=1, timeout_keep_alive=60)
        import uvicorn

        self.socket = bind("127.0.0.1", 0)
        self.root_url = base_url(self.socket)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def start(self) -> BackgroundServer:
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError(f"the assistants test server on {self.root_url} did not start")
            self.thread.join(0.005)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.socket.close()


@dataclass
class AssistantsServer:
    """What ``assistants_server`` yields: where the server is, and the fake behind it."""

    url: str  # OpenAI-style base URL, ending in /v1
    root_url: str
    fake: FakeAssistants

    def url_for(self, dialect: str) -> str:
        """The base URL serving ``dialect``'s rules: ``.../portkey/v1``, ``.../zerobot/v1``;
        for ``azure`` the root, which is the ``azure_endpoint``."""
        if dialect not in DIALECTS:
            raise ValueError(f"unknown dialect {dialect!r}: use one of {', '.join(DIALECTS)}")
        if dialect == "azure":  # the azure_endpoint: AzureOpenAI appends /openai itself
            return self.root_url
        return f"{self.root_url}/{dialect}/v1"

    def openai(self, **kwargs: Any) -> OpenAI:
        """An ``openai.OpenAI`` client on this server (a real socket, no interception)."""
        from openai import OpenAI

        kwargs.setdefault("api_key", TEST_API_KEY)
        return OpenAI(base_url=kwargs.pop("base_url", self.url), **kwargs)

    def async_openai(self, **kwargs: Any) -> AsyncOpenAI:
        from openai import AsyncOpenAI

        kwargs.setdefault("api_key", TEST_API_KEY)
        return AsyncOpenAI(base_url=kwargs.pop("base_url", self.url), **kwargs)

    def azure_openai(self, **kwargs: Any) -> AzureOpenAI:
        """An ``openai.AzureOpenAI`` client on this server: the root URL is the Azure
        endpoint, so requests go to ``/openai/assistants?api-version=...``."""
        import openai

        kwargs.setdefault("api_key", TEST_API_KEY)
        kwargs.setdefault("api_version", AZURE_API_VERSION)
        return openai.AzureOpenAI(azure_endpoint=self.root_url, **kwargs)


_SERVERS: dict[int, BackgroundServer] = {}
_SERVERS_LOCK = threading.Lock()


def _session_server(config: pytest.Config) -> BackgroundServer:
    with _SERVERS_LOCK:
        server = _SERVERS.get(id(config))
        if server is None:
            server = _SERVERS[id(config)] = BackgroundServer().start()

            def stop() -> None:
                with _SERVERS_LOCK:
                    _SERVERS.pop(id(config), None)
                server.stop()

            config.add_cleanup(stop)
        return server


@contextlib.contextmanager
def server_for_test(
    request: pytest.FixtureRequest, settings: Settings
) -> Iterator[AssistantsServer]:
    """The session's server, serving a fresh fake built from this test's settings.

    The fixture checks the fake at teardown (``fixtures.check_at_teardown``, as for
    ``assistants_fake``).
    """
    fake = fake_for_test(settings)
    server = _session_server(request.config)
    server.app.fake = fake  # a new fake per test: nothing survives from the previous one
    yield AssistantsServer(url=f"{server.root_url}/v1", root_url=server.root_url, fake=fake)


# -- pytest-assistants serve ---------------------------------------------------------------

CLI_HELP = "serve the fake over HTTP (uvicorn; all dialects on one port)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free)")
    parser.add_argument("--profile", default=None, help="profile, e.g. openai-v2@2025-08")
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed of the id sequence (default 0; a --state file resumes its own)",
    )
    parser.add_argument(
        "--state",
        metavar="FILE",
        default=None,
        help="keep the assistants in this SQLite file across restarts (default: in memory)",
    )
    parser.add_argument(
        "--dialect",
        choices=DIALECTS,
        default=None,
        help="rules for unprefixed /v1 paths (default: the profile's dialect);"
        " /portkey/v1, /zerobot/v1, /openai/v1 and Azure's /openai/assistants always select"
        " their own",
    )
    limits = ServeLimits()
    parser.add_argument(
        "--max-calls",
        type=int,
        default=limits.max_calls,
        help=f"requests the journal keeps, newest first (default {limits.max_calls})",
    )
    parser.add_argument(
        "--max-connections",
        type=int,
        default=limits.max_connections,
        help=f"open connections beyond which requests get a 503 (default {limits.max_connections})",
    )
    parser.add_argument(
        "--timeout-keep-alive",
        type=int,
        default=limits.keep_alive,
        help=f"seconds an idle connection stays open (default {limits.keep_alive})",
    )
    parser.add_argument(
        "--timeout-header",
        type=float,
        default=limits.header_timeout,
        help="seconds a client has to send a request's headers, else the connection is"
        f" closed (default {limits.header_timeout:g})",
    )
    parser.add_argument(
        "--timeout-body",
        type=float,
        default=limits.body_timeout,
        help=f"seconds a client has to send a request's body, else a 408 (default"
        f" {limits.body_timeout:g})",
    )
    parser.add_argument(
        "--log-level",
        default="warning",
        choices=("critical", "error", "warning", "info", "debug"),
        help="uvicorn log level (default warning)",
    )


def run_cli(args: argparse.Namespace) -> int:
    import uvicorn

    from pytest_assistants.server.ownership import StateFileError
    from pytest_assistants.server.state import SqliteState
    from pytest_assistants.service.profiles import DEFAULT_PROFILE, PROFILES

    limits = ServeLimits(
        keep_alive=args.timeout_keep_alive,
        header_timeout=args.timeout_header,
        body_timeout=args.timeout_body,
        max_connections=args.max_connections,
        max_calls=args.max_calls,
    )
    if args.profile is not None and args.profile not in PROFILES:
        print(
            f"pytest-assistants serve: --profile {args.profile!r} is not a profile:"
            f" use one of {', '.join(PROFILES)}",
            file=sys.stderr,
        )
        return 2
    fake = FakeAssistants(
        args.profile or DEFAULT_PROFILE, seed=args.seed, max_calls=limits.max_calls
    )
    state, loaded = None, 0
    if args.state:
        try:
            state = SqliteState(args.state, owner=True)
            loaded = fake.persist(DiskErrorsNamed(state, args.state))
        except StateFileError as error:
            if state is not None:
                state.close()
            print(f"pytest-assistants serve: {error}", file=sys.stderr)
            return 2
    try:
        sock = bind(args.host, args.port)
    except OSError as error:
        print(
            f"pytest-assistants serve: cannot listen on {args.host}:{args.port}: {error}"
            " (choose another --port, or --port 0 for any free port)",
            file=sys.stderr,
        )
        return 1
    root = base_url(sock)
    kept = f"state {args.state}, {loaded} assistant(s) loaded" if state else "in memory"
    banner = (
        f"pytest-assistants serving {root}/v1 (profile {fake.profile.name},"
        f" dialect {args.dialect or fake.profile.dialect}, seed {args.seed}, {kept})\n"
        f"  same store, other rules: {root}/portkey/v1  {root}/zerobot/v1  {root}/openai/v1\n"
        f"  Azure OpenAI: azure_endpoint={root} (/openai/assistants?api-version=...)\n"
        "  stop with Ctrl+C or SIGTERM"
    )

    class Server(uvicorn.Server):
        stop_signal: int | None = None

        def handle_exit(self, sig: int, frame: Any) -> None:
            self.stop_signal = sig
            super().handle_exit(sig, frame)

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                print(banner, flush=True)

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            """Stop cleanly and return 0 (uvicorn would re-raise the signal after stopping)."""
            previous = {s: signal.signal(s, self.handle_exit) for s in STOP_SIGNALS}
            try:
                yield
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)

    server = Server(
        _uvicorn_config(
            AssistantsApp(fake, dialect=args.dialect, body_timeout=limits.body_timeout),
            log_level=args.log_level,
            access_log=args.log_level in ("info", "debug"),
            timeout_graceful_shutdown=3,
            **limits.uvicorn_options(),
        )
    )
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        if state is not None:
            state.close()
    why = f" on {signal.Signals(server.stop_signal).name}" if server.stop_signal else ""
    print(f"pytest-assistants stopped{why} ({len(fake.assistants)} assistant(s))", flush=True)
    return 0


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class DiskErrorsNamed:
    """The state file attached so that its write failures (a full disk, an I/O error, a file
    removed under the server) are named as such: one line on stderr, and a 500 answer that
    says the --state file could not be written, not that the fake has a bug. Nothing
    changed: the store applies no change whose write failed."""

    def __init__(self, state: SqliteState, path: str) -> None:
        self.state, self.path = state, path

    def attach(self, store: Store) -> int:
        loaded = self.state.attach(store)
        write = store.on_commit
        assert write is not None
        store.on_commit = functools.partial(self.write_or_say, write)
        return loaded

    def write_or_say(self, write: Callable[[list[Change]], None], changes: list[Change]) -> None:
        import sqlite3

        from pytest_assistants.service.errors import openai_error

        try:
            write(changes)
        except (sqlite3.Error, OSError) as error:
            problem = f"cannot write the --state file {self.path}: {error}"
            print(f"pytest-assistants serve: {problem}", file=sys.stderr, flush=True)
            raise openai_error(
                f"pytest-assistants {problem} (a disk error: nothing was changed; free space"
                " or fix the disk, then send the request again)",
                status=500,
                type_="server_error",
                code="state_write_failed",
                headers={"x-should-retry": "false"},
            ) from None


def create_app(
    profile: str | None = None, seed: int = 0, state: str | None = None, dialect: str | None = None
) -> AssistantsApp:
    """For other ASGI servers: ``uvicorn --factory pytest_assistants.server.runner:create_app``.

    With ``state``, the process owns the file (``uvicorn --workers 2`` on one state file:
    the second worker stops with :class:`StateFileError`, saying which process holds it).
    """
    from pytest_assistants.server.state import SqliteState
    from pytest_assistants.service.profiles import DEFAULT_PROFILE

    limits = ServeLimits()
    fake = FakeAssistants(profile or DEFAULT_PROFILE, seed=seed, max_calls=limits.max_calls)
    if state:
        fake.persist(DiskErrorsNamed(SqliteState(state, owner=True), state))
    return AssistantsApp(fake, dialect=dialect, body_timeout=limits.body_timeout)
