"""The replay's parts on their own: server-sent events read and compared, the statuses a
read moves a run through, the model's turns read from what a recording shows of a run,
endpoints named for the report, the comparison rules for a run's timestamps, the kinds ids
name, and uploads read from their recorded lines or rebuilt from their answers."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from pytest_assistants.evidence.comparison import IdMap, first_difference
from pytest_assistants.evidence.objects import Sightings, key_of, kind_of_id
from pytest_assistants.evidence.recordings import Interaction, path_template
from pytest_assistants.evidence.streams import events_difference, parse_events
from pytest_assistants.evidence.sync import reads_between
from pytest_assistants.evidence.turns import Turn, run_turns
from pytest_assistants.evidence.uploads import BOUNDARY, joined_lines, rebuildable, rebuilt

STREAM = (
    'event: thread.run.created\ndata: {"id":"run_1","object":"thread.run","n":1.0}\n\n'
    'event: thread.message.delta\ndata: {"id":"msg_1","object":"thread.message.delta"}\n\n'
    "event: done\ndata: [DONE]\n\n"
)


def test_events_are_read_with_their_json_or_text() -> None:
    assert parse_events(STREAM) == [
        ("thread.run.created", {"id": "run_1", "object": "thread.run", "n": 1.0}),
        ("thread.message.delta", {"id": "msg_1", "object": "thread.message.delta"}),
        ("done", "[DONE]"),
    ]
    assert parse_events("event: x\r\ndata: a\r\ndata: b\r\n\r\n") == [("x", "a\nb")]


def test_events_are_compared_by_name_then_by_data() -> None:
    recorded = parse_events(STREAM)
    same = events_difference(recorded, parse_events(STREAM), IdMap())
    assert same is None
    renamed = [("thread.run.queued", recorded[0][1]), *recorded[1:]]
    found = events_difference(recorded, renamed, IdMap())
    assert found is not None
    assert (found.kind, found.where, found.fake) == ("event", "events[0]", "thread.run.queued")
    integer = [("thread.run.created", {**recorded[0][1], "n": 1}), *recorded[1:]]
    found = events_difference(recorded, integer, IdMap())
    assert found is not None
    assert (found.kind, found.where) == ("number format", "events[0] thread.run.created.n")
    found = events_difference(recorded, recorded[:1], IdMap())
    assert found is not None
    assert (found.kind, found.where) == ("length", "events[1:] (thread.message.delta, done)")


@pytest.mark.parametrize(
    ("now", "then", "reads"),
    [
        ("queued", "queued", 0),
        ("queued", "in_progress", 1),
        ("queued", "completed", 2),
        ("in_progress", "requires_action", 1),
        ("requires_action", "requires_action", 0),
        ("cancelling", "cancelled", 1),
        ("in_progress", "expired", 1),
        ("completed", "queued", None),  # no read takes a run back
        ("queued", "cancelled", None),  # only a cancel does
        ("completed", "expired", None),
    ],
)
def test_reads_between_two_statuses(now: str, then: str, reads: int | None) -> None:
    assert reads_between(now, then) == reads


def recorded(index: int, body: Any, *, streamed: str | None = None) -> Interaction:
    return Interaction(
        source="handmade",
        index=index,
        method="GET",
        url="https://api.openai.com/v1/threads/thread_1/runs/run_1",
        status=200,
        response_json=body,
        response_text=streamed,
        streamed=streamed is not None,
    )


def run(status: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": "run_1",
        "object": "thread.run",
        "thread_id": "thread_1",
        "status": status,
        **fields,
    }


CALL = {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": '{"a":1}'}}
ASKED = {"type": "submit_tool_outputs", "submit_tool_outputs": {"tool_calls": [CALL]}}


def message(text: str, **fields: Any) -> dict[str, Any]:
    part = {"type": "text", "text": {"value": text, "annotations": []}}
    return {"id": "msg_1", "object": "thread.message", "run_id": "run_1", "role": "assistant",
            "thread_id": "thread_1", "content": [part], **fields}  # fmt: skip


def test_the_turns_of_a_run_come_from_what_the_recording_shows() -> None:
    sightings = Sightings(
        [
            recorded(0, run("requires_action", required_action=ASKED)),
            recorded(1, run("requires_action", required_action=ASKED)),  # the same call
            recorded(2, run("completed")),
            recorded(3, {"object": "list", "data": [message("Done.")]}),
        ]
    )
    turns = run_turns(sightings, "run_1")
    assert turns.turns == [Turn("call_tools", calls=(("f", '{"a":1}'),)), Turn("reply", "Done.")]
    assert turns.unscriptable is None


def test_a_failure_a_cut_message_and_stream_chunks_are_turns_too() -> None:
    error = {"code": "server_error", "message": "Sorry."}
    failed = run_turns(Sightings([recorded(0, run("failed", last_error=error))]), "run_1")
    assert failed.turns == [Turn("fail", text="Sorry.", code="server_error")]
    deltas = "".join(
        'event: thread.message.delta\ndata: {"id":"msg_1","object":"thread.message.delta",'
        f'"delta":{{"content":[{{"index":0,"type":"text","text":{{"value":"{piece}"}}}}]}}}}\n\n'
        for piece in ("Col", "umbia")
    )
    cut = message("Columbia", status="incomplete", incomplete_details={"reason": "max_tokens"})
    streamed = deltas + f"event: thread.message.incomplete\ndata: {json.dumps(cut)}\n\n"
    turns = run_turns(Sightings([recorded(0, None, streamed=streamed)]), "run_1")
    assert turns.turns == [
        Turn("incomplete", "Columbia", chunks=("Col", "umbia"), reason="max_completion_tokens")
    ]


def test_what_no_script_reproduces_is_named() -> None:
    step = {"id": "step_1", "object": "thread.run.step", "run_id": "run_1", "created_at": 1,
            "step_details": {"type": "tool_calls", "tool_calls": [{"type": "code_interpreter"}]}}  # fmt: skip
    builtin = run_turns(Sightings([recorded(0, step)]), "run_1")
    assert builtin.unscriptable == (
        "built-in tool",
        "the model used code_interpreter, which no script reproduces",
    )
    two = {"object": "list", "data": [message("a"), {**message("b"), "id": "msg_2"}]}
    several = run_turns(Sightings([recorded(0, two)]), "run_1")
    assert several.unscriptable == (
        "model output not scriptable",
        "the model wrote 2 messages in one run",
    )


def test_endpoints_are_named_by_operation_or_template() -> None:
    assert path_template("/v1/vector_stores/vs_abc123/file_batches/vsfb_x1/files") == (
        "/vector_stores/{id}/file_batches/{id}/files"
    )
    assert path_template("/openai/threads/thread_1/messages/msg_1/files/file-XYZ") == (
        "/threads/{id}/messages/{id}/files/{id}"
    )
    assert recorded(0, None).endpoint == "threads.runs.retrieve"


def test_a_runs_timestamps_are_compared_by_type_and_its_expiry_by_distance() -> None:
    def answer(**fields: Any) -> dict[str, Any]:
        return run("in_progress", object="thread.run", created_at=100, started_at=101,
                   expires_at=700, completed_at=None, usage=None, **fields)  # fmt: skip

    ids = IdMap()

    def differ(left: Any, right: Any) -> Any:
        return first_difference(200, {}, left, 200, {}, right, ids)

    assert (
        differ(answer(), {**answer(), "created_at": 5, "started_at": 6, "expires_at": 605}) is None
    )
    moved = differ(answer(), {**answer(), "expires_at": 701})
    assert (moved.where, moved.recorded, moved.fake) == ("body.expires_at - created_at", 600, 601)
    ended = differ(answer(), {**answer(), "completed_at": 102})
    assert (ended.kind, ended.where) == ("type", "body.completed_at")
    counted = {"prompt_tokens": 627, "completion_tokens": 34, "total_tokens": 661}
    assert differ({"usage": counted}, {"usage": {k: 1 for k in counted}}) is None
    floated = differ({"usage": counted}, {"usage": {**counted, "total_tokens": 1.0}})
    assert (floated.kind, floated.where) == ("type", "body.usage.total_tokens")


def test_ids_name_their_kind_and_a_stores_file_is_filed_under_its_store() -> None:
    assert [kind_of_id(i) for i in ("file-AbC1", "vs_1a", "vsfb_ibj_1a", "call_1", "vs_")] == [
        "file",
        "vector_store",
        "vector_store.file_batch",
        None,
        None,
    ]
    attached = {"id": "file-A1", "object": "vector_store.file", "vector_store_id": "vs_1"}
    assert key_of(attached) == "vs_1/file-A1"
    assert key_of({"id": "file-A1", "object": "file"}) == "file-A1"


def upload(status: int, body: Any, content_type: str = "multipart/form-data; boundary=b") -> Any:
    return Interaction(
        source="handmade",
        index=0,
        method="POST",
        url="https://api.openai.com/v1/files",
        status=status,
        request_headers={"content-type": content_type},
        response_json=body,
    )


def test_a_dropped_upload_is_rebuilt_from_its_answer_only() -> None:
    answer = {"object": "file", "id": "file-A1", "purpose": "assistants",
              "filename": 'a "b".txt', "bytes": 12}  # fmt: skip
    body, content_type = rebuilt(upload(200, answer))
    assert content_type == f"multipart/form-data; boundary={BOUNDARY}"
    assert b'name="purpose"\r\n\r\nassistants\r\n' in body
    assert b'filename="a %22b%22.txt"' in body
    assert b"\r\n\r\n" + b"x" * 12 + b"\r\n--" in body
    assert rebuildable(upload(200, answer))
    assert not rebuildable(upload(400, {"error": {}}))  # nothing says what was sent
    assert not rebuildable(upload(200, {**answer, "bytes": None}))
    assert not rebuildable(upload(200, answer, content_type="application/json"))


def test_recorded_multipart_lines_are_joined_with_their_bytes() -> None:
    lines = ["--b\r\n", "b64:" + base64.b64encode(b"\x00\xff").decode(), "\r\n--b--\r\n"]
    assert joined_lines(lines) == b"--b\r\n\x00\xff\r\n--b--\r\n"
    assert joined_lines(["b64:not base64!"]) is None
    assert joined_lines({"purpose": "assistants"}) is None
    assert joined_lines(None) is None
