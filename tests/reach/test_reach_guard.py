"""The leak guard: with a fake active, nothing reaches a provider host around it.

A connection that no interception served (``http.client``, a raw socket, asyncio streams)
fails at once with an error naming pytest-assistants, the host and the way to cover the
client, and fails the test even when the code under test swallows it. Other hosts and
127.0.0.1 (the test servers) are untouched, and without a fake nothing is guarded, so
recording on purpose still reaches the network.
"""

from __future__ import annotations

import asyncio
import http.client
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.reach.fake import LeakError
from pytest_assistants.reach.guard import BlockedConnectionError, refuse

if TYPE_CHECKING:
    from collections.abc import Iterator

BLOCKED = "pytest-assistants blocked a connection to {host}: it went around the fake"
HOW_TO = "send it through httpx, httpx2, aiohttp, requests / urllib3 or urllib.request"


@pytest.fixture
def local_port() -> Iterator[int]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_http_client_to_a_provider_host_is_refused_at_once() -> None:
    with FakeAssistants() as fake:
        connection = http.client.HTTPSConnection("api.openai.com", timeout=30)
        with pytest.raises(BlockedConnectionError) as error:
            connection.request("GET", "/v1/assistants")
    message = str(error.value)
    assert message.startswith(BLOCKED.format(host="api.openai.com"))
    assert HOW_TO in message
    assert not isinstance(error.value, OSError)  # nothing retries it
    assert fake.leaks == [message]
    with pytest.raises(LeakError, match=r"blocked a connection to api\.openai\.com"):
        fake.check()


@pytest.mark.parametrize("host", ["api.openai.com", "API.Zerobot.ai", "api.portkey.ai."])
def test_a_raw_socket_is_refused(host: str) -> None:
    with FakeAssistants() as fake:
        with socket.socket() as raw, pytest.raises(BlockedConnectionError, match=BLOCKED[:30]):
            raw.connect((host, 443))
        with socket.socket() as raw, pytest.raises(BlockedConnectionError):
            raw.connect_ex((host, 443))
        with pytest.raises(BlockedConnectionError):
            socket.create_connection((host, 443))
    assert len(fake.leaks) == 3


def test_asyncio_streams_are_refused() -> None:
    async def go() -> None:
        await asyncio.open_connection("api.openai.com", 443)

    with FakeAssistants(), pytest.raises(BlockedConnectionError):
        asyncio.run(go())


def test_local_servers_and_other_hosts_are_untouched(local_port: int) -> None:
    with FakeAssistants(hosts={"gateway.test": "openai"}) as fake:
        connection = http.client.HTTPConnection("127.0.0.1", local_port, timeout=5)
        connection.request("GET", "/")
        assert connection.getresponse().status == 204
        connection.close()
        assert socket.getaddrinfo("localhost", local_port)  # not a provider host
        refuse("api.openai.com.example.org")  # no error: only claimed hosts are refused
        with pytest.raises(BlockedConnectionError, match=r"gateway\.test"):
            refuse("gateway.test")  # a host added in config is guarded too
    assert len(fake.leaks) == 1


def test_a_host_claimed_under_a_prefix_only_is_not_guarded() -> None:
    """A gateway serves other paths too: only the prefix is the fake's."""
    with FakeAssistants(hosts={"proxy.example.com/openai/v1": "openai"}) as fake:
        refuse("proxy.example.com")
    assert fake.leaks == []


def test_nothing_is_guarded_without_a_fake() -> None:
    original = vars(socket)["getaddrinfo"]
    with FakeAssistants():
        assert vars(socket)["getaddrinfo"] is not original
    assert vars(socket)["getaddrinfo"] is original
    refuse("api.openai.com")  # no fake, no claim: nothing to refuse


def test_a_swallowed_leak_still_fails_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import http.client

        def test_swallows(assistants_fake):
            try:
                http.client.HTTPSConnection("api.openai.com").request("GET", "/v1/models")
            except Exception:
                pass
        """
    )
    result = pytester.runpytest("-W", "ignore::DeprecationWarning")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*pytest-assistants blocked a connection to api.openai.com: it went around the fake*"]
    )


def test_recording_without_the_fake_is_not_guarded(pytester: pytest.Pytester) -> None:
    """``--assistants-record-mode`` without the fake is the way to a real provider."""
    pytester.makepyfile(
        """
        import socket

        def test_records(assistants_cassette):
            guard = "pytest_assistants.reach.guard"
            assert socket.getaddrinfo.__module__ == "socket"
            assert getattr(socket.socket.connect, "__module__", None) != guard
        """
    )
    result = pytester.runpytest(
        "--assistants-record-mode", "all", "-W", "ignore::DeprecationWarning"
    )
    result.assert_outcomes(passed=1)


def test_every_way_in_under_xdist(pytester: pytest.Pytester) -> None:
    """Patches are per process: each xdist worker serves, guards and un-patches its own."""
    pytest.importorskip("xdist")
    pytest.importorskip("requests")
    pytest.importorskip("aiohttp")
    pytester.makepyfile(
        """
        import asyncio
        import http.client
        import urllib.request

        import aiohttp
        import pytest
        import requests

        H = {"Authorization": "Bearer sk-test", "OpenAI-Beta": "assistants=v2"}
        URL = "https://api.openai.com/v1/assistants"

        @pytest.mark.parametrize("n", range(4))
        def test_requests(assistants_fake, n):
            assert requests.post(URL, json={"model": "gpt-4o"}, headers=H).status_code == 200
            assert len(assistants_fake.calls) == 1

        @pytest.mark.parametrize("n", range(4))
        def test_aiohttp(assistants_fake, n):
            async def go():
                async with aiohttp.ClientSession(headers=H) as session:
                    async with session.get(URL) as answer:
                        return answer.status
            assert asyncio.run(go()) == 200

        def test_urllib(assistants_fake):
            request = urllib.request.Request(URL, headers=H)
            assert urllib.request.urlopen(request).status == 200

        def test_guard(assistants_fake):
            with pytest.raises(RuntimeError, match="pytest-assistants blocked"):
                http.client.HTTPSConnection("api.openai.com").request("GET", "/")
            assistants_fake.leaks.clear()

        def test_route(assistants_fake):
            assistants_fake.route("GET", "/v1/threads/{id}", lambda r: {"id": r.params["id"]})
            assert requests.get("https://api.openai.com/v1/threads/t1").json() == {"id": "t1"}
        """
    )
    result = pytester.runpytest("-n", "2", "-W", "ignore::DeprecationWarning")
    result.assert_outcomes(passed=11)


def test_a_bytes_host_name_is_refused_too() -> None:
    with FakeAssistants() as fake, pytest.raises(BlockedConnectionError, match=BLOCKED[:30]):
        socket.getaddrinfo(b"api.openai.com", 443)
    assert fake.leaks[0].startswith(BLOCKED.format(host="api.openai.com"))


def test_unclaimed_names_resolve_and_a_local_listener_accepts_connect_ex(
    local_port: int,
) -> None:
    with FakeAssistants() as fake:
        assert socket.getaddrinfo("localhost", local_port)
        assert socket.getaddrinfo(b"localhost", local_port)
        with socket.socket() as raw:
            assert raw.connect_ex(("127.0.0.1", local_port)) == 0
        with socket.socket() as raw:
            raw.connect(("127.0.0.1", local_port))
    assert fake.leaks == []
