"""Every common client library reaches the fake the way httpx does (DESIGN.md "reach").

For aiohttp, requests, urllib3 and urllib: create, modify, the exact 404 and 400 envelopes
(texts as recorded from OpenAI, PROVIDER_BEHAVIOUR §6), faults from ``fail(...)`` under the
library's own retry rules, pass-through of another host to a real server on 127.0.0.1, and
patches that come off exactly. Each library is the real one, over its public API.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from pytest_assistants import FakeAssistants

BASE = "https://api.openai.com/v1"
HEADERS = {"Authorization": "Bearer sk-test", "OpenAI-Beta": "assistants=v2"}
NOT_FOUND = {
    "error": {
        "message": "No assistant found with id 'asst_missing'.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }
}
TOO_LONG = {
    "error": {
        "message": "Invalid 'name': string too long. Expected a string with maximum length 256,"
        " but got a string with length 257 instead.",
        "type": "invalid_request_error",
        "param": "name",
        "code": "string_above_max_length",
    }
}
CANNED = {"served_by": "the local test server"}

Send = Callable[[str, str, Any], tuple[int, Any]]


def send_requests(method: str, url: str, body: Any) -> tuple[int, Any]:
    requests = pytest.importorskip("requests")
    answer = requests.request(method, url, json=body, headers=HEADERS, timeout=5)
    return answer.status_code, answer.json()


def send_urllib3(method: str, url: str, body: Any) -> tuple[int, Any]:
    urllib3 = pytest.importorskip("urllib3")
    answer = urllib3.request(method, url, json=body, headers=HEADERS, timeout=5)
    return answer.status, answer.json()


def send_urllib(method: str, url: str, body: Any) -> tuple[int, Any]:
    import urllib.error
    import urllib.request

    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=HEADERS, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def send_aiohttp(method: str, url: str, body: Any) -> tuple[int, Any]:
    aiohttp = pytest.importorskip("aiohttp")

    async def go() -> tuple[int, Any]:
        async with (
            aiohttp.ClientSession(headers=HEADERS) as session,
            session.request(method, url, json=body) as answer,
        ):
            return answer.status, await answer.json(content_type=None)

    return asyncio.run(go())


CLIENTS: dict[str, Send] = {
    "aiohttp": send_aiohttp,
    "requests": send_requests,
    "urllib3": send_urllib3,
    "urllib": send_urllib,
}
clients = pytest.mark.parametrize("send", list(CLIENTS.values()), ids=list(CLIENTS))


@pytest.fixture
def local_server() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 answering CANNED to everything (another host)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            payload = json.dumps(CANNED).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/assistants"
    finally:
        server.shutdown()
        server.server_close()


@clients
def test_create_and_modify(assistants_fake: FakeAssistants, send: Send) -> None:
    status, made = send("POST", f"{BASE}/assistants", {"model": "gpt-4o", "name": "before"})
    assert (status, made["object"], made["name"]) == (200, "assistant", "before")
    status, renamed = send("POST", f"{BASE}/assistants/{made['id']}", {"name": "after"})
    assert (status, renamed["name"], renamed["model"]) == (200, "after", "gpt-4o")
    assert assistants_fake.assistants[made["id"]]["name"] == "after"
    assert [c.operation for c in assistants_fake.calls] == [
        "assistants.create",
        "assistants.modify",
    ]
    assert assistants_fake.calls[-1].json == {"name": "after"}
    assert assistants_fake.calls[-1].headers["openai-beta"] == "assistants=v2"


@clients
def test_exact_error_envelopes(assistants_fake: FakeAssistants, send: Send) -> None:
    assert send("POST", f"{BASE}/assistants/asst_missing", {"name": "x"}) == (404, NOT_FOUND)
    _, made = send("POST", f"{BASE}/assistants", {"model": "gpt-4o"})
    assert send("POST", f"{BASE}/assistants/{made['id']}", {"name": "n" * 257}) == (400, TOO_LONG)


@clients
def test_other_hosts_pass_through(
    assistants_fake: FakeAssistants, send: Send, local_server: str
) -> None:
    assert send("GET", local_server, None) == (200, CANNED)
    assert assistants_fake.calls == []


@clients
def test_an_injected_500_reaches_a_client_without_retries(
    assistants_fake: FakeAssistants, send: Send
) -> None:
    assistants_fake.fail(500, operation="list")
    status, body = send("GET", f"{BASE}/assistants", None)
    assert (status, body["error"]["type"]) == (500, "server_error")
    assert [c.status for c in assistants_fake.calls] == [500]


# -- each library's own retry rules ---------------------------------------------------------


def test_requests_retries_with_its_adapters_retry_policy(assistants_fake: FakeAssistants) -> None:
    requests = pytest.importorskip("requests")
    from urllib3.util.retry import Retry

    assistants_fake.fail(503, count=2, operation="list")
    with requests.Session() as session:
        retry = Retry(total=2, status_forcelist=[503], backoff_factor=0)
        session.mount("https://", requests.adapters.HTTPAdapter(max_retries=retry))
        answer = session.get(f"{BASE}/assistants", headers=HEADERS)
    assert answer.status_code == 200
    assert [c.status for c in assistants_fake.calls] == [503, 503, 200]


def test_requests_gives_up_when_its_retries_are_spent(assistants_fake: FakeAssistants) -> None:
    requests = pytest.importorskip("requests")
    from urllib3.util.retry import Retry

    assistants_fake.fail(503, count=3, operation="list")
    with requests.Session() as session:
        retry = Retry(total=2, status_forcelist=[503], backoff_factor=0)
        session.mount("https://", requests.adapters.HTTPAdapter(max_retries=retry))
        with pytest.raises(requests.exceptions.RetryError):
            session.get(f"{BASE}/assistants", headers=HEADERS)
    assert [c.status for c in assistants_fake.calls] == [503, 503, 503]


def test_requests_by_default_does_not_retry_a_dropped_connection(
    assistants_fake: FakeAssistants,
) -> None:
    requests = pytest.importorskip("requests")
    assistants_fake.fail(kind="disconnect", operation="list")
    with pytest.raises(requests.exceptions.ConnectionError, match="Connection aborted"):
        requests.get(f"{BASE}/assistants", headers=HEADERS)
    assistants_fake.fail(kind="timeout", operation="list")
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(f"{BASE}/assistants", headers=HEADERS)
    assert len(assistants_fake.calls) == 2


def test_urllib3_retries_a_dropped_connection_by_default(assistants_fake: FakeAssistants) -> None:
    urllib3 = pytest.importorskip("urllib3")
    assistants_fake.fail(kind="disconnect", count=3, operation="list")  # default: Retry(3)
    answer = urllib3.request("GET", f"{BASE}/assistants", headers=HEADERS)
    assert answer.status == 200
    assert [c.status for c in assistants_fake.calls] == [0, 0, 0, 200]


def test_urllib3_status_retries_follow_its_retry_object(assistants_fake: FakeAssistants) -> None:
    urllib3 = pytest.importorskip("urllib3")
    assistants_fake.fail(500, count=1, operation="create")
    retries = urllib3.Retry(total=1, status_forcelist=[500], allowed_methods=None)
    answer = urllib3.request(
        "POST", f"{BASE}/assistants", json={"model": "gpt-4o"}, headers=HEADERS, retries=retries
    )
    assert answer.status == 200
    assert [c.status for c in assistants_fake.calls] == [500, 200]


def test_urllib_faults_are_url_errors(assistants_fake: FakeAssistants) -> None:
    import urllib.error
    import urllib.request

    assistants_fake.fail(kind="timeout", operation="list")
    request = urllib.request.Request(f"{BASE}/assistants", headers=HEADERS)
    with pytest.raises(urllib.error.URLError) as error:
        urllib.request.urlopen(request)
    assert isinstance(error.value.reason, TimeoutError)


def test_aiohttp_faults_are_aiohttps_own(assistants_fake: FakeAssistants) -> None:
    aiohttp = pytest.importorskip("aiohttp")

    async def get(session: Any) -> int:
        async with session.get(f"{BASE}/assistants") as answer:
            return int(answer.status)

    async def go() -> None:
        async with aiohttp.ClientSession(headers=HEADERS) as session:
            assistants_fake.fail(kind="disconnect", operation="list")
            with pytest.raises(aiohttp.ServerDisconnectedError):
                await get(session)
            assistants_fake.fail(kind="timeout", operation="list")
            with pytest.raises(asyncio.TimeoutError):
                await get(session)
            assert await get(session) == 200

    asyncio.run(go())


def test_aiohttp_raise_for_status_sees_the_fakes_status(assistants_fake: FakeAssistants) -> None:
    aiohttp = pytest.importorskip("aiohttp")

    async def go() -> None:
        async with aiohttp.ClientSession(headers=HEADERS, raise_for_status=True) as session:
            with pytest.raises(aiohttp.ClientResponseError) as error:
                await session.get(f"{BASE}/assistants/asst_missing")
            assert error.value.status == 404

    asyncio.run(go())


# -- openai's aiohttp backend (openai[aiohttp]) ----------------------------------------------


def test_openai_default_aiohttp_client(assistants_fake: FakeAssistants) -> None:
    openai = pytest.importorskip("openai")
    pytest.importorskip("httpx_aiohttp")

    async def go() -> None:
        client = openai.AsyncOpenAI(api_key="sk-test", http_client=openai.DefaultAioHttpClient())
        async with client:
            made = await client.beta.assistants.create(model="gpt-4o", name="before")
            renamed = await client.beta.assistants.update(made.id, name="after")
            assert renamed.name == "after"
            with pytest.raises(openai.NotFoundError) as missing:
                await client.beta.assistants.update("asst_missing", name="x")
            assert missing.value.body == NOT_FOUND["error"]
            with pytest.raises(openai.BadRequestError) as too_long:
                await client.beta.assistants.update(made.id, name="n" * 257)
            assert too_long.value.body == TOO_LONG["error"]
            assistants_fake.fail(500, count=2, operation="retrieve")  # the SDK retries twice
            assert (await client.beta.assistants.retrieve(made.id)).name == "after"

    asyncio.run(go())
    statuses = [(c.operation, c.status) for c in assistants_fake.calls]
    assert statuses[-3:] == [
        ("assistants.retrieve", 500),
        ("assistants.retrieve", 500),
        ("assistants.retrieve", 200),
    ]
    assert statuses[:2] == [("assistants.create", 200), ("assistants.modify", 200)]


# -- patches come off exactly ---------------------------------------------------------------


def patched_attributes() -> dict[str, Any]:
    import socket
    import urllib.request

    found: dict[str, Any] = {
        "getaddrinfo": vars(socket)["getaddrinfo"],
        "connect": vars(socket.socket).get("connect"),  # inherited from _socket: none of its own
        "http_open": vars(urllib.request.HTTPHandler)["http_open"],
        "https_open": vars(urllib.request.HTTPSHandler)["https_open"],
    }
    for module, owner, name in [
        ("aiohttp", "ClientSession", "_request"),
        ("urllib3.connectionpool", "HTTPConnectionPool", "urlopen"),
        ("requests.adapters", "HTTPAdapter", "send"),
        ("httpcore", "ConnectionPool", "handle_request"),
        ("httpx", "HTTPTransport", "handle_request"),
    ]:
        lib = pytest.importorskip(module)
        found[f"{owner}.{name}"] = vars(getattr(lib, owner))[name]
    return found


def test_patches_come_off_exactly() -> None:
    before = patched_attributes()
    with FakeAssistants():
        during = patched_attributes()
    assert patched_attributes() == before
    changed = sorted(name for name in before if during[name] is not before[name])
    assert changed == sorted(set(before) - {"HTTPAdapter.send"})  # responses' point, not ours


@pytest.mark.parametrize("wrapped_first", [True, False], ids=["wrapper-first", "fake-first"])
def test_a_wrapper_on_httpx_transport_sees_every_request_in_either_order(
    wrapped_first: bool,
) -> None:
    """A cassette wraps httpx's transport method (as vcrpy does, keeping the original it
    found): the fake must answer beneath the wrapper, never over it, or recording the fake
    would record nothing. Over a wrapper the fake answers from httpcore's pool instead."""
    import functools

    httpx = pytest.importorskip("httpx")
    transport = httpx.HTTPTransport
    seen: list[str] = []

    def wrap() -> Any:
        original = transport.handle_request

        @functools.wraps(original)
        def recording(self: Any, request: Any) -> Any:
            seen.append(str(request.url))
            return original(self, request)

        return recording

    own = vars(transport)["handle_request"]
    fake = FakeAssistants()
    try:
        if wrapped_first:
            transport.handle_request = wrap()  # type: ignore[method-assign]
            fake.start()
        else:
            fake.start()
            transport.handle_request = wrap()  # type: ignore[method-assign]
        with httpx.Client() as client:
            answer = client.get(f"{BASE}/assistants/asst_missing", headers=HEADERS)
    finally:
        transport.handle_request = own  # type: ignore[method-assign]
        fake.stop()
    assert answer.status_code == 404
    assert answer.json() == NOT_FOUND
    assert seen == [f"{BASE}/assistants/asst_missing"]
    assert [call.operation for call in fake.calls] == ["assistants.retrieve"]


