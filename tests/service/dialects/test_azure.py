"""Azure OpenAI (§13) through the real ``openai.AzureOpenAI`` client (2.x on httpx, 3.x on
httpx2): ``/openai/assistants?api-version=...``, ``api-key`` auth, Azure's envelopes and
headers. Expected texts are the recorded / quoted ones of §13 and interactions_azure.jsonl.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.payloads.factories import PayloadFactory

openai = pytest.importorskip("openai")

ACCESS_DENIED = {
    "error": {
        "code": "401",
        "message": "Access denied due to invalid subscription key or wrong API endpoint. Make"
        " sure to provide a valid key for an active subscription and use a correct regional"
        " API endpoint for your resource.",
    }
}
RESOURCE_NOT_FOUND = {"error": {"code": "404", "message": "Resource not found"}}
# Key orders of the recorded Azure answers (2024-02-15-preview; 2024-05..2025-03-01-preview).
V1_KEYS = [
    "id", "object", "created_at", "name", "description", "model", "instructions", "tools",
    "file_ids", "metadata",
]  # fmt: skip
V2_KEYS = [
    "id", "object", "created_at", "name", "description", "model", "instructions", "tools",
    "top_p", "temperature", "tool_resources", "metadata", "response_format",
]  # fmt: skip
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture
def azure(assistants_fake: Any) -> Any:
    return assistants_fake.azure_openai(max_retries=0)


def served(response: Any) -> Any:
    return json.loads(response.http_response.content)


def test_create_modify_retrieve_list_delete(assistants_fake: Any, azure: Any) -> None:
    made = azure.beta.assistants.with_raw_response.create(
        model="gpt-4-turbo", tool_resources={}, metadata={"testkey": "hello!"}
    )
    body = served(made)
    assert list(body) == V2_KEYS
    assert body["metadata"] == {"testkey": "hello!"}
    assert (body["top_p"], body["response_format"]) == (1.0, "auto")
    assistant_id = body["id"]

    renamed = served(
        azure.beta.assistants.with_raw_response.update(assistant_id, name="test assistant name")
    )
    assert renamed["name"] == "test assistant name"
    assert renamed["metadata"] == {"testkey": "hello!"}

    fetched = azure.beta.assistants.retrieve(assistant_id)
    assert (fetched.name, fetched.model) == ("test assistant name", "gpt-4-turbo")
    assert [a.id for a in azure.beta.assistants.list()] == [assistant_id]

    gone = azure.beta.assistants.delete(assistant_id)
    assert (gone.id, gone.deleted, gone.object) == (assistant_id, True, "assistant.deleted")
    call = assistants_fake.calls[-1]
    assert (call.dialect, call.operation, call.status) == ("azure", "assistants.delete", 200)
    assert call.url == (
        "https://pytest-assistants.openai.azure.com/openai/assistants/"
        f"{assistant_id}?api-version=2025-03-01-preview"
    )
    assert call.headers["api-key"] == "sk-test-assistants-fake"


@pytest.mark.anyio
async def test_async_client(assistants_fake: Any) -> None:
    azure = assistants_fake.async_azure_openai(max_retries=0)
    made = await azure.beta.assistants.create(model="gpt-4o-mini")
    updated = await azure.beta.assistants.update(made.id, metadata={"testkey": "goodbye!"})
    assert updated.metadata == {"testkey": "goodbye!"}
    await azure.beta.assistants.delete(made.id)
    assert list(assistants_fake.assistants) == []


def test_deleting_twice_is_openais_404(azure: Any) -> None:
    made = azure.beta.assistants.create(model="gpt-4-turbo")
    azure.beta.assistants.delete(made.id)
    with pytest.raises(openai.NotFoundError) as error:
        azure.beta.assistants.delete(made.id)
    assert json.loads(error.value.response.content) == {
        "error": {
            "message": f"No assistant found with id '{made.id}'.",
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }
    }
    # the recorded 404s carry only these of Azure's headers
    names = set(error.value.response.headers) - {"content-length"}
    assert names == {
        "apim-request-id", "content-type", "strict-transport-security",
        "x-content-type-options", "x-ms-region",
    }  # fmt: skip


def test_validation_is_openais_400(azure: Any) -> None:
    with pytest.raises(openai.BadRequestError) as error:
        azure.beta.assistants.create(model="gpt-4o-mini", temperature=5)
    assert error.value.body == {
        "message": "Invalid 'temperature': decimal above maximum value. Expected a value <= 2,"
        " but got 5 instead.",
        "type": "invalid_request_error",
        "param": "temperature",
        "code": "decimal_above_max_value",
    }


@pytest.mark.assistants(api_keys=["right-key"])
def test_wrong_key_is_azures_401(assistants_fake: Any) -> None:
    wrong = assistants_fake.azure_openai(api_key="wrong-key", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as error:
        wrong.beta.assistants.list()
    assert json.loads(error.value.response.content) == ACCESS_DENIED
    right = assistants_fake.azure_openai(api_key="right-key", max_retries=0)
    assert right.beta.assistants.list().data == []
    entra = assistants_fake.azure_openai(api_key=None, azure_ad_token="right-key", max_retries=0)
    assert entra.beta.assistants.list().data == []  # Authorization: Bearer (Entra ID)


def test_missing_key_is_azures_401(assistants_fake: Any) -> None:
    http = assistants_fake.http_client("contoso.openai.azure.com")
    answer = http.get("/assistants", params={"api-version": "2024-05-01-preview"})
    assert (answer.status_code, answer.json()) == (401, ACCESS_DENIED)


@pytest.mark.parametrize("version", ["2023-05-15", "2024-10-21", "2025-99-01-preview", "v2"])
def test_unknown_api_version_is_resource_not_found(assistants_fake: Any, version: str) -> None:
    azure = assistants_fake.azure_openai(api_version=version, max_retries=0)
    with pytest.raises(openai.NotFoundError) as error:
        azure.beta.assistants.create(model="gpt-4o-mini")
    assert json.loads(error.value.response.content) == RESOURCE_NOT_FOUND
    assert len(assistants_fake.assistants) == 0


def test_missing_api_version_and_other_paths_are_resource_not_found(assistants_fake: Any) -> None:
    http = assistants_fake.http_client("contoso.openai.azure.com", headers={"api-key": "k"})
    for answer in (
        http.get("/assistants"),
        http.get(
            "https://contoso.openai.azure.com/v1/assistants",
            params={"api-version": "2024-05-01-preview"},
        ),
        http.patch("/assistants/asst_x", params={"api-version": "2024-05-01-preview"}),
    ):
        assert (answer.status_code, answer.json()) == (404, RESOURCE_NOT_FOUND)


def test_api_version_picks_v1_or_v2_per_request(assistants_fake: Any) -> None:
    v1 = assistants_fake.azure_openai(api_version="2024-02-15-preview", max_retries=0)
    v2 = assistants_fake.azure_openai(api_version="2024-05-01-preview", max_retries=0)
    made = served(
        v1.beta.assistants.with_raw_response.create(
            model="gpt-4-1106-preview", tools=[{"type": "retrieval"}]
        )
    )
    assert list(made) == V1_KEYS
    assert (made["tools"], made["file_ids"]) == ([{"type": "retrieval"}], [])
    with pytest.raises(openai.BadRequestError) as error:
        v1.beta.assistants.update(made["id"], tool_resources={})
    assert error.value.body["message"] == "Unknown parameter: 'tool_resources'."
    # the same assistant through a v2 version: one store, v2's shape
    seen = served(v2.beta.assistants.with_raw_response.retrieve(made["id"]))
    assert list(seen) == V2_KEYS


def test_openai_beta_header_is_ignored(assistants_fake: Any) -> None:
    """Azure's Java SDK sent no OpenAI-Beta on 2024-05-01-preview and got the v2 shape."""
    http = assistants_fake.http_client("contoso.openai.azure.com", headers={"api-key": "k"})
    version = {"api-version": "2024-05-01-preview"}
    for beta in ({}, {"OpenAI-Beta": "assistants=v1"}):
        answer = http.post("/assistants", params=version, json={"model": "m"}, headers=beta)
        assert list(answer.json()) == V2_KEYS


