"""Ways in through httpx and httpx2: injectable transports and global interception.

One handler serves sync and async (as httpx's ``MockTransport`` does). The client library
is imported only when a transport is built, so loading the plugin costs no httpx import.
Global interception patches the connection pools underneath (see below): code that builds
its own ``openai.OpenAI()`` goes through them, while clients given another transport
(respx's, a MockTransport) are left alone. Requests to hosts no active fake claims go to
the original pool untouched.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from operator import itemgetter
from types import ModuleType
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from pytest_assistants.service.faults import TransportFault
from pytest_assistants.service.router import HeaderSnapshot, HttpRequest, HttpResponse, Router

if TYPE_CHECKING:
    from pytest_assistants.reach.fake import FakeAssistants

LIBRARIES = ("httpx", "httpx2")


def load_library(name: str) -> ModuleType:
    if name not in LIBRARIES:
        raise ValueError(f"unknown HTTP library {name!r}: use 'httpx' or 'httpx2'")
    try:
        return importlib.import_module(name)
    except ImportError:
        raise ImportError(
            f"{name} is not installed: pip install {name}"
            " (openai 2.x uses httpx, openai 3.x httpx2)"
        ) from None


def openai_library() -> str:
    """The HTTP library of the installed openai SDK: httpx2 from 3.x on, httpx before."""
    try:
        openai = importlib.import_module("openai")
    except ImportError:
        return "httpx"
    return "httpx2" if int(openai.__version__.split(".")[0]) >= 3 else "httpx"


def to_request(request: Any, body: bytes) -> HttpRequest:
    url = request.url
    # ``url.path`` and ``url.query`` from one property: the raw target is percent-encoded
    # ASCII and its path holds no "?" (httpx refuses one), so this is what they give.
    path, _, query = url.raw_path.decode("ascii").partition("?")
    return HttpRequest(
        request.method,
        url.host,
        unquote(path) if "%" in path else path,
        query,
        request_headers(request.headers),
        body,
    )


def request_headers(headers: Any) -> Mapping[str, str]:
    """The headers as the router reads them: decoded on demand (``RawHeaders``)."""
    lazy = RawHeaders.of(headers.raw, join_repeats=True)
    return _header_dict(headers) if lazy is None else lazy


def _header_dict(headers: Any) -> dict[str, str]:
    """``{k.lower(): v for k, v in headers.items()}`` for what ``RawHeaders`` leaves (headers
    that are not plain ASCII): ``multi_items()`` decodes as the library does, and repeated
    names are joined with ", " exactly as ``items()`` joins them."""
    out: dict[str, str] = {}
    for key, value in headers.multi_items():
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


def to_response(lib: ModuleType, answer: HttpResponse, request: Any) -> Any:
    # The dict itself: httpx copies its items in order, as it did from a list of them.
    return lib.Response(answer.status, headers=answer.headers, content=answer.body, request=request)


# -- request headers, decoded on demand ------------------------------------------------------
#
# A request carries ~18 headers and the router reads two or three: decoding every name and
# value into a dict was a quarter of what the fake added to an SDK call. RawHeaders keeps the
# bytes as sent and answers a lookup by a search in one joined bytes string; the full dict
# (the journal's ``Call.headers``) is decoded the first time something asks for it, with
# exactly the result the eager decoding gave. Only all-ASCII headers (every real SDK's) take
# this path; anything else is decoded at once, as before.

_NAME, _VALUE = itemgetter(0), itemgetter(1)
_MISSING: Any = object()
_NEEDLES: dict[str, bytes] = {}  # name -> its framed bytes (field names repeat)
_NEEDLE_CACHE_SIZE = 256


class RawHeaders(HeaderSnapshot):
    """Lower-case names -> values, as ``dict`` decoding would give them, decoded lazily.

    ``join_repeats``: a repeated name maps to its values joined with ", " (httpx's
    ``items()``); otherwise the last one wins (a dict built from the pairs).
    """

    # Two objects, neither a container the garbage collector walks: the journal keeps one
    # of these per call, and a list of pairs made each call cost more collection work.
    __slots__ = ("_dict", "_join", "_names", "_values")

    def __init__(self, names: bytes, values: tuple[bytes, ...], join_repeats: bool) -> None:
        self._names = names  # b"\0name\0name\0": the lower-case names, each framed by NULs
        self._values = values
        self._join = join_repeats
        self._dict: dict[str, str] | None = None

    @classmethod
    def of(cls, pairs: Sequence[tuple[bytes, bytes]], *, join_repeats: bool) -> RawHeaders | None:
        """The lazy form of ``pairs``, or None if they are not plain ASCII (decode them at
        once instead)."""
        if not pairs:
            return None
        names = b"\0" + b"\0".join(map(_NAME, pairs)).lower() + b"\0"
        values = tuple(map(_VALUE, pairs))
        if (
            not names.isascii()
            or not b"".join(values).isascii()
            or names.count(b"\0") != len(values) + 1  # a NUL inside a name breaks the framing
        ):
            return None
        return cls(names, values, join_repeats)

    def get(self, name: str, default: Any = None) -> Any:
        if self._dict is None:
            needle = _NEEDLES.get(name) or _needle(name)
            if needle is None:
                return default
            names = self._names
            at = names.find(needle)
            if at < 0:
                return default
            if names.find(needle, at + 1) < 0:  # sent once: nothing to join or override
                return self._values[names.count(b"\0", 0, at)].decode("ascii")
        return self._decoded().get(name, default)

    def __getitem__(self, name: str) -> str:
        value = self.get(name, _MISSING)
        if value is _MISSING:
            raise KeyError(name)
        return value  # type: ignore[no-any-return]

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        try:
            self[name]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._decoded())

    def __len__(self) -> int:
        return len(self._decoded())

    def to_dict(self) -> dict[str, str]:
        return dict(self._decoded())

    def _decoded(self) -> dict[str, str]:
        if self._dict is None:
            keys = self._names[1:-1].decode("ascii").split("\0")
            values = [value.decode("ascii") for value in self._values]
            if not self._join:
                self._dict = dict(zip(keys, values, strict=True))
            else:
                out: dict[str, str] = {}
                for key, value in zip(keys, values, strict=True):
                    out[key] = f"{out[key]}, {value}" if key in out else value
                self._dict = out
        return self._dict

    def __repr__(self) -> str:
        return f"RawHeaders({self._decoded()!r})"


def _needle(name: str) -> bytes | None:
    """``name`` framed as in ``RawHeaders._names``; None if no header here can have it."""
    if not isinstance(name, str) or not name.isascii() or "\0" in name:
        return None
    needle = b"\0" + name.encode("ascii") + b"\0"
    if len(_NEEDLES) < _NEEDLE_CACHE_SIZE:
        _NEEDLES[name] = needle
    return needle


def raise_fault(lib: ModuleType, fault: TransportFault, request: Any) -> Any:
    if fault.kind == "timeout":
        raise lib.ReadTimeout("timed out (injected by assistants_fake.fail)", request=request)
    raise lib.RemoteProtocolError(
        "Server disconnected without sending a response (injected by assistants_fake.fail).",
        request=request,
    )


def serve(lib: ModuleType, router: Router, request: Any, body: bytes) -> Any:
    try:
        answer = router.handle(to_request(request, body))
    except TransportFault as fault:
        return raise_fault(lib, fault, request)
    return to_response(lib, answer, request)


@cache
def transport_classes(name: str) -> tuple[type[Any], type[Any]]:
    """A sync and an async transport class for one library, built once."""
    lib = load_library(name)

    class FakeTransport(lib.BaseTransport):  # type: ignore[name-defined,misc]
        """Sends every request to the fake's router."""

        def __init__(self, router: Router) -> None:
            self.router = router

        def handle_request(self, request: Any) -> Any:
            return serve(lib, self.router, request, request.read())

    class AsyncFakeTransport(lib.AsyncBaseTransport):  # type: ignore[name-defined,misc]
        """Async twin of FakeTransport: the same router, no event-loop work of its own."""

        def __init__(self, router: Router) -> None:
            self.router = router

        async def handle_async_request(self, request: Any) -> Any:
            return serve(lib, self.router, request, await request.aread())

    FakeTransport.__qualname__ = f"FakeTransport[{name}]"
    AsyncFakeTransport.__qualname__ = f"AsyncFakeTransport[{name}]"
    return FakeTransport, AsyncFakeTransport


