"""A run's way through its statuses, one step at a time (§14.1), and the events of each step
(§14.3).

A run advances one recorded status per read (``runs.retrieve``), never by wall time:
``queued -> in_progress``, then the model's scripted step (``script.py``): a reply
(``completed``, or ``incomplete``), function calls (``requires_action`` until outputs are
submitted, then ``queued`` again), or a failure (``failed``); ``cancelling -> cancelled``;
an active run read at or after its ``expires_at`` is ``expired`` (the test moves the clock).
A streamed run takes the same steps at once, writing each one's events.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pytest_assistants.service.resources.messages import handlers as messages
from pytest_assistants.service.resources.runs import records
from pytest_assistants.service.resources.runs.records import (
    RUN,
    STEP,
    TERMINAL,
    new_step,
    render_run,
    render_step,
    tokens,
    usage,
)
from pytest_assistants.service.resources.runs.script import (
    CallTools,
    Fail,
    Incomplete,
    Reply,
)

if TYPE_CHECKING:
    from pytest_assistants.service.resources.common import Context
    from pytest_assistants.service.store import Record, Transaction

Events = list[tuple[str, Any]]
# Streamed messages show their status fields, in this place (§14.3).
MESSAGE_EVENT_KEYS = (
    "id", "object", "created_at", "assistant_id", "thread_id", "run_id", "status",
    "incomplete_details", "incomplete_at", "completed_at", "role", "content",
)  # fmt: skip
_CHUNK = re.compile(r"\s*\w+|\s*[^\w\s]|\s+$")


def chunks(text: str) -> list[str]:
    """The deltas a streamed message arrives in: a word or a mark, with its leading space."""
    return _CHUNK.findall(text) or [text]


class Stepper:
    """Advances the runs of one request, inside its transaction, writing events if asked."""

    def __init__(self, ctx: Context, tx: Transaction, events: Events | None = None) -> None:
        self.ctx, self.tx, self.events = ctx, tx, events
        self.rules = ctx.rules.runs

    def emit(self, name: str, data: Any) -> None:
        if self.events is not None:
            self.events.append((name, data))

    def emit_run(self, run: Record, name: str | None = None) -> None:
        self.emit(f"thread.run.{name or run['status']}", render_run(run, self.rules))

    def emit_step(self, step: Record, name: str) -> None:
        self.emit(f"thread.run.step.{name}", render_step(step, self.rules))

    def emit_message(self, message: Record, name: str) -> None:
        last = "attachments" if self.ctx.rules.messages.attachments else "file_ids"
        keys = (*MESSAGE_EVENT_KEYS, last, "metadata")
        self.emit(f"thread.message.{name}", {key: message[key] for key in keys})

    def now(self) -> int:
        return self.ctx.store.clock.now()

    def save(self, run: Record) -> Record:
        self.tx.put(RUN, run)
        return run

    # -- one step ------------------------------------------------------------------------

    def advance(self, run: Record) -> Record:
        """The run one status further (unchanged when it waits or has ended)."""
        status = run["status"]
        if status in TERMINAL:
            return run
        now = self.now()
        run = dict(run)
        if run["expires_at"] is not None and now >= run["expires_at"]:
            run.update(status="expired", expires_at=None, usage=self._zero())
            self.emit_run(run)
            return self.save(run)
        if status == "queued":
            run.update(status="in_progress", started_at=now)
            self.emit_run(run)
            return self.save(run)
        if status == "in_progress":
            return self.model_acts(run)
        if status == "cancelling":
            run.update(status="cancelled", cancelled_at=now, expires_at=None, usage=self._zero())
            self.emit_run(run)
            return self.save(run)
        return run  # requires_action: waits for the tool outputs

    def until_it_waits(self, run: Record) -> Record:
        """Every step up to an end or to ``requires_action`` (a streamed run)."""
        while run["status"] not in TERMINAL and run["status"] != "requires_action":
            run = self.advance(run)
        return run

    def _zero(self) -> dict[str, Any]:
        return usage(0, 0, self.rules)  # cancelled, failed and expired runs (§14.1)

    # -- what the model does -------------------------------------------------------------

    def model_acts(self, run: Record) -> Record:
        step = self.ctx.script.take()
        if isinstance(step, CallTools):
            return self.call_tools(run, step)
        if isinstance(step, Fail):
            last_error = {"code": step.code, "message": step.message}
            now = self.now()
            run.update(
                status="failed", failed_at=now, expires_at=None, last_error=last_error,
                usage=self._zero(),
            )  # fmt: skip
            self.emit_run(run)
            return self.save(run)
        return self.write_message(run, step)

    def write_message(self, run: Record, step: Reply | Incomplete) -> Record:
        """The assistant message and its message_creation step (§14.3 event order)."""
        tx, now = self.tx, self.now()
        prompt = self.prompt_tokens(run)  # what the model read before it wrote
        message = messages.new_record(tx.new_id(messages.ID_PREFIX), run["thread_id"], now)
        message.update(
            assistant_id=run["assistant_id"], run_id=run["id"], role="assistant",
            status="in_progress", completed_at=None,
        )  # fmt: skip
        details = {"type": "message_creation", "message_creation": {"message_id": message["id"]}}
        made = new_step(tx.new_id(records.STEP_PREFIX), run, "message_creation", details, now)
        self.emit_step(made, "created")
        self.emit_step(made, "in_progress")
        self.emit_message(message, "created")
        self.emit_message(message, "in_progress")
        for index, piece in enumerate(chunks(step.text)):
            text: dict[str, Any] = {"value": piece}
            if index == 0:
                text["annotations"] = []
            delta = {"content": [{"index": 0, "type": "text", "text": text}]}
            self.emit(
                "thread.message.delta",
                {"id": message["id"], "object": "thread.message.delta", "delta": delta},
            )
        message["content"] = [messages.text_part(step.text)]
        cut = step.reason if isinstance(step, Incomplete) else None
        if cut:
            reason = "max_tokens" if cut == "max_completion_tokens" else cut
            message.update(
                status="incomplete", incomplete_at=now, incomplete_details={"reason": reason}
            )
        else:
            message.update(status="completed", completed_at=now)
        self.emit_message(message, message["status"])
        tx.put(messages.KIND, message)
        counted = usage(prompt, tokens(step.text), self.rules)
        made.update(status="completed", completed_at=now, usage=counted)
        self.emit_step(made, "completed")
        tx.put(STEP, made)
        run.update(completed_at=now, expires_at=None, usage=self.run_usage(run))
        if cut:
            details_of = {"reason": cut}
            if self.rules.incomplete_status:
                run.update(status="incomplete", incomplete_details=details_of, completed_at=None)
            else:  # v1 (2024-04-27): completed, with the reason (§14.3)
                run.update(status="completed", incomplete_details=details_of)
        else:
            run["status"] = "completed"
        self.emit_run(run)
        return self.save(run)

    def call_tools(self, run: Record, step: CallTools) -> Record:
        tx, now = self.tx, self.now()
        calls: list[dict[str, Any]] = [
            {"id": tx.new_id(records.CALL_PREFIX), "type": "function", "function": {
                "name": call.name, "arguments": call.arguments, "output": None,
            }}
            for call in step.calls
        ]  # fmt: skip
        made = new_step(
            tx.new_id(records.STEP_PREFIX), run, "tool_calls",
            {"type": "tool_calls", "tool_calls": []}, now,
        )  # fmt: skip
        self.emit_step(made, "created")
        self.emit_step(made, "in_progress")
        for index, call in enumerate(calls):
            function = call["function"]
            first = {"name": function["name"], "arguments": "", "output": None}
            self.emit_step_delta(
                made, [{"index": index, "id": call["id"], "type": "function", "function": first}]
            )
            rest = {"arguments": function["arguments"]}
            self.emit_step_delta(made, [{"index": index, "type": "function", "function": rest}])
        made["step_details"] = {"type": "tool_calls", "tool_calls": calls}
        tx.put(STEP, made)
        asked = [
            {"id": c["id"], "type": "function", "function": {
                "name": c["function"]["name"], "arguments": c["function"]["arguments"],
            }}
            for c in calls
        ]  # fmt: skip
        action = {"type": "submit_tool_outputs", "submit_tool_outputs": {"tool_calls": asked}}
        run.update(status="requires_action", _step=made["id"], required_action=action)
        self.emit_run(run)
        return self.save(run)

    def emit_step_delta(self, step: Record, calls: list[dict[str, Any]]) -> None:
        details = {"type": "tool_calls", "tool_calls": calls}
        self.emit(
            "thread.run.step.delta",
            {
                "id": step["id"],
                "object": "thread.run.step.delta",
                "delta": {"step_details": details},
            },
        )

    # -- usage -----------------------------------------------------------------------------

    def prompt_tokens(self, run: Record) -> int:
        """What the model read: the run's instructions and the thread's messages."""
        counted = tokens(run["instructions"] or "")
        for message in self.tx.records(messages.KIND):
            if message["thread_id"] == run["thread_id"]:
                for part in message["content"]:
                    if part["type"] == "text":
                        counted += tokens(part["text"]["value"])
        return counted

    def run_usage(self, run: Record) -> dict[str, Any]:
        """The run's usage: its steps' added up (tool-call steps included)."""
        prompt = completion = 0
        for step in self.tx.records(STEP):
            if step["run_id"] == run["id"] and step["usage"]:
                prompt += step["usage"]["prompt_tokens"]
                completion += step["usage"]["completion_tokens"]
        return usage(prompt, completion, self.rules)