def test_any_deployment_name_and_azure_file_ids(azure: Any) -> None:
    made = azure.beta.assistants.create(
        model="my-gpt4o-deployment",
        tools=[{"type": "file_search"}],
        tool_resources={
            "file_search": {"vector_stores": [{"file_ids": ["assistant-Upx9SCX6hThR6KH4aaCPnh"]}]}
        },
    )
    assert made.model == "my-gpt4o-deployment"
    assert made.tools[0].model_dump(exclude_none=True) == {"type": "file_search"}
    assert made.tool_resources.file_search.vector_store_ids[0].startswith("vs_")


def test_azure_headers(azure: Any) -> None:
    response = azure.beta.assistants.with_raw_response.create(model="gpt-4o-mini")
    headers = response.headers
    assert UUID.match(headers["apim-request-id"])
    assert headers["x-ms-middleware-request-id"] == headers["apim-request-id"]
    assert uuid.UUID(headers["x-request-id"])
    assert headers["x-ms-region"] == "Sweden Central"
    assert headers["openai-version"] == "2020-10-01"  # 2025-03 answers carried openai-*


@pytest.mark.assistants(profile="azure-v2@2024-05")
def test_2024_headers_echo_the_client_request_id(assistants_fake: Any) -> None:
    azure = assistants_fake.azure_openai(
        max_retries=0,
        api_version="2024-05-01-preview",
        default_headers={"x-ms-client-request-id": "r1"},
    )
    created = azure.beta.assistants.with_raw_response.create(model="gpt-4-turbo")
    assert created.headers["x-ms-client-request-id"] == "r1"
    assert "x-ratelimit-remaining-tokens" in created.headers  # a POST naming a model
    assert "openai-version" not in created.headers
    renamed = azure.beta.assistants.with_raw_response.update(created.parse().id, name="n")
    assert "x-ratelimit-remaining-tokens" not in renamed.headers


