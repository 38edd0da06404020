"""CI gate: the fake reproduces the recorded sessions of the rest of the Assistants API
(interactions_threads.jsonl: threads, messages, runs, steps, streams; 1,273 interactions,
2023-11 .. 2025-11), each replayed with the profile of its era and the model's part
scripted from the recording itself.

At least 95% of the compared interactions must be reproduced, and every mismatch must be a
known one (none today). The count of compared interactions per endpoint is pinned, so an
interaction that slips into "not comparable" is noticed; so are the counts per reason, each
with the reason it cannot be compared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytest_assistants.evidence.conformance import check

if TYPE_CHECKING:
    from pathlib import Path

COMPARED = {
    "assistants.create": 51,
    "assistants.modify": 8,
    "threads.create": 158,
    "threads.create_and_run": 15,
    "threads.delete": 14,
    "threads.messages.create": 63,
    "threads.messages.delete": 4,
    "threads.messages.list": 41,
    "threads.messages.modify": 17,
    "threads.messages.retrieve": 14,
    "threads.modify": 21,
    "threads.retrieve": 14,
    "threads.runs.cancel": 10,
    "threads.runs.create": 93,
    "threads.runs.list": 19,
    "threads.runs.modify": 9,
    "threads.runs.retrieve": 87,
    "threads.runs.steps.list": 9,
    "threads.runs.steps.retrieve": 12,
    "threads.runs.submit_tool_outputs": 14,
}
KNOWN_MISMATCHES: dict[str, str] = {}  # where -> why it is accepted (none)
NOT_COMPARABLE = {
    # Files (POST /files, GET /files) and vector stores (and their files and batches) are
    # not served by the fake yet; v1 assistant files and v1 message files never will be.
    "endpoint not served": 213,
    # Multipart uploads whose body the recorder dropped: nothing to send.
    "request body not recorded": 147,
    # A poll the provider answered with the status of the poll before: it had not moved
    # yet. The fake moves one status per read (§14.1), so the poll is not sent.
    "no progress yet (timing)": 189,
    # Steps and messages of runs where the model used code_interpreter, file_search or
    # retrieval (or cited files): what those tools did is not scriptable.
    "built-in tool": 46,
    # 401s for keys the recorder replaced by a placeholder.
    "scrubbed credentials": 3,
    # A setup cassette answering for another thread, and a delete carrying 2023 headers
    # under a v2 request (ruby-openai 04e291ee33).
    "inconsistent recording": 2,
}


def test_the_threads_recordings_are_reproduced(threads_recordings: Path) -> None:
    report = check([str(threads_recordings)])
    compared, mismatches = report.compared, report.mismatches
    assert len(report.results) == 1273
    assert len(compared) - len(mismatches) >= 0.95 * len(compared)
    unknown = [r for r in mismatches if r.interaction.where not in KNOWN_MISMATCHES]
    assert not unknown, "\n".join(report.mismatch_lines())
    counted = {e: row["compared"] for e, row in report.endpoints().items() if row["compared"]}
    assert counted == COMPARED
    assert sum(COMPARED.values()) == len(compared) == 673
    assert {reason: len(r) for reason, r in report.reasons().items()} == NOT_COMPARABLE


def test_most_of_what_the_fake_serves_is_compared(threads_recordings: Path) -> None:
    """What the fake serves is compared except polls that show no progress and the model's
    built-in tools: 673 of the 913 interactions of served endpoints (74%), 53% of the file."""
    report = check([str(threads_recordings)])
    served = [
        r
        for r in report.results
        if r.reason not in ("endpoint not served", "request body not recorded")
    ]
    assert len(served) == 913
    assert len(report.compared) / len(report.results) > 0.5


def test_streams_runs_and_tool_outputs_are_among_the_compared(threads_recordings: Path) -> None:
    report = check([str(threads_recordings)])
    streamed = [r for r in report.compared if r.interaction.streamed]
    assert len(streamed) == 14  # of 18: the other 4 used file_search
    assert {r.interaction.operation for r in streamed} == {
        "threads.runs.create",
        "threads.create_and_run",
        "threads.runs.submit_tool_outputs",
    }
    profiles = {r.interaction.profile for r in report.compared}
    assert {"openai-v1@2023-11", "openai-v1@2024-04", "openai-v2@2024-05"} <= profiles
    assert {"openai-v2@2024-10", "openai-v2@2025-08"} <= profiles
