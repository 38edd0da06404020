"""The fake over real HTTP: a raw ASGI adapter onto the same routes, run with uvicorn.

Every request becomes a :class:`routes.HttpRequest` and goes to ``Router.handle``; nothing
here decides an answer. One port serves every dialect, chosen per request by path prefix:

- ``/portkey/v1/...`` Portkey rules, ``/zerobot/v1/...`` Zerobot rules, ``/openai/v1/...``
  OpenAI rules (the prefix is removed before routing);
- ``/v1/...`` the ``--dialect`` option if given, else the ``Host`` header if it names a
  provider host (``api.portkey.ai``...), else the profile's own dialect (OpenAI by default);
- ``/openapi.json`` the OpenAPI document, when ``pytest_assistants.openapi`` is installed.

uvicorn is imported only by :func:`run_cli` and :class:`BackgroundServer` (extra ``server``).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import signal
import socket
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .fake import TEST_API_KEY, FakeAssistants
from .faults import TransportFault
from .routes import HttpRequest, HttpResponse

if TYPE_CHECKING:
    import pytest

    from .config import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

DIALECTS = ("openai", "portkey", "zerobot")
OPENAPI_PATH = "/openapi.json"


def split_dialect(path: str) -> tuple[str | None, str]:
    """``/portkey/v1/assistants`` -> ("portkey", "/v1/assistants"); unprefixed -> (None, path)."""
    first, slash, rest = path[1:].partition("/")
    if first in DIALECTS:
        return first, slash + rest
    return None, path


def openapi_document() -> dict[str, Any] | None:
    """The project's OpenAPI document, or None where that module is not part of the install."""
    try:
        module = importlib.import_module(f"{__package__}.openapi")
    except ModuleNotFoundError as error:
        if error.name == f"{__package__}.openapi":
            return None
        raise
    document: dict[str, Any] = module.document()
    return document


class AssistantsApp:
    """ASGI callable serving ``fake`` (swappable: the test server installs one per test)."""

    def __init__(self, fake: FakeAssistants, *, dialect: str | None = None) -> None:
        self.fake = fake
        self.dialect = dialect

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        fake = self.fake  # one fake for the whole request, even if swapped meanwhile
        body = await _read_body(receive, fake.profile.choices.max_body_bytes + 1)
        if body is None:  # the client left before sending all of it: nothing to answer
            return
        dialect, path = split_dialect(scope["path"])
        if path == OPENAPI_PATH and dialect is None and scope["method"] == "GET":
            document = openapi_document()
            if document is not None:
                await _send(send, fake.router.render(200, document))
                return
        request = to_request(scope, path, body)
        try:
            answer = fake.router.handle(request, dialect=dialect or self.dialect)
        except TransportFault as fault:
            await _break_connection(fault.kind, receive, send)
            return
        await _send(send, answer)


def to_request(scope: Scope, path: str, body: bytes) -> HttpRequest:
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    server = scope.get("server") or ("127.0.0.1", 0)
    return HttpRequest(
        method=scope["method"],
        host=headers.get("host", f"{server[0]}:{server[1]}"),
        path=path,
        query=scope.get("query_string", b"").decode("latin-1"),
        headers=headers,
        body=body,
    )


async def _read_body(receive: Receive, keep: int) -> bytes | None:
    """The request body (None if the client disconnected first); past ``keep`` bytes it is
    drained, not stored (the router answers 413)."""
    chunks: list[bytes] = []
    size, more = 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        if size < keep:
            chunks.append(chunk)
        size += len(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


async def _send(send: Send, answer: HttpResponse) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers.items()]
    headers.append((b"content-length", str(len(answer.body)).encode()))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})


