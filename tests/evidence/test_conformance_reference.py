"""CI gate: the fake reproduces every comparable create / retrieve / modify / list / delete
interaction of the shared real recordings, each replayed with the profile of its era.

What cannot be compared is listed here, grouped by reason, with the justification; the test
fails if an interaction becomes not comparable for any other reason or starts to match.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from pytest_assistants.evidence.conformance import check
from pytest_assistants.service.routes import OPERATIONS

# The interactions.jsonl recordings are of the assistant's own five operations.
ASSISTANTS_OPERATIONS = {op for op in OPERATIONS if op.count(".") == 1 and "assistants." in op}
# The ruby-openai-404 cassettes: real 404s (and their neighbours) of threads and run steps.
THREADS_COMPARED = {
    "threads.delete": 1,
    "threads.modify": 3,
    "threads.retrieve": 1,
    "threads.runs.steps.retrieve": 19,
}

if TYPE_CHECKING:
    from pathlib import Path

NOT_COMPARABLE: dict[str, tuple[str, set[str]]] = {
    "account state unknown": (
        "The account held assistants made before the recording: the page says has_more, so"
        " the assistants beyond it (and whether the fake's page should end) are unknown.",
        {
            "recording_creates_gets_lists_modifies_and_deletes_an_assistant@8390a00fc3.json#4",
            "assistants@0a05a33f95.yml#2",
            "assistants@0f6dc8d6e6.yml#2",
            "assistants@b075f969c7.yml#2",
            "assistants@f61c7309f6.yml#2",
            "assistants_list@322ea6aeac.yml#1",
            "assistants_list@322ea6aeac.yml#2",
            "assistants_list@32ae8bf5d6.yml#1",
        },
    ),
    "inconsistent recording": (
        "The Date header predates assistants in the body (April and August 2023, before the"
        " API existed): the cassette's headers were copied from another recording.",
        {
            "assistants_list@7760612bb8.yml#1",
            "assistants_list@ecf81a5103.yml#1",
            "assistants_list@ecf81a5103.yml#2",
        },
    ),
    "scrubbed credentials": (
        "401 invalid_api_key for a key the recorder replaced by <OPENAI_ACCESS_TOKEN>, in"
        " the request and in the echoed message: the provider's masked echo of the real key"
        " cannot be reproduced.",
        {
            "assistants_delete@7760612bb8.yml#2",
            "assistants_modify@7760612bb8.yml#2",
            "assistants_retrieve@7760612bb8.yml#1",
            "assistants_retrieve@7760612bb8.yml#3",
            "assistants_retrieve@ecf81a5103.yml#1",
        },
    ),
    "state changed outside the fake": (
        "A v1 assistant-files call (POST /v1/assistants/{id}/files), which the replay does"
        " not send, attached a file (v1: file_ids; v2 era: a new vector store) before this"
        " retrieve; the fake is resynchronised from this answer and the session goes on.",
        {
            "assistants@0a05a33f95.yml#5",
            "assistants@0f6dc8d6e6.yml#5",
            "assistants@b075f969c7.yml#5",
            "assistants@f61c7309f6.yml#5",
        },
    ),
}
OTHER_REASONS = {
    # v1 message files are outside the fake's scope (removed in v2).
    "endpoint not served",
    # The fake serves v1 assistant files; the replay does not send them yet (it keys these
    # sessions by assistant).
    "v1 assistant files not replayed",
}


def short(where: str) -> str:
    return where.rsplit("__", 1)[-1]


def test_every_comparable_interaction_of_the_reference_recordings_matches(
    reference_recordings: Path,
) -> None:
    report = check([str(reference_recordings)])
    assert not report.mismatches, "\n".join(report.mismatch_lines())

    compared = Counter(r.interaction.operation for r in report.compared)
    assert set(compared) == ASSISTANTS_OPERATIONS | set(THREADS_COMPARED), compared
    assert {o: n for o, n in compared.items() if o in THREADS_COMPARED} == THREADS_COMPARED
    assert sum(n for o, n in compared.items() if o in ASSISTANTS_OPERATIONS) == 209
    profiles = {r.interaction.profile for r in report.compared}
    assert {"openai-v1@2023-11", "openai-v1@2024-04", "openai-v2@2024-05"} <= profiles
    assert "openai-v2@2025-08" in profiles

    found: dict[str, set[str]] = {}
    for result in report.not_comparable:
        if result.interaction.operation in ASSISTANTS_OPERATIONS:
            found.setdefault(result.reason, set()).add(short(result.interaction.where))
        else:
            assert result.reason in OTHER_REASONS, result.reason
    assert found == {reason: wheres for reason, (_, wheres) in NOT_COMPARABLE.items()}


def test_sessions_mixing_eras_are_replayed_per_era(reference_recordings: Path) -> None:
    """Ruby VCR appended 2024 v2 interactions to 2023 v1 cassettes: one session per era."""
    report = check([f"{reference_recordings}?source=assistants_modify@322ea6aeac"])
    by_profile = {r.interaction.profile: r.status for r in report.results}
    assert by_profile == {"openai-v1@2023-11": "reproduced", "openai-v2@2024-05": "reproduced"}
    assert report.sessions == 2
