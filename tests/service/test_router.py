"""The router's own guarantees: bounded notes, faults on routed endpoints, what the journal
keeps of an answer, and no CR/LF echoed into an answer's headers."""

from __future__ import annotations

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.reach.fake import NotServedError
from pytest_assistants.service.faults import TransportFault
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


def test_a_dropped_connection_on_a_routed_endpoint_is_journalled_as_the_route() -> None:
    """A ``fail()`` fault applies to a ``fake.route`` handler, a broken connection too; the
    journal names the operation ``"route"``, as for the handler's own answers."""
    fake = FakeAssistants()
    fake.route("GET", "/v1/models", lambda request: {"object": "list", "data": []})
    fake.fail(kind="disconnect")
    with pytest.raises(TransportFault):
        fake.handle(HttpRequest("GET", "api.openai.com", "/v1/models", headers=BETA))
    assert [(c.operation, c.status) for c in fake.calls] == [("route", 0)]


def test_fail_applies_to_a_routed_endpoint_behind_a_gateway_too() -> None:
    """Through Portkey the fault is answered (the gateway's rendering of it), not a 500 of
    the fake's own."""
    fake = FakeAssistants()
    fake.route("GET", "/v1/models", lambda request: {"object": "list", "data": []})
    fake.fail(503)
    portkey = {"x-portkey-api-key": "pk-1", "x-portkey-virtual-key": "vk-1"}
    answer = fake.handle(HttpRequest("GET", "api.portkey.ai", "/v1/models", headers=portkey))
    assert answer.status == 503
    assert [(c.operation, c.status, c.dialect) for c in fake.calls] == [("route", 503, "portkey")]
    fake.check()  # no bug of the fake's own


def test_a_handlers_answer_of_every_form_is_a_200_with_its_headers() -> None:
    """JSON with extra headers (every recorded Files answer has
    ``access-control-allow-origin: *``), raw bytes (a file's content) and an event stream
    (a streamed run) are all answered 200."""
    fake = FakeAssistants()
    http = fake.http_client(headers=BETA)
    listed = http.get("/files")
    assert (listed.status_code, listed.headers["access-control-allow-origin"]) == (200, "*")
    sent = b'{"custom_id": "1"}\n'
    made = http.post("/files", data={"purpose": "batch"}, files={"file": ("a.jsonl", sent)})
    content = http.get(f"/files/{made.json()['id']}/content")
    assert (content.status_code, content.content) == (200, sent)
    assistant = http.post("/assistants", json={"model": "gpt-4o"}).json()
    thread = {"messages": [{"role": "user", "content": "Hello"}]}
    streamed = http.post(
        "/threads/runs", json={"assistant_id": assistant["id"], "thread": thread, "stream": True}
    )
    assert streamed.status_code == 200
    assert streamed.headers["content-type"].startswith("text/event-stream")