async def _break_connection(kind: str, receive: Receive, send: Send) -> None:
    """An injected transport fault, for real: ``timeout`` never answers (until the client
    gives up), ``disconnect`` closes the connection with no complete response."""
    if kind == "timeout":
        while (await receive())["type"] != "http.disconnect":
            pass
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})  # no body: cut


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


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
class ServerHandle:
    """What ``assistants_server`` yields: where the server is, and the fake behind it."""

    url: str  # OpenAI-style base URL, ending in /v1
    root_url: str
    fake: FakeAssistants

    def url_for(self, dialect: str) -> str:
        """The base URL serving ``dialect``'s rules: ``.../portkey/v1``, ``.../zerobot/v1``."""
        if dialect not in DIALECTS:
            raise ValueError(f"unknown dialect {dialect!r}: use one of {', '.join(DIALECTS)}")
        return f"{self.root_url}/{dialect}/v1"

    def openai(self, **kwargs: Any) -> Any:
        """An ``openai.OpenAI`` client on this server (a real socket, no interception)."""
        import openai

        kwargs.setdefault("api_key", TEST_API_KEY)
        return openai.OpenAI(base_url=kwargs.pop("base_url", self.url), **kwargs)

    def async_openai(self, **kwargs: Any) -> Any:
        import openai

        kwargs.setdefault("api_key", TEST_API_KEY)
        return openai.AsyncOpenAI(base_url=kwargs.pop("base_url", self.url), **kwargs)


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
def server_for_test(request: pytest.FixtureRequest, settings: Settings) -> Iterator[ServerHandle]:
    """The session's server, serving a fresh fake built from this test's settings."""
    import pytest

    try:
        fake = FakeAssistants(
            settings.profile,
            seed=settings.seed,
            clock_start=settings.clock_start,
            hosts=settings.hosts,
            **settings.choices,
        )
    except (TypeError, ValueError) as error:
        pytest.fail(f"pytest-assistants configuration: {error}", pytrace=False)
    server = _session_server(request.config)
    server.app.fake = fake  # a new fake per test: nothing survives from the previous one
    yield ServerHandle(url=f"{server.root_url}/v1", root_url=server.root_url, fake=fake)
    try:
        fake.check()
    except AssertionError as error:
        pytest.fail(str(error), pytrace=False)
    pending = fake.faults.pending()
    if pending and settings.strict:
        pytest.fail(
            f"assistants_server.fake.fail(...) injected faults that were never used: {pending}."
            " Send the requests they were meant for, lower count=, or mark the test"
            " @pytest.mark.assistants(strict=False).",
            pytrace=False,
        )


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
        " /portkey/v1, /zerobot/v1 and /openai/v1 always select their own",
    )
    parser.add_argument(
        "--log-level",
        default="warning",
        choices=("critical", "error", "warning", "info", "debug"),
        help="uvicorn log level (default warning)",
    )


def run_cli(args: argparse.Namespace) -> int:
    import uvicorn

    from .profiles import DEFAULT_PROFILE, UnknownProfileError
    from .state import SqliteState, StateFileError

    try:
        fake = FakeAssistants(args.profile or DEFAULT_PROFILE, seed=args.seed)
    except UnknownProfileError as error:
        print(f"pytest-assistants serve: {error}", file=sys.stderr)
        return 2
    state, loaded = None, 0
    if args.state:
        try:
            state = SqliteState(args.state)
        except StateFileError as error:
            print(f"pytest-assistants serve: {error}", file=sys.stderr)
            return 2
        loaded = state.attach(fake.backend)
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
        "  stop with Ctrl+C or SIGTERM"
    )

    class Server(uvicorn.Server):  # type: ignore[misc]
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
            AssistantsApp(fake, dialect=args.dialect),
            log_level=args.log_level,
            access_log=args.log_level in ("info", "debug"),
            timeout_graceful_shutdown=3,
        )
    )
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        if state is not None:
            state.close()
    why = f" on {signal.Signals(server.stop_signal).name}" if server.stop_signal else ""
    print(f"pytest-assistants stopped{why} ({len(fake.backend)} assistant(s))", flush=True)
    return 0


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def create_app(
    profile: str | None = None, seed: int = 0, state: str | None = None, dialect: str | None = None
) -> AssistantsApp:
    """For other ASGI servers: ``uvicorn --factory pytest_assistants.asgi:create_app``."""
    from .profiles import DEFAULT_PROFILE
    from .state import SqliteState

    fake = FakeAssistants(profile or DEFAULT_PROFILE, seed=seed)
    if state:
        SqliteState(state).attach(fake.backend)
    return AssistantsApp(fake, dialect=dialect)


__all__ = ["AssistantsApp", "ServerHandle", "create_app", "server_for_test"]
