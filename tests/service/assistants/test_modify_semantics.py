"""PROVIDER_BEHAVIOUR §3 through the real openai SDK: what modify does to stored state."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import raw_json


def test_omitted_fields_are_unchanged(client: Any) -> None:
    made = client.beta.assistants.create(
        model="gpt-4o", name="n", description="d", instructions="i", metadata={"a": "1"}
    )
    after = client.beta.assistants.update(made.id, temperature=0.3)
    assert (after.name, after.description, after.instructions) == ("n", "d", "i")
    assert after.metadata == {"a": "1"}
    assert after.temperature == 0.3
    assert after.model == "gpt-4o"


@pytest.mark.parametrize("field", ["name", "description", "instructions"])
def test_explicit_null_clears_text_fields(client: Any, field: str) -> None:
    made = client.beta.assistants.create(model="gpt-4o", **{field: "something"})
    after = client.beta.assistants.update(made.id, **{field: None})
    assert getattr(after, field) is None
    assert getattr(client.beta.assistants.retrieve(made.id), field) is None


def test_null_metadata_and_tool_resources_clear(client: Any) -> None:
    made = client.beta.assistants.create(
        model="gpt-4o",
        metadata={"k": "v"},
        tool_resources={"code_interpreter": {"file_ids": ["file-a"]}},
    )
    body = raw_json(
        client.beta.assistants.with_raw_response.update(made.id, metadata=None, tool_resources=None)
    )
    assert body["metadata"] == {}
    assert body["tool_resources"] == {}


def test_null_reasoning_effort_clears(client: Any) -> None:
    made = client.beta.assistants.create(model="o3-mini", reasoning_effort="high")
    assert made.reasoning_effort == "high"
    assert client.beta.assistants.update(made.id, reasoning_effort=None).reasoning_effort is None


def test_null_sampling_resets_to_defaults(client: Any) -> None:
    made = client.beta.assistants.create(
        model="gpt-4o", temperature=0.2, top_p=0.5, response_format={"type": "json_object"}
    )
    body = raw_json(
        client.beta.assistants.with_raw_response.update(
            made.id, temperature=None, top_p=None, response_format=None
        )
    )
    assert (body["temperature"], body["top_p"], body["response_format"]) == (1.0, 1.0, "auto")


@pytest.mark.assistants(null_resets_defaults=False)
def test_null_sampling_can_store_null_instead(client: Any) -> None:
    made = client.beta.assistants.create(model="gpt-4o", temperature=0.2)
    body = raw_json(client.beta.assistants.with_raw_response.update(made.id, temperature=None))
    assert body["temperature"] is None


def test_tools_are_replaced_whole(client: Any) -> None:
    made = client.beta.assistants.create(
        model="gpt-4o", tools=[{"type": "code_interpreter"}, {"type": "file_search"}]
    )
    after = client.beta.assistants.update(
        made.id, tools=[{"type": "function", "function": {"name": "f"}}]
    )
    assert [tool.type for tool in after.tools] == ["function"]
    assert client.beta.assistants.update(made.id, tools=[]).tools == []


def test_tool_resources_are_replaced_per_tool_key(client: Any) -> None:
    made = client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "code_interpreter"}, {"type": "file_search"}],
        tool_resources={
            "code_interpreter": {"file_ids": ["file-a", "file-b"]},
            "file_search": {"vector_store_ids": ["vs_1"]},
        },
    )
    body = raw_json(
        client.beta.assistants.with_raw_response.update(
            made.id, tool_resources={"code_interpreter": {"file_ids": ["file-c"]}}
        )
    )
    assert body["tool_resources"] == {
        "code_interpreter": {"file_ids": ["file-c"]},
        "file_search": {"vector_store_ids": ["vs_1"]},
    }


def test_metadata_is_replaced_whole(client: Any) -> None:
    made = client.beta.assistants.create(model="gpt-4o", metadata={"a": "1", "b": "2"})
    assert client.beta.assistants.update(made.id, metadata={"c": "3"}).metadata == {"c": "3"}
    assert client.beta.assistants.update(made.id, metadata={}).metadata == {}


@pytest.mark.assistants(metadata_merge=True)
def test_metadata_merge_switch(client: Any) -> None:
    made = client.beta.assistants.create(model="gpt-4o", metadata={"a": "1", "b": "2"})
    assert client.beta.assistants.update(made.id, metadata={"b": "x", "c": "3"}).metadata == {
        "a": "1",
        "b": "x",
        "c": "3",
    }


@pytest.mark.assistants(metadata_merge=True)
def test_metadata_merge_counts_merged_pairs(client: Any) -> None:
    from tests.helpers import error_of

    made = client.beta.assistants.create(model="gpt-4o", metadata={f"k{i}": "v" for i in range(10)})
    status, error = error_of(
        lambda: client.beta.assistants.update(made.id, metadata={f"n{i}": "v" for i in range(7)})
    )
    assert (status, error["code"]) == (400, "object_above_max_properties")
    assert len(client.beta.assistants.retrieve(made.id).metadata) == 10


@pytest.mark.assistants(metadata_merge=True)
def test_metadata_merge_allows_sixteen_merged_pairs_and_names_the_seventeenth(
    client: Any,
) -> None:
    """§2 metadata: 16 pairs at most; the 400 text is §2's, counting the merged pairs."""
    from tests.expected import envelope
    from tests.helpers import error_of

    made = client.beta.assistants.create(model="gpt-4o", metadata={f"k{i}": "v" for i in range(10)})
    sixteen = {f"n{i}": "v" for i in range(6)}
    assert len(client.beta.assistants.update(made.id, metadata=sixteen).metadata) == 16
    _, error = error_of(lambda: client.beta.assistants.update(made.id, metadata={"x": "v"}))
    assert {"error": error} == envelope(
        "Invalid 'metadata': too many properties. Expected an object with at most 16"
        " properties, but got an object with 17 properties instead.",
        param="metadata",
        code="object_above_max_properties",
    )


