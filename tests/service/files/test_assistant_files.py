"""v1's assistant files (``/assistants/{id}/files``): attach, retrieve, list, detach, and a
v1 modify's ``file_ids`` that attaches and detaches (§3 [S0]). The SDKs no longer have
these methods: raw HTTP, as the recorded clients (ruby-openai, lemur) sent them."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_assistants import FakeAssistants
from tests.expected import envelope, invalid_url, not_found
from tests.helpers import AUTH

V1 = {**AUTH, "OpenAI-Beta": "assistants=v1"}
V2 = {**AUTH, "OpenAI-Beta": "assistants=v2"}
ASSISTANT_FILE_KEYS = ["id", "object", "created_at", "assistant_id"]  # lemur 2024-05-07


@pytest.fixture
def fake() -> FakeAssistants:
    return FakeAssistants("openai-v1@2024-04", clock_start=1_715_040_446)


def make(fake: FakeAssistants, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    with fake.http_client(headers=headers) as http:
        answer = http.post("/assistants", json={"model": "gpt-4-0125-preview", **body})
    assert answer.status_code == 200, answer.text
    made: dict[str, Any] = answer.json()
    return made


def test_attach_list_retrieve_detach_as_recorded(fake: FakeAssistants) -> None:
    """lemur 2024-05-07 (v1): the session's requests, answers and the assistant's file_ids."""
    assistant = make(fake, V1, name="Socrates", tools=[{"type": "retrieval"}])
    path = f"/assistants/{assistant['id']}/files"
    with fake.http_client(headers=V1) as http:
        attached = http.post(path, json={"file_id": "file-P6XH5bDZSo311u3yKlM6bFFn"})
        assert attached.status_code == 200
        body = attached.json()
        assert list(body) == ASSISTANT_FILE_KEYS
        assert body == {
            "id": "file-P6XH5bDZSo311u3yKlM6bFFn",
            "object": "assistant.file",
            "created_at": 1_715_040_446,
            "assistant_id": assistant["id"],
        }
        listed = http.get(path, params={"limit": 20, "order": "desc"}).json()
        assert listed == {
            "object": "list",
            "data": [body],
            "first_id": body["id"],
            "last_id": body["id"],
            "has_more": False,
        }
        after = http.get(f"/assistants/{assistant['id']}").json()
        assert after["file_ids"] == ["file-P6XH5bDZSo311u3yKlM6bFFn"]
        assert http.get(f"{path}/{body['id']}").json() == body
        gone = http.delete(f"{path}/{body['id']}").json()
        assert gone == {"id": body["id"], "object": "assistant.file.deleted", "deleted": True}
        assert http.get(f"/assistants/{assistant['id']}").json()["file_ids"] == []
        assert http.get(path).json()["data"] == []


def test_a_v1_modify_attaches_and_detaches_what_file_ids_names(fake: FakeAssistants) -> None:
    """[S0]: "If a file was previously attached to the list but does not show up in the
    list, it will be deleted from the assistant." The list shows exactly file_ids."""
    assistant = make(fake, V1, file_ids=["file-a"])
    path = f"/assistants/{assistant['id']}/files"
    with fake.http_client(headers=V1) as http:
        assert [f["id"] for f in http.get(path).json()["data"]] == ["file-a"]
        fake.clock.advance(1)
        http.post(f"/assistants/{assistant['id']}", json={"file_ids": ["file-a", "file-b"]})
        kept = http.get(f"{path}/file-a").json()
        fake.clock.advance(1)
        answer = http.post(
            f"/assistants/{assistant['id']}", json={"file_ids": ["file-b", "file-c"]}
        )
        assert answer.json()["file_ids"] == ["file-b", "file-c"]
        listed = http.get(path, params={"order": "asc"}).json()["data"]
        assert [f["id"] for f in listed] == ["file-b", "file-c"]
        assert [f["created_at"] for f in listed] == [kept["created_at"] + 1, kept["created_at"] + 2]
        assert http.get(f"{path}/file-a").status_code == 404  # detached
        http.post(f"/assistants/{assistant['id']}", json={"name": "no file_ids"})
        assert len(http.get(path).json()["data"]) == 2  # omitted: unchanged


