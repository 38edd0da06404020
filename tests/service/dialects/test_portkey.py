"""The Portkey gateway dialect (§4 Portkey texts, §5.3, §9.3, §9.5, §10), through portkey-ai.

The portkey-ai SDK vendors openai 2.30 on httpx; its exceptions are that vendored copy's
(``portkey_ai._vendor.openai``), not the installed openai's. Raw calls use httpx.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest

pytest.importorskip("portkey_ai")
httpx = pytest.importorskip("httpx")

from portkey_ai._vendor import openai as vendored  # noqa: E402

from pytest_assistants import FakeAssistants  # noqa: E402

PORTKEY_HEADERS = (
    "x-portkey-trace-id",
    "x-portkey-retry-attempt-count",
    "x-portkey-last-used-option-index",
    "x-portkey-provider",
)


def raw(fake: FakeAssistants) -> Any:
    return fake.http_client("api.portkey.ai", library="httpx")


def gateway_headers(**extra: str) -> dict[str, str]:
    return {"x-portkey-api-key": "pk-1", "x-portkey-virtual-key": "vk-1", **extra}


def status_error(call: Any) -> Any:
    with pytest.raises(vendored.APIStatusError) as info:
        call()
    return info.value


def attempts(fake: FakeAssistants, operation: str) -> int:
    return sum(1 for call in fake.calls if call.operation == operation)


def test_same_store_as_direct_openai_calls(assistants_fake: Any) -> None:
    made = assistants_fake.openai().beta.assistants.create(model="gpt-4o", name="direct")
    portkey = assistants_fake.portkey()
    updated = portkey.beta.assistants.update(made.id, name="through portkey")
    assert (updated.name, updated.model) == ("through portkey", "gpt-4o")
    assert portkey.beta.assistants.retrieve(made.id).name == "through portkey"
    assert [a.id for a in portkey.beta.assistants.list().data] == [made.id]
    assert portkey.beta.assistants.delete(made.id).deleted is True
    assert made.id not in assistants_fake.assistants
    assert {call.dialect for call in assistants_fake.calls} == {"openai", "portkey"}


def test_portkey_default_model_counts_as_not_given(assistants_fake: Any) -> None:
    """§9.3: the SDK sends "model": "portkey-default" on every update (choice, Q6)."""
    made = assistants_fake.portkey().beta.assistants.create(model="gpt-4o")
    assistants_fake.portkey().beta.assistants.update(made.id, name="x")
    assert assistants_fake.calls[-1].json == {"model": "portkey-default", "name": "x"}
    assert assistants_fake.assistants[made.id]["model"] == "gpt-4o"


@pytest.mark.assistants(portkey_default_model="model_not_found")
def test_portkey_default_model_can_reach_openai_as_sent(assistants_fake: Any) -> None:
    made = assistants_fake.openai().beta.assistants.create(model="gpt-4o")
    error = status_error(
        lambda: assistants_fake.portkey().beta.assistants.update(made.id, name="x")
    )
    assert type(error).__name__ == "BadRequestError"
    assert error.body["message"] == "The requested model 'portkey-default' does not exist."
    assert error.body["code"] == "model_not_found"
    assert assistants_fake.assistants[made.id]["name"] is None


def test_missing_portkey_key_gets_the_exact_401(assistants_fake: Any) -> None:
    answer = raw(assistants_fake).get("/assistants", headers={"x-portkey-virtual-key": "vk"})
    assert answer.status_code == 401
    assert answer.json() == {
        "status": "failure",
        "message": "Portkey Error: Invalid API Key. Error Code: 03",
        "error": {"message": "Portkey Error: Invalid API Key. Error Code: 03", "code": "03"},
    }


@pytest.mark.assistants(portkey_api_keys=["pk-good"])
def test_unknown_portkey_key_maps_to_authentication_error(assistants_fake: Any) -> None:
    """§9.5: AuthenticationError, ``.code == '03'``, one attempt."""
    client = assistants_fake.portkey(api_key="pk-wrong")
    error = status_error(lambda: client.beta.assistants.list())
    assert isinstance(error, vendored.AuthenticationError)
    assert error.code == "03"
    assert attempts(assistants_fake, "assistants.list") == 0
    assert len(assistants_fake.calls) == 1
    assert assistants_fake.portkey(api_key="pk-good").beta.assistants.list().data == []


def test_no_provider_virtual_key_or_config_is_a_400(assistants_fake: Any) -> None:
    answer = raw(assistants_fake).get("/assistants", headers={"x-portkey-api-key": "pk"})
    assert answer.status_code == 400
    assert answer.json() == {
        "status": "failure",
        "message": "Either x-portkey-config or x-portkey-provider header is required",
    }


@pytest.mark.assistants(portkey_virtual_keys=["vk-known"])
def test_unknown_virtual_key_is_rejected_when_keys_are_configured(assistants_fake: Any) -> None:
    error = status_error(
        lambda: assistants_fake.portkey(virtual_key="vk-other").beta.assistants.list()
    )
    assert error.status_code == 400
    assert error.body == {"status": "failure", "message": "Following keys are not valid: vk-other"}
    assert assistants_fake.portkey(virtual_key="vk-known").beta.assistants.list().data == []


def test_provider_with_authorization_is_proxied_and_upstream_401_passes(
    assistants_fake: Any,
) -> None:
    client = assistants_fake.portkey(provider="openai", Authorization="Bearer sk-caller")
    assert client.beta.assistants.create(model="gpt-4o").model == "gpt-4o"
    answer = raw(assistants_fake).get(
        "/assistants",
        headers={
            "x-portkey-api-key": "pk",
            "x-portkey-provider": "openai",
            "OpenAI-Beta": "assistants=v2",
        },
    )
    assert answer.status_code == 401
    assert answer.json()["error"]["message"].startswith("You didn't provide an API key.")
    assert answer.headers["x-portkey-provider"] == "openai"


def test_patch_is_not_routed(assistants_fake: Any) -> None:
    made = assistants_fake.openai().beta.assistants.create(model="gpt-4o")
    answer = raw(assistants_fake).patch(
        f"/assistants/{made.id}", json={"name": "x"}, headers=gateway_headers()
    )
    assert answer.status_code == 404
    assert json.loads(answer.content) == {"message": "Not Found", "ok": False}
    assert assistants_fake.assistants[made.id]["name"] is None


def test_provider_errors_pass_through_unchanged_with_portkey_headers(assistants_fake: Any) -> None:
    headers = gateway_headers(**{"OpenAI-Beta": "assistants=v2"})
    through = raw(assistants_fake).get("/assistants/asst_missing", headers=headers)
    direct = assistants_fake.http_client().get(
        "/assistants/asst_missing",
        headers={"Authorization": "Bearer k", "OpenAI-Beta": "assistants=v2"},
    )
    assert (through.status_code, through.json()) == (direct.status_code, direct.json())
    assert through.json()["error"]["message"] == "No assistant found with id 'asst_missing'."
    for name in PORTKEY_HEADERS:
        assert through.headers[name]
    assert through.headers["openai-version"] == "2020-10-01"
    assert through.headers["x-portkey-retry-attempt-count"] == "0"


def test_success_carries_portkey_headers_and_a_given_trace_id(assistants_fake: Any) -> None:
    headers = gateway_headers(**{"OpenAI-Beta": "assistants=v2", "x-portkey-trace-id": "t-1"})
    answer = raw(assistants_fake).post("/assistants", json={"model": "gpt-4o"}, headers=headers)
    assert answer.status_code == 200
    assert answer.headers["x-portkey-trace-id"] == "t-1"
    assert answer.headers["x-portkey-provider"] == "openai"
    assert list(answer.json())[-4:] == [
        "reasoning_effort",
        "tool_resources",
        "metadata",
        "response_format",
    ]


def test_bodies_pass_through_to_the_v2_rules(assistants_fake: Any) -> None:
    """§10: no validation at the gateway; OpenAI's answers come back."""
    client = assistants_fake.portkey()
    made = client.beta.assistants.create(model="gpt-4o")
    updated = client.beta.assistants.update(made.id, model="o3-mini", reasoning_effort="low")
    assert updated.reasoning_effort == "low"
    error = status_error(lambda: client.beta.assistants.update(made.id, foo="bar"))
    assert error.body["message"] == "Unknown parameter: 'foo'."


