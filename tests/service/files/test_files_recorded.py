"""The recorded uploads of interactions_threads.jsonl against the fake (§14.5).

Each of the 159 recorded ``POST /files`` answers is matched by an upload of the same name,
purpose and size under the profile of its era: same keys in the same order, same values,
an id of the same shape. The 12 .NET uploads whose multipart bodies were recorded are sent
byte for byte, boundary and unquoted parameters included.
"""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest

from pytest_assistants import FakeAssistants
from tests.helpers import AUTH, threads_recordings


def uploads() -> list[dict[str, Any]]:
    rows = [row for row in threads_recordings() if row["endpoint"] == "POST /files"]
    assert len(rows) == 159  # INDEX.md: 150 .NET, 9 ruby-openai
    return rows


def profile_of(row: dict[str, Any]) -> str:
    """The profile of the recording's era (files shapes: 2024 ruby, 2025 .NET)."""
    return "openai-v2@2025-08" if row["recorded_at"] >= "2025" else "openai-v2@2024-10"


def shape_of(object_id: str) -> str:
    """A pattern for ids shaped as this one: its prefix, length and alphabet."""
    prefix, _, suffix = object_id.partition("-")
    if set(suffix) & set("0OIl"):
        alphabet = "A-Za-z0-9"
    else:
        alphabet = "1-9A-HJ-NP-Za-km-z" if len(suffix) == 22 else "A-Za-z0-9"
    return rf"{prefix}-[{alphabet}]{{{len(suffix)}}}"


def test_every_recorded_upload_is_answered_as_recorded() -> None:
    fakes: dict[str, FakeAssistants] = {}
    for row in uploads():
        recorded = row["response_body"]
        fake = fakes.setdefault(profile_of(row), FakeAssistants(profile_of(row)))
        fake.clock.set(recorded["created_at"])
        with fake.http_client(headers=AUTH) as http:
            answer = http.post(
                "/files",
                data={"purpose": recorded["purpose"]},
                files={"file": (recorded["filename"], b"x" * recorded["bytes"])},
            )
        assert answer.status_code == row["status"] == 200
        served = answer.json()
        assert list(served) == list(recorded), row["file"]
        assert {k: v for k, v in served.items() if k != "id"} == {
            k: v for k, v in recorded.items() if k != "id"
        }
        assert re.fullmatch(shape_of(recorded["id"]), served["id"]), (recorded["id"], served)


def dotnet_body(lines: list[str]) -> bytes:
    """A recorded multipart body: text lines, and ``b64:`` lines holding bytes."""
    return b"".join(
        base64.b64decode(line[4:]) if line.startswith("b64:") else line.encode("utf-8")
        for line in lines
    )


def test_the_recorded_multipart_bodies_parse_byte_for_byte() -> None:
    sent = [row for row in uploads() if isinstance(row["request_body"], list)]
    assert len(sent) == 12  # INDEX.md: 12 .NET uploads keep their multipart lines
    for row in sent:
        body = dotnet_body(row["request_body"])
        headers = {k.lower(): v for k, v in row["request_headers"].items()}
        assert len(body) == int(headers["content-length"])  # the transcription is whole
        fake = FakeAssistants(profile_of(row))
        with fake.http_client(headers=AUTH) as http:
            answer = http.post(
                "/files", content=body, headers={"content-type": headers["content-type"]}
            )
        recorded, served = row["response_body"], answer.json()
        assert answer.status_code == 200, answer.text
        for key in ("filename", "bytes", "purpose", "status", "status_details", "expires_at"):
            assert served[key] == recorded[key], key
        with fake.http_client(headers=AUTH) as http:
            download = http.get(f"/files/{served['id']}/content")
        assert download.status_code == 400  # purpose user_data: not downloadable
        stored = fake.snapshot()["file"][served["id"]]
        assert base64.b64decode(stored["content_base64"]) == b"Travis's favorite food is pizza."


@pytest.mark.parametrize("row_index", [0])
def test_a_recorded_list_of_files_is_the_2024_list(row_index: int) -> None:
    """lemur 2024-05-07 ``GET /files``: object, data, has_more; newest first."""
    rows = [row for row in threads_recordings() if row["endpoint"] == "GET /files"]
    recorded = rows[row_index]["response_body"]
    fake = FakeAssistants("openai-v2@2024-05")
    for item in reversed(recorded["data"]):
        fake.add(item)
    with fake.http_client(headers=AUTH) as http:
        served = http.get("/files").json()
    assert served == recorded
