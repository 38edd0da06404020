"""OpenAI v1 and the dated v2 profiles, through the real SDK (openai 2.x or 3.x).

v1 is reached as users did: ``extra_headers={"OpenAI-Beta": "assistants=v1"}``, v1-only
fields through ``extra_body``. Each test names the PROVIDER_BEHAVIOUR row it checks.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.helpers import error_of

openai = pytest.importorskip("openai")

V1 = {"OpenAI-Beta": "assistants=v1"}
V1_2023 = pytest.mark.assistants(profile="openai-v1@2023-11")
V1_2024 = pytest.mark.assistants(profile="openai-v1@2024-04")
V2_2024_05 = pytest.mark.assistants(profile="openai-v2@2024-05")
V2_2024_10 = pytest.mark.assistants(profile="openai-v2@2024-10")


def create_v1(client: Any, **body: Any) -> dict[str, Any]:
    """A v1 create, returning the body as served (key order kept)."""
    response = client.beta.assistants.with_raw_response.create(
        model=body.pop("model", "gpt-4"), extra_headers=V1, extra_body=body
    )
    return json.loads(response.http_response.content)  # type: ignore[no-any-return]


def modify_v1(client: Any, assistant_id: str, **body: Any) -> dict[str, Any]:
    response = client.beta.assistants.with_raw_response.update(
        assistant_id, extra_headers=V1, extra_body=body
    )
    return json.loads(response.http_response.content)  # type: ignore[no-any-return]


@V1_2023
def test_v1_2023_object_has_the_launch_key_order(client: Any) -> None:
    """§5.1: 2023-11 ``id .. tools, file_ids, metadata`` (ruby-openai 2023-11-14)."""
    served = create_v1(client, name="Math", file_ids=["file-abc"])
    assert list(served) == [
        "id", "object", "created_at", "name", "description", "model", "instructions",
        "tools", "file_ids", "metadata",
    ]  # fmt: skip
    assert served["file_ids"] == ["file-abc"]
    retrieved = client.beta.assistants.with_raw_response.retrieve(served["id"], extra_headers=V1)
    assert json.loads(retrieved.http_response.content) == served


@V1_2024
def test_v1_2024_adds_sampling_fields_in_their_recorded_places(client: Any) -> None:
    served = create_v1(client, temperature=0.5, response_format={"type": "json_object"})
    assert list(served)[7:] == [
        "tools", "top_p", "temperature", "file_ids", "metadata", "response_format",
    ]  # fmt: skip
    assert served["temperature"] == 0.5
    assert served["response_format"] == {"type": "json_object"}


@V1_2023
@pytest.mark.parametrize("field", ["temperature", "top_p", "response_format"])
def test_v1_2023_rejects_later_fields_as_unknown(client: Any, field: str) -> None:
    value = "auto" if field == "response_format" else 1
    status, body = error_of(lambda: create_v1(client, **{field: value}))
    assert status == 400
    assert body == {
        "message": f"Unknown parameter: '{field}'.",
        "type": "invalid_request_error",
        "param": field,
        "code": "unknown_parameter",
    }


@V1_2023
def test_v1_file_ids_are_replaced_and_missing_ones_detached(client: Any) -> None:
    """[S0]: a file missing from the new list is deleted from the assistant."""
    made = create_v1(client, file_ids=["file-a", "file-b"])
    served = modify_v1(client, made["id"], file_ids=["file-b", "file-c"])
    assert served["file_ids"] == ["file-b", "file-c"]
    unchanged = modify_v1(client, made["id"], name="kept")
    assert unchanged["file_ids"] == ["file-b", "file-c"]


@V1_2023
def test_v1_file_ids_hold_at_most_20(client: Any) -> None:
    made = create_v1(client)
    files = [f"file-{i}" for i in range(21)]
    status, body = error_of(lambda: modify_v1(client, made["id"], file_ids=files))
    assert (status, body["code"], body["param"]) == (
        400, "array_above_max_length", "file_ids",
    )  # fmt: skip
    assert "maximum length 20, but got an array with length 21" in body["message"]
    assert modify_v1(client, made["id"], file_ids=files[:20])["file_ids"] == files[:20]


@V1_2023
def test_v1_file_ids_begin_with_file(client: Any) -> None:
    """§2: v1 ``file_ids`` are OpenAI file ids, the same check as v2's resource ids."""
    made = create_v1(client)
    status, body = error_of(lambda: modify_v1(client, made["id"], file_ids=["doc-1"]))
    assert (status, body["param"], body["code"], body["message"]) == (
        400,
        "file_ids[0]",
        "invalid_value",
        "Invalid 'file_ids[0]': 'doc-1'. Expected an ID that begins with 'file'.",
    )


