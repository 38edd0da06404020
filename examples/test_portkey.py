"""profile="portkey": the app on a Portkey client, which adds model="portkey-default"."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from app.assistants_service import AssistantManager

if TYPE_CHECKING:
    from pytest_assistants import FakeAssistants

portkey_ai = pytest.importorskip("portkey_ai")


@pytest.fixture
def manager(assistants_fake: FakeAssistants) -> AssistantManager:
    # The app takes any OpenAI-compatible client; this one goes through api.portkey.ai.
    return AssistantManager(portkey_ai.Portkey(api_key="pk-from-env", virtual_key="vk-openai"))


@pytest.mark.assistants(profile="portkey")
def test_partial_updates_through_the_gateway(
    manager: AssistantManager, assistants_fake: FakeAssistants
) -> None:
    made = manager.client.beta.assistants.create(model="gpt-4o", name="gw", metadata={"t": "a"})
    assert manager.rename(made.id, "via portkey") == "via portkey"
    sent = assistants_fake.calls[-1]
    assert sent.json == {"model": "portkey-default", "name": "via portkey"}  # the SDK adds it
    assert sent.headers["x-portkey-virtual-key"] == "vk-openai"
    assert assistants_fake.assistants[made.id]["model"] == "gpt-4o"  # read as "not given"
    assert manager.tag(made.id, env="prod") == {"t": "a", "env": "prod"}
    assert {c.dialect for c in assistants_fake.calls} == {"portkey"}


@pytest.mark.assistants(profile="portkey", portkey_default_model="model_not_found")
def test_if_the_gateway_forwards_portkey_default_only_explicit_models_work(
    manager: AssistantManager, assistants_fake: FakeAssistants
) -> None:
    made = manager.client.beta.assistants.create(model="gpt-4o", name="gw")
    with pytest.raises(Exception) as info:  # portkey-ai raises its vendored openai's errors
        manager.rename(made.id, "refused")
    assert getattr(info.value, "status_code", None) == 400
    assert assistants_fake.calls[-1].response_json["error"]["code"] == "model_not_found"
    assert manager.apply(made.id, name="kept", model=made.model).name == "kept"
