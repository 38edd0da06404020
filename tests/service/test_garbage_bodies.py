"""Bad input gets the provider's 4xx envelope, never a 500, and the store stays byte-identical."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.helpers import GARBAGE, PARSE_ERROR

HEADERS = {"Authorization": "Bearer sk-test", "OpenAI-Beta": "assistants=v2"}


@pytest.fixture
def stored(assistants_fake: Any) -> tuple[Any, str]:
    http = assistants_fake.http_client()
    made = http.post(
        "/assistants",
        headers=HEADERS,
        json={"model": "gpt-4o", "name": "keep", "metadata": {"a": "b"}},
    )
    return http, made.json()["id"]


@pytest.mark.parametrize(("case", "body"), GARBAGE, ids=[c for c, _ in GARBAGE])
@pytest.mark.parametrize("target", ["modify", "create"])
def test_garbage_is_400_parse_error_and_state_unchanged(
    assistants_fake: Any, stored: tuple[Any, str], case: str, body: bytes, target: str
) -> None:
    http, assistant_id = stored
    before = assistants_fake.snapshot()
    path = f"/assistants/{assistant_id}" if target == "modify" else "/assistants"
    response = http.post(
        path, headers={**HEADERS, "content-type": "application/json"}, content=body
    )
    assert response.status_code == 400
    assert response.json() == PARSE_ERROR
    assert assistants_fake.snapshot() == before


def test_oversized_body_is_413(assistants_fake: Any, stored: tuple[Any, str]) -> None:
    http, assistant_id = stored
    before = assistants_fake.snapshot()
    huge = json.dumps({"instructions": "x" * (9 * 1024 * 1024)}).encode()
    response = http.post(f"/assistants/{assistant_id}", headers=HEADERS, content=huge)
    assert response.status_code == 413
    assert response.json()["error"]["type"] == "invalid_request_error"
    assert assistants_fake.snapshot() == before


@pytest.mark.parametrize(
    "patch",
    [{"name": {"nested": ["deep"] * 1000}}, {"tools": [[]] * 5}, {"metadata": [1, 2]},
     {"tool_resources": {"code_interpreter": None}}, {"tools": [{"type": None}]}, {"response_format": 5},
     {"temperature": True}, {"tools": [{"type": "function", "function": {"name": 1, "parameters": []}}]}],
)  # fmt: skip
def test_wrong_shapes_are_400_and_state_unchanged(
    assistants_fake: Any, stored: tuple[Any, str], patch: dict[str, Any]
) -> None:
    http, assistant_id = stored
    before = assistants_fake.snapshot()
    response = http.post(f"/assistants/{assistant_id}", headers=HEADERS, json=patch)
    assert response.status_code == 400, response.text
    assert set(response.json()["error"]) == {"message", "type", "param", "code"}
    assert assistants_fake.snapshot() == before


def test_duplicate_keys_last_wins(assistants_fake: Any, stored: tuple[Any, str]) -> None:
    http, assistant_id = stored
    response = http.post(
        f"/assistants/{assistant_id}", headers=HEADERS, content=b'{"name": "a", "name": "b"}'
    )
    assert response.json()["name"] == "b"
