"""``assistants_server``: the same routes over a real socket, driven by the openai SDK
installed in this environment (2.x on httpx, or 3.x on httpx2)."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any
from urllib.parse import urlsplit

import openai
import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.reach.clients import TEST_API_KEY
from pytest_assistants.reach.transports import load_library, openai_library
from pytest_assistants.server.app import AssistantsApp, split_dialect
from pytest_assistants.server.runner import bind, create_app
from tests.expected import envelope, invalid_url, not_found

HEADERS = {"authorization": f"Bearer {TEST_API_KEY}", "openai-beta": "assistants=v2"}


@pytest.fixture
def client(assistants_server: Any) -> Any:
    return assistants_server.openai(max_retries=0)


@pytest.fixture
def http(assistants_server: Any) -> Any:
    """A raw client of the library the SDK uses (httpx or httpx2), on the server's root URL."""
    lib = load_library(openai_library())
    with lib.Client(base_url=assistants_server.root_url, headers=HEADERS) as raw:
        yield raw


def test_url_is_loopback_with_an_ephemeral_port(assistants_server: Any) -> None:
    parts = urlsplit(assistants_server.url)
    assert (parts.scheme, parts.hostname, parts.path) == ("http", "127.0.0.1", "/v1")
    assert parts.port not in (None, 80, 8000)
    assert assistants_server.url_for("portkey") == f"{assistants_server.root_url}/portkey/v1"


def test_crud_through_the_sdk_lands_in_the_fake(client: Any, assistants_server: Any) -> None:
    fake = assistants_server.fake
    created = client.beta.assistants.create(model="gpt-4o", name="served", metadata={"k": "v"})
    assert list(fake.assistants) == [created.id]
    updated = client.beta.assistants.update(created.id, instructions="Be brief.", top_p=0.5)
    assert updated.name == "served"
    assert updated.top_p == 0.5
    assert fake.assistants[created.id]["instructions"] == "Be brief."
    assert client.beta.assistants.retrieve(created.id).model_dump() == updated.model_dump()
    assert [a.id for a in client.beta.assistants.list()] == [created.id]
    assert client.beta.assistants.delete(created.id).deleted is True
    assert not fake.assistants
    # The journal shows the URL as the client sent it: plain HTTP to the loopback server.
    assert fake.calls[1].url == f"{assistants_server.url}/assistants/{created.id}"
    operations = [(c.method, c.operation, c.status, c.dialect) for c in fake.calls]
    assert operations == [
        ("POST", "assistants.create", 200, "openai"),
        ("POST", "assistants.modify", 200, "openai"),
        ("GET", "assistants.retrieve", 200, "openai"),
        ("GET", "assistants.list", 200, "openai"),
        ("DELETE", "assistants.delete", 200, "openai"),
    ]
    assert fake.calls[1].json == {"instructions": "Be brief.", "top_p": 0.5}


def test_errors_arrive_as_the_sdk_exceptions(client: Any, assistants_server: Any) -> None:
    with pytest.raises(openai.NotFoundError) as info:
        client.beta.assistants.update("asst_missing", name="x")
    assert info.value.body == not_found("asst_missing")["error"]
    with pytest.raises(openai.BadRequestError) as bad:
        client.beta.assistants.create(model="gpt-4o", temperature=3)
    assert (
        bad.value.body
        == envelope(  # §2 temperature row
            "Invalid 'temperature': decimal above maximum value."
            " Expected a value <= 2, but got 3 instead.",
            param="temperature",
            code="decimal_above_max_value",
        )["error"]
    )
    assert not assistants_server.fake.assistants


def test_preloaded_assistants_are_served(client: Any, assistants_server: Any) -> None:
    added = assistants_server.fake.add({"id": "asst_preloaded", "model": "gpt-4o", "name": "p"})
    served = client.beta.assistants.with_raw_response.retrieve("asst_preloaded")
    assert json.loads(served.http_response.content) == added


def _exchange(raw: Any, prefix: str = "") -> list[tuple[int, dict[str, str], bytes]]:
    """A fixed conversation: create, modify, bad modify, retrieve, list, delete, 404."""
    answers = []
    created = raw.post(f"{prefix}/v1/assistants", json={"model": "gpt-4o", "name": "twin"})
    answers.append(created)
    item = f"{prefix}/v1/assistants/{created.json()['id']}"
    answers.append(raw.post(item, json={"tools": [{"type": "file_search"}]}))
    answers.append(raw.post(item, content=b'{"name": '))
    answers.append(raw.get(item))
    answers.append(raw.get(f"{prefix}/v1/assistants", params={"limit": 1, "order": "asc"}))
    answers.append(raw.delete(item))
    answers.append(raw.get(item))
    drop = {"date", "content-length", "connection"}
    return [
        (r.status_code, {k: v for k, v in r.headers.items() if k not in drop}, r.content)
        for r in answers
    ]


