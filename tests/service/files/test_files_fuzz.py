"""No body makes the files and vector store routes answer 500: random forms and bytes on
uploads, random JSON on the stores' writes, each answered 200 or a clean 4xx."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_assistants import FakeAssistants
from tests.helpers import AUTH

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
fields = st.sampled_from(
    ["file_ids", "name", "expires_after", "metadata", "chunking_strategy", "file_id",
     "attributes", "description", "purpose"]
)  # fmt: skip


@FUZZ
@given(
    boundary=st.text(alphabet="abcXYZ0129'=-_", min_size=0, max_size=20),
    parts=st.lists(
        st.tuples(
            st.sampled_from(["file", "purpose", "x", ""]), st.binary(max_size=40), st.booleans()
        ),
        max_size=3,
    ),
    tail=st.binary(max_size=10),
)
def test_uploads_never_break_the_fake(boundary: str, parts: list[Any], tail: bytes) -> None:
    fake = FakeAssistants()
    body = (
        b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'.encode()
            + (b'; filename="f.jsonl"' if named else b"")
            + b"\r\n\r\n"
            + data
            + b"\r\n"
            for name, data, named in parts
        )
        + f"--{boundary}--\r\n".encode()
        + tail
    )
    with fake.http_client(headers=AUTH) as http:
        answer = http.post(
            "/files",
            content=body,
            headers={"content-type": f"multipart/form-data; boundary={boundary}"},
        )
    assert answer.status_code in (200, 400), answer.text
    fake.check()


@FUZZ
@given(body=st.dictionaries(fields, json_values, max_size=4))
def test_store_writes_never_break_the_fake(body: dict[str, Any]) -> None:
    fake = FakeAssistants()
    with fake.http_client(headers=AUTH) as http:
        store = http.post("/vector_stores", json={}).json()["id"]
        for path in ("/vector_stores", f"/vector_stores/{store}", f"/vector_stores/{store}/files",
                     f"/vector_stores/{store}/file_batches"):  # fmt: skip
            answer = http.post(path, content=json.dumps(body).encode())
            assert answer.status_code in (200, 400), (path, answer.text)
    fake.check()
