"""The one route table: what it matches, how each dialect routes with it, and its names."""

from __future__ import annotations

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.service import routes
from pytest_assistants.service.routes import ALIASES, OPERATIONS, ROUTES, Route, RouteTable


def noop(ctx: object) -> None:
    return None


TABLE = RouteTable(
    (
        Route("POST", "/threads", "threads.create", noop),
        Route("GET", "/threads/{thread_id}", "threads.retrieve", noop),
        Route("POST", "/threads/runs", "threads.create_and_run", noop),
        Route("GET", "/threads/{thread_id}/runs/{run_id}", "threads.runs.retrieve", noop),
        Route(
            "POST", "/threads/{thread_id}/messages/{message_id}", "threads.messages.modify", noop
        ),
    ),
    root="/v1",
    modify_method="PATCH",
)


@pytest.mark.parametrize(
    ("method", "path", "operation", "params"),
    [
        ("POST", "/v1/threads", "threads.create", {}),
        ("POST", "/v1/threads/", "threads.create", {}),  # a trailing slash is the same path
        ("GET", "/v1/threads/thread_1", "threads.retrieve", {"thread_id": "thread_1"}),
        ("POST", "/v1/threads/runs", "threads.create_and_run", {}),  # the literal wins
        # A literal that leads nowhere for this method: the placeholder is tried instead.
        ("GET", "/v1/threads/runs", "threads.retrieve", {"thread_id": "runs"}),
        (
            "GET",
            "/v1/threads/t/runs/r",
            "threads.runs.retrieve",
            {"thread_id": "t", "run_id": "r"},
        ),
        # A modify row answers the table's modify method (PATCH here), not its own POST.
        (
            "PATCH",
            "/v1/threads/t/messages/m",
            "threads.messages.modify",
            {"thread_id": "t", "message_id": "m"},
        ),
    ],
)
def test_a_path_matches_its_row_with_its_ids(
    method: str, path: str, operation: str, params: dict[str, str]
) -> None:
    found = TABLE.match(method, path)
    assert found is not None
    assert (found[0].operation, found[1]) == (operation, params)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/threads/t/messages/m"),  # the modify method is PATCH in this table
        ("DELETE", "/v1/threads"),
        ("GET", "/v1/threads//runs/r"),  # an empty segment is no id
        ("GET", "/v2/threads/t"),  # another root
        ("GET", "/v1threads/t"),
        ("GET", "/v1"),
        ("GET", "/v1/threads/t/runs"),
        ("GET", "/v1/threads/t/runs/r/steps"),
    ],
)
def test_other_paths_match_nothing(method: str, path: str) -> None:
    assert TABLE.match(method, path) is None


def test_every_operation_has_one_row_and_the_aliases_name_rows() -> None:
    assert len(set(OPERATIONS)) == len(ROUTES)
    assert set(ALIASES.values()) <= set(OPERATIONS)
    assert routes.qualified("update") == "assistants.modify"
    assert routes.qualified("assistants.delete") == "assistants.delete"
    with pytest.raises(ValueError, match="unknown operation 'updat'"):
        routes.qualified("updat")


def test_each_dialect_compiles_its_table_once() -> None:
    assert routes.table("/v1", "PATCH") is routes.table("/v1", "PATCH")
    assert routes.table("/openai", "POST").root == "/openai"


def test_zerobot_serves_the_assistant_only() -> None:
    """Zerobot documents the assistant's five operations (§7): any other family endpoint is
    not served (a 501 that says so), never an imitation of a provider answer."""
    fake = FakeAssistants()
    http = fake.http_client("api.zerobot.ai", headers={"authorization": "Bearer k"})
    answer = http.get("/threads/thread_1")
    assert answer.status_code == 501
    assert answer.headers["x-pytest-assistants"] == "not served by pytest-assistants"
    assert [(c.dialect, c.operation) for c in fake.calls] == [("zerobot", "not_served")]


def test_the_journal_names_qualified_operations_and_fail_takes_the_old_names() -> None:
    fake = FakeAssistants()
    fault = fake.fail(503, operation="update")
    assert fault.operation == "assistants.modify"
    client = fake.openai(max_retries=0)
    made = client.beta.assistants.create(model="gpt-4o")
    with pytest.raises(Exception, match="503"):
        client.beta.assistants.update(made.id, name="x")
    assert [(c.operation, c.status) for c in fake.calls] == [
        ("assistants.create", 200),
        ("assistants.modify", 503),
    ]