def test_consistency_server_answers_byte_for_byte_as_the_in_process_fake(
    http: Any, assistants_server: Any
) -> None:
    """Consistency test: the server adds nothing to the router's answers (expected values
    come from the in-process fake, not from the evidence)."""
    served = assistants_server.fake
    twin = FakeAssistants(served.profile, seed=served.seed, clock_start=served.clock.now())
    with twin.http_client(headers=HEADERS, base_url="https://api.openai.com") as in_process:
        expected = _exchange(in_process)
    assert _exchange(http) == expected
    assert [c.status for c in served.calls] == [200, 200, 400, 200, 200, 200, 404]


@pytest.mark.parametrize("dialect", ["openai", "portkey", "zerobot"])
def test_path_prefix_selects_the_dialect(http: Any, assistants_server: Any, dialect: str) -> None:
    http.get(f"/{dialect}/v1/assistants")
    http.get("/v1/assistants")
    call, unprefixed = assistants_server.fake.calls
    assert call.dialect == dialect
    assert urlsplit(call.url).path == "/v1/assistants"  # routed without the prefix
    assert unprefixed.dialect == assistants_server.fake.profile.dialect


def test_provider_host_header_selects_its_dialect_on_unprefixed_paths(
    http: Any, assistants_server: Any
) -> None:
    http.get("/v1/assistants", headers={"host": "api.zerobot.ai"})
    http.get("/portkey/v1/assistants", headers={"host": "api.zerobot.ai"})  # prefix wins
    assert [c.dialect for c in assistants_server.fake.calls] == ["zerobot", "portkey"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/portkey/v1/assistants/a", ("portkey", "/v1/assistants/a")),
        ("/zerobot/v1", ("zerobot", "/v1")),
        ("/v1/assistants", (None, "/v1/assistants")),
        ("/portkeyx/v1", (None, "/portkeyx/v1")),
        ("/", (None, "/")),
    ],
)
def test_split_dialect(path: str, expected: tuple[str | None, str]) -> None:
    assert split_dialect(path) == expected


def test_unknown_paths_get_the_routers_404(http: Any) -> None:
    answer = http.get("/nope/v1/assistants")
    assert answer.status_code == 404
    assert answer.json() == invalid_url("GET /nope/v1/assistants")


def test_the_openapi_document_is_served(http: Any) -> None:
    answer = http.get("/openapi.json")
    assert answer.status_code == 200
    document = answer.json()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "https://api.openai.com/v1"}]
    assert set(document["paths"]["/assistants/{assistant_id}"]) >= {"get", "post", "delete"}


def test_oversized_body_is_the_routers_413(http: Any, assistants_server: Any) -> None:
    limit = 8 * 1024 * 1024  # the max_body_bytes default (docs: the behaviour reference, Choices)
    answer = http.post("/v1/assistants", content=b" " * (limit + 4096))
    assert answer.status_code == 413
    assert answer.json() == envelope(
        "Request body too large: the fake accepts at most 8388608 bytes"
        " (raise it with the max_body_bytes option).",
        code="request_too_large",
    )
    assert not assistants_server.fake.assistants


def test_injected_status_fault_is_served(client: Any, assistants_server: Any) -> None:
    assistants_server.fake.fail(503, operation="list")
    with pytest.raises(openai.InternalServerError):
        client.beta.assistants.list()
    assert [c.status for c in assistants_server.fake.calls] == [503]


def test_injected_disconnect_breaks_the_real_connection(
    client: Any, assistants_server: Any
) -> None:
    assistants_server.fake.fail(kind="disconnect", operation="create")
    with pytest.raises(openai.APIConnectionError):
        client.beta.assistants.create(model="gpt-4o")
    assert client.beta.assistants.create(model="gpt-4o").model == "gpt-4o"  # next one is fine