def test_deleting_the_assistant_takes_its_files(fake: FakeAssistants) -> None:
    assistant = make(fake, V1, file_ids=["file-a", "file-b"])
    assert len(fake.snapshot()["assistant.file"]) == 2
    with fake.http_client(headers=V1) as http:
        assert http.delete(f"/assistants/{assistant['id']}").status_code == 200
    assert "assistant.file" not in fake.snapshot()


@pytest.mark.parametrize(
    ("method", "suffix", "body", "status", "expected"),
    [
        ("GET", "/files", None, 404, not_found("asst_nope")),
        ("POST", "/files", {"file_id": "file-a"}, 404, not_found("asst_nope")),
        ("DELETE", "/files/file-a", None, 404, not_found("asst_nope")),
    ],
)
def test_an_unknown_assistant_is_the_assistant_404(
    fake: FakeAssistants,
    method: str,
    suffix: str,
    body: Any,
    status: int,
    expected: dict[str, Any],
) -> None:
    with fake.http_client(headers=V1) as http:
        answer = http.request(method, f"/assistants/asst_nope{suffix}", json=body)
    assert (answer.status_code, answer.json()) == (status, expected)


def test_refusals_change_nothing(fake: FakeAssistants) -> None:
    assistant = make(fake, V1, file_ids=[f"file-{n}" for n in range(20)])
    path = f"/assistants/{assistant['id']}/files"
    before = fake.snapshot()
    with fake.http_client(headers=V1) as http:
        unknown = http.get(f"{path}/file-zz")
        assert (unknown.status_code, unknown.json()) == (
            404,
            envelope("No assistant file found with id 'file-zz'."),
        )
        too_many = http.post(path, json={"file_id": "file-20"})
        assert too_many.status_code == 400
        assert too_many.json()["error"]["code"] == "array_above_max_length"
        prefix = http.post(path, json={"file_id": "doc-1"})
        assert prefix.json()["error"]["message"] == (
            "Invalid 'file_id': 'doc-1'. Expected an ID that begins with 'file'."
        )
        assert http.post(path, json={}).json()["error"]["code"] == "missing_required_parameter"
    assert fake.snapshot() == before


def test_under_v2_in_2024_an_attached_file_goes_to_a_vector_store() -> None:
    """lemur 2024-05-07 with ``OpenAI-Beta: assistants=v2``: the attach answered an
    assistant.file and the assistant then named a vector store holding the file."""
    fake = FakeAssistants("openai-v2@2024-05")
    file_id = (
        fake.openai(max_retries=0)
        .files.create(file=("a.txt", b"guideline"), purpose="assistants")
        .id
    )
    assistant = make(fake, V2, tools=[{"type": "file_search"}], response_format={"type": "text"})
    assert assistant["tool_resources"] == {"file_search": {"vector_store_ids": []}}
    with fake.http_client(headers=V2) as http:
        attached = http.post(f"/assistants/{assistant['id']}/files", json={"file_id": file_id})
        assert attached.json()["object"] == "assistant.file"
        after = http.get(f"/assistants/{assistant['id']}").json()
        (store_id,) = after["tool_resources"]["file_search"]["vector_store_ids"]
        store_files = http.get(f"/vector_stores/{store_id}/files").json()["data"]
        assert [f["id"] for f in store_files] == [file_id]
        assert "file_ids" not in after  # still the v2 shape


def test_the_endpoints_went_with_v1() -> None:
    """v2 of 2025 (after v1's shutdown): an unknown route (INFERRED, §8)."""
    fake = FakeAssistants()
    assistant = make(fake, V2)
    with fake.http_client(headers=V2) as http:
        answer = http.get(f"/assistants/{assistant['id']}/files")
    expected = invalid_url(f"GET /v1/assistants/{assistant['id']}/files")
    assert (answer.status_code, answer.json()) == (404, expected)
    fake.check()  # the provider's own 404: not a request the fake failed to serve