@pytest.mark.assistants(strict_schema=True)
def test_strict_schema_enforces_the_documented_contract(assistants_fake: Any) -> None:
    client = assistants_fake.portkey()
    made = client.beta.assistants.create(model="gpt-4o")
    error = status_error(
        lambda: client.beta.assistants.update(made.id, model="o3-mini", reasoning_effort="low")
    )
    assert error.body["message"] == "Unknown parameter: 'reasoning_effort'."
    schema = {"type": "json_schema", "json_schema": {"name": "out"}}
    error = status_error(lambda: client.beta.assistants.update(made.id, response_format=schema))
    assert error.body["param"] == "response_format.type"
    json_object = {"type": "json_object"}
    assert client.beta.assistants.update(made.id, response_format=json_object).response_format
    direct = assistants_fake.openai().beta.assistants.update(made.id, reasoning_effort="low")
    assert direct.reasoning_effort == "low"  # the switch is the gateway's only


@pytest.mark.parametrize(
    ("status", "trace_id", "expected"), [(500, True, 1), (500, False, 2), (429, False, 1)]
)
def test_portkey_sdk_retry_rule(status: int, trace_id: bool, expected: int) -> None:
    """§9.5: 5xx retried once unless x-portkey-trace-id is present; 429 never."""
    fake = FakeAssistants(portkey_trace_id=trace_id)
    fake.fail(status, count=5, operation="list")
    error = status_error(lambda: fake.portkey().beta.assistants.list())
    assert error.status_code == status
    assert attempts(fake, "assistants.list") == expected
    answer = raw(fake).get("/assistants", headers=gateway_headers())
    assert bool(answer.headers["x-portkey-trace-id"]) is trace_id
    assert answer.headers["x-portkey-retry-attempt-count"] == "-1"  # retriable, no retries


