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
from functools import cache
from typing import TYPE_CHECKING, Any

from pytest_assistants.reach import interception
from pytest_assistants.reach.adapter import answered, http_request
from pytest_assistants.reach.interception import Patch
from pytest_assistants.service.faults import TransportFault

if TYPE_CHECKING:
    from types import ModuleType

    from pytest_assistants.reach.interception import Handle
    from pytest_assistants.service.http import HttpRequest, HttpResponse

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
    """An httpx / httpx2 request through the one adapter (raw target and header pairs)."""
    url = request.url
    return http_request(request.method, url.host, url.raw_path, request.headers.raw, body)


def to_response(lib: ModuleType, answer: HttpResponse, request: Any) -> Any:
    # The dict itself: httpx copies its items in order, as it did from a list of them.
    return lib.Response(answer.status, headers=answer.headers, content=answer.body, request=request)


def raise_fault(lib: ModuleType, fault: TransportFault, request: Any) -> Any:
    if fault.kind == "timeout":
        raise lib.ReadTimeout("timed out (injected by assistants_fake.fail)", request=request)
    raise lib.RemoteProtocolError(
        "Server disconnected without sending a response (injected by assistants_fake.fail).",
        request=request,
    )


def serve(lib: ModuleType, handle: Handle, request: Any, body: bytes) -> Any:
    try:
        answer = answered(handle, to_request(request, body))
    except TransportFault as fault:
        return raise_fault(lib, fault, request)
    return to_response(lib, answer, request)


def transport_classes(name: str) -> tuple[type[Any], type[Any]]:
    """A sync and an async transport class for the library as imported now.

    Built once per module object, not per name: pytester (and IDE runners) restore
    ``sys.modules`` after an in-process session, so the next one imports httpx afresh, and
    a class built on the first import's ``BaseTransport`` would fail its checks.
    """
    return _classes_for(load_library(name))


@cache
def _classes_for(lib: ModuleType) -> tuple[type[Any], type[Any]]:
    name = lib.__name__

    class FakeTransport(lib.BaseTransport):  # type: ignore[name-defined,misc]
        """Sends every request to the fake (its ``handle``)."""

        def __init__(self, handle: Handle) -> None:
            self.handle = handle

        def handle_request(self, request: Any) -> Any:
            return serve(lib, self.handle, request, request.read())

    class AsyncFakeTransport(lib.AsyncBaseTransport):  # type: ignore[name-defined,misc]
        """Async twin of FakeTransport: the same fake, no event-loop work of its own."""

        def __init__(self, handle: Handle) -> None:
            self.handle = handle

        async def handle_async_request(self, request: Any) -> Any:
            return serve(lib, self.handle, request, await request.aread())

    FakeTransport.__qualname__ = f"FakeTransport[{name}]"
    AsyncFakeTransport.__qualname__ = f"AsyncFakeTransport[{name}]"
    return FakeTransport, AsyncFakeTransport


# -- global interception -------------------------------------------------------------------
#
# Two patches per library. The one that always holds sits on the connection pools of
# httpcore / httpcore2, under httpx / httpx2's own transports: vcrpy patches the
# transports and calls its saved originals, so a pool patch composes with it in either
# order (recording the fake works), proxies (which subclass the pool) are covered, and so is
# code that drives httpcore itself. Above it, httpx's ``HTTPTransport`` answers a claimed
# request itself, as the explicit transport does, without the round trip through httpcore's
# request and response objects (a fifth of an intercepted SDK call); it is put on only
# while the method is httpx's own: over a cassette's (or any other library's) patch it
# would answer first and hide the request from it, so then the pool answers instead.

CORES = {"httpcore": "httpx", "httpcore2": "httpx2"}


def _claiming_handler(url: Any) -> Handle | None:
    path = url.target.partition(b"?")[0].decode("latin-1")
    return interception.claiming_handler(url.host.decode("ascii", "replace"), path)


def core_request(request: Any, body: bytes) -> HttpRequest:
    """An httpcore / httpcore2 pool request through the one adapter."""
    url = request.url
    return http_request(request.method, url.host, url.target, request.headers, body)


def _serve_core(core: ModuleType, handle: Handle, request: Any, body: bytes) -> Any:
    try:
        answer = answered(handle, core_request(request, body))
    except TransportFault as fault:
        if fault.kind == "timeout":
            raise core.ReadTimeout("timed out (injected by assistants_fake.fail)") from None
        raise core.RemoteProtocolError(
            "Server disconnected without sending a response (injected by assistants_fake.fail)."
        ) from None
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers.items()]
    return core.Response(answer.status, headers=headers, content=answer.body)


def _core_patches(name: str) -> list[Patch]:
    core = importlib.import_module(name)
    original_sync = core.ConnectionPool.handle_request
    original_async = core.AsyncConnectionPool.handle_async_request

    def handle_request(self: Any, request: Any) -> Any:
        handle = _claiming_handler(request.url)
        if handle is None:
            return original_sync(self, request)
        return _serve_core(core, handle, request, b"".join(request.stream))

    async def handle_async_request(self: Any, request: Any) -> Any:
        handle = _claiming_handler(request.url)
        if handle is None:
            return await original_async(self, request)
        body = b"".join([chunk async for chunk in request.stream])
        return _serve_core(core, handle, request, body)

    return [
        Patch(core.ConnectionPool, "handle_request", handle_request),
        Patch(core.AsyncConnectionPool, "handle_async_request", handle_async_request),
    ]


def _library_own(method: Any, library: str) -> bool:
    """Whether ``method`` is the library's own, not a wrapper (vcrpy's, a mock) put over it."""
    module = getattr(method, "__module__", None) or ""
    return module.partition(".")[0] == library and not hasattr(method, "__wrapped__")


def _transport_patches(name: str) -> list[Patch]:
    lib = importlib.import_module(name)
    found: list[Patch] = []
    original_sync = lib.HTTPTransport.handle_request
    original_async = lib.AsyncHTTPTransport.handle_async_request

    def handle_request(self: Any, request: Any) -> Any:
        handle = interception.claiming_handler(request.url.host, request.url.path)
        if handle is None:
            return original_sync(self, request)
        return serve(lib, handle, request, request.read())

    async def handle_async_request(self: Any, request: Any) -> Any:
        handle = interception.claiming_handler(request.url.host, request.url.path)
        if handle is None:
            return await original_async(self, request)
        return serve(lib, handle, request, await request.aread())

    if _library_own(original_sync, name):
        found.append(Patch(lib.HTTPTransport, "handle_request", handle_request))
    if _library_own(original_async, name):
        found.append(Patch(lib.AsyncHTTPTransport, "handle_async_request", handle_async_request))
    return found


def patches() -> list[Patch]:
    """The pool patches of every installed httpcore, and the transport patches above them."""
    found = []
    for core, library in CORES.items():
        if interception.installed(core):
            found += _core_patches(core)
        if interception.installed(library):
            found += _transport_patches(library)
    return found