# -- global interception -------------------------------------------------------------------
#
# The patch sits on the connection pools of httpcore / httpcore2, under httpx / httpx2's
# own transports: vcrpy patches the transports and calls its saved originals, so a pool
# patch composes with it in either order (recording the fake works), and proxies, which
# subclass the pool, are covered too.

CORES = {"httpcore": "httpx", "httpcore2": "httpx2"}

_ACTIVE: list[FakeAssistants] = []
_PATCHES: dict[str, tuple[Any, Any]] = {}
_LOCK = threading.RLock()


def active_fake_for(host: str) -> FakeAssistants | None:
    """The innermost active fake that claims ``host``, if any."""
    for fake in reversed(_ACTIVE):
        if fake.router.dialect_of(host) is not None:
            return fake
    return None


def _claiming_router(host: bytes) -> Router | None:
    name = host.decode("ascii", "replace")
    for fake in reversed(_ACTIVE):
        if fake.router.dialect_of(name) is not None:
            return fake.router
    return None


def core_request(request: Any, body: bytes) -> HttpRequest:
    url = request.url
    target = url.target.decode("latin-1")
    path, _, query = target.partition("?")
    return HttpRequest(
        method=request.method.decode("ascii"),
        host=url.host.decode("ascii"),
        path=unquote(path),
        query=query,
        headers=_core_headers(request.headers),
        body=body,
    )


