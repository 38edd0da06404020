"""PROVIDER_BEHAVIOUR §4 and §5.3 through the real SDK and raw HTTP: envelopes and headers."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from pytest_assistants import FakeAssistants
from tests.expected import envelope
from tests.helpers import error_of, openai_sdk

openai = openai_sdk()

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
    assert response.json() == envelope(  # §4.2 "No API key"
        "You didn't provide an API key. You need to provide your API key in an Authorization"
        " header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password"
        " field (with blank username) if you're accessing the API from your browser and are"
        " prompted for a username and password. You can obtain an API key from"
        " https://platform.openai.com/account/api-keys."
    )


@pytest.mark.assistants(api_keys=["sk-the-right-key-000000"])
def test_wrong_api_key_is_masked(assistants_fake: Any) -> None:
    wrong = "sk-proj-abcdefghijklmnopqrstuvwxyzMxYA"
    client = assistants_fake.openai(api_key=wrong, max_retries=0)
    with pytest.raises(openai.AuthenticationError) as info:
        client.beta.assistants.list()
    body = info.value.body
    assert body["code"] == "invalid_api_key"
    assert body["message"] == (  # §4.2: first 8 characters, a star for each hidden, last 4
        "Incorrect API key provided: sk-proj-**************************MxYA. You can find"
        " your API key at https://platform.openai.com/account/api-keys."
    )
    ok = assistants_fake.openai(api_key="sk-the-right-key-000000")
    assert ok.beta.assistants.list().data == []


def test_401_headers_as_recorded(http: Any) -> None:
    response = http.get("/assistants", headers={"OpenAI-Beta": "assistants=v2"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="OpenAI API"'
    assert "openai-organization" not in response.headers
    assert response.headers["openai-version"] == "2020-10-01"


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("sk jj", "sk jj"),  # §4.2: short keys echoed verbatim
        ("sk-abcdefghi", "sk-abcdefghi"),  # 12 characters: nothing left to hide
        ("sk-abcdefghij", "sk-abcde*ghij"),  # 13: first 8, one star, last 4
    ],
)
@pytest.mark.assistants(api_keys=["sk-the-right-key-000000"])
def test_wrong_keys_are_masked_as_openai_masks_them(
    assistants_fake: Any, key: str, shown: str
) -> None:
    response = assistants_fake.http_client().get(
        "/assistants", headers={"OpenAI-Beta": "assistants=v2", "Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 401
    assert response.json()["error"]["message"] == (
        f"Incorrect API key provided: {shown}. You can find your API key at"
        " https://platform.openai.com/account/api-keys."
    )


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
    assert (
        error
        == envelope(  # §4.2 "assistants=v1 after v1 shutdown"
            "The v1 Assistants API has been deprecated. Please try again by setting the header"
            " 'OpenAI-Beta: assistants=v2'. See the migration guide for more information:"
            " https://platform.openai.com/docs/assistants/migration.",
            code="invalid_beta",
        )["error"]
    )


@pytest.mark.assistants(sunset=True)
def test_after_the_shutdown_every_route_is_the_invalid_url_404(http: Any) -> None:
    """§4.2 / Q8: a 404; its body is the unknown-route envelope (our choice)."""
    for method, path in [("GET", "/v1/assistants"), ("POST", "/v1/assistants/asst_abc123")]:
        response = http.request(method, path.removeprefix("/v1"), headers=BETA, json={"name": "x"})
        assert response.status_code == 404
        assert response.json() == envelope(f"Invalid URL ({method} {path})")


@pytest.mark.assistants(max_body_bytes=100)
def test_a_body_over_the_limit_is_a_413(http: Any) -> None:
    response = http.post("/assistants", headers=BETA, content=b" " * 101)
    assert response.status_code == 413
    assert response.json() == envelope(
        "Request body too large: the fake accepts at most 100 bytes"
        " (raise it with the max_body_bytes option).",
        code="request_too_large",
    )


@pytest.mark.parametrize(
    ("query", "message", "code"),
    [
        (
            {"order": "sideways"},
            "Invalid value: 'sideways'. Supported values are: 'asc' and 'desc'.",
            "invalid_value",
        ),
        (
            {"limit": "101"},
            "Invalid 'limit': integer above maximum value. Expected a value <= 100, but got 101 instead.",
            "integer_above_max_value",
        ),
        (
            {"limit": "0"},
            "Invalid 'limit': integer below minimum value. Expected a value >= 1, but got 0 instead.",
            "integer_below_min_value",
        ),
    ],
)
def test_list_query_errors(http: Any, query: dict[str, str], message: str, code: str) -> None:
    """§5.2: limit 1..100, order asc|desc; §2's validator vocabulary."""
    response = http.get("/assistants", headers=BETA, params=query)
    assert response.status_code == 400
    assert response.json() == envelope(message, param=next(iter(query)), code=code)


