"""The documented choices where evidence is missing (docs/reference/configuration.md, 'Where the evidence is missing')."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of, raw_json


def test_q4_tool_resources_kept_when_tool_removed(client: Any) -> None:
    made = client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_store_ids": ["vs_1"]}},
    )
    body = raw_json(client.beta.assistants.with_raw_response.update(made.id, tools=[]))
    assert body["tools"] == []
    assert body["tool_resources"] == {"file_search": {"vector_store_ids": ["vs_1"]}}


def test_q5_referenced_ids_are_checked_by_prefix_only(client: Any, assistant: Any) -> None:
    resources = {"code_interpreter": {"file_ids": ["file-never-uploaded"]}}
    assert client.beta.assistants.update(assistant.id, tool_resources=resources).tool_resources
    status, error = error_of(
        lambda: client.beta.assistants.update(
            assistant.id, tool_resources={"file_search": {"vector_store_ids": ["store-1"]}}
        )
    )
    assert (status, error["code"]) == (400, "invalid_value")
    assert error["message"].endswith("Expected an ID that begins with 'vs'.")


def test_q10_reasoning_effort_accepted_on_any_model(client: Any, assistant: Any) -> None:
    assert (
        client.beta.assistants.update(assistant.id, reasoning_effort="low").reasoning_effort
        == "low"
    )


def test_q11_unknown_beta_value_gets_the_missing_header_text(client: Any) -> None:
    status, error = error_of(
        lambda: client.beta.assistants.list(extra_headers={"OpenAI-Beta": "assistants=v3"})
    )
    assert (status, error["code"]) == (400, "invalid_beta")
    assert error["message"].startswith("You must provide the 'OpenAI-Beta' header")


def test_unknown_cursor_gives_an_empty_page(client: Any, assistant: Any) -> None:
    body = raw_json(client.beta.assistants.with_raw_response.list(after="asst_gone"))
    assert (body["data"], body["has_more"]) == ([], False)


def test_reasoning_model_accepts_default_sampling(client: Any) -> None:
    made = client.beta.assistants.create(model="o3-mini", temperature=1, top_p=1.0)
    assert client.beta.assistants.update(made.id, name="ok").model == "o3-mini"
    status, error = error_of(lambda: client.beta.assistants.update(made.id, top_p=0.5))
    assert (status, error["param"], error["code"]) == (400, "model", "unsupported_model")
    assert "'top_p'" in error["message"]
