"""Rules of the Portkey gateway (§4.2 Portkey texts, §5.3, §10) and of Zerobot's routing
(§7, INFERRED rows of the README) that the SDK-level tests do not pin down: raw httpx, every
expected value written out from the evidence or the documented choice.
"""

from __future__ import annotations

from typing import Any

import pytest

from pytest_assistants import FakeAssistants
from tests.expected import envelope, invalid_url, not_found

httpx = pytest.importorskip("httpx")

V2 = {"OpenAI-Beta": "assistants=v2"}


def portkey(fake: FakeAssistants) -> Any:
    return fake.http_client("api.portkey.ai", library="httpx")


def gateway(**extra: str) -> dict[str, str]:
    return {"x-portkey-api-key": "pk-1", **V2, **extra}


# -- Portkey: which of provider / virtual key / config the gateway accepts (§4.2, §10) ----


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"x-portkey-provider": "anthropic"}, 400),  # only openai is served
        ({"x-portkey-provider": "OpenAI", "Authorization": "Bearer sk-1"}, 200),
        ({"x-portkey-provider": "anthropic", "x-portkey-virtual-key": "vk-1"}, 200),
        ({"x-portkey-provider": "anthropic", "x-portkey-config": "pc-1"}, 200),
    ],
)
def test_a_virtual_key_or_config_decides_the_provider(headers: dict[str, str], status: int) -> None:
    answer = portkey(FakeAssistants()).get("/assistants", headers=gateway(**headers))
    assert answer.status_code == status
    if status == 400:
        assert answer.content == b'{"status":"failure","message":"Invalid provider passed"}'
        assert answer.headers["content-type"] == "application/json"


def test_the_gateways_auth_error_has_its_charset_and_compact_body() -> None:
    answer = portkey(FakeAssistants()).get("/assistants", headers=V2)
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/json;charset=UTF-8"
    assert answer.content == (
        b'{"status":"failure","message":"Portkey Error: Invalid API Key. Error Code: 03",'
        b'"error":{"message":"Portkey Error: Invalid API Key. Error Code: 03","code":"03"}}'
    )


def test_the_query_reaches_the_upstream_list() -> None:
    fake = FakeAssistants()
    client = portkey(fake)
    headers = gateway(**{"x-portkey-virtual-key": "vk-1"})
    for _ in range(3):
        assert client.post("/assistants", json={"model": "gpt-4o"}, headers=headers).is_success
    page = client.get("/assistants", params={"limit": 2}, headers=headers).json()
    assert (len(page["data"]), page["has_more"]) == (2, True)


@pytest.mark.parametrize(("status", "count"), [(429, "-1"), (503, "-1"), (400, "0")])
def test_retry_attempt_count_says_when_a_retriable_status_ended_the_request(
    status: int, count: str
) -> None:
    """§5.3: without a retry config a retriable status (429, 5xx) ends with -1."""
    fake = FakeAssistants()
    fake.fail(status, operation="list")
    answer = portkey(fake).get("/assistants", headers=gateway(**{"x-portkey-virtual-key": "v"}))
    assert answer.status_code == status
    assert answer.headers["x-portkey-retry-attempt-count"] == count
    assert answer.headers["x-portkey-last-used-option-index"] == "config"
    assert answer.headers["x-portkey-provider"] == "openai"


def test_a_generated_trace_id_is_the_request_id_as_a_uuid() -> None:
    answer = portkey(FakeAssistants()).get(
        "/assistants", headers=gateway(**{"x-portkey-virtual-key": "vk-1"})
    )
    digits = answer.headers["x-request-id"].removeprefix("req_")
    expected = f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:32]}"
    assert answer.headers["x-portkey-trace-id"] == expected


@pytest.mark.assistants(portkey_trace_id=False)
def test_the_open_source_gateway_sends_an_empty_trace_id(assistants_fake: Any) -> None:
    answer = portkey(assistants_fake).get(
        "/assistants", headers=gateway(**{"x-portkey-virtual-key": "vk-1"})
    )
    assert answer.headers["x-portkey-trace-id"] == ""


