"""Server-side normalisation the 2024-2026 recordings show, through the real SDK."""

from __future__ import annotations

import re
from typing import Any

from tests.expected import served_v2
from tests.helpers import raw_json

DEFAULT_RANKING = {"ranker": "default_2024_08_21", "score_threshold": 0.0, "hybrid_search": None}


def create_raw(client: Any, **body: Any) -> dict[str, Any]:
    return raw_json(client.beta.assistants.with_raw_response.create(model="gpt-4o", **body))


def test_defaults_of_a_bare_assistant(client: Any) -> None:
    body = create_raw(client)
    assert re.fullmatch(r"asst_[A-Za-z0-9]{24}", body["id"])
    assert isinstance(body["created_at"], int)
    assert body == served_v2(body["id"], body["created_at"])


def test_code_interpreter_gets_its_file_list(client: Any) -> None:
    body = create_raw(client, tools=[{"type": "code_interpreter"}])
    assert body["tool_resources"] == {"code_interpreter": {"file_ids": []}}


def test_file_search_gets_default_ranking_options(client: Any) -> None:
    body = create_raw(client, tools=[{"type": "file_search"}])
    assert body["tools"] == [
        {"type": "file_search", "file_search": {"ranking_options": DEFAULT_RANKING}}
    ]
    assert body["tool_resources"] == {"file_search": {"vector_store_ids": []}}


def test_given_file_search_options_gain_hybrid_search(client: Any) -> None:
    tool = {
        "type": "file_search",
        "file_search": {
            "max_num_results": 7,
            "ranking_options": {"ranker": "auto", "score_threshold": 0.5},
        },
    }
    body = create_raw(client, tools=[tool])
    assert body["tools"][0]["file_search"] == {
        "max_num_results": 7,
        "ranking_options": {"ranker": "auto", "score_threshold": 0.5, "hybrid_search": None},
    }


def test_function_tool_shape(client: Any) -> None:
    body = create_raw(client, tools=[{"type": "function", "function": {"name": "f"}}])
    assert body["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "f",
                "description": None,
                "parameters": {"type": "object", "properties": {}},
                "strict": False,
            },
        }
    ]


def test_function_tool_keeps_what_was_given(client: Any) -> None:
    function = {
        "name": "f",
        "description": "does f",
        "parameters": {"type": "object", "properties": {"x": {"type": "string"}}},
        "strict": True,
    }
    body = create_raw(client, tools=[{"type": "function", "function": function}])
    assert body["tools"][0]["function"] == function


def test_vector_stores_helper_creates_a_store(client: Any) -> None:
    body = create_raw(
        client,
        tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_stores": [{"file_ids": ["file-1"]}]}},
    )
    (store,) = body["tool_resources"]["file_search"]["vector_store_ids"]
    # The helper's store of 2025 (.NET FileSearchWorks): "vs_68c9e836cc188191aa245985d6899eee"
    assert re.fullmatch(r"vs_[0-9a-f]{32}", store)
    assert client.vector_stores.retrieve(store).file_counts.total == 1


def test_integers_are_served_as_floats(client: Any) -> None:
    body = create_raw(client, temperature=0, top_p=1)
    assert body["temperature"] == 0.0
    assert isinstance(body["temperature"], float)
    assert isinstance(body["top_p"], float)