def test_injected_timeout_never_answers(assistants_server: Any) -> None:
    client = assistants_server.openai(max_retries=0, timeout=0.3)
    assistants_server.fake.fail(kind="timeout", operation="retrieve")
    with pytest.raises(openai.APITimeoutError):
        client.beta.assistants.retrieve("asst_any")


@pytest.mark.assistants(profile="openai-v2@2025-08", seed=7, metadata_merge=True)
def test_marker_settings_reach_the_server(client: Any, assistants_server: Any) -> None:
    assert assistants_server.fake.seed == 7
    created = client.beta.assistants.create(model="gpt-4o", metadata={"a": "1"})
    assert FakeAssistants(seed=7).spend_id() == created.id
    merged = client.beta.assistants.update(created.id, metadata={"b": "2"})
    assert merged.metadata == {"a": "1", "b": "2"}


@pytest.mark.anyio
async def test_async_client(assistants_server: Any) -> None:
    async with assistants_server.async_openai(max_retries=0) as client:
        created = await client.beta.assistants.create(model="gpt-4o")
        assert (await client.beta.assistants.retrieve(created.id)).id == created.id


PER_TEST = """
    import pytest

    PORTS = set()

    @pytest.mark.parametrize("name", ["a", "b", "c"])
    def test_fresh_state(assistants_server, name):
        client = assistants_server.openai(max_retries=0)
        assert client.beta.assistants.list().data == []
        client.beta.assistants.create(model="gpt-4o", name=name)
        assistants_server.fake.fail(500, operation="delete", count=1)
        assert len(assistants_server.fake.calls) == 2
        PORTS.add(assistants_server.url)
        assistants_server.fake.reset()  # the pending fault must not fail the test

    def test_one_server_per_process():
        assert len(PORTS) == 1
"""


def test_reset_per_test_and_one_server_per_session(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(PER_TEST)
    pytester.runpytest().assert_outcomes(passed=4)


def test_bad_marker_option_names_the_fix(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.assistants(profile="no-such-profile")
        def test_it(assistants_server):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*@pytest.mark.assistants(profile='no-such-profile') is not a profile: use one of *"]
    )


def test_listening_socket_is_tcp_so_answers_are_not_delayed_by_nagle() -> None:
    # asyncio sets TCP_NODELAY on accepted sockets only when proto is TCP; without it
    # every answer waited ~40 ms for the client's delayed ACK.
    with bind("127.0.0.1", 0) as sock:
        assert sock.proto == socket.IPPROTO_TCP


@pytest.mark.parametrize(("option", "path", "expected"), [
    ("zerobot", "/v1/assistants", "zerobot"),
    ("zerobot", "/portkey/v1/assistants", "portkey"),
    (None, "/openai/v1/assistants", "openai"),
])  # fmt: skip
def test_dialect_option_rules_unprefixed_paths_only(
    option: str | None, path: str, expected: str
) -> None:
    fake = FakeAssistants()
    app = AssistantsApp(fake, dialect=option)
    status = asyncio.run(_call(app, "GET", path))
    assert status < 500
    assert [call.dialect for call in fake.calls] == [expected]


async def _call(app: AssistantsApp, method: str, path: str, body: bytes = b"") -> int:
    """One request straight into the ASGI callable (no server): returns the status."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(_scope(method, path), receive, send)
    return int(sent[0]["status"])


def _scope(method: str, path: str) -> dict[str, Any]:
    headers = [(k.encode(), v.encode()) for k, v in HEADERS.items()]
    return {"type": "http", "method": method, "path": path, "query_string": b"",
            "headers": [*headers, (b"host", b"127.0.0.1:1")]}  # fmt: skip


def test_a_client_gone_before_its_body_ends_is_not_served() -> None:
    fake = FakeAssistants()
    messages = [
        {"type": "http.request", "body": b'{"model": "gp', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    async def send(message: Any) -> None:
        sent.append(message)

    asyncio.run(AssistantsApp(fake)(_scope("POST", "/v1/assistants"), receive, send))
    assert sent == []
    assert fake.calls == []


def test_create_app_factory_keeps_state_in_its_file(tmp_path: Any) -> None:
    state = str(tmp_path / "store.sqlite")
    first = create_app(seed=4, state=state)
    assert asyncio.run(_call(first, "POST", "/v1/assistants", b'{"model": "gpt-4o"}')) == 200
    second = create_app(seed=4, state=state)  # a new process would see the same
    assert list(second.fake.assistants) == list(first.fake.assistants)
    assert len(second.fake.assistants) == 1
