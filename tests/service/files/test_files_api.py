"""Files through the SDK: upload, retrieve, list, download, delete (§14.5), with the object
shapes, id shapes and texts of the evidence (expected values: tests/expected.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pytest_assistants import FakeAssistants
from tests.expected import (
    FILE_KEYS_2024,
    FILE_KEYS_2025,
    envelope,
    no_such_file,
    not_downloadable,
)
from tests.helpers import AUTH, error_of, raw_json, refusal_of

# Every byte value, and lines that look like the form's own delimiters.
AWKWARD = bytes(range(256)) + b"\r\n\r\n--boundary\r\nContent-Disposition: x\r\n\r\n--\r\n\r"
BASE58_22 = r"file-[1-9A-HJ-NP-Za-km-z]{22}"  # .NET 2025: "file-3r2R5sDEw8JAgjBbPdid71"
BASE62_24 = r"file-[A-Za-z0-9]{24}"  # ruby-openai 2024: "file-cGrNYOaHQOsKvfEDXa3bk6Rg"


def test_an_upload_answers_the_recorded_object(client: Any, assistants_fake: Any) -> None:
    answer = client.files.with_raw_response.create(
        file=("notes.txt", b"hello world"), purpose="assistants"
    )
    body = raw_json(answer)
    assert list(body) == FILE_KEYS_2025
    assert re.fullmatch(BASE58_22, body["id"])
    assert {k: v for k, v in body.items() if k != "id"} == {
        "object": "file",
        "purpose": "assistants",
        "filename": "notes.txt",
        "bytes": 11,
        "created_at": assistants_fake.clock.now(),
        "expires_at": None,
        "status": "processed",  # at once, in all 159 recorded uploads
        "status_details": None,
    }
    assert client.files.retrieve(body["id"]).model_dump() == answer.parse().model_dump()


def test_the_bytes_come_back_exactly(client: Any) -> None:
    made = client.files.create(file=("rows.jsonl", AWKWARD), purpose="batch")
    assert made.bytes == len(AWKWARD)
    answer = client.files.with_raw_response.content(made.id)
    assert answer.content == AWKWARD
    assert answer.headers["content-type"] == "application/octet-stream"


@pytest.mark.parametrize("purpose", ["assistants", "user_data"])
def test_assistants_and_user_data_files_cannot_be_downloaded(
    client: Any, assistants_fake: Any, purpose: str
) -> None:
    made = client.files.create(file=("a.txt", b"secret"), purpose=purpose)
    before = assistants_fake.snapshot()
    assert refusal_of(lambda: client.files.content(made.id)) == (400, not_downloadable(purpose))
    assert assistants_fake.snapshot() == before


def test_list_is_newest_first_filters_by_purpose_and_pages(
    client: Any, assistants_fake: Any
) -> None:
    made = []
    for index, purpose in enumerate(["assistants", "batch", "assistants", "assistants"]):
        name = f"f{index}.jsonl"
        made.append(client.files.create(file=(name, b"{}\n"), purpose=purpose).id)
        assistants_fake.clock.advance(1)
    body = raw_json(client.files.with_raw_response.list())
    assert [f["id"] for f in body["data"]] == made[::-1]
    assert (body["first_id"], body["last_id"], body["has_more"]) == (made[3], made[0], False)
    mine = [f.id for f in client.files.list(purpose="assistants")]
    assert mine == [made[3], made[2], made[0]]
    page = client.files.list(purpose="assistants", limit=2, order="asc")
    assert [f.id for f in page.data] == [made[0], made[2]]
    assert page.has_more is True
    paged = [f.id for f in client.files.list(purpose="assistants", limit=2, order="asc")]
    assert paged == [made[0], made[2], made[3]]  # the SDK's auto-paging sends after=
    assert client.files.list(limit=2, after=made[1], order="asc").data[0].id == made[2]


def test_2024_answers_have_no_expiry_and_lists_no_cursors() -> None:
    """lemur 2024-05-07 GET /files: ``{"object", "data", "has_more"}``; ruby 2024 keys."""
    fake = FakeAssistants("openai-v2@2024-05")
    client = fake.openai(max_retries=0)
    made = raw_json(
        client.files.with_raw_response.create(file=("t.txt", b"x"), purpose="assistants")
    )
    assert list(made) == FILE_KEYS_2024
    assert re.fullmatch(BASE62_24, made["id"])
    listed = raw_json(client.files.with_raw_response.list())
    assert listed == {"object": "list", "data": [made], "has_more": False}


def test_delete_answers_object_file_and_the_file_is_gone(client: Any) -> None:
    made = client.files.create(file=("a.jsonl", b"{}"), purpose="batch")
    body = raw_json(client.files.with_raw_response.delete(made.id))
    assert body == {"id": made.id, "object": "file", "deleted": True}  # SDK FileDeleted
    for gone in (client.files.retrieve, client.files.content, client.files.delete):
        assert refusal_of(lambda gone=gone: gone(made.id)) == (404, no_such_file(made.id))


def test_an_unknown_id_is_the_files_404(client: Any) -> None:
    assert refusal_of(lambda: client.files.retrieve("file-nope")) == (
        404,
        no_such_file("file-nope"),
    )


def test_expires_after_sets_expires_at(client: Any, assistants_fake: Any) -> None:
    made = client.files.create(
        file=("a.txt", b"x"),
        purpose="assistants",
        expires_after={"anchor": "created_at", "seconds": 3600},
    )
    assert made.expires_at == assistants_fake.clock.now() + 3600
    before = assistants_fake.snapshot()
    status, body = error_of(
        lambda: client.files.create(
            file=("a.txt", b"x"),
            purpose="assistants",
            expires_after={"anchor": "created_at", "seconds": 60},
        )
    )
    assert (status, body["param"]) == (400, "expires_after.seconds")
    assert body["code"] == "integer_below_min_value"
    assert assistants_fake.snapshot() == before


PURPOSES_2025 = "['fine-tune', 'assistants', 'batch', 'user_data', 'vision', 'evals']"


@pytest.mark.parametrize(
    ("fields", "files", "expected"),
    [
        # an upload without its file [code#62120841500]
        ({"purpose": "assistants"}, None, envelope("'file' is a required property")),
        (None, {"file": ("a.txt", b"x")}, envelope("'purpose' is a required property")),
        (
            {"purpose": "vector_store"},
            {"file": ("a.txt", b"x")},
            envelope(f"'vector_store' is not one of {PURPOSES_2025} - 'purpose'", "purpose"),
        ),  # [code#41866393988], word for word
        (
            {"purpose": "batch"},
            {"file": ("rows.txt", b"{}")},
            envelope("Invalid file format for Batch API. Must be .jsonl"),
        ),
        (
            {"purpose": "fine-tune"},
            {"file": ("train.csv", b"{}")},
            envelope("Invalid file format for Fine-Tuning API. Must be .jsonl"),
        ),
    ],
)
def test_refused_uploads_change_nothing(
    assistants_fake: Any, fields: Any, files: Any, expected: dict[str, Any]
) -> None:
    before = assistants_fake.snapshot()
    with assistants_fake.http_client(headers=AUTH) as http:
        answer = http.post("/files", data=fields or {}, files=files or {"other": ("x", b"x")})
    assert (answer.status_code, answer.json()) == (400, expected)
    assert assistants_fake.snapshot() == before
    assistants_fake.check()  # no 500 on the way


def test_the_2023_purposes_are_two() -> None:
    fake = FakeAssistants("openai-v1@2023-11")
    with fake.http_client(headers=AUTH) as http:
        answer = http.post("/files", data={"purpose": "batch"}, files={"file": ("a.jsonl", b"")})
    expected = envelope("'batch' is not one of ['fine-tune', 'assistants'] - 'purpose'", "purpose")
    assert (answer.status_code, answer.json()) == (400, expected)  # [code#40028246736]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"purpose": "assistants"}'),
        ("multipart/form-data", b"--x\r\n"),  # no boundary
        ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name="),
        ("multipart/form-data; boundary=x", b"--x\r\n\r\nno headers\r\n--x--\r\n"),
        ("multipart/form-data; boundary=x", b""),
        ("multipart/form-data; boundary=x", b"\xff" * 64),
    ],
)
def test_a_body_that_is_no_form_is_an_upload_without_a_file(
    assistants_fake: Any, content_type: str, body: bytes
) -> None:
    with assistants_fake.http_client(headers=AUTH) as http:
        answer = http.post("/files", content=body, headers={"content-type": content_type})
    assert (answer.status_code, answer.json()) == (400, envelope("'file' is a required property"))
    assistants_fake.check()


def test_an_upload_over_max_body_bytes_is_our_413() -> None:
    fake = FakeAssistants(max_body_bytes=1000)
    with fake.http_client(headers=AUTH) as http:
        answer = http.post(
            "/files", data={"purpose": "assistants"}, files={"file": ("a.txt", b"x" * 2000)}
        )
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "request_too_large"
    assert fake.snapshot() == {}


def test_files_need_no_beta_header_and_ignore_one(assistants_fake: Any) -> None:
    """§14.5: the .NET SDK sends none and gets 200; a v1 header after v1's shutdown is not
    the Files API's business either."""
    with assistants_fake.http_client(headers=AUTH) as http:
        for beta in ({}, {"openai-beta": "assistants=v1"}, {"openai-beta": "assistants=v9"}):
            answer = http.post(
                "/files",
                data={"purpose": "assistants"},
                files={"file": ("a.txt", b"x")},
                headers=beta,
            )
            assert answer.status_code == 200, answer.text
            assert http.get("/files", headers=beta).status_code == 200


