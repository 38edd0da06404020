"""Global interception: clients the code under test builds itself; other hosts untouched."""

from __future__ import annotations

import asyncio
import http.server
import threading
from typing import TYPE_CHECKING, Any

import pytest

import pytest_assistants
from tests.helpers import openai_sdk

openai = openai_sdk()

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def local_server() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 that the fake must not intercept."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b'{"served_by": "local"}'
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def code_under_test_creates_assistant() -> str:
    """Downstream code: builds its own client, knows nothing of the fake."""
    client = openai.OpenAI(api_key="sk-prod-key", max_retries=0)
    return str(client.beta.assistants.create(model="gpt-4o", name="own client").id)


def test_client_built_by_code_under_test_is_served(assistants_fake: Any) -> None:
    assistant_id = code_under_test_creates_assistant()
    assert assistants_fake.assistants[assistant_id]["name"] == "own client"
    assert assistants_fake.calls[-1].url == "https://api.openai.com/v1/assistants"


def test_async_client_built_by_code_under_test_is_served(assistants_fake: Any) -> None:
    async def run() -> str:
        client = openai.AsyncOpenAI(api_key="sk-prod-key", max_retries=0)
        made = await client.beta.assistants.create(model="gpt-4o")
        updated = await client.beta.assistants.update(made.id, name="async")
        return str(updated.name)

    assert asyncio.run(run()) == "async"


@pytest.mark.parametrize("library", ["httpx", "httpx2"])
def test_other_hosts_pass_through(assistants_fake: Any, local_server: str, library: str) -> None:
    lib = pytest.importorskip(library)
    with lib.Client() as http:
        assert http.get(local_server).json() == {"served_by": "local"}
    assert assistants_fake.calls == []


@pytest.mark.parametrize("library", ["httpx", "httpx2"])
def test_raw_clients_of_both_libraries_are_intercepted(assistants_fake: Any, library: str) -> None:
    lib = pytest.importorskip(library)
    with lib.Client() as http:
        response = http.get(
            "https://api.openai.com/v1/assistants",
            headers={"Authorization": "Bearer k", "OpenAI-Beta": "assistants=v2"},
        )
    assert response.status_code == 200
    assert response.json()["object"] == "list"


@pytest.mark.assistants(hosts={"openai.internal.example": "openai"})
def test_hosts_added_in_config_are_served(assistants_fake: Any) -> None:
    client = openai.OpenAI(
        api_key="k", base_url="https://openai.internal.example/v1", max_retries=0
    )
    assert client.beta.assistants.list().data == []


def test_usable_without_pytest_as_context_manager() -> None:
    with pytest_assistants.FakeAssistants(seed=7) as fake:
        assistant_id = code_under_test_creates_assistant()
    assert list(fake.assistants) == [assistant_id]
    with pytest.raises(openai.APIConnectionError):  # no fake active: the real network is refused
        openai.OpenAI(
            api_key="k", base_url="http://127.0.0.1:9/v1", max_retries=0
        ).beta.assistants.list()


def test_usable_as_decorator() -> None:
    fake = pytest_assistants.FakeAssistants()

    @fake
    def job() -> str:
        return code_under_test_creates_assistant()

    first = job()
    assert list(fake.assistants) == [first]
    job()
    assert len(fake.assistants) == 1, "each decorated call starts from a fresh state"


def test_same_seed_gives_same_ids() -> None:
    ids = []
    for _ in range(2):
        with pytest_assistants.FakeAssistants(seed=42):
            ids.append(code_under_test_creates_assistant())
    assert ids[0] == ids[1]


def test_injectable_transport_for_either_library(assistants_fake: Any) -> None:
    for library in ("httpx", "httpx2"):
        lib = pytest.importorskip(library)
        with lib.Client(
            transport=assistants_fake.transport(library), base_url="https://api.zerobot.ai"
        ) as c:
            answer = c.get(
                "/v1/assistants",
                headers={"Authorization": "Bearer k", "OpenAI-Beta": "assistants=v2"},
            )
            assert answer.status_code in (200, 404)


def test_preloaded_assistant_keeps_its_id_and_fields(assistants_fake: Any, client: Any) -> None:
    assistants_fake.add(
        {"id": "asst_" + "A" * 24, "model": "gpt-4", "name": "preloaded", "created_at": 1}
    )
    got = client.beta.assistants.retrieve("asst_" + "A" * 24)
    assert (got.name, got.model, got.created_at) == ("preloaded", "gpt-4", 1)
    with pytest.raises(TypeError):
        assistants_fake.assistants["x"] = {}  # type: ignore[index]


def test_add_accepts_an_sdk_assistant_and_rejects_garbage(
    assistants_fake: Any, client: Any
) -> None:
    from pytest_assistants.service.resources.assistants.model import InvalidAssistantError

    made = client.beta.assistants.create(model="gpt-4o", name="from sdk", temperature=0.5)
    other = pytest_assistants.FakeAssistants()
    copied = other.add(made)
    assert copied == assistants_fake.assistants[made.id]
    before = other.snapshot()
    with pytest.raises(InvalidAssistantError, match="tools"):
        other.add({"id": "asst_x", "tools": "code_interpreter"})
    assert other.snapshot() == before


def test_add_names_every_bad_field_by_its_path() -> None:
    """The TypeError lists each problem as ``dotted.path: reason``, ``object`` for the
    whole value, so one message shows all that is wrong."""
    from pytest_assistants.service.resources.assistants.model import InvalidAssistantError

    fake = pytest_assistants.FakeAssistants()
    with pytest.raises(InvalidAssistantError, match=r"\): tools: [^;]+; metadata\.k: [^;]+$"):
        fake.add({"tools": "code_interpreter", "metadata": {"k": 1}})
    with pytest.raises(InvalidAssistantError, match=r"Assistant\): object: "):
        fake.add(["not", "an", "assistant"])


def test_add_stores_json_values() -> None:
    """A tuple given in a free-form field is stored as the list the wire would carry."""
    fake = pytest_assistants.FakeAssistants()
    resources = {"code_interpreter": {"file_ids": ("file-1",)}}
    made = fake.add({"id": "asst_" + "T" * 24, "model": "gpt-4o", "tool_resources": resources})
    assert made["tool_resources"] == {"code_interpreter": {"file_ids": ["file-1"]}}
    stored = fake.assistants["asst_" + "T" * 24]
    assert stored["tool_resources"] == {"code_interpreter": {"file_ids": ["file-1"]}}
