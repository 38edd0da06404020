"""Streamed answers (server-sent events, §14.3): read as events, compared event by event.

A stream is compared as bodies are (:mod:`.comparison`): first the event names in order,
then each event's data with the body rules (key order, number format, mapped ids,
volatile timestamps, ``usage`` by shape). ``data: [DONE]`` is text, compared as a value.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pytest_assistants.evidence.comparison import Difference, IdMap, body_difference

if TYPE_CHECKING:
    from collections.abc import Iterator

Event = tuple[str, Any]


def parse_events(text: str) -> list[Event]:
    """``[(name, data)]`` of a server-sent event text; data parsed as JSON when it is JSON.

    Events are separated by a blank line; a block's ``event:`` line names it, its ``data:``
    lines (joined by newlines, as the SSE format says) carry the data.
    """
    events: list[Event] = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        name, data = "", []
        for line in block.split("\n"):
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)
        if not name and not data:
            continue
        joined = "\n".join(data)
        try:
            events.append((name, json.loads(joined)))
        except (ValueError, RecursionError):
            events.append((name, joined))
    return events


def event_objects(events: list[Event]) -> Iterator[dict[str, Any]]:
    """The whole objects a stream carries (threads, runs, steps, messages), in order."""
    for _, data in events:
        if isinstance(data, dict) and not str(data.get("object", "")).endswith(".delta"):
            yield data


def events_difference(recorded: list[Event], fake: list[Event], ids: IdMap) -> Difference | None:
    """The names in order, then each event's data: the first difference, or None."""
    for number, ((left, _), (right, _)) in enumerate(zip(recorded, fake, strict=False)):
        if left != right:
            return Difference("event", f"events[{number}]", left, right)
    if len(recorded) != len(fake):
        common = min(len(recorded), len(fake))
        longer = recorded if len(recorded) > len(fake) else fake
        extra = ", ".join(name for name, _ in longer[common : common + 3])
        return Difference("length", f"events[{common}:] ({extra})", len(recorded), len(fake))
    for number, ((name, left), (_, right)) in enumerate(zip(recorded, fake, strict=True)):
        found = body_difference(f"events[{number}] {name}", left, right, ids)
        if found:
            return found
    return None
