"""Files and vector stores in every dialect that served them, and not in those that did
not: OpenAI's eras, Azure's ``/openai`` routes by api-version, Portkey passing through,
Zerobot (its API reference documents the assistant only: not served)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.reach.fake import NotServedError
from tests.expected import FILE_KEYS_2024, STORE_KEYS_2024, invalid_url

AZURE_HOST = "https://pytest-assistants.openai.azure.com"
AZURE_KEY = {"api-key": "azure-test"}
RESOURCE_NOT_FOUND = {"error": {"code": "404", "message": "Resource not found"}}


def test_the_azure_sdk_uploads_and_polls_a_store() -> None:
    """[AZ-REC 2025-03]: Azure's file ids "assistant-" + 22 base58, its stores "vs_" + 24."""
    fake = FakeAssistants()
    client = fake.azure_openai()
    made = client.files.create(file=("a.txt", b"hi"), purpose="assistants")
    assert re.fullmatch(r"assistant-[1-9A-HJ-NP-Za-km-z]{22}", made.id)
    store = client.vector_stores.create(file_ids=[made.id])
    assert re.fullmatch(r"vs_[A-Za-z0-9]{24}", store.id)
    assert client.vector_stores.retrieve(store.id).status == "completed"
    assert {c.dialect for c in fake.calls} == {"azure"}
    assert all("/openai/" in c.url and "api-version=" in c.url for c in fake.calls)


def test_azure_raw_routes_answer_the_2024_shapes_and_azure_headers() -> None:
    fake = FakeAssistants()
    with fake.http_client(AZURE_HOST.removeprefix("https://"), headers=AZURE_KEY) as http:
        query = {"api-version": "2024-05-01-preview"}
        made = http.post(
            "/files", params=query, data={"purpose": "assistants"}, files={"file": ("a", b"x")}
        )
        assert list(made.json()) == FILE_KEYS_2024
        store = http.post("/vector_stores", params=query, json={})
        assert list(store.json()) == STORE_KEYS_2024
        assert "apim-request-id" in store.headers
        assert "openai-poll-after-ms" not in store.headers  # a poll helper's only
        content = http.get(f"/files/{made.json()['id']}/content", params=query)
        assert content.status_code == 400  # purpose assistants, as on OpenAI (INFERRED)
        batch = http.post(
            "/files",
            params=query,
            data={"purpose": "batch"},
            files={"file": ("rows.jsonl", b"{}\n")},
        )
        download = http.get(f"/files/{batch.json()['id']}/content", params=query)
        assert (download.content, download.headers["content-type"]) == (
            b"{}\n",
            "application/octet-stream",
        )


@pytest.mark.parametrize("version", ["2024-02-15-preview", "2024-04-01-preview"])
def test_azure_v1_api_versions_have_files_but_no_vector_stores(version: str) -> None:
    fake = FakeAssistants()
    with fake.http_client(AZURE_HOST.removeprefix("https://"), headers=AZURE_KEY) as http:
        query = {"api-version": version}
        assert http.get("/files", params=query).status_code == 200
        answer = http.post("/vector_stores", params=query, json={})
    assert (answer.status_code, answer.json()) == (404, RESOURCE_NOT_FOUND)


def test_portkey_passes_files_and_stores_through() -> None:
    fake = FakeAssistants()
    client = fake.portkey()
    made = client.files.create(file=("b.txt", b"hey"), purpose="assistants")
    store = client.vector_stores.create(file_ids=[made.id])
    assert store.file_counts.in_progress == 1
    assert [c.dialect for c in fake.calls] == ["portkey", "portkey"]
    assert all(c.response_headers["x-portkey-provider"] == "openai" for c in fake.calls)
    assert fake.openai(max_retries=0).vector_stores.retrieve(store.id).status == "completed"


def test_portkeys_strict_schema_checks_the_assistant_only() -> None:
    client = FakeAssistants(strict_schema=True).portkey()
    assert client.vector_stores.create(name="kb").name == "kb"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/files"),
        ("GET", "/v1/files"),
        ("GET", "/v1/files/file-1/content"),
        ("POST", "/v1/vector_stores"),
        ("GET", "/v1/vector_stores/vs_1/file_batches/vsfb_1"),
        ("GET", "/v1/assistants/asst_1/files"),
    ],
)
def test_zerobot_serves_the_assistant_only(method: str, path: str) -> None:
    """§7: Zerobot's reference documents the assistant's five operations: the rest gets the
    clear not-served answer, never an imitation."""
    fake = FakeAssistants("zerobot")
    with fake.http_client("api.zerobot.ai", headers={"Authorization": "Bearer zb"}) as http:
        answer = http.request(method, path.removeprefix("/v1"))
    assert answer.status_code == 501
    assert answer.json()["error"]["code"] == "not_served_by_pytest_assistants"
    with pytest.raises(NotServedError, match=r"fake\.route\("):
        fake.check()


def test_v1_profiles_have_files_but_no_vector_stores() -> None:
    """Vector stores came with v2 (2024-04-17, §8): before it, an unknown route."""
    fake = FakeAssistants("openai-v1@2024-04")
    client = fake.openai(max_retries=0)
    assert client.files.create(file=("a.txt", b"x"), purpose="assistants").bytes == 1
    with fake.http_client(headers={"Authorization": "Bearer sk"}) as http:
        answer = http.post("/vector_stores", json={})
    assert (answer.status_code, answer.json()) == (404, invalid_url("POST /v1/vector_stores"))


def test_vector_stores_ignore_the_beta_header(assistants_fake: Any) -> None:
    """§14.5: the 2025 .NET SDK sent none; a v1 one after v1's shutdown changes nothing."""
    with assistants_fake.http_client(headers={"Authorization": "Bearer sk"}) as http:
        for beta in ({}, {"OpenAI-Beta": "assistants=v1"}, {"OpenAI-Beta": "assistants=v2"}):
            assert http.post("/vector_stores", json={}, headers=beta).status_code == 200
