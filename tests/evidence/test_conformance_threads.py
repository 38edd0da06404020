"""Conformance of threads, messages, runs, steps and streams: real recorded sessions
(interactions_threads.jsonl, read where it lies, never copied) replayed whole, then the same
sessions with one planted difference each, which must be reported where it was planted.

What these sessions show is pinned from the recordings themselves: a function call answered
with tool outputs and polled to the end (.NET, 2025-09), a streamed create-thread-and-run
whose tool outputs are streamed too, polls the provider answered before it had moved.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from pytest_assistants.evidence.conformance import CONFORMS, check

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

DOTNET = "raw/openai+openai-dotnet/db74b03bd8/tests/SessionRecords/AssistantsTests/"
FUNCTION_TOOLS = DOTNET + "FunctionToolsWork.json"  # 16 interactions, polled
STREAMED_TOOLS = DOTNET + "StreamingToolCall().json"  # 3: create, stream, streamed outputs
BASIC_RUN = DOTNET + "BasicRunOperationsWork.json"  # 11, one poll before the provider moved


def rows_of(recordings: Path, file: str) -> list[dict[str, Any]]:
    """The recorded interactions of one session, in order (copies, to plant into)."""
    rows = []
    with recordings.open(encoding="utf-8") as lines:
        for line in lines:
            if f'"file": "{file}"' in line:
                rows.append(json.loads(line))
    assert rows, f"{file} is not in {recordings}"
    return sorted(rows, key=lambda row: int(row["index"]))


def replayed(tmp_path: Path, rows: list[dict[str, Any]]) -> Any:
    path = tmp_path / "planted.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return check([str(path)])


def statuses(report: Any) -> list[tuple[int, str, str]]:
    return [(r.interaction.index, r.status, r.reason) for r in report.results]


# -- the sessions as recorded ----------------------------------------------------------------


def test_a_function_call_polled_to_its_end_is_reproduced(
    threads_recordings: Path, tmp_path: Path
) -> None:
    report = replayed(tmp_path, rows_of(threads_recordings, FUNCTION_TOOLS))
    assert report == CONFORMS
    # queued, in_progress, requires_action x9, outputs, in_progress, completed, messages:
    # each poll moved the run or found it waiting for outputs, so every one is compared.
    assert [r.interaction.operation for r in report.results].count("threads.runs.retrieve") == 12
    assert len(report.compared) == 16
    assert not report.not_comparable


def test_a_streamed_run_and_streamed_tool_outputs_are_reproduced(
    threads_recordings: Path, tmp_path: Path
) -> None:
    report = replayed(tmp_path, rows_of(threads_recordings, STREAMED_TOOLS))
    assert statuses(report) == [(0, "reproduced", ""), (1, "reproduced", ""), (2, "reproduced", "")]


def test_a_poll_answered_before_the_provider_moved_is_not_sent(
    threads_recordings: Path, tmp_path: Path
) -> None:
    report = replayed(tmp_path, rows_of(threads_recordings, BASIC_RUN))
    assert report == CONFORMS
    (stalled,) = report.not_comparable
    assert stalled.interaction.index == 5  # queued again, right after the create
    assert stalled.reason == "no progress yet (timing)"
    assert len(report.compared) == 10


def test_statuses_the_recording_skipped_are_caught_up(
    threads_recordings: Path, tmp_path: Path
) -> None:
    """Polls dropped from the recording (the provider moved twice between two reads) are
    read by the replay, uncompared: the next recorded poll still matches."""
    rows = rows_of(threads_recordings, FUNCTION_TOOLS)
    kept = [row for row in rows if row["index"] not in (2, 3, 4, 13)]  # in_progress, ...
    report = replayed(tmp_path, kept)
    assert report == CONFORMS
    assert len(report.compared) == len(kept)


# -- planted differences -----------------------------------------------------------------


def _body(rows: list[dict[str, Any]], index: int) -> dict[str, Any]:
    [row] = [row for row in rows if row["index"] == index]
    body: dict[str, Any] = row["response_body"]
    return body


def plant_key_order(rows: list[dict[str, Any]]) -> None:
    body = _body(rows, 12)  # the submit_tool_outputs answer
    body["status"] = body.pop("status")  # moved last


def plant_expiry(rows: list[dict[str, Any]]) -> None:
    _body(rows, 1)["expires_at"] += 1  # 601 s after creation instead of 600


def plant_timestamp_kind(rows: list[dict[str, Any]]) -> None:
    _body(rows, 14)["completed_at"] = None  # the completed run


def plant_usage_shape(rows: list[dict[str, Any]]) -> None:
    del _body(rows, 14)["usage"]["prompt_token_details"]


def plant_float(rows: list[dict[str, Any]]) -> None:
    _body(rows, 2)["temperature"] = 1  # recorded 1.0


def plant_going_back(rows: list[dict[str, Any]]) -> None:
    _body(rows, 14)["status"] = "queued"  # after in_progress: no read takes a run back


def plant_tool_call_type(rows: list[dict[str, Any]]) -> None:
    body = _body(rows, 3)
    body["required_action"]["type"] = "submit_outputs"


def plant_message_role(rows: list[dict[str, Any]]) -> None:
    _body(rows, 15)["data"][1]["role"] = "assistant"  # the user's message


PLANTED: list[tuple[Callable[[list[dict[str, Any]]], None], int, str, str]] = [
    (plant_key_order, 12, "key order", "body"),
    (plant_expiry, 1, "value", "body.expires_at - created_at"),
    (plant_timestamp_kind, 14, "type", "body.completed_at"),
    (plant_usage_shape, 14, "extra field", "body.usage.prompt_token_details"),
    (plant_float, 2, "number format", "body.temperature"),
    (plant_going_back, 14, "value", "body.status"),
    (plant_tool_call_type, 3, "value", "body.required_action.type"),
    (plant_message_role, 15, "value", "body.data[1].role"),
]


@pytest.mark.parametrize(
    ("plant", "index", "kind", "where"), PLANTED, ids=[p[0].__name__ for p in PLANTED]
)
def test_a_planted_difference_in_a_polled_run_is_reported(
    threads_recordings: Path,
    tmp_path: Path,
    plant: Callable[[list[dict[str, Any]]], None],
    index: int,
    kind: str,
    where: str,
) -> None:
    rows = rows_of(threads_recordings, FUNCTION_TOOLS)
    plant(rows)
    report = replayed(tmp_path, rows)
    first = report.mismatches[0]
    assert first.interaction.index == index
    assert first.difference is not None
    assert (first.difference.kind, first.difference.where) == (kind, where)


def _stream(rows: list[dict[str, Any]], index: int) -> list[str]:
    [row] = [row for row in rows if row["index"] == index]
    return str(row["response_body"]).split("\n\n")


def _set_stream(rows: list[dict[str, Any]], index: int, blocks: list[str]) -> None:
    [row] = [row for row in rows if row["index"] == index]
    row["response_body"] = "\n\n".join(blocks)


def test_a_renamed_event_is_reported_in_its_place(threads_recordings: Path, tmp_path: Path) -> None:
    rows = rows_of(threads_recordings, STREAMED_TOOLS)
    blocks = _stream(rows, 1)
    assert blocks[4].startswith("event: thread.run.step.created\n")
    blocks[4] = blocks[4].replace("thread.run.step.created", "thread.run.step.started", 1)
    _set_stream(rows, 1, blocks)
    (mismatch,) = replayed(tmp_path, rows).mismatches
    assert mismatch.difference is not None
    assert (mismatch.difference.kind, mismatch.difference.where) == ("event", "events[4]")
    assert mismatch.difference.recorded == "thread.run.step.started"
    assert mismatch.difference.fake == "thread.run.step.created"


def test_a_changed_event_datum_and_a_missing_event_are_reported(
    threads_recordings: Path, tmp_path: Path
) -> None:
    rows = rows_of(threads_recordings, STREAMED_TOOLS)
    blocks = _stream(rows, 2)  # the streamed tool outputs
    assert blocks[1].startswith("event: thread.run.queued\n")
    blocks[1] = blocks[1].replace('"status":"queued"', '"status":"in_progress"')
    _set_stream(rows, 2, blocks)
    (changed,) = replayed(tmp_path, rows).mismatches
    assert changed.difference is not None
    assert changed.difference.where == "events[1] thread.run.queued.status"

    rows = rows_of(threads_recordings, STREAMED_TOOLS)
    blocks = _stream(rows, 2)
    del blocks[0]  # no thread.run.step.completed first
    _set_stream(rows, 2, blocks)
    (shorter,) = replayed(tmp_path, rows).mismatches
    assert shorter.difference is not None
    assert shorter.difference.where == "events[0]"
    assert shorter.difference.kind == "event"


def test_a_stream_answered_as_json_is_a_difference(
    threads_recordings: Path, tmp_path: Path
) -> None:
    rows = rows_of(threads_recordings, STREAMED_TOOLS)
    [row] = [row for row in rows if row["index"] == 1]
    row["request_body"].pop("stream")  # the fake answers a run object, not events
    mismatch = replayed(tmp_path, rows).mismatches[0]
    assert mismatch.interaction.index == 1
    assert mismatch.difference is not None
    assert (mismatch.difference.kind, mismatch.difference.fake) == ("length", 0)
    assert mismatch.difference.where.startswith("events[0:] (thread.created, thread.run.created")


# -- what the model did, scripted from the recording -----------------------------------------

ZERO_USAGE = {
    "prompt_tokens": 0,
    "completion_tokens": 0,
    "total_tokens": 0,
    "prompt_token_details": {"cached_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 0},
}


def test_a_failed_run_is_scripted_from_its_last_error(
    threads_recordings: Path, tmp_path: Path
) -> None:
    """The session as if the model had failed at the last poll: the replay scripts
    ``fail(code, message)`` from the run's ``last_error``, and the run shows it."""
    rows = [r for r in rows_of(threads_recordings, BASIC_RUN) if r["index"] not in (7, 10)]
    error = {"code": "rate_limit_exceeded", "message": "You exceeded your current quota."}
    ended = _body(rows, 9)
    ended.update(status="failed", last_error=error, usage=ZERO_USAGE, expires_at=None)
    ended.update(failed_at=ended["completed_at"], completed_at=None)
    report = replayed(tmp_path, rows)
    assert report == CONFORMS
    assert [r.interaction.index for r in report.compared][-1] == 9
    ended["failed_at"] = None  # a failed run without its failed_at
    (mismatch,) = replayed(tmp_path, rows).mismatches
    assert mismatch.difference is not None
    assert (mismatch.interaction.index, mismatch.difference.where) == (9, "body.failed_at")


def test_an_expired_run_is_read_after_its_expiry(threads_recordings: Path, tmp_path: Path) -> None:
    """A run read ``expired``: the replay moves the fake's clock to the run's expires_at
    before the read (the test's clock, §14.1), and the run shows it."""
    rows = [r for r in rows_of(threads_recordings, BASIC_RUN) if r["index"] <= 5]
    _body(rows, 5).update(status="expired", expires_at=None, usage=ZERO_USAGE)
    report = replayed(tmp_path, rows)
    assert report == CONFORMS
    assert report.results[-1].status == "reproduced"
