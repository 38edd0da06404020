"""Zerobot (§7, [S4]) over raw httpx and httpx2: PATCH modify, Bearer auth, no beta header.

Rows marked INFERRED in the zerobot module are checked as the documented choices they are.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

import pytest

from pytest_assistants import FakeAssistants

LIBRARIES = [
    pytest.param(name, marks=pytest.mark.skipif(not importlib.util.find_spec(name), reason=name))
    for name in ("httpx", "httpx2")
]
AUTH = {"Authorization": "Bearer zb-token"}


@pytest.fixture(params=LIBRARIES)
def zerobot(request: pytest.FixtureRequest) -> tuple[FakeAssistants, Any]:
    fake = FakeAssistants("zerobot")
    return fake, fake.http_client("api.zerobot.ai", library=request.param)


def create(http: Any, **body: Any) -> dict[str, Any]:
    answer = http.post("/assistants", json={"model": "gpt-4o", **body}, headers=AUTH)
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_patch_modifies_without_a_beta_header(zerobot: tuple[FakeAssistants, Any]) -> None:
    fake, http = zerobot
    made = create(http, name="before", metadata={"a": "1"})
    answer = http.patch(f"/assistants/{made['id']}", json={"name": "after"}, headers=AUTH)
    assert answer.status_code == 200
    served = answer.json()
    assert (served["name"], served["metadata"], served["model"]) == ("after", {"a": "1"}, "gpt-4o")
    assert "reasoning_effort" not in served
    assert "file_ids" not in served
    assert http.get(f"/assistants/{made['id']}", headers=AUTH).json() == served
    assert not any(name.startswith("openai-") for name in answer.headers)
    assert fake.calls[-2].operation == "assistants.modify"
    assert fake.calls[-2].dialect == "zerobot"


def test_post_on_an_assistant_is_not_a_route(zerobot: tuple[FakeAssistants, Any]) -> None:
    fake, http = zerobot
    made = create(http)
    answer = http.post(f"/assistants/{made['id']}", json={"name": "x"}, headers=AUTH)
    assert answer.status_code == 404
    assert answer.json()["error"] == {
        "message": f"Invalid URL (POST /v1/assistants/{made['id']})",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }
    assert fake.assistants[made["id"]]["name"] is None


def test_bearer_auth_is_required(zerobot: tuple[FakeAssistants, Any]) -> None:
    _, http = zerobot
    answer = http.get("/assistants")
    assert answer.status_code == 401
    assert answer.json()["error"]["message"].startswith("You didn't provide an API key.")


def test_reasoning_effort_is_not_a_zerobot_field(zerobot: tuple[FakeAssistants, Any]) -> None:
    _fake, http = zerobot
    made = create(http)
    answer = http.patch(f"/assistants/{made['id']}", json={"reasoning_effort": "low"}, headers=AUTH)
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == "Unknown parameter: 'reasoning_effort'."
    assert http.get(f"/assistants/{made['id']}", headers=AUTH).json() == made


def test_vector_stores_on_modify_attach_a_new_store(zerobot: tuple[FakeAssistants, Any]) -> None:
    _, http = zerobot
    made = create(http, tools=[{"type": "file_search"}])
    resources = {"file_search": {"vector_stores": [{"file_ids": ["file-1"]}]}}
    answer = http.patch(
        f"/assistants/{made['id']}", json={"tool_resources": resources}, headers=AUTH
    )
    assert answer.status_code == 200, answer.text
    store_ids = answer.json()["tool_resources"]["file_search"]["vector_store_ids"]
    assert len(store_ids) == 1
    assert store_ids[0].startswith("vs_")
    assert len(store_ids[0]) == 27


def test_errors_use_openai_envelopes(zerobot: tuple[FakeAssistants, Any]) -> None:
    _, http = zerobot
    answer = http.patch("/assistants/asst_missing", json={"name": "x"}, headers=AUTH)
    assert answer.status_code == 404
    assert answer.json()["error"]["message"] == "No assistant found with id 'asst_missing'."
    made = create(http)
    answer = http.patch(f"/assistants/{made['id']}", json={"name": "x" * 257}, headers=AUTH)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "string_above_max_length"


def test_zerobot_host_is_served_under_any_profile() -> None:
    """The host picks the dialect; the default profile's OpenAI rules stay on api.openai.com."""
    fake = FakeAssistants()
    http = fake.http_client("api.zerobot.ai")
    made = create(http, name="z")
    answer = http.patch(f"/assistants/{made['id']}", json={"name": "y"}, headers=AUTH)
    assert answer.status_code == 200
    assert fake.calls[-1].dialect == "zerobot"


def test_garbage_bodies_get_the_parse_error(zerobot: tuple[FakeAssistants, Any]) -> None:
    from tests.helpers import GARBAGE, PARSE_ERROR

    fake, http = zerobot
    made = create(http, name="keep")
    before = fake.snapshot()
    for label, body in GARBAGE:
        answer = http.patch(f"/assistants/{made['id']}", content=body, headers=AUTH)
        assert (answer.status_code, answer.json()) == (400, PARSE_ERROR), label
    assert fake.snapshot() == before
    fake.check()


def test_the_openai_shutdown_does_not_reach_zerobot() -> None:
    fake = FakeAssistants("openai@2026-08-26")
    made = create(fake.http_client("api.zerobot.ai"))
    direct = fake.http_client().get(
        f"/assistants/{made['id']}",
        headers={**AUTH, "OpenAI-Beta": "assistants=v2"},
    )
    assert direct.status_code == 404


@pytest.mark.parametrize("library", LIBRARIES)
def test_zerobot_over_a_real_socket(assistants_server: Any, library: str) -> None:
    lib = importlib.import_module(library)
    with lib.Client(base_url=assistants_server.url_for("zerobot"), headers=AUTH) as http:
        made = http.post("/assistants", json={"model": "gpt-4o"}).json()
        answer = http.patch(f"/assistants/{made['id']}", json={"name": "socket"})
        assert (answer.status_code, answer.json()["name"]) == (200, "socket")
        assert http.post(f"/assistants/{made['id']}", json={}).status_code == 404


def zerobot_http(fake: FakeAssistants) -> Any:
    auth = {"Authorization": "Bearer zb-test"}
    return fake.http_client(library="httpx", base_url="https://api.zerobot.ai", headers=auth)


def test_an_id_ending_in_x_is_found_with_or_without_a_trailing_slash() -> None:
    fake = FakeAssistants()
    fake.add({"id": "asst_" + "X" * 24, "model": "gpt-4o"})
    with zerobot_http(fake) as http:
        plain = http.get("/v1/assistants/asst_" + "X" * 24)
        slashed = http.get("/v1/assistants/asst_" + "X" * 24 + "/")
    assert (plain.status_code, slashed.status_code) == (200, 200)


def test_a_profile_may_give_zerobot_rules_of_its_own() -> None:
    """A custom profile's ``dialects["zerobot"]`` decides how Zerobot validates."""
    import dataclasses

    from pytest_assistants.service.profiles import ZEROBOT_RULES, ApiRules, get_profile

    strict = ApiRules(assistants=dataclasses.replace(ZEROBOT_RULES, instructions_max=5))
    profile = dataclasses.replace(get_profile("openai-v2@2025-08"), dialects={"zerobot": strict})
    with zerobot_http(FakeAssistants(profile)) as http:
        answer = http.post("/v1/assistants", json={"model": "gpt-4o", "instructions": "i" * 6})
    assert (answer.status_code, answer.json()["error"]["code"]) == (400, "string_above_max_length")
