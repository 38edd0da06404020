"""The model, scripted: what the runs' next steps are (``fake.script``, DESIGN "The whole
Assistants API").

A run's status sequence, timestamps, steps, messages and errors are provider behaviour and
follow the recordings (§14); what the model says cannot be known, so the test scripts it.
Steps are consumed in order, across runs: each run that reaches the model takes the next
one; a run nobody scripted for completes with :data:`DEFAULT_REPLY` (a documented choice).
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

#: What a run writes when nothing is scripted for it (a documented choice, §14).
DEFAULT_REPLY = "This is a reply from the scripted model of pytest-assistants."


@dataclass(frozen=True)
class Reply:
    """The model writes one assistant message with ``text``; the run completes. A stream
    delivers it in ``chunks`` when given (a recording's own deltas), else word by word."""

    text: str
    chunks: tuple[str, ...] | None = field(default=None, repr=False)  # shown by its text


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: str  # JSON text, as the model writes it


@dataclass(frozen=True)
class CallTools:
    """The model calls functions: the run stops at ``requires_action`` until the test's
    code submits their outputs, then takes the next scripted step."""

    calls: tuple[ToolCall, ...]


@dataclass(frozen=True)
class Fail:
    """The run ends ``failed`` with ``last_error`` ``{"code": code, "message": message}``."""

    code: str
    message: str


@dataclass(frozen=True)
class Incomplete:
    """The model stops early: the message is cut at ``text`` and the run ends incomplete
    (v2; v1 ends ``completed`` with ``incomplete_details``), for ``reason``
    (``max_completion_tokens`` or ``max_prompt_tokens``)."""

    text: str
    reason: str = "max_completion_tokens"
    chunks: tuple[str, ...] | None = field(default=None, repr=False)  # shown by its text


Step = Reply | CallTools | Fail | Incomplete


def _chunks(text: str, chunks: Sequence[str] | None) -> tuple[str, ...] | None:
    """The deltas of a streamed message as given, checked to spell ``text``."""
    if chunks is None:
        return None
    if isinstance(chunks, str):
        raise TypeError("chunks is a sequence of strings (the deltas), not one string")
    pieces = tuple(chunks)
    if not all(isinstance(piece, str) for piece in pieces) or "".join(pieces) != text:
        raise ValueError("chunks must be strings that join to the text")
    return pieces


class Script:
    """What the model does next, in order; thread-safe (concurrent runs take in turn)."""

    def __init__(self) -> None:
        self._steps: deque[Step] = deque()
        self._lock = threading.Lock()
        self.taken = 0

    def reply(self, text: str, *, chunks: Sequence[str] | None = None) -> Script:
        """The next run writes ``text`` and completes; streamed, in ``chunks`` if given
        (they must join to ``text``: a recording's deltas, replayed exactly)."""
        if not isinstance(text, str):
            raise TypeError(f"script.reply(text) takes a string, not {type(text).__name__}")
        return self._add(Reply(text, _chunks(text, chunks)))

    def call_tools(self, *calls: tuple[str, Any]) -> Script:
        """The next run calls these functions, each ``(name, arguments)``; ``arguments``
        is a dict (written as JSON) or the JSON text itself."""
        if not calls:
            raise ValueError("script.call_tools(...) needs at least one (name, arguments)")
        made = []
        for call in calls:
            if not (isinstance(call, tuple) and len(call) == 2 and isinstance(call[0], str)):
                raise TypeError(
                    "script.call_tools takes (name, arguments) pairs, e.g."
                    ' call_tools(("get_weather", {"city": "Paris"}))'
                )
            name, arguments = call
            text = arguments if isinstance(arguments, str) else json.dumps(arguments)
            made.append(ToolCall(name, text))
        return self._add(CallTools(tuple(made)))

    def fail(
        self, code: str = "server_error", message: str = "Sorry, something went wrong."
    ) -> Script:
        """The next run fails with this ``last_error`` (the default is the API's own)."""
        return self._add(Fail(code, message))

    def incomplete(
        self,
        text: str,
        reason: str = "max_completion_tokens",
        *,
        chunks: Sequence[str] | None = None,
    ) -> Script:
        """The next run stops early after writing ``text`` (streamed in ``chunks``)."""
        return self._add(Incomplete(text, reason, _chunks(text, chunks)))

    def _add(self, step: Step) -> Script:
        with self._lock:
            self._steps.append(step)
        return self

    def take(self) -> Step:
        """The model's next step: the first scripted one, else the default reply."""
        with self._lock:
            self.taken += 1
            return self._steps.popleft() if self._steps else Reply(DEFAULT_REPLY)

    def pending(self) -> list[Step]:
        with self._lock:
            return list(self._steps)

    def clear(self) -> None:
        with self._lock:
            self._steps.clear()
            self.taken = 0
