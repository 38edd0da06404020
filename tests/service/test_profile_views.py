"""Every profile's view of an assistant is what its own clients are served.

``fake.assistants[id]`` renders with the profile's explicit ``default`` rules; a retrieve
through the profile's own front door (OpenAI's beta header, Azure's recorded api-version,
Zerobot's host, Portkey's gateway) must answer the same JSON. Before key spaces were kept
apart, the Azure v2 eras showed a v1 object (``file_ids``, ``retrieval``) in the view while
their retrieve served ``tool_resources`` and ``file_search``.
"""

from __future__ import annotations

from typing import Any

import pytest

from pytest_assistants import PROFILES, FakeAssistants
from pytest_assistants.service.profiles import AZURE_PROFILE_VERSIONS

STORED = {
    "id": "asst_view",
    "model": "gpt-4o",
    "name": "viewed",
    "tools": [{"type": "file_search"}, {"type": "code_interpreter"}],
    "metadata": {"k": "v"},
}


def retrieve_as_its_clients_do(fake: FakeAssistants) -> Any:
    """The retrieve the profile's own clients send, raw."""
    profile = fake.profile
    if profile.dialect == "azure":
        version = AZURE_PROFILE_VERSIONS[profile.name]
        http = fake.http_client("contoso.openai.azure.com", headers={"api-key": "k"})
        return http.get(f"/assistants/asst_view?api-version={version}")
    if profile.dialect == "zerobot":
        http = fake.http_client("api.zerobot.ai", headers={"authorization": "Bearer k"})
        return http.get("/assistants/asst_view")
    beta = {"openai-beta": f"assistants={profile.missing_beta_version}"}
    if profile.dialect == "portkey":
        gateway = {"x-portkey-api-key": "pk", "x-portkey-virtual-key": "vk", **beta}
        return fake.http_client("api.portkey.ai", headers=gateway).get("/assistants/asst_view")
    http = fake.http_client(headers={"authorization": "Bearer k", **beta})
    return http.get("/assistants/asst_view")


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_the_view_is_what_a_retrieve_serves(name: str) -> None:
    # The sunset profile answers every route 404: its view is checked against the same
    # rules served before the shutdown.
    profile = PROFILES[name].with_choices(sunset=False)
    fake = FakeAssistants(profile)
    fake.add(STORED)
    answer = retrieve_as_its_clients_do(fake)
    assert answer.status_code == 200, answer.text
    assert list(answer.json()) == list(fake.assistants["asst_view"])  # the keys, in order
    assert answer.json() == fake.assistants["asst_view"]


def test_thirteen_profiles_are_checked() -> None:
    assert len(PROFILES) == 13


@pytest.mark.parametrize("name", ["azure-v2@2024-05", "azure-v2@2024-08", "azure-v2@2025-03"])
def test_an_azure_v2_view_shows_the_v2_object(name: str) -> None:
    """The reported bug: these views showed ``file_ids`` and ``retrieval`` (v1)."""
    fake = FakeAssistants(name)
    shown = fake.add(STORED)
    assert "file_ids" not in shown
    assert [tool["type"] for tool in shown["tools"]] == ["file_search", "code_interpreter"]
    assert shown["tool_resources"] == {}  # preloaded as given: no block was given