def test_the_view_and_add_hold_copies(assistants_fake: Any) -> None:
    added = assistants_fake.add(
        {"object": "file", "filename": "seed.jsonl", "purpose": "batch", "content": b"{}\n"}
    )
    assert added["bytes"] == 3
    assert re.fullmatch(BASE62_24, added["id"])  # add() draws the facade's default shape
    client = assistants_fake.openai(max_retries=0)
    assert client.files.content(added["id"]).content == b"{}\n"
    seen = assistants_fake.files[added["id"]]
    assert seen == added
    assert list(seen) == FILE_KEYS_2025  # the bytes stay out of every rendering
    seen["filename"] = "changed"
    added["bytes"] = 0
    assert assistants_fake.files[added["id"]]["filename"] == "seed.jsonl"
    assert client.files.retrieve(added["id"]).bytes == 3


def test_add_names_a_bad_field() -> None:
    with pytest.raises(TypeError, match="'bytes' must be int"):
        FakeAssistants().add({"object": "file", "bytes": "many"})


@pytest.mark.anyio
async def test_the_async_client_uploads_and_downloads(assistants_fake: Any) -> None:
    client = assistants_fake.async_openai(max_retries=0)
    made = await client.files.create(file=("a.jsonl", AWKWARD), purpose="batch")
    assert (await client.files.content(made.id)).content == AWKWARD


def test_over_a_real_socket(assistants_server: Any) -> None:
    """``assistants_server``: the form reaches the fake whole, the bytes come back whole."""
    client = assistants_server.openai(max_retries=0)
    made = client.files.create(file=("rows.jsonl", AWKWARD), purpose="batch")
    answer = client.files.with_raw_response.content(made.id)
    assert (answer.content, answer.headers["content-type"]) == (AWKWARD, "application/octet-stream")
    store = client.vector_stores.files.create_and_poll(
        made.id, vector_store_id=client.vector_stores.create().id
    )
    assert store.status == "completed"