def test_responses_mocks_win_while_active_in_either_order(local_server: str) -> None:
    requests = pytest.importorskip("requests")
    responses = pytest.importorskip("responses")
    before = patched_attributes()
    url = f"{BASE}/assistants"
    with FakeAssistants() as fake:
        with responses.RequestsMock() as mocked:
            mocked.get(url, json={"from": "responses"})
            assert requests.get(url, headers=HEADERS).json() == {"from": "responses"}
        assert requests.get(url, headers=HEADERS).json()["object"] == "list"
    mocked = responses.RequestsMock()
    mocked.start()
    mocked.get(url, json={"from": "responses"})
    fake = FakeAssistants().start()
    fake.stop()  # stopped while responses is still active: its mock stays
    assert requests.get(url).json() == {"from": "responses"}
    mocked.stop()
    mocked.reset()
    assert patched_attributes() == before
    assert requests.get(local_server).json() == CANNED
    assert len(fake.calls) == 0


def test_aioresponses_patched_after_the_fake_wins_and_leaves_it_inert(local_server: str) -> None:
    """aioresponses 0.7.9 cannot build a response under aiohttp 3.14 (no ``stream_writer``),
    so its own answers are its refusal of unregistered URLs and its pass-through."""
    aiohttp = pytest.importorskip("aiohttp")
    aioresponses = pytest.importorskip("aioresponses")
    url = f"{BASE}/assistants"

    async def get(target: str) -> Any:
        async with aiohttp.ClientSession(headers=HEADERS) as session, session.get(target) as answer:
            return await answer.json(content_type=None)

    async def go() -> FakeAssistants:
        fake = FakeAssistants().start()
        mocked = aioresponses.aioresponses(passthrough=["http://127.0.0.1"])
        mocked.start()
        with pytest.raises(aiohttp.ClientConnectionError, match="Connection refused"):
            await get(url)  # aioresponses sits above the fake and refuses what it lacks
        fake.stop()  # aioresponses patched over the fake: its patch stays while it is active
        assert await get(local_server) == CANNED  # aioresponses -> ours (inert) -> aiohttp
        mocked.stop()
        assert await get(local_server) == CANNED
        return fake

    fake = asyncio.run(go())
    assert fake.calls == []
    with FakeAssistants() as again:  # a later fake still serves through the same point
        assert asyncio.run(get(url))["object"] == "list"
    assert [c.operation for c in again.calls] == ["assistants.list"]