def test_empty_string_is_stored_not_deleted(client: Any) -> None:
    made = client.beta.assistants.create(model="gpt-4o", name="x", metadata={"k": "v"})
    after = client.beta.assistants.update(made.id, name="", metadata={"k": ""})
    assert after.name == ""
    assert after.metadata == {"k": ""}


def test_empty_body_changes_nothing(client: Any, assistant: Any) -> None:
    before = raw_json(client.beta.assistants.with_raw_response.retrieve(assistant.id))
    after = raw_json(client.beta.assistants.with_raw_response.update(assistant.id))
    assert after == before


@pytest.mark.parametrize("model", ["o1", "o3-mini", "o4-mini"])
def test_model_switch_to_reasoning_model_with_stored_temperature_is_rejected(
    client: Any, model: str
) -> None:
    from tests.helpers import error_of

    made = client.beta.assistants.create(model="gpt-4o", temperature=0.5)
    status, error = error_of(lambda: client.beta.assistants.update(made.id, model=model))
    assert status == 400
    assert error == {
        "message": "Unsupported parameter: 'temperature' is not supported with this model.",
        "type": "invalid_request_error",
        "param": "model",
        "code": "unsupported_model",
    }
    assert client.beta.assistants.retrieve(made.id).model == "gpt-4o"


def test_model_switch_to_reasoning_model_after_clearing_temperature(client: Any) -> None:
    made = client.beta.assistants.create(model="gpt-4o", temperature=0.5)
    after = client.beta.assistants.update(made.id, model="o3-mini", temperature=None)
    assert (after.model, after.temperature) == ("o3-mini", 1.0)


def test_response_is_the_full_object(client: Any, assistant: Any) -> None:
    body = raw_json(client.beta.assistants.with_raw_response.update(assistant.id, name="x"))
    assert list(body) == [
        "id", "object", "created_at", "name", "description", "model", "instructions", "tools",
        "top_p", "temperature", "reasoning_effort", "tool_resources", "metadata", "response_format",
    ]  # fmt: skip
