"""What the recordings show of each object: every state of every object of the fake's kinds
(assistants, threads, messages, runs, steps, files, vector stores...), across the whole
input, in recorded order.

A replayed session uses it to preload what it did not create (the object as it was last
seen before the interaction: another session of the same test run made it) and to script
the model from what a run did (:mod:`.turns`). Kinds are the fake's own (``routes.KINDS``),
read by their ``object`` field and their id prefixes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pytest_assistants.evidence.streams import event_objects, parse_events
from pytest_assistants.service.routes import KINDS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pytest_assistants.evidence.recordings import Interaction

KIND_OF_PREFIX = {kind.id_prefix: name for name, kind in KINDS.items() if kind.key is None}
"""``asst_`` -> ``assistant``, ``run_`` -> ``thread.run``, ``file-`` -> ``file``...: a
vector store's (or v1 assistant's) file shares its file's id, so an id names the file."""
PARENT_FIELD = {kind: field for kind, field in (
    ("vector_store.file", "vector_store_id"), ("assistant.file", "assistant_id"),
) if kind in KINDS}  # fmt: skip
"""The kinds filed under their parent and the field naming it (``routes.Kind.key``)."""


def kind_of_id(object_id: str) -> str | None:
    """The kind an id names by its prefix, or None (tool calls, request ids)."""
    for prefix, kind in sorted(KIND_OF_PREFIX.items(), key=lambda p: -len(p[0])):  # vsfb_, vs_
        if object_id.startswith(prefix) and len(object_id) > len(prefix):
            return kind
    return None


def key_of(obj: dict[str, Any]) -> str:
    """Where the sightings file an object: its id, under its parent's for a file of a
    vector store (``vs_.../file-...``), so a file and its attachments stay apart."""
    parent = PARENT_FIELD.get(str(obj.get("object")))
    return f"{obj.get(parent)}/{obj['id']}" if parent else str(obj["id"])


def events_of(it: Interaction) -> list[tuple[str, Any]]:
    """A streamed answer's events (none for an answer that is not a stream)."""
    if not it.streamed or it.response_text is None:
        return []
    return parse_events(it.response_text)


def shown(it: Interaction) -> list[dict[str, Any]]:
    """The objects of the fake's kinds a 2xx answer shows: the body, a list's items, a
    stream's objects (deltas excluded), in the order they appear."""
    if not 200 <= it.status < 300:
        return []
    body = it.response_json
    found: list[Any] = list(event_objects(events_of(it)))
    if isinstance(body, dict):
        items = body.get("data") if body.get("object") == "list" else None
        found += items if isinstance(items, list) else [body]
    return [
        obj
        for obj in found
        if isinstance(obj, dict)
        and obj.get("object") in KINDS
        and isinstance(obj.get("id"), str)
        and not obj.get("deleted")
    ]


ID_FIELDS = {"assistant": "assistant_id", "thread": "thread_id", "thread.run": "run_id"}


def other_object(it: Interaction) -> str | None:
    """Why a 2xx answer is about another object than the path names (a cassette that
    pairs a request with an answer recorded for another), or None."""
    from pytest_assistants.evidence.recordings import route_of

    body = it.response_json
    if not (200 <= it.status < 300 and isinstance(body, dict)) or body.get("object") == "list":
        return None
    _, params = route_of(it.method, it.path)
    answered = body.get("id")
    for name, value in params.items():
        kind = kind_of_id(value) or ("assistant" if name == "assistant_id" else None)
        if kind is None:
            continue
        same_kind = isinstance(answered, str) and (
            kind_of_id(answered) == kind or name == "assistant_id"
        )
        if same_kind and answered != value:
            return f"the request names {value} but the answer is {answered}"
        field = ID_FIELDS.get(kind)
        said = body.get(field) if field else None
        if isinstance(said, str) and said != value:
            return f"the request names {value} but the answer's {field} is {said}"
    return None


@dataclass(frozen=True)
class Sighting:
    """One recorded state of one object, and the interaction that showed it."""

    interaction: Interaction
    obj: dict[str, Any]

    @property
    def moment(self) -> tuple[float, str, int]:
        return moment(self.interaction)


def moment(it: Interaction) -> tuple[float, str, int]:
    """When an interaction happened, for ordering across sessions (ties: file, index)."""
    when = it.recorded_at.timestamp() if it.recorded_at is not None else 0.0
    return when, it.source, it.index


class Sightings:
    """Every state of every object in the input, by id, in recorded order."""

    def __init__(self, interactions: Iterable[Interaction]) -> None:
        self.by_id: dict[str, list[Sighting]] = {}
        for it in sorted(interactions, key=moment):
            if other_object(it):
                continue
            for obj in shown(it):
                self.by_id.setdefault(key_of(obj), []).append(Sighting(it, obj))

    def of(self, object_id: str) -> list[Sighting]:
        return self.by_id.get(object_id, [])

    def before(
        self, object_id: str, it: Interaction, *, within: float | None = None
    ) -> Sighting | None:
        """The object as last seen before ``it``: earlier in its session, or in another
        session recorded before it (at most ``within`` seconds before: the same test run)."""
        now = moment(it)[0]

        def earlier(s: Sighting) -> bool:
            seen = s.interaction
            if seen.source == it.source:
                return seen.index < it.index
            gap = now - s.moment[0]
            same = (seen.method, seen.url, seen.status) == (it.method, it.url, it.status)
            # The same second counts (a setup cassette made it just before), the same
            # interaction kept in another file does not.
            return gap >= 0 and not (gap == 0 and same) and (within is None or gap <= within)

        found = [s for s in self.of(object_id) if earlier(s)]
        return max(found, key=lambda s: (s.moment[0], s.interaction.index), default=None)

    def latest(self, object_id: str, it: Interaction) -> Sighting | None:
        """As last seen up to and including ``it``'s own answer."""
        mine = [s for s in self.of(object_id) if s.interaction is it]
        return mine[-1] if mine else self.before(object_id, it)

    def of_run(self, run_id: str, kind: str) -> dict[str, list[Sighting]]:
        """The messages (``thread.message``) or steps (``thread.run.step``) of a run, each
        id with its sightings, in the order first seen."""
        out: dict[str, list[Sighting]] = {}
        for object_id, sightings in self.by_id.items():
            if sightings[0].obj.get("object") == kind and sightings[0].obj.get("run_id") == run_id:
                out[object_id] = sightings
        return out