def test_unittest_mock_patched_after_the_fake(local_server: str) -> None:
    from unittest import mock

    urllib3 = pytest.importorskip("urllib3")
    pool = urllib3.connectionpool.HTTPConnectionPool
    original = vars(pool)["urlopen"]
    fake = FakeAssistants().start()
    with mock.patch.object(pool, "urlopen", autospec=True) as mocked:
        mocked.return_value = "from mock"
        fake.stop()
        pool_for = urllib3.PoolManager().connection_from_url(BASE)
        assert pool_for.urlopen("GET", "/v1/assistants") == "from mock"
    assert urllib3.request("GET", local_server).json() == CANNED
    assert fake.calls == []
    with FakeAssistants():
        pass
    assert vars(pool)["urlopen"] is not original  # ours, left inert beneath mock's exit
    assert urllib3.request("GET", local_server).json() == CANNED


def test_loading_the_plugin_imports_no_client_library() -> None:
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent(
        """
        import sys
        import pytest_assistants.plugin
        libraries = {"aiohttp", "requests", "urllib3", "httpx_aiohttp", "responses"}
        print(sorted(libraries & set(sys.modules)))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_openai_default_aiohttp_client_retries_timeouts_then_raises(
    assistants_fake: FakeAssistants,
) -> None:
    openai = pytest.importorskip("openai")
    pytest.importorskip("httpx_aiohttp")

    async def go() -> None:
        client = openai.AsyncOpenAI(
            api_key="sk-test", http_client=openai.DefaultAioHttpClient(), max_retries=1
        )
        async with client:
            assistants_fake.fail(kind="timeout", count=2, operation="list")
            with pytest.raises(openai.APITimeoutError):
                await client.beta.assistants.list()
            assistants_fake.fail(kind="disconnect", count=2, operation="list")
            with pytest.raises(openai.APIConnectionError):
                await client.beta.assistants.list()

    asyncio.run(go())
    assert [c.status for c in assistants_fake.calls] == [0, 0, 0, 0]  # 2 attempts each