def _core_headers(pairs: list[tuple[bytes, bytes]]) -> Mapping[str, str]:
    """Latin-1 names and values, a repeated name's last value: decoded on demand."""
    lazy = RawHeaders.of(pairs, join_repeats=False)
    if lazy is not None:
        return lazy
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in pairs}


def _serve_core(core: ModuleType, router: Router, request: Any, body: bytes) -> Any:
    try:
        answer = router.handle(core_request(request, body))
    except TransportFault as fault:
        if fault.kind == "timeout":
            raise core.ReadTimeout("timed out (injected by assistants_fake.fail)") from None
        raise core.RemoteProtocolError(
            "Server disconnected without sending a response (injected by assistants_fake.fail)."
        ) from None
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers.items()]
    return core.Response(answer.status, headers=headers, content=answer.body)


def _patch(name: str) -> None:
    try:
        core = importlib.import_module(name)
    except ImportError:
        return
    original_sync = core.ConnectionPool.__dict__["handle_request"]
    original_async = core.AsyncConnectionPool.__dict__["handle_async_request"]

    def handle_request(self: Any, request: Any) -> Any:
        router = _claiming_router(request.url.host)
        if router is None:
            return original_sync(self, request)
        return _serve_core(core, router, request, b"".join(request.stream))

    async def handle_async_request(self: Any, request: Any) -> Any:
        router = _claiming_router(request.url.host)
        if router is None:
            return await original_async(self, request)
        body = b"".join([chunk async for chunk in request.stream])
        return _serve_core(core, router, request, body)

    core.ConnectionPool.handle_request = handle_request
    core.AsyncConnectionPool.handle_async_request = handle_async_request
    _PATCHES[name] = (original_sync, original_async)


def _unpatch(name: str) -> None:
    originals = _PATCHES.pop(name, None)
    if originals is None:
        return
    core = importlib.import_module(name)
    core.ConnectionPool.handle_request, core.AsyncConnectionPool.handle_async_request = originals


def activate(fake: FakeAssistants) -> None:
    with _LOCK:
        if not _ACTIVE:
            for name in CORES:
                _patch(name)
        _ACTIVE.append(fake)


def deactivate(fake: FakeAssistants) -> None:
    with _LOCK:
        if fake in _ACTIVE:
            _ACTIVE.remove(fake)
        if not _ACTIVE:
            for name in CORES:
                _unpatch(name)
