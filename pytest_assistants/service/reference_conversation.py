"""The behaviour reference's part on threads, messages, runs and steps (``reference.py``
writes it): what every run does whatever the era, each era's rules with their evidence,
and the wire texts of §14.4."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from pytest_assistants.service import errors
from pytest_assistants.service.resources.runs import records, schema
from pytest_assistants.service.resources.runs.script import DEFAULT_REPLY
from pytest_assistants.service.resources.threads.handlers import MESSAGES_MAX

if TYPE_CHECKING:
    from pytest_assistants.service.errors import ApiError
    from pytest_assistants.service.profiles import ApiRules

THREAD_RULE_EVIDENCE = {
    "key_order": "§14.5 [RB] (v1 without `tool_resources`)",
    "tool_resources": "§14.5 [S1] (v2 only)",
    "metadata_any_scalar": '§14.4 [RB] (v1 stored `true` as `"True"`; v2 refuses it)',
}
MESSAGE_RULE_EVIDENCE = {
    "key_order": "§14.5 [RB] (v1 `file_ids`; v2 `attachments`)",
    "modify_key_order": "§14.5 [RB ruby 2024, lemur 2024, .NET 2025] (legacy shape, even v2)",
    "attachments": "§14.5 [S1]",
    "metadata_any_scalar": "§14.4 [RB]",
}
RUN_RULE_EVIDENCE = {
    "key_order": "§14.5 [RB] (the recorded key sets of each era)",
    "step_key_order": "§14.5 [RB]",
    "invalid_thread": "§14.4 [RB] (v2 only; v1 accepted the same request, 25 recorded)",
    "modify_while_active": "§14.4, §14.6 [RB] (v1 refused a modify of an active run)",
    "incomplete_status": "§14.3 [RB] (v2 2024-04-29 `incomplete`; v1 `completed`)",
    "incomplete_event": (
        "§14.3 [RB] (2024-04-29: `thread.run.completed` with status `incomplete`);"
        " `thread.run.incomplete` later [I:openai/openai-node#1439]"
    ),
    "usage_details": "§14.5 [RB .NET 2025] (`prompt_token_details`, ...)",
    "metadata_any_scalar": "§14.4 [RB]",
    "parallel_tool_calls": "§14.5 [RB] (from 2024-06-08)",
    "file_ids": "§14.5 [RB] (v1 runs show the assistant's `file_ids`)",
}

TEXTS: tuple[tuple[str, ApiError, str], ...] = (
    ("run on an empty thread (v2)", errors.invalid_thread(), "§14.4 [RB]"),
    ("cancel a finished run", errors.cannot_cancel("completed"), "§14.4 [RB]"),
    ("tool outputs to a run not waiting", errors.no_tool_outputs("in_progress"), "§14.4 [RB]"),
    ("modify an active run (v1)", errors.cannot_update_run("in_progress"), "§14.4 [RB]"),
    ("unknown thread", errors.object_not_found("thread", "thread_abc123"), "§14.4 [RB]"),
    ("unknown run step", errors.object_not_found("run step", "step_abc123"), "§14.4 [RB]"),
    ("unknown run", errors.object_not_found("run", "run_abc123"), "INFERRED (§14.4 form)"),
    ("unknown message", errors.object_not_found("message", "msg_abc123"), "INFERRED (§14.4)"),
)

_PROMPT, _COMPLETION = schema.PROMPT_TOKENS, schema.COMPLETION_TOKENS
FIXED: tuple[tuple[str, str, str], ...] = (
    (
        "how a run advances",
        "one status per read of the run (or a clock advance): `queued`, `in_progress`, then"
        " `completed` / `requires_action` / `failed` / `incomplete`; never by wall time",
        "§14.1 [RB]; the timing is a CHOICE",
    ),
    (
        "what the model does",
        "the next step of `fake.script` (`reply`, `call_tools`, `fail`, `incomplete`), taken"
        f' in order across runs; with none scripted, it replies "{DEFAULT_REPLY}"',
        "§14.1 CHOICE (model output is the test's to script)",
    ),
    (
        "`expires_at`",
        f"`created_at + {records.EXPIRES_AFTER}` while active, `null` once ended; an active"
        " run read at or after it is `expired`",
        "§14.1 [RB] (342 of 342 recorded)",
    ),
    (
        "tool outputs",
        "the run is `queued` again, `started_at` and `expires_at` kept, `required_action` `null`",
        "§14.1 [RB]",
    ),
    (
        "cancel",
        "answers `cancelling`; the next read shows `cancelled` with `cancelled_at`",
        "§14.1 [RB]",
    ),
    (
        "`usage`",
        "`null` until the run ends; zero for cancelled, failed and expired runs; otherwise"
        " counted: a token is a word or a punctuation mark, the prompt is the instructions"
        " and the thread's messages, the completion what the model wrote",
        "§14.1 [RB] (null, zeros); the counting is INFERRED (no tokenizer)",
    ),
    (
        "what a run copies",
        "the assistant's `model`, `instructions` and `tools` at creation (run-level"
        " `instructions` replace, `additional_instructions` append); a later modify never"
        " reaches it; `tool_resources` are not copied",
        "§14.2 [RB] (101 of 132 runs identical, the rest overridden)",
    ),
    (
        "poll helpers",
        "an answer to a request sent with `x-stainless-poll-helper: true` carries"
        " `openai-poll-after-ms: 1`",
        "§14.1 CHOICE ([SDK]: the helpers wait what it says, 1 s without it)",
    ),
    (
        "streams",
        "`event: <name>` / `data: <json>` blocks in the recorded order, ending `event: done`"
        " / `data: [DONE]`; a reply arrives a word or a mark per `thread.message.delta`",
        "§14.3 [RB] (10 streamed runs); the chunking is INFERRED",
    ),
    (
        "run token limits",
        f"`max_prompt_tokens` {_PROMPT[0]}..{_PROMPT[1]:,}, `max_completion_tokens`"
        f" {_COMPLETION[0]}..{_COMPLETION[1]:,}",
        "[S1] (256); recorded 256 and 16 accepted [RB]; the minimum of 1 is INFERRED",
    ),
    (
        "messages of a new thread",
        f"at most {MESSAGES_MAX}",
        "INFERRED (API reference)",
    ),
)


def fixed() -> list[str]:
    """What every run does, whatever the era."""
    lines = ["| behaviour | what the fake does | evidence |", "|---|---|---|"]
    lines += [f"| {what} | {does} | {evidence} |" for what, does, evidence in FIXED]
    return [*lines, ""]


def rules_tables(api: ApiRules) -> list[str]:
    """The threads, messages and runs rules of one API version, with their evidence."""
    lines: list[str] = []
    for title, rules, evidence in (
        ("Threads", api.threads, THREAD_RULE_EVIDENCE),
        ("Messages", api.messages, MESSAGE_RULE_EVIDENCE),
        ("Runs and steps", api.runs, RUN_RULE_EVIDENCE),
    ):
        lines += [f"{title}:", "", "| rule | value | evidence |", "|---|---|---|"]
        for spec in dataclasses.fields(rules):
            value = getattr(rules, spec.name)
            shown = ", ".join(f"`{v}`" for v in value) if isinstance(value, tuple) else f"`{value}`"
            lines.append(f"| `{spec.name}` | {shown} | {evidence.get(spec.name, '')} |")
        lines.append("")
    return lines
