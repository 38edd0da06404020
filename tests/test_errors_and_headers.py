"""PROVIDER_BEHAVIOUR §4 and §5.3 through the real SDK and raw HTTP: envelopes and headers."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from pytest_assistants.service.errors import mask_api_key
from tests.conftest import error_of, openai

BETA = {"OpenAI-Beta": "assistants=v2", "Authorization": "Bearer sk-test"}


@pytest.fixture
def http(assistants_fake: Any) -> Any:
    return assistants_fake.http_client()


@pytest.mark.parametrize("operation", ["retrieve", "update", "delete"])
def test_unknown_id_is_404_with_exact_text(client: Any, operation: str) -> None:
    status, error = error_of(lambda: getattr(client.beta.assistants, operation)("asst_missing"))
    assert status == 404
    assert error == {
        "message": "No assistant found with id 'asst_missing'.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }


def test_not_found_error_class_and_request_id(client: Any) -> None:
    with pytest.raises(openai.NotFoundError) as info:
        client.beta.assistants.retrieve("asst_missing")
    assert re.fullmatch(r"req_[0-9a-f]{32}", info.value.request_id)


def test_missing_api_key(http: Any) -> None:
    response = http.get("/assistants", headers={"OpenAI-Beta": "assistants=v2"})
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["message"].startswith("You didn't provide an API key.")
    assert (error["type"], error["param"], error["code"]) == ("invalid_request_error", None, None)


@pytest.mark.assistants(api_keys=["sk-the-right-key-000000"])
def test_wrong_api_key_is_masked(assistants_fake: Any) -> None:
    wrong = "sk-proj-abcdefghijklmnopqrstuvwxyzMxYA"
    client = assistants_fake.openai(api_key=wrong, max_retries=0)
    with pytest.raises(openai.AuthenticationError) as info:
        client.beta.assistants.list()
    body = info.value.body
    assert body["code"] == "invalid_api_key"
    assert body["message"] == (
        f"Incorrect API key provided: {mask_api_key(wrong)}. You can find your API key at"
        " https://platform.openai.com/account/api-keys."
    )
    assert mask_api_key(wrong) == "sk-proj-" + "*" * (len(wrong) - 12) + "MxYA"
    ok = assistants_fake.openai(api_key="sk-the-right-key-000000")
    assert ok.beta.assistants.list().data == []


def test_401_headers_as_recorded(http: Any) -> None:
    response = http.get("/assistants", headers={"OpenAI-Beta": "assistants=v2"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="OpenAI API"'
    assert "openai-organization" not in response.headers
    assert response.headers["openai-version"] == "2020-10-01"


def test_short_keys_are_echoed_verbatim() -> None:
    assert mask_api_key("sk jj") == "sk jj"


def test_missing_beta_header(http: Any) -> None:
    response = http.get("/assistants", headers={"Authorization": "Bearer sk-test"})
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "message": "You must provide the 'OpenAI-Beta' header to access the Assistants API."
            " Please try again by setting the header 'OpenAI-Beta: assistants=v2'.",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_beta",
        }
    }


def test_v1_header_after_v1_shutdown(client: Any) -> None:
    status, error = error_of(
        lambda: client.beta.assistants.list(extra_headers={"OpenAI-Beta": "assistants=v1"})
    )
    assert status == 400
    assert error["code"] == "invalid_beta"
    assert error["message"].startswith("The v1 Assistants API has been deprecated.")


def test_beta_header_among_others(http: Any) -> None:
    headers = {**BETA, "OpenAI-Beta": "realtime=v1, assistants=v2"}
    assert http.get("/assistants", headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [("PATCH", "/v1/assistants/asst_x"), ("PUT", "/v1/assistants/asst_x"),
     ("DELETE", "/v1/assistants"), ("GET", "/v1/assistant"), ("POST", "/v1/assistants/a/b")],
)  # fmt: skip
def test_unknown_route_or_method(http: Any, method: str, path: str) -> None:
    response = http.request(method, path.removeprefix("/v1"), headers=BETA, content=b"{}")
    assert response.status_code == 404
    assert response.json()["error"] == {
        "message": f"Invalid URL ({method} {path})",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }


def test_response_headers(client: Any, assistant: Any) -> None:
    response = client.beta.assistants.with_raw_response.retrieve(assistant.id)
    headers = response.headers
    assert headers["content-type"] == "application/json"
    assert headers["openai-version"] == "2020-10-01"
    assert headers["openai-organization"]
    assert headers["openai-processing-ms"].isdigit()
    assert re.fullmatch(r"req_[0-9a-f]{32}", headers["x-request-id"])


def test_floats_are_served_as_one_point_zero(client: Any, assistant: Any) -> None:
    text = client.beta.assistants.with_raw_response.retrieve(assistant.id).http_response.text
    assert '"temperature": 1.0' in text
    assert '"top_p": 1.0' in text
    body = client.beta.assistants.with_raw_response.update(assistant.id, temperature=1)
    assert '"temperature": 1.0' in body.http_response.text


def test_delete_answer(client: Any, assistant: Any) -> None:
    body = json.loads(
        client.beta.assistants.with_raw_response.delete(assistant.id).http_response.content
    )
    assert body == {"id": assistant.id, "object": "assistant.deleted", "deleted": True}
    assert error_of(lambda: client.beta.assistants.retrieve(assistant.id))[0] == 404


def test_the_journal_names_the_operation_of_a_refused_request(
    client: Any, assistants_fake: Any, http: Any
) -> None:
    made = client.beta.assistants.create(model="gpt-4o")
    error_of(lambda: client.beta.assistants.update(made.id, temperature=3))  # 400
    error_of(lambda: client.beta.assistants.update("asst_missing", name="x"))  # 404
    http.post("/nowhere", headers=BETA, content=b"{}")  # no route: no operation
    http.post(f"/assistants/{made.id}", content=b"{}")  # refused before routing (401)
    journal = [(call.status, call.operation) for call in assistants_fake.calls]
    assert journal == [(200, "create"), (400, "modify"), (404, "modify"), (404, None), (401, None)]