@pytest.mark.assistants(profile="azure-v1@2024-02")
def test_an_azure_profile_refuses_versions_of_later_eras(assistants_fake: Any) -> None:
    later = assistants_fake.azure_openai(api_version="2024-05-01-preview", max_retries=0)
    with pytest.raises(openai.NotFoundError):
        later.beta.assistants.list()
    assert assistants_fake.azure_openai(api_version="2024-02-15-preview").beta.assistants.list()


def test_user_built_azure_clients_are_intercepted(assistants_fake: Any) -> None:
    made = assistants_fake.openai().beta.assistants.create(model="gpt-4o", name="shared")
    mine = openai.AzureOpenAI(
        azure_endpoint="https://my-resource.openai.azure.com",
        api_version="2024-08-01-preview",
        api_key="my-azure-key",
        max_retries=0,
    )
    assert mine.beta.assistants.retrieve(made.id).name == "shared"  # one store for all hosts
    assert assistants_fake.calls[-1].dialect == "azure"


def test_without_the_fake_the_azure_host_is_not_claimed() -> None:
    fake = FakeAssistants()
    assert fake.dialect_of("any-name.openai.azure.com") == "azure"
    assert fake.dialect_of("openai.azure.com") is None
    assert fake.dialect_of("x.openai.azure.com.evil.example") is None


def test_served_over_a_real_socket(assistants_server: Any) -> None:
    azure = assistants_server.azure_openai(max_retries=0, api_version="2024-08-01-preview")
    made = azure.beta.assistants.create(model="gpt-4o-mini", name="over http")
    assert azure.beta.assistants.retrieve(made.id).name == "over http"
    with pytest.raises(openai.NotFoundError) as error:
        assistants_server.azure_openai(api_version="2023-05-15").beta.assistants.list()
    assert json.loads(error.value.response.content) == RESOURCE_NOT_FOUND
    assert assistants_server.fake.calls[-1].dialect == "azure"
    assert assistants_server.url_for("azure") == assistants_server.root_url
    import httpx  # /azure/openai/... selects the Azure rules too

    prefixed = f"{assistants_server.root_url}/azure/openai/assistants/{made.id}"
    answer = httpx.get(
        prefixed, params={"api-version": "2024-08-01-preview"}, headers={"api-key": "k"}
    )
    assert (answer.status_code, answer.json()["name"]) == (200, "over http")


def test_factories_label_cases_by_the_azure_rules() -> None:
    """Deployment names are models; no reasoning_effort in 2025-03 (recorded answers have
    none); Azure's "assistant-..." file ids pass."""
    expect = {
        case.id: case.expect for case in PayloadFactory(seed=1, profile="azure-v2@2025-03").cases()
    }
    assert expect["model-unknown"].ok
    assert not expect["reasoning-effort-before-its-era"].ok
    assert expect["reasoning-effort-before-its-era"].code == "unknown_parameter"
    assert expect["code-interpreter-file-wrong-prefix"].ok
    v1 = {case.id for case in PayloadFactory(seed=1, profile="azure-v1@2024-02").invalid()}
    assert {"tool-resources-in-v1", "file-ids-over-limit-21"} <= v1
    assert all(
        case.profile == "azure-v1@2024-02"
        for case in PayloadFactory(seed=1, profile="azure-v1@2024-02").edge_cases()
    )


@pytest.mark.assistants(profile="azure-v1@2024-02")
def test_factory_payloads_through_the_profiles_own_version(
    assistants_fake: Any, assistants_payloads: Any
) -> None:
    azure = assistants_fake.azure_openai(max_retries=0)  # 2024-02-15-preview: v1
    made = azure.beta.assistants.create(**assistants_payloads.create())
    for case in assistants_payloads.invalid()[:10]:
        with pytest.raises(openai.BadRequestError) as error:
            azure.beta.assistants.update(made.id, **case.body)
        assert (error.value.param, error.value.code) == (case.expect.param, case.expect.code)
    assert "api-version=2024-02-15-preview" in assistants_fake.calls[-1].url