@pytest.mark.parametrize(
    ("body", "message", "param", "code"),
    [
        (
            {"temperature": 3},
            "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead.",
            "temperature",
            "decimal_above_max_value",
        ),
        (
            {"temperature": 2.5},
            "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 2.5 instead.",
            "temperature",
            "decimal_above_max_value",
        ),
        (
            {"top_p": -1},
            "Invalid 'top_p': decimal below minimum value. Expected a value >= 0, but got -1 instead.",
            "top_p",
            "decimal_below_min_value",
        ),
        (
            {"reasoning_effort": "max"},
            "Invalid value: 'max'. Supported values are: 'low', 'medium', and 'high'.",
            "reasoning_effort",
            "invalid_value",
        ),
        (
            {"tools": [{"type": "retrieval"}]},
            "Invalid value: 'retrieval'. Supported values are: 'code_interpreter', 'function', and 'file_search'.",
            "tools[0].type",
            "invalid_value",
        ),
        (
            {"metadata": {"version": 2}},
            "Invalid type for 'metadata.version': expected a string, but got an integer instead.",
            "metadata.version",
            "invalid_type",
        ),
        ({"foo": 1}, "Unknown parameter: 'foo'.", "foo", "unknown_parameter"),
    ],
)
def test_modify_errors_carry_the_validator_texts(
    http: Any, body: dict[str, Any], message: str, param: str, code: str
) -> None:
    """§2 / §4.2 texts, written out here (the fake's own builders are not consulted)."""
    made = http.post("/assistants", headers=BETA, json={"model": "gpt-4o"}).json()
    response = http.post(f"/assistants/{made['id']}", headers=BETA, json=body)
    assert response.status_code == 400
    assert response.json() == envelope(message, param=param, code=code)


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
    assert journal == [
        (200, "assistants.create"),
        (400, "assistants.modify"),
        (404, "assistants.modify"),
        (404, None),
        (401, None),
    ]


def test_the_later_v1_deprecated_wording_drops_the_hint() -> None:
    """§4.2 "assistants=v1, later wording (seen 2025-07-01)": no v2 hint, same code."""
    from pytest_assistants.service import errors

    error = errors.v1_deprecated(with_hint=False)
    later = (
        "The v1 Assistants API has been deprecated. See the migration guide for more"
        " information: https://platform.openai.com/docs/assistants/migration."
    )
    assert (error.status, error.body) == (400, envelope(later, code="invalid_beta"))


def test_range_errors_are_decimal_unless_told_integer() -> None:
    """§2 `temperature`: a number's range error says ``decimal`` by default, with the
    bounds spelled as given (``2``, ``2.5``, ``-0.5``)."""
    from pytest_assistants.service import errors

    above = errors.above_maximum("temperature", 2, 2.5)
    assert above.body == envelope(
        "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got"
        " 2.5 instead.",
        param="temperature",
        code="decimal_above_max_value",
    )
    below = errors.below_minimum("top_p", 0, -0.5)
    assert below.body == envelope(
        "Invalid 'top_p': decimal below minimum value. Expected a value >= 0, but got -0.5"
        " instead.",
        param="top_p",
        code="decimal_below_min_value",
    )


