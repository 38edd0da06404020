"""The model's part of a recorded run, read from the recording itself, as ``fake.script``
steps (DESIGN "The whole Assistants API"; §14: what the model said is scripted, the rest
is the provider's behaviour and compared).

A run's turns, in order: each set of function calls it asked for (``required_action``, or
its ``tool_calls`` steps), then how it ended: the assistant message it wrote (its text from
any later message list, retrieve or stream, and the stream's chunks when streamed), its
``last_error`` when it failed, its cut message when it was incomplete. A run whose steps
show a built-in tool (code interpreter, file search, retrieval), whose message carries
annotations (their citations), or that wrote several messages or other parts than one text
did what no script reproduces: :attr:`RunTurns.unscriptable` says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pytest_assistants.evidence.objects import Sightings, events_of

if TYPE_CHECKING:
    from pytest_assistants.service.resources.runs.script import Script

MESSAGE = "thread.message"
STEP = "thread.run.step"
BUILTIN = "built-in tool"
UNSCRIPTABLE = "model output not scriptable"


@dataclass(frozen=True)
class Turn:
    """One step of the model: ``reply``, ``call_tools``, ``fail`` or ``incomplete``."""

    kind: str
    text: str = ""
    chunks: tuple[str, ...] | None = None
    calls: tuple[tuple[str, str], ...] = ()  # (name, arguments as JSON text)
    code: str = ""
    reason: str = ""

    def script(self, script: Script) -> None:
        """Add this turn to the fake's script."""
        if self.kind == "call_tools":
            script.call_tools(*self.calls)
        elif self.kind == "fail":
            script.fail(self.code, self.text)
        elif self.kind == "incomplete":
            script.incomplete(self.text, self.reason, chunks=self.chunks)
        else:
            script.reply(self.text, chunks=self.chunks)


@dataclass
class RunTurns:
    """What the model did in one recorded run."""

    turns: list[Turn] = field(default_factory=list)
    unscriptable: tuple[str, str] | None = None  # (reason, detail): no script reproduces it

    def cannot(self, reason: str, detail: str) -> None:
        """Keep the first reason the run cannot be scripted."""
        self.unscriptable = self.unscriptable or (reason, detail)


def _text_of(message: dict[str, Any]) -> tuple[str | None, bool]:
    """(the text of a one-part text message, whether it carries annotations)."""
    content = message.get("content")
    if not isinstance(content, list) or len(content) != 1 or content[0].get("type") != "text":
        return None, False
    text = content[0].get("text") or {}
    return text.get("value"), bool(text.get("annotations"))


def _chunks(sightings: Sightings, message_id: str) -> tuple[str, ...] | None:
    """The text deltas of a message in the stream that wrote it (None when not streamed)."""
    for sighting in sightings.of(message_id):
        pieces = []
        for name, data in events_of(sighting.interaction):
            if name != "thread.message.delta" or not isinstance(data, dict):
                continue
            if data.get("id") != message_id:
                continue
            for part in (data.get("delta") or {}).get("content") or []:
                value = (part.get("text") or {}).get("value")
                if isinstance(value, str):
                    pieces.append(value)
        if pieces:
            return tuple(pieces)
    return None


def _calls(tool_calls: list[Any]) -> tuple[tuple[str, tuple[str, str]], ...]:
    """(call id, (name, arguments)) of the function calls of a step or required action."""
    out = []
    for call in tool_calls:
        function = call.get("function") or {}
        if call.get("type") == "function" and isinstance(function.get("name"), str):
            out.append((str(call.get("id")), (function["name"], str(function.get("arguments")))))
    return tuple(out)


def run_turns(sightings: Sightings, run_id: str) -> RunTurns:
    """The model's turns in one run, from everything the recording shows of it."""
    found = RunTurns()
    groups: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {}
    steps = sightings.of_run(run_id, STEP)
    ordered = sorted(steps.values(), key=lambda s: s[-1].obj.get("created_at") or 0)
    for step_sightings in ordered:
        details = step_sightings[-1].obj.get("step_details") or {}
        calls = details.get("tool_calls") or []
        builtin = [c.get("type") for c in calls if c.get("type") != "function"]
        if builtin:
            found.cannot(BUILTIN, f"the model used {builtin[0]}, which no script reproduces")
        made = _calls(calls)
        if made:
            groups.setdefault(tuple(i for i, _ in made), tuple(c for _, c in made))
    final: Turn | None = None
    for sighting in sightings.of(run_id):
        run = sighting.obj
        action = (run.get("required_action") or {}).get("submit_tool_outputs") or {}
        made = _calls(action.get("tool_calls") or [])
        if made and not any(set(key) >= {i for i, _ in made} for key in groups):
            groups[tuple(i for i, _ in made)] = tuple(c for _, c in made)
        if run.get("status") == "failed":
            error = run.get("last_error") or {}
            final = Turn("fail", text=str(error.get("message")), code=str(error.get("code")))
    written = sightings.of_run(run_id, MESSAGE)
    assistant = {i: s for i, s in written.items() if s[-1].obj.get("role") == "assistant"}
    if len(assistant) > 1:
        found.cannot(UNSCRIPTABLE, f"the model wrote {len(assistant)} messages in one run")
    for message_id, message_sightings in assistant.items():
        message = message_sightings[-1].obj
        text, annotated = _text_of(message)
        if annotated:
            found.cannot(BUILTIN, "the message cites files (annotations of a built-in tool)")
        if text is None:
            found.cannot(UNSCRIPTABLE, "the model wrote a message that is not one text part")
            continue
        chunks = _chunks(sightings, message_id)
        cut = (message.get("incomplete_details") or {}).get("reason")
        runs = sightings.of(run_id)
        ended = (runs[-1].obj.get("incomplete_details") or {}).get("reason") if runs else None
        if message.get("status") == "incomplete" or cut or ended:
            # The message says which limit the model reached: max_tokens is the completion's.
            reason = "max_completion_tokens" if cut in (None, "max_tokens") else str(cut)
            final = Turn("incomplete", text=text, chunks=chunks, reason=reason)
        else:
            final = Turn("reply", text=text, chunks=chunks)
    found.turns = [Turn("call_tools", calls=calls) for calls in groups.values()]
    if final is not None:
        found.turns.append(final)
    return found