def test_async_client_and_the_openai_beta_alias(assistants_fake: Any) -> None:
    async def session() -> Any:
        client = assistants_fake.async_portkey()
        made = await client.beta.assistants.create(model="gpt-4o")
        return await client.beta.assistants.update(made.id, name="async")

    assert asyncio.run(session()).name == "async"
    answer = raw(assistants_fake).get(
        "/assistants", headers=gateway_headers(**{"x-portkey-openai-beta": "assistants=v2"})
    )
    assert answer.status_code == 200  # x-portkey-openai-beta becomes OpenAI-Beta upstream


@pytest.mark.assistants(profile="openai-v2@2024-05")
def test_the_gateway_fronts_the_era_of_the_profile(assistants_fake: Any) -> None:
    client = assistants_fake.portkey(config="pc-config-1")
    made = client.beta.assistants.create(model="gpt-4o", tools=[{"type": "file_search"}])
    assert made.tools[0].model_dump(exclude_none=True) == {"type": "file_search"}
    assert "reasoning_effort" not in made.model_dump(exclude_unset=True)
    answer = raw(assistants_fake).get(
        f"/assistants/{made.id}", headers=gateway_headers(**{"OpenAI-Beta": "assistants=v1"})
    )
    assert answer.json()["tools"] == [{"type": "retrieval"}]  # v1 was still served in 2024
    assert "reasoning_effort" not in answer.json()


@pytest.mark.assistants(profile="openai@2026-08-26")
def test_after_the_shutdown_the_gateway_passes_openai_404_through(assistants_fake: Any) -> None:
    error = status_error(lambda: assistants_fake.portkey().beta.assistants.list())
    assert error.status_code == 404
    assert error.response.headers["x-portkey-provider"] == "openai"


def test_a_configured_host_can_be_a_portkey_gateway() -> None:
    fake = FakeAssistants(hosts={"gateway.internal": "portkey"})
    http = fake.http_client("gateway.internal", library="httpx")
    answer = http.patch("/assistants/asst_x", json={}, headers=gateway_headers())
    assert (answer.status_code, answer.json()) == (404, {"message": "Not Found", "ok": False})
    assert fake.calls[-1].dialect == "portkey"


@pytest.mark.assistants(api_keys=["sk-only-this"])
def test_virtual_keys_stand_for_an_allowed_provider_key(assistants_fake: Any) -> None:
    assert assistants_fake.portkey().beta.assistants.list().data == []
    client = assistants_fake.portkey(provider="openai", Authorization="Bearer sk-other")
    error = status_error(lambda: client.beta.assistants.list())
    assert error.status_code == 401
    assert error.body["code"] == "invalid_api_key"


def test_an_unknown_portkey_default_model_choice_names_the_option() -> None:
    with pytest.raises(ValueError) as caught:
        FakeAssistants(portkey_default_model="drop")
    assert str(caught.value) == (
        "portkey_default_model='drop' is not a choice: use 'ignore' or 'model_not_found'"
    )


@pytest.mark.parametrize("strict", [False, True])
def test_garbage_bodies_get_openai_parse_error_through_the_gateway(strict: bool) -> None:
    from tests.helpers import GARBAGE, PARSE_ERROR

    fake = FakeAssistants(strict_schema=strict)
    made = fake.openai().beta.assistants.create(model="gpt-4o", name="keep")
    before = fake.snapshot()
    headers = gateway_headers(
        **{"OpenAI-Beta": "assistants=v2", "content-type": "application/json"}
    )
    for label, body in GARBAGE:
        answer = raw(fake).post(f"/assistants/{made.id}", content=body, headers=headers)
        assert (answer.status_code, answer.json()) == (400, PARSE_ERROR), label
    assert fake.snapshot() == before
    fake.check()


