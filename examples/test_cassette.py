"""Shipped cassettes through the app: OpenAI's documented modify, and a recorded refusal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from app.assistants_service import AssistantManager, ConfigRejected

if TYPE_CHECKING:
    from pytest_assistants import AssistantsCassette

# The app's HR bot settings, as in OpenAI's "Modify assistant" reference example.
HR_HELPER = {
    "instructions": (
        "You are an HR bot, and you have access to files to answer employee questions about"
        " company policies. Always response with info from either of the files."
    ),
    "tools": [{"type": "file_search"}],
    "model": "gpt-4o",
}


@pytest.mark.assistants_cassette("openai-v2/modify_assistant")
def test_documented_modify_replays_through_the_app(assistants_cassette: AssistantsCassette) -> None:
    updated = AssistantManager().apply("asst_abc123", **HR_HELPER)
    assert (updated.model, updated.tools[0].type) == ("gpt-4o", "file_search")
    assert updated.tool_resources.file_search.vector_store_ids == []
    assert updated.id == "asst_123"  # sic: the published response names another id
    assert assistants_cassette.all_played  # answered from the cassette, not the network


@pytest.mark.assistants_cassette("openai-v2/errors")
def test_recorded_refusal_reaches_the_apps_handling(
    assistants_cassette: AssistantsCassette,
) -> None:
    with pytest.raises(ConfigRejected) as info:
        AssistantManager().apply("asst_2cUAxLnLbhPSfE8p6R5G7Hvk", tools=[{"type": "retrieval"}])
    assert (info.value.param, info.value.code) == ("tools[0].type", "invalid_value")
    assert "Supported values are: 'code_interpreter'" in str(info.value)
    assert assistants_cassette.play_count == 1
