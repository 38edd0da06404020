"""Azure OpenAI against its evidence: every interaction of interactions_azure.jsonl replayed
by conformance with the Azure profile of its host and ``api-version``, drift between Azure
eras, and the profile choice itself. Counts are those of the recordings (INDEX.md).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

import pytest

from pytest_assistants.evidence.conformance import check
from pytest_assistants.evidence.drift import diff
from pytest_assistants.evidence.recordings import load
from pytest_assistants.service.profiles import azure_profile_for
from tests.helpers import ROOT

if TYPE_CHECKING:
    from pathlib import Path

# interactions_azure.jsonl: api-version -> Azure interactions recorded with it.
RECORDED_VERSIONS = {
    "2024-02-15-preview": 9,
    "2024-05-01-preview": 15,
    "2024-08-01-preview": 8,
    "2025-03-01-preview": 5,
}
PROFILE_OF_VERSION = {
    "2024-02-15-preview": "azure-v1@2024-02",
    "2024-05-01-preview": "azure-v2@2024-05",
    "2024-08-01-preview": "azure-v2@2024-08",
    "2025-03-01-preview": "azure-v2@2025-03",
}
# The one Azure list (JS SDK, limit=1) says has_more: the account held assistants made
# outside the recording, so what the page should hold is unknown.
UNKNOWN_ACCOUNT = (
    "azure-sdk-assets-js/Azure__azure-sdk-assets__js__sdk__openai__openai-assistants__"
    "recordings__node__openaiassistants_azureapikey_client_all_crud_apis__recording_creates_"
    "gets_lists_modifies_and_deletes_an_assistant.json@8390a00fc3#5"
)


def test_every_azure_interaction_is_reproduced(azure_recordings: Path) -> None:
    report = check([str(azure_recordings)])
    assert not report.mismatches, "\n".join(report.mismatch_lines())
    assert not [r for r in report.results if r.reason == "endpoint not served"]
    azure = [r for r in report.results if "api-version=" in r.interaction.url]
    versions = Counter(r.interaction.query.partition("api-version=")[2] for r in azure)
    assert versions == RECORDED_VERSIONS
    for result in azure:
        version = result.interaction.query.partition("api-version=")[2]
        assert result.interaction.profile == PROFILE_OF_VERSION[version]
    not_reproduced = [r for r in azure if r.status != "reproduced"]
    assert [(r.reason, r.interaction.where) for r in not_reproduced] == [
        ("account state unknown", UNKNOWN_ACCOUNT)
    ]
    operations = Counter(r.interaction.operation for r in azure if r.status == "reproduced")
    assert operations == {
        "assistants.create": 10,
        "assistants.retrieve": 5,
        "assistants.modify": 9,
        "assistants.delete": 12,
    }
    assert Counter(r.interaction.status for r in azure if r.status == "reproduced") == {
        200: 34,
        404: 2,
    }


def test_the_non_azure_sessions_of_the_file_keep_their_openai_profiles(
    azure_recordings: Path,
) -> None:
    report = check([f"{azure_recordings}?host=api.openai.com"])
    assert {r.interaction.profile for r in report.results} == {"openai-v1@2023-11"}
    assert not report.mismatches


def test_drift_between_azure_eras_shows_the_header_changes(azure_recordings: Path) -> None:
    old = load([f"{azure_recordings}?profile=azure-v2@2024-05"])
    new = load([f"{azure_recordings}?profile=azure-v2@2025-03"])
    lines = diff(old, new).render()
    assert "+ headers openai-organization, openai-processing-ms, openai-version" in lines
    assert "- headers x-ms-client-request-id" in lines


@pytest.mark.parametrize(
    ("host", "version", "expected"),
    [
        ("sanitized.openai.azure.com", "2024-05-01-preview", "azure-v2@2024-05"),
        ("redacted", "2024-02-15-preview", "azure-v1@2024-02"),
        ("endpoint", "2024-08-01-preview", "azure-v2@2024-08"),
        ("x.openai.azure.com", "2025-03-01-preview", "azure-v2@2025-03"),
        ("x.openai.azure.com", "2024-07-01-preview", "azure-v2@2024-05"),
        ("x.openai.azure.com", "2025-01-01-preview", "azure-v2@2024-08"),
        ("x.openai.azure.com", None, "azure-v2@2025-03"),
        ("x.openai.azure.com", "2023-05-15", "azure-v2@2025-03"),
        ("api.openai.com", None, None),
        ("redacted", None, None),
    ],
)
def test_azure_profile_for(host: str, version: str | None, expected: str | None) -> None:
    assert azure_profile_for(host, version) == expected


def test_the_profiles_page_azure_rows_count_the_recordings(azure_recordings: Path) -> None:
    readme = (ROOT / "docs" / "how-to" / "profiles.md").read_text(encoding="utf-8")
    rows = {
        match.group(1): int(match.group(2))
        for match in re.finditer(r"^\| `(azure-v\d@[\d-]+)` \|[^|]*\| (\d+) recorded", readme, re.M)
    }
    assert rows == {PROFILE_OF_VERSION[v]: count for v, count in RECORDED_VERSIONS.items()}
    report = check([str(azure_recordings)])
    by_profile = Counter(
        r.interaction.profile for r in report.results if r.interaction.profile.startswith("azure")
    )
    assert by_profile == rows
    assert "(37 of their 69, each replayed" in readme
    assert "36 reproduced, 1 list whose account state is unknown" in readme
    assert len(report.results) == 69