def test_an_api_error_prints_its_status_and_body() -> None:
    """Shown when one escapes into a traceback: the status, then the provider's body."""
    from pytest_assistants.service import errors

    error = errors.assistant_not_found("asst_x")
    body = envelope("No assistant found with id 'asst_x'.")
    assert str(error) == f"404 {body}"


def openai_http(fake: Any, **headers: str) -> Any:
    return fake.http_client(library="httpx", base_url="https://api.openai.com", headers=headers)


MISSING_KEY = (
    "You didn't provide an API key. You need to provide your API key in an Authorization"
    " header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password"
    " field (with blank username) if you're accessing the API from your browser and are"
    " prompted for a username and password. You can obtain an API key from"
    " https://platform.openai.com/account/api-keys."
)


@pytest.mark.parametrize("authorization", ["Basic sk-test", "Bearer ", "sk-test"])
def test_only_a_bearer_key_counts_as_a_key(assistants_fake: Any, authorization: str) -> None:
    """§4.2 "Missing API key": another scheme, or Bearer without a key, is no key."""
    with openai_http(assistants_fake, authorization=authorization) as http:
        answer = http.get("/v1/assistants", headers={"OpenAI-Beta": "assistants=v2"})
    assert (answer.status_code, answer.json()) == (401, envelope(MISSING_KEY))


def test_an_unknown_beta_version_gets_the_missing_header_text(assistants_fake: Any) -> None:
    """Q11: ``assistants=v3`` is answered as a missing header, naming the served version."""
    with openai_http(assistants_fake, authorization="Bearer sk-test") as http:
        answer = http.get("/v1/assistants", headers={"OpenAI-Beta": "assistants=v3"})
    text = (
        "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try"
        " again by setting the header 'OpenAI-Beta: assistants=v2'."
    )
    assert (answer.status_code, answer.json()) == (400, envelope(text, code="invalid_beta"))


def test_the_body_limit_counts_the_declared_length_and_admits_the_limit_itself() -> None:
    """A body of exactly max_body_bytes is read; a declared Content-Length above it gets
    the 413 even when fewer bytes follow (the server reads no more)."""
    fake = FakeAssistants(max_body_bytes=18)
    beta = {"authorization": "Bearer sk-test", "openai-beta": "assistants=v2"}
    with openai_http(fake, **beta) as http:
        exact = http.post("/v1/assistants", content=b'{"model":"gpt-4o"}')
        declared = http.post(
            "/v1/assistants",
            content=b"{}",
            headers={"content-length": "19", "content-type": "application/json"},
        )
    assert exact.status_code == 200
    assert declared.status_code == 413
    assert declared.json()["error"]["code"] == "request_too_large"


def test_only_a_401_names_no_organization_and_asks_for_basic_auth(http: Any) -> None:
    """§5.3: every answer names the organization; only the 401s (5/5 recorded) drop it and
    carry ``www-authenticate``. A 404 is an ordinary answer with the ordinary headers."""
    response = http.get("/assistants/asst_missing", headers=BETA)
    assert response.status_code == 404
    assert response.headers["openai-organization"]
    assert "www-authenticate" not in response.headers


def test_a_routes_content_type_replaces_the_fakes_own(assistants_fake: Any, http: Any) -> None:
    """A user route may answer as Chat did once (§4.1 ``application/json; charset=utf-8``):
    the answer carries that one content-type, not the fake's default beside it."""
    assistants_fake.route(
        "GET",
        "/v1/threads",
        lambda _: (200, {"Content-Type": "application/json; charset=utf-8"}, {}),
    )
    response = http.get("/threads", headers=BETA)
    assert response.headers.get_list("content-type") == ["application/json; charset=utf-8"]


def test_an_injected_401_keeps_the_www_authenticate_it_was_given(
    assistants_fake: Any, http: Any
) -> None:
    """The recorded ``Basic realm`` is only a default: a fault's own header is sent alone."""
    assistants_fake.fail(401, headers={"www-authenticate": 'Bearer realm="OpenAI API"'})
    response = http.get("/assistants", headers=BETA)
    assert response.status_code == 401
    assert response.headers.get_list("www-authenticate") == ['Bearer realm="OpenAI API"']