@V1_2024
def test_v1_rejects_v2_resources_with_its_own_wording(client: Any) -> None:
    made = create_v1(client)
    status, body = error_of(
        lambda: modify_v1(client, made["id"], tool_resources={"code_interpreter": {}})
    )
    assert (status, body["message"]) == (400, "Unknown parameter: 'tool_resources'.")
    status, body = error_of(lambda: modify_v1(client, made["id"], tools=[{"type": "file_search"}]))
    assert body["message"] == (
        "Invalid value: 'file_search'. Supported values are: 'code_interpreter', 'function',"
        " and 'retrieval'."
    )
    assert body["param"] == "tools[0].type"
    assert modify_v1(client, made["id"], tools=[{"type": "retrieval"}])["tools"] == [
        {"type": "retrieval"}
    ]


@V1_2024
@pytest.mark.parametrize("model", ["gpt-4o", "gpt-4.1", "o3-mini"])
def test_v1_refuses_v2_only_models(client: Any, model: str) -> None:
    status, body = error_of(lambda: create_v1(client, model=model))
    assert status == 400
    assert body == {
        "message": f"The requested model '{model}' cannot be used with the Assistants API in v1."
        " Follow the migration guide to upgrade to v2:"
        " https://platform.openai.com/docs/assistants/migration.",
        "type": "invalid_request_error",
        "param": "model",
        "code": "unsupported_model",
    }


@pytest.mark.parametrize(
    ("profile", "limit"), [("openai-v1@2023-11", 32_768), ("openai-v1@2024-04", 256_000)]
)
def test_v1_instructions_limit_follows_the_2024_04_09_change(profile: str, limit: int) -> None:
    from pytest_assistants import FakeAssistants

    client = FakeAssistants(profile).openai(max_retries=0)
    made = create_v1(client, instructions="x" * limit)
    assert len(made["instructions"]) == limit
    status, body = error_of(lambda: modify_v1(client, made["id"], instructions="x" * (limit + 1)))
    assert (status, body["code"]) == (400, "string_above_max_length")
    assert f"maximum length {limit}, but got a string with length {limit + 1}" in (body["message"])


@pytest.mark.parametrize("profile", ["openai-v1@2023-11", "openai-v1@2024-04"])
def test_missing_header_names_v1_in_v1_only_eras(profile: str) -> None:
    from pytest_assistants import FakeAssistants

    http = FakeAssistants(profile).http_client()
    answer = http.get("/assistants", headers={"Authorization": "Bearer k"})
    assert answer.status_code == 400
    assert answer.json()["error"]["message"].endswith("'OpenAI-Beta: assistants=v1'.")
    assert answer.json()["error"]["code"] == "invalid_beta"


def test_default_profile_answers_v1_with_the_deprecation(client: Any) -> None:
    status, body = error_of(lambda: create_v1(client))
    assert status == 400
    assert body["message"].startswith("The v1 Assistants API has been deprecated.")
    assert body["code"] == "invalid_beta"


@V2_2024_05
def test_2024_05_serves_both_versions_over_one_store(client: Any) -> None:
    made_v1 = create_v1(client, tools=[{"type": "retrieval"}], file_ids=["file-a"])
    seen_v2 = client.beta.assistants.with_raw_response.retrieve(made_v1["id"])
    as_v2 = json.loads(seen_v2.http_response.content)
    assert "file_ids" not in as_v2
    assert "tool_resources" in as_v2
    assert as_v2["tools"] == [{"type": "file_search"}]
    assert as_v2["tool_resources"] == {"file_search": {"vector_store_ids": []}}
    made_v2 = client.beta.assistants.create(model="gpt-4o", tools=[{"type": "file_search"}])
    seen_v1 = client.beta.assistants.with_raw_response.retrieve(made_v2.id, extra_headers=V1)
    as_v1 = json.loads(seen_v1.http_response.content)
    assert as_v1["tools"] == [{"type": "retrieval"}]
    assert "tool_resources" not in as_v1
    ids = [a.id for a in client.beta.assistants.list(extra_headers=V1)]
    assert sorted(ids) == sorted([made_v1["id"], made_v2.id])