@pytest.mark.assistants(profile="azure-v2@2025-03")
def test_the_newest_azure_profile_serves_every_earlier_version(assistants_fake: Any) -> None:
    for version, keys in (("2024-02-15-preview", V1_KEYS), ("2024-07-01-preview", V2_KEYS)):
        azure = assistants_fake.azure_openai(api_version=version, max_retries=0)
        assert list(served(azure.beta.assistants.with_raw_response.create(model="m"))) == keys


@pytest.mark.assistants(hosts={"*.aoai.example": "azure"})
def test_a_configured_wildcard_host_is_served_as_azure(assistants_fake: Any) -> None:
    from pytest_assistants.reach.config import parse_hosts

    assert parse_hosts(["*.aoai.example=azure"]) == {"*.aoai.example": "azure"}
    mine = openai.AzureOpenAI(
        azure_endpoint="https://team-a.aoai.example",
        api_version="2024-05-01-preview",
        api_key="k",
        max_retries=0,
    )
    assert mine.beta.assistants.list().data == []
    assert assistants_fake.calls[-1].dialect == "azure"


def azure_http(fake: FakeAssistants) -> Any:
    return fake.http_client(
        library="httpx", base_url="https://contoso.openai.azure.com", headers={"api-key": "k"}
    )


V2 = {"api-version": "2024-05-01-preview"}


def test_the_api_version_picks_the_era_under_any_active_profile() -> None:
    """With the default (OpenAI) profile active, a 2024-02-15-preview request is answered
    in the 2024-02 era's headers: the echoed client id and the rate limits, as numbers."""
    with azure_http(FakeAssistants()) as http:
        made = http.post(
            "/openai/assistants",
            params={"api-version": "2024-02-15-preview"},
            json={"model": "gpt-4"},
            headers={"x-ms-client-request-id": "r2"},
        )
    assert made.status_code == 200
    assert made.headers["content-type"] == "application/json"
    assert made.headers["x-ms-client-request-id"] == "r2"
    assert made.headers["x-ratelimit-remaining-requests"].isdigit()
    assert made.headers["x-ratelimit-remaining-tokens"].isdigit()
    assert "file_ids" in made.json()  # the v1 object of that version


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/openai/assistantsX"),  # not the collection, not an item
        ("GET", "/openai/assistants/asst_1/extra"),  # below an item
    ],
)
def test_near_miss_paths_are_azures_404(method: str, path: str) -> None:
    with azure_http(FakeAssistants()) as http:
        answer = http.request(method, path, params=V2)
    assert (answer.status_code, answer.json()) == (404, RESOURCE_NOT_FOUND)


def test_a_trailing_slash_names_the_same_routes() -> None:
    """The collection and an id ending in X (the slash alone is stripped)."""
    fake = FakeAssistants()
    fake.add({"id": "asst_" + "X" * 24, "model": "gpt-4o"})
    with azure_http(fake) as http:
        listed = http.get("/openai/assistants/", params=V2)
        got = http.get("/openai/assistants/asst_" + "X" * 24 + "/", params=V2)
    assert [item["id"] for item in listed.json()["data"]] == ["asst_" + "X" * 24]
    assert got.json()["id"] == "asst_" + "X" * 24


def test_a_refused_key_is_journalled_without_an_operation() -> None:
    fake = FakeAssistants()
    with fake.http_client(library="httpx", base_url="https://contoso.openai.azure.com") as http:
        answer = http.get("/openai/assistants", params=V2)
    assert (answer.status_code, answer.json()) == (401, ACCESS_DENIED)
    assert [(c.dialect, c.operation) for c in fake.calls] == [("azure", None)]


def test_a_bearer_token_may_follow_more_than_one_space() -> None:
    fake = FakeAssistants()
    with fake.http_client(library="httpx", base_url="https://contoso.openai.azure.com") as http:
        answer = http.get("/openai/assistants", params=V2, headers={"Authorization": "Bearer  t"})
    assert answer.status_code == 200


def test_injected_faults_reach_azure_requests_by_operation() -> None:
    """A status fault for one operation is answered to that operation only, in Azure's
    headers; a transport fault breaks the connection and is journalled with it."""
    fake = FakeAssistants()
    fake.fail(503, operation="list")
    with azure_http(fake) as http:
        made = http.post("/openai/assistants", params=V2, json={"model": "gpt-4o"})
        failed = http.get("/openai/assistants", params=V2)
        assert http.get("/openai/assistants", params=V2).status_code == 200
        fake.fail(kind="timeout", operation="retrieve")
        with pytest.raises(Exception) as dropped:
            http.get(f"/openai/assistants/{made.json()['id']}", params=V2)
    assert made.status_code == 200
    assert failed.status_code == 503
    assert failed.headers["x-ms-region"] == "Sweden Central"
    assert type(dropped.value).__name__ == "ReadTimeout"
    assert [(c.operation, c.status) for c in fake.calls][-1][0] == "assistants.retrieve"