def test_portkey_sdk_over_a_real_socket(assistants_server: Any) -> None:
    import portkey_ai

    client = portkey_ai.Portkey(
        api_key="pk-1", virtual_key="vk-1", base_url=assistants_server.url_for("portkey")
    )
    made = client.beta.assistants.create(model="gpt-4o", name="socket")
    assert client.beta.assistants.update(made.id, name="renamed").name == "renamed"
    assert assistants_server.fake.calls[-1].dialect == "portkey"
    assistants_server.fake.fail(500, count=1, operation="retrieve")
    error = status_error(lambda: client.beta.assistants.retrieve(made.id))
    assert error.status_code == 500
    assert error.response.headers["x-portkey-trace-id"]
    assert attempts(assistants_server.fake, "assistants.retrieve") == 1


@pytest.mark.parametrize("trace_id", [True, False])
@pytest.mark.parametrize(
    "injected", ["t-1\r\nset-cookie: stolen=1", "t-1\rx", "t-1\nx"], ids=["crlf", "cr", "lf"]
)
def test_a_trace_id_with_cr_or_lf_is_never_echoed(trace_id: bool, injected: str) -> None:
    """Clients refuse such headers; a caller of ``Router.handle`` can still send one."""
    from pytest_assistants.service.http import HttpRequest

    fake = FakeAssistants(portkey_trace_id=trace_id)
    request = HttpRequest(
        "GET", "api.portkey.ai", "/v1/assistants", "",
        {**gateway_headers(), "openai-beta": "assistants=v2", "x-portkey-trace-id": injected},
    )  # fmt: skip
    answer = fake.handle(request)
    assert answer.status == 200
    assert all("\r" not in v and "\n" not in v for v in answer.headers.values())
    assert bool(answer.headers["x-portkey-trace-id"]) is trace_id


V2_GATEWAY = {**gateway_headers(), "openai-beta": "assistants=v2"}


def test_the_upstream_gets_the_compact_utf8_body_the_gateway_rewrote() -> None:
    """§10: the body is re-serialised (compact, UTF-8, no Content-Length carried over), so
    the upstream's size limit applies to those bytes, not to what the client sent."""
    compact = json.dumps({"model": "gpt-4o", "name": "名" * 20}, ensure_ascii=False)
    compact = compact.replace(", ", ",").replace(": ", ":")
    fake = FakeAssistants(max_body_bytes=len(compact.encode()))
    spaced = json.dumps({"model": "gpt-4o", "name": "名" * 20}, indent=1, ensure_ascii=False)
    with raw(fake) as http:
        exact = http.post("/assistants", content=compact.encode(), headers=V2_GATEWAY)
        loose = http.post("/assistants", content=spaced.encode(), headers=V2_GATEWAY)
    assert (exact.status_code, exact.json()["name"]) == (200, "名" * 20)
    assert (loose.status_code, loose.json()["name"]) == (200, "名" * 20)


def test_strict_schema_reads_the_collection_by_its_path() -> None:
    """A create with a trailing slash is checked as a create (``vector_stores`` allowed);
    a path that is not the collection is not, and gets the upstream's 404."""
    fake = FakeAssistants(strict_schema=True)
    resources = {"file_search": {"vector_stores": [{"file_ids": ["file-1"]}]}}
    with raw(fake) as http:
        made = http.post(
            "/assistants/",
            json={"model": "gpt-4o", "tool_resources": resources},
            headers=V2_GATEWAY,
        )
        typo = http.post("/assistantsX", json={}, headers=V2_GATEWAY)
    assert made.status_code == 200
    assert (typo.status_code, typo.json()["error"]["message"]) == (
        404,
        "Invalid URL (POST /v1/assistantsX)",
    )


@pytest.mark.parametrize("prefix", ["req_ab", "x"])
def test_the_trace_id_is_the_request_ids_first_32_hex_digits(prefix: str) -> None:
    """With another request-id prefix the trace id is still a UUID: the first 32 digits
    after ``req_`` when they are hex, else the zero UUID."""
    fake = FakeAssistants(request_id_prefix=prefix)
    with raw(fake) as http:
        answer = http.get("/assistants", headers=V2_GATEWAY)
    digits = answer.headers["x-request-id"].removeprefix("req_")[:32]
    expected = (
        str(uuid.UUID(hex=digits)) if prefix == "req_ab" else "00000000-0000-0000-0000-000000000000"
    )
    assert answer.headers["x-portkey-trace-id"] == expected
