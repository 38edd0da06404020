"""The router's own guarantees: bounded notes, faults on routed endpoints, what the journal
keeps of an answer, and no CR/LF echoed into an answer's headers."""

from __future__ import annotations

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.reach.fake import NotServedError
from pytest_assistants.service.http import HttpRequest
from pytest_assistants.service.user_routes import Notes

BETA = {"authorization": "Bearer k", "openai-beta": "assistants=v2"}


def test_notes_keep_distinct_messages_up_to_their_limit_and_count_the_rest() -> None:
    notes = Notes(limit=2)
    for message in ["a", "b", "a", "c", "d", "c"]:
        notes.add(message)
    assert notes.messages() == ["a", "b", "... and 3 more"]  # c, d, c: past the limit
    notes.clear()
    assert not notes
    assert notes.messages() == []


def test_twenty_thousand_not_served_paths_keep_a_hundred_messages() -> None:
    """A long-running ``serve`` meets unbounded distinct paths: memory stays flat."""
    fake = FakeAssistants(max_calls=10)
    for n in range(20_000):
        fake.handle(HttpRequest("GET", "api.openai.com", f"/v1/chat/{n}", headers=BETA))
    with pytest.raises(NotServedError) as raised:
        fake.check()
    lines = str(raised.value).splitlines()
    assert len(lines) == 101
    assert lines[-1] == "... and 19900 more"
    assert len(fake.calls) == 10


def test_fail_applies_to_a_routed_endpoint_too() -> None:
    fake = FakeAssistants()
    fake.route("GET", "/v1/models", lambda request: {"object": "list", "data": []})
    fault = fake.fail(503)
    http = fake.http_client(headers=BETA)
    assert http.get("/models").status_code == 503
    assert http.get("/models").status_code == 200
    assert fault.used == 1
    assert [(c.operation, c.status) for c in fake.calls] == [("route", 503), ("route", 200)]


def test_a_fault_for_another_operation_leaves_a_routed_endpoint_alone() -> None:
    fake = FakeAssistants()
    fake.route("GET", "/v1/models", lambda request: {"object": "list", "data": []})
    fake.fail(503, operation="assistants.list")
    assert fake.http_client(headers=BETA).get("/models").status_code == 200
    assert [f.used for f in fake.faults] == [0]


def test_the_journal_keeps_the_answers_headers_read_only() -> None:
    fake = FakeAssistants(seed=1)
    answer = fake.http_client(headers=BETA).get("/assistants")
    call = fake.calls[0]
    assert call.response_headers["x-request-id"] == answer.headers["x-request-id"]
    assert call.response_headers["openai-version"] == "2020-10-01"
    with pytest.raises(TypeError):
        call.response_headers["x-request-id"] = "changed"  # type: ignore[index]


@pytest.mark.parametrize("bad", ["id\r\nx-injected: 1", "id\nx", "id\rx"])
def test_azure_never_echoes_a_client_request_id_with_cr_or_lf(bad: str) -> None:
    """Azure's 2024 eras echo ``x-ms-client-request-id`` (§13); a value with CR or LF (only
    an in-process way in can carry one) is not echoed, so no header can be injected."""
    fake = FakeAssistants("azure-v2@2024-05")
    headers = {"api-key": "k", "x-ms-client-request-id": bad}
    request = HttpRequest(
        "GET",
        "contoso.openai.azure.com",
        "/openai/assistants",
        "api-version=2024-05-01-preview",
        headers,
    )
    answer = fake.handle(request)
    assert answer.status == 200
    assert "x-ms-client-request-id" not in answer.headers
    good = fake.handle(
        HttpRequest(
            "GET",
            "contoso.openai.azure.com",
            "/openai/assistants",
            "api-version=2024-05-01-preview",
            {**headers, "x-ms-client-request-id": "id-1"},
        )
    )
    assert good.headers["x-ms-client-request-id"] == "id-1"
