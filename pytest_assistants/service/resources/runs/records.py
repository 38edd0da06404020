"""What runs and run steps hold, and how each era shows them (§14.1, §14.2, §14.5).

A run copies the assistant's ``model``, ``instructions`` and ``tools`` when it is created
(§14.2): a later modify of the assistant never reaches it. ``tool_resources`` is not
copied (recorded ``{}``). Usage is counted, not measured: :func:`tokens` counts words and
punctuation marks (a plausible stand-in for a tokenizer, documented in docs/behaviour.md).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytest_assistants.service.profiles import ApiRules, RunRules
    from pytest_assistants.service.store import Record

RUN = "thread.run"
STEP = "thread.run.step"
RUN_PREFIX = "run_"
STEP_PREFIX = "step_"
CALL_PREFIX = "call_"
EXPIRES_AFTER = 600  # expires_at = created_at + 600 while active (342 of 342 recorded)
TERMINAL = frozenset({"completed", "failed", "cancelled", "expired", "incomplete"})
CANCELLABLE = frozenset({"queued", "in_progress", "requires_action"})
DEFAULT_TRUNCATION = {"type": "auto", "last_messages": None}
_TOKEN = re.compile(r"\w+|[^\w\s]")


def tokens(text: str) -> int:
    """Words and punctuation marks: the fake's stand-in for a tokenizer."""
    return len(_TOKEN.findall(text))


def usage(prompt: int, completion: int, rules: RunRules) -> dict[str, Any]:
    """A ``usage`` object of the era (details from 2025, §14.5)."""
    counted: dict[str, Any] = {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }
    if rules.usage_details:
        counted["prompt_token_details"] = {"cached_tokens": 0}
        counted["completion_tokens_details"] = {"reasoning_tokens": 0}
    return counted


def new_run(run_id: str, thread_id: str, assistant: Record, created_at: int) -> Record:
    """A queued run with the assistant's snapshot (§14.2) and every era's fields."""
    return {
        "id": run_id,
        "object": RUN,
        "created_at": created_at,
        "assistant_id": assistant["id"],
        "thread_id": thread_id,
        "status": "queued",
        "started_at": None,
        "expires_at": created_at + EXPIRES_AFTER,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "required_action": None,
        "last_error": None,
        "model": assistant["model"],
        "instructions": assistant["instructions"],
        "tools": assistant["tools"],
        "file_ids": assistant["file_ids"],
        "tool_resources": {},
        "metadata": {},
        "temperature": assistant["temperature"],
        "top_p": assistant["top_p"],
        "reasoning_effort": assistant["reasoning_effort"],
        "max_completion_tokens": None,
        "max_prompt_tokens": None,
        "truncation_strategy": DEFAULT_TRUNCATION,
        "incomplete_details": None,
        "usage": None,
        "response_format": assistant["response_format"],
        "tool_choice": "auto",
        "parallel_tool_calls": True,
        "_step": None,  # the tool-calls step waiting for outputs (not shown)
    }


def new_step(step_id: str, run: Record, kind: str, details: dict[str, Any], now: int) -> Record:
    return {
        "id": step_id,
        "object": STEP,
        "created_at": now,
        "run_id": run["id"],
        "assistant_id": run["assistant_id"],
        "thread_id": run["thread_id"],
        "type": kind,
        "status": "in_progress",
        "cancelled_at": None,
        "completed_at": None,
        "expires_at": run["expires_at"],
        "failed_at": None,
        "last_error": None,
        "step_details": details,
        "usage": None,
    }


def render_run(record: Record, rules: RunRules) -> dict[str, Any]:
    return {key: record[key] for key in rules.key_order}


def render_step(record: Record, rules: RunRules) -> dict[str, Any]:
    return {key: record[key] for key in rules.step_key_order}


def render_run_for(record: Record, rules: ApiRules) -> dict[str, Any]:
    return render_run(record, rules.runs)


def render_step_for(record: Record, rules: ApiRules) -> dict[str, Any]:
    return render_step(record, rules.runs)


def preloaded_run(obj: Any, now: int) -> Record:
    """A run given whole (``fake.add``, a state file)."""
    assistant = {
        "id": obj.get("assistant_id"),
        "model": None,
        "instructions": None,
        "tools": [],
        "file_ids": [],
        "temperature": 1.0,
        "top_p": 1.0,
        "reasoning_effort": None,
        "response_format": "auto",
    }
    created = int(obj.get("created_at", now))
    record = new_run(str(obj.get("id") or ""), str(obj.get("thread_id") or ""), assistant, created)
    record.update({k: v for k, v in obj.items() if k in record and k != "id"})
    if record["status"] in TERMINAL and "expires_at" not in obj:
        record["expires_at"] = None  # null once ended (§14.1), as a created run's
    return record


def preloaded_step(obj: Any, now: int) -> Record:
    run = {"id": obj.get("run_id"), "assistant_id": obj.get("assistant_id")}
    run.update(thread_id=obj.get("thread_id"), expires_at=None)
    details = obj.get("step_details") or {"type": "message_creation", "message_creation": {}}
    record = new_step(
        str(obj.get("id") or ""), run, str(obj.get("type", details["type"])), details, now
    )
    record.update({k: v for k, v in obj.items() if k in record and k != "id"})
    return record
