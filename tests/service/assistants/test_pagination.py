"""List semantics: limit, order, cursors, first/last ids, has_more; with the SDK's auto-paging."""

from __future__ import annotations

from typing import Any

import pytest

from tests.expected import envelope
from tests.helpers import error_of, raw_json


@pytest.fixture
def five(client: Any, assistants_fake: Any) -> list[str]:
    ids = []
    for index in range(5):
        ids.append(client.beta.assistants.create(model="gpt-4o", name=str(index)).id)
        if index % 2:
            assistants_fake.clock.advance(1)  # some share a second, some do not
    return ids


def test_default_is_newest_first(client: Any, five: list[str]) -> None:
    body = raw_json(client.beta.assistants.with_raw_response.list())
    assert [a["id"] for a in body["data"]] == five[::-1]
    assert (body["first_id"], body["last_id"], body["has_more"]) == (five[-1], five[0], False)
    assert body["object"] == "list"


def test_same_second_objects_keep_creation_order(client: Any, five: list[str]) -> None:
    assert [a.id for a in client.beta.assistants.list(order="asc")] == five


def test_limit_and_after_cursor(client: Any, five: list[str]) -> None:
    first = raw_json(client.beta.assistants.with_raw_response.list(limit=2, order="asc"))
    assert [a["id"] for a in first["data"]] == five[:2]
    assert first["has_more"] is True
    second = raw_json(
        client.beta.assistants.with_raw_response.list(limit=2, order="asc", after=first["last_id"])
    )
    assert [a["id"] for a in second["data"]] == five[2:4]
    last = raw_json(
        client.beta.assistants.with_raw_response.list(limit=2, order="asc", after=second["last_id"])
    )
    assert [a["id"] for a in last["data"]] == five[4:]
    assert last["has_more"] is False


def test_before_cursor_returns_the_page_just_before(client: Any, five: list[str]) -> None:
    page = raw_json(
        client.beta.assistants.with_raw_response.list(limit=2, order="asc", before=five[4])
    )
    assert [a["id"] for a in page["data"]] == five[2:4]
    assert page["has_more"] is True


def test_auto_paging_walks_everything(client: Any, five: list[str]) -> None:
    assert [a.id for a in client.beta.assistants.list(limit=2)] == five[::-1]


def test_empty_list(client: Any) -> None:
    body = raw_json(client.beta.assistants.with_raw_response.list())
    assert body == {
        "object": "list",
        "data": [],
        "first_id": None,
        "last_id": None,
        "has_more": False,
    }


@pytest.mark.parametrize(
    ("query", "param", "code"),
    [({"limit": 0}, "limit", "integer_below_min_value"), ({"limit": 101}, "limit", "integer_above_max_value"),
     ({"order": "sideways"}, "order", "invalid_value"), ({"limit": "ten"}, "limit", "invalid_type")],
)  # fmt: skip
def test_bad_query(client: Any, query: dict[str, Any], param: str, code: str) -> None:
    status, error = error_of(lambda: client.beta.assistants.list(extra_query=query))
    assert (status, error["param"], error["code"]) == (400, param, code)


def test_limit_100_is_accepted(client: Any) -> None:
    assert client.beta.assistants.list(limit=100).data == []


def openai_http(fake: Any) -> Any:
    headers = {"Authorization": "Bearer sk-test", "OpenAI-Beta": "assistants=v2"}
    return fake.http_client(library="httpx", base_url="https://api.openai.com", headers=headers)


@pytest.mark.parametrize(
    ("limit", "message", "code"),
    [
        ("5-", "Invalid type for 'limit': expected an integer, but got a string instead.", "invalid_type"),
        ("", "Invalid type for 'limit': expected an integer, but got a string instead.", "invalid_type"),
        ("-5", "Invalid 'limit': integer below minimum value. Expected a value >= 1, but got -5 instead.",
         "integer_below_min_value"),
    ],
)  # fmt: skip
def test_limit_texts_for_what_is_not_an_integer_in_range(
    assistants_fake: Any, limit: str, message: str, code: str
) -> None:
    """§2 vocabulary: a sign is read only in front; an empty ``limit=`` is a string, not
    the default."""
    with openai_http(assistants_fake) as http:
        answer = http.get("/v1/assistants", params={"limit": limit})
    assert (answer.status_code, answer.json()) == (400, envelope(message, "limit", code))


def test_the_default_page_is_20_and_a_trailing_slash_lists_too(
    client: Any, assistants_fake: Any
) -> None:
    """§5.2: ``limit`` defaults to 20 (the recorded list had 20 items and has_more)."""
    for n in range(21):
        client.beta.assistants.create(model="gpt-4o", name=f"a{n}")
    with openai_http(assistants_fake) as http:
        page = http.get("/v1/assistants/").json()
    assert (len(page["data"]), page["has_more"]) == (20, True)


def test_a_page_that_holds_all_between_has_no_more(client: Any, five: list[str]) -> None:
    """§13 "List cursors": ``has_more: false`` when the page holds all that lies between,
    before a ``before`` cursor as after an ``after`` one (two left, limit two)."""
    page = raw_json(
        client.beta.assistants.with_raw_response.list(limit=2, order="asc", before=five[2])
    )
    assert ([a["id"] for a in page["data"]], page["has_more"]) == (five[:2], False)
    page = raw_json(
        client.beta.assistants.with_raw_response.list(limit=2, order="asc", after=five[2])
    )
    assert ([a["id"] for a in page["data"]], page["has_more"]) == (five[3:], False)


def test_before_cursor_takes_the_last_of_a_longer_window(client: Any, five: list[str]) -> None:
    """The page before a cursor is the ``limit`` assistants nearest it, not the first."""
    page = raw_json(
        client.beta.assistants.with_raw_response.list(limit=3, order="asc", before=five[4])
    )
    assert ([a["id"] for a in page["data"]], page["has_more"]) == (five[1:4], True)


@pytest.mark.parametrize("cursor", ["after", "before"])
def test_an_unknown_cursor_gives_an_empty_page(client: Any, five: list[str], cursor: str) -> None:
    """README "choices": an unknown ``after`` / ``before`` cursor gives an empty page."""
    body = raw_json(client.beta.assistants.with_raw_response.list(**{cursor: "asst_unknown"}))
    assert (body["data"], body["has_more"]) == ([], False)