@V2_2024_05
def test_2024_05_v2_echoes_tools_as_given_and_knows_no_later_fields(client: Any) -> None:
    function = {"name": "f", "parameters": {"type": "object"}}
    made = client.beta.assistants.with_raw_response.create(
        model="gpt-4o", tools=[{"type": "file_search"}, {"type": "function", "function": function}]
    )
    served = json.loads(made.http_response.content)
    assert served["tools"] == [{"type": "file_search"}, {"type": "function", "function": function}]
    assert "reasoning_effort" not in served
    _, body = error_of(lambda: client.beta.assistants.update(served["id"], reasoning_effort="low"))
    assert body["message"] == "Unknown parameter: 'reasoning_effort'."
    schema = {"type": "json_schema", "json_schema": {"name": "out"}}
    _, body = error_of(
        lambda: client.beta.assistants.update(served["id"], response_format=schema)  # type: ignore[arg-type]
    )
    assert body["param"] == "response_format.type"
    _, body = error_of(lambda: client.beta.assistants.create(model="gpt-4.1"))
    assert body["code"] == "model_not_found"


@V2_2024_10
def test_2024_10_file_search_gains_ranking_options_without_hybrid_search(client: Any) -> None:
    made = client.beta.assistants.with_raw_response.create(
        model="gpt-4o", tools=[{"type": "file_search"}]
    )
    served = json.loads(made.http_response.content)
    assert served["tools"] == [
        {
            "type": "file_search",
            "file_search": {
                "ranking_options": {"ranker": "default_2024_08_21", "score_threshold": 0.0}
            },
        }
    ]
    assert "reasoning_effort" not in served


@pytest.mark.assistants(profile="openai@2026-08-26")
def test_sunset_profile_answers_every_route_with_404(client: Any) -> None:
    calls = [
        lambda: client.beta.assistants.create(model="gpt-4o"),
        lambda: client.beta.assistants.retrieve("asst_abc"),
        lambda: client.beta.assistants.update("asst_abc", name="x"),
        lambda: client.beta.assistants.list(),
        lambda: client.beta.assistants.delete("asst_abc"),
    ]
    for call in calls:
        status, body = error_of(call)
        assert status == 404
        assert body["type"] == "invalid_request_error"


ERA_BY_OPTION = """
    import json

    def test_era(assistants_fake):
        client = assistants_fake.openai()
        made = client.beta.assistants.with_raw_response.create(
            model="gpt-4", extra_headers={"OpenAI-Beta": "assistants=v1"}
        )
        assert list(json.loads(made.http_response.content))[-2:] == EXPECTED
"""


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("cli", ["file_ids", "metadata"]),
        ("ini", ["metadata", "response_format"]),
    ],
)
def test_command_line_and_ini_pick_the_era(
    pytester: pytest.Pytester, how: str, expected: list[str]
) -> None:
    pytester.makepyfile(ERA_BY_OPTION.replace("EXPECTED", repr(expected)))
    args = ["-W", "ignore::DeprecationWarning"]
    if how == "cli":
        args.append("--assistants-profile=openai-v1@2023-11")
    else:
        pytester.makeini("[pytest]\nassistants_profile = openai-v1@2024-04\n")
    pytester.runpytest(*args).assert_outcomes(passed=1)


@V1_2023
def test_v1_unknown_id_and_non_string_metadata(client: Any) -> None:
    """§4.2 404 text; a boolean metadata value is refused (no recording shows v1 coercion)."""
    status, body = error_of(lambda: modify_v1(client, "asst_missing", name="x"))
    assert (status, body["message"]) == (404, "No assistant found with id 'asst_missing'.")
    made = create_v1(client)
    status, body = error_of(lambda: modify_v1(client, made["id"], metadata={"modified": True}))
    assert (status, body["code"], body["param"]) == (400, "invalid_type", "metadata.modified")


@V2_2024_05
def test_2024_05_renames_the_file_tool_wherever_it_stands(client: Any) -> None:
    """retrieval <-> file_search is a rename of that one tool (v2 migration guide): the
    tools before and after it are served as stored, and a v2 vector store stays attached."""
    made = create_v1(client, tools=[{"type": "code_interpreter"}, {"type": "retrieval"}])
    client.beta.assistants.update(
        made["id"], tool_resources={"file_search": {"vector_store_ids": ["vs_abc"]}}
    )
    seen = json.loads(
        client.beta.assistants.with_raw_response.retrieve(made["id"]).http_response.content
    )
    assert seen["tools"] == [{"type": "code_interpreter"}, {"type": "file_search"}]
    assert seen["tool_resources"]["file_search"] == {"vector_store_ids": ["vs_abc"]}