def test_the_journal_names_the_operation_only_once_routed() -> None:
    fake = FakeAssistants()
    client = portkey(fake)
    client.get("/assistants", headers=V2)  # refused by the gateway: never routed
    client.get("/assistants/asst_missing", headers=gateway(**{"x-portkey-virtual-key": "v"}))
    client.post("/nowhere", json={}, headers=gateway(**{"x-portkey-virtual-key": "v"}))
    assert [(c.status, c.operation) for c in fake.calls] == [
        (401, None),
        (404, "assistants.retrieve"),
        (404, None),
    ]
    assert fake.calls[0].response_json == {
        "status": "failure",
        "message": "Portkey Error: Invalid API Key. Error Code: 03",
        "error": {"message": "Portkey Error: Invalid API Key. Error Code: 03", "code": "03"},
    }
    assert fake.calls[1].response_json == not_found("asst_missing")


@pytest.mark.assistants(strict_schema=True)
def test_strict_schema_checks_a_create_against_the_documented_create(
    assistants_fake: Any,
) -> None:
    """[S2]: the create schema has the vector_stores helper; the modify schema does not."""
    client = portkey(assistants_fake)
    headers = gateway(**{"x-portkey-virtual-key": "vk-1"})
    helper = {"file_search": {"vector_stores": [{"file_ids": []}]}}
    body = {"model": "gpt-4o", "tools": [{"type": "file_search"}], "tool_resources": helper}
    made = client.post("/assistants", json=body, headers=headers)
    assert made.status_code == 200, made.text
    refused = client.post(
        f"/assistants/{made.json()['id']}", json={"tool_resources": helper}, headers=headers
    )
    assert refused.status_code == 400
    assert refused.json() == envelope(
        "Unknown parameter: 'tool_resources.file_search.vector_stores'.",
        param="tool_resources.file_search.vector_stores",
        code="unknown_parameter",
    )
    assert refused.headers["content-type"] == "application/json"
    assert refused.headers["x-portkey-provider"] == "openai"


# -- Zerobot: routes and faults (§7; INFERRED: OpenAI's paths and envelopes) -------------

ZB = {"Authorization": "Bearer zb-token"}


def zerobot(fake: FakeAssistants) -> Any:
    return fake.http_client("api.zerobot.ai", library="httpx")


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/assistants/a/b"), ("PATCH", "/assistant/asst_abc123"), ("PUT", "/assistants")],
)
def test_zerobot_answers_other_paths_with_the_invalid_url_404(method: str, path: str) -> None:
    fake = FakeAssistants("zerobot")
    answer = zerobot(fake).request(method, path, json={}, headers=ZB)
    assert (answer.status_code, answer.json()) == (404, invalid_url(f"{method} /v1{path}"))
    assert fake.calls[-1].operation is None


def test_zerobot_collection_with_a_trailing_slash_is_the_list() -> None:
    answer = zerobot(FakeAssistants("zerobot")).get("/assistants/", headers=ZB)
    assert answer.status_code == 200
    assert answer.json()["object"] == "list"


def test_zerobot_status_faults_are_plain_openai_envelopes() -> None:
    fake = FakeAssistants("zerobot")
    client = zerobot(fake)
    made = client.post("/assistants", json={"model": "gpt-4o"}, headers=ZB).json()
    fake.fail(503, operation="modify")
    answer = client.patch(f"/assistants/{made['id']}", json={"name": "x"}, headers=ZB)
    assert answer.status_code == 503
    assert answer.json() == {
        "error": {
            "message": "The engine is currently overloaded, please try again later.",
            "type": "server_error",
            "param": None,
            "code": None,
        }
    }
    assert not [name for name in answer.headers if name.startswith("openai-")]
    assert fake.calls[-1].operation == "assistants.modify"
    assert fake.assistants[made["id"]]["name"] is None


def test_zerobot_transport_faults_break_the_connection() -> None:
    fake = FakeAssistants("zerobot")
    client = zerobot(fake)
    fake.fail(kind="timeout", operation="list")
    with pytest.raises(httpx.TimeoutException):
        client.get("/assistants", headers=ZB)
    assert fake.calls[-1].operation == "assistants.list"
    assert client.get("/assistants", headers=ZB).status_code == 200  # count=1: used up


def test_zerobot_refused_auth_is_journalled_without_an_operation() -> None:
    fake = FakeAssistants("zerobot")
    assert zerobot(fake).get("/assistants").status_code == 401
    assert fake.calls[-1].operation is None
