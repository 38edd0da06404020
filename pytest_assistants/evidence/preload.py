"""Objects a replayed session uses but did not make, preloaded into its fake (``fake.put``).

As last seen before the interaction in the same test run (another session made it:
:mod:`.objects`), else as the interaction's own answer shows it (then only rendering is
checked), else as last seen in an earlier run (not an assistant: a modify may have changed
it since), else as little as its routes need. An assistant known only from a run made of
it is the run's copy of it (§14.2). The items of a list page in a thread the session did not
make are preloaded as listed; an assistants page is the account's (§13).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from pytest_assistants.evidence.comparison import ID_PATTERN
from pytest_assistants.evidence.objects import PARENT_FIELD, key_of, kind_of_id, shown
from pytest_assistants.evidence.recordings import route_of

if TYPE_CHECKING:
    from pytest_assistants.evidence.comparison import IdMap
    from pytest_assistants.evidence.recordings import Interaction
    from pytest_assistants.evidence.replay import SessionReplay

SAME_RUN_SECONDS = 600
# Preloading order: an object's container first (a run names its thread and assistant).
# A vector store names its files, an assistant or a thread its vector stores (tool_resources).
KIND_ORDER = (
    "file", "vector_store", "vector_store.file_batch", "assistant", "thread", "thread.run",
    "thread.message", "thread.run.step",
)  # fmt: skip
NOT_FOUND = re.compile(r"No (?:[\w ]+) found with id '([^']*)'")
ATTACHED = "vector_store.file"
# The lists of the account's own objects (§13): what they show that no session made was
# made outside the recording.
ACCOUNT_LISTS = {"assistants.list": "assistant", "files.list": "file",
                 "vector_stores.list": "vector_store"}  # fmt: skip
BATCH_OPERATIONS = ("vector_stores.file_batches.retrieve", "vector_stores.file_batches.cancel",
                    "vector_stores.file_batches.list_files")  # fmt: skip


def map_ids(value: Any, ids: IdMap) -> Any:
    """A JSON value with every recorded id the map knows written as the fake's."""
    if isinstance(value, dict):
        return {k: map_ids(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [map_ids(v, ids) for v in value]
    return ids.fake(value) if isinstance(value, str) else value


def ids_in(value: Any) -> list[str]:
    """The ids of the fake's kinds a JSON value holds, in order."""
    if isinstance(value, dict):
        return [i for v in value.values() for i in ids_in(v)]
    if isinstance(value, list):
        return [i for v in value for i in ids_in(v)]
    if isinstance(value, str) and ID_PATTERN.match(value) and kind_of_id(value):
        return [value]
    return []


def before_operation(it: Interaction, obj: dict[str, Any]) -> dict[str, Any]:
    """An object as it was before the interaction whose answer shows it: a cancelled run
    was active (``in_progress`` once it had started), a run given tool outputs was waiting
    for them (§14.1). Other answers show the state the request needs as it is."""
    if obj.get("object") != "thread.run":
        return obj
    if it.operation == "threads.runs.cancel":
        status = "in_progress" if obj.get("started_at") is not None else "queued"
        return {**obj, "status": status}
    if it.operation == "threads.runs.submit_tool_outputs":
        try:
            sent = json.loads(it.request_body)
        except (ValueError, RecursionError):
            sent = {}
        outputs = sent.get("tool_outputs") if isinstance(sent, dict) else None
        calls = [
            {
                "id": o.get("tool_call_id"),
                "type": "function",
                "function": {"name": "", "arguments": ""},
            }
            for o in outputs or []
            if isinstance(o, dict)
        ]
        action = {"type": "submit_tool_outputs", "submit_tool_outputs": {"tool_calls": calls}}
        return {**obj, "status": "requires_action", "required_action": action}
    return obj


class Preloader:
    """What one session's fake holds that the session did not make."""

    def __init__(self, replay: SessionReplay) -> None:
        self.replay = replay
        self.ids = replay.ids
        self.preloaded_ids: set[str] = set()  # recorded ids the session did not make
        self.changed_by: dict[str, str] = {}  # recorded id -> unserved interaction that changed it

    def note_unserved_change(self, it: Interaction) -> None:
        """A v1 assistant-files call the replay does not send changed this assistant."""
        _, assistant_id = it.route
        if assistant_id and it.method != "GET" and it.operation.startswith("assistant_sub:"):
            self.changed_by.setdefault(assistant_id, f"{it.method} {it.path} at #{it.index}")

    def preload(self, obj: dict[str, Any]) -> None:
        """Store a recorded object under its own id, its references mapped to the fake's
        (a vector store's file keeps its file's id, as the fake knows it)."""
        mapped = map_ids(obj, self.ids)
        if obj.get("object") in PARENT_FIELD:
            self.replay.fake.put(mapped)
            return
        mapped["id"] = obj["id"]
        self.replay.fake.put(mapped)
        self.ids.link(str(obj["id"]), str(obj["id"]))

    def holds(self, obj: dict[str, Any]) -> bool:
        """Whether the fake holds the object (by its key: a vector store's file by both)."""
        kind = str(obj.get("object"))
        if kind not in PARENT_FIELD:
            return str(obj["id"]) in self.ids.to_fake
        key = "/".join(self.ids.fake(part) for part in key_of(obj).split("/"))
        return key in self.replay.fake.objects(kind)

    def _resync(self, recorded_id: str, body: Any) -> None:
        fake_id = self.ids.fake(recorded_id)
        self.replay.fake.discard(fake_id)
        if isinstance(body, dict) and body.get("object") == "assistant":
            self.replay.fake.add({**body, "id": fake_id})

    def referenced(self, it: Interaction) -> list[str]:
        """Recorded ids of the fake's kinds the request names (path, then body), containers
        first, without the one a recorded 404 says does not exist."""
        _, params = route_of(it.method, it.path)
        named = [v for v in params.values() if kind_of_id(v)]
        try:
            body = json.loads(it.request_body) if it.request_body else None
        except (ValueError, RecursionError):
            body = None
        missing = self._not_found(it)
        found = [i for i in dict.fromkeys([*named, *ids_in(body)]) if i != missing]
        return sorted(found, key=lambda i: KIND_ORDER.index(kind_of_id(i) or "assistant"))

    @staticmethod
    def _not_found(it: Interaction) -> str | None:
        body = it.response_json
        error = body.get("error") if isinstance(body, dict) else None
        message = error.get("message") if isinstance(error, dict) else None
        found = NOT_FOUND.search(message) if isinstance(message, str) else None
        return found.group(1) if found and it.status == 404 else None

    def prepare(self, it: Interaction) -> tuple[str, str, str] | None:
        """Preload what the interaction needs; (reason, detail, note) if it cannot be."""
        operation, assistant_id = it.route
        body = it.response_json
        if assistant_id and assistant_id in self.changed_by and operation != "assistants.delete":
            cause = self.changed_by.pop(assistant_id)
            if 200 <= it.status < 300:
                self._resync(assistant_id, body)
            return ("state changed outside the fake", f"{cause} changed this assistant", "")
        notes = []
        for recorded_id in self.referenced(it):
            if recorded_id not in self.ids.to_fake:
                notes.append(self._preload_one(it, recorded_id))
                self.preloaded_ids.add(recorded_id)
        batch = self._batch_elsewhere(it)
        if batch:
            return batch
        notes.append(self._preload_attached(it))
        notes.append(self._preload_items(it))
        listed = self._preload_listed(it)
        if listed:
            return listed
        return ("", "", "; ".join(n for n in notes if n)) if notes else None

    def _preload_one(self, it: Interaction, recorded_id: str) -> str:
        """Preload one object the session did not make: as last seen before in the same
        test run, else as this answer shows it, else as last seen in an earlier run (not
        an assistant: a modify may have changed it since), else as little as its routes
        need."""
        kind = kind_of_id(recorded_id) or "assistant"
        sightings = self.replay.recorded.sightings
        seen = sightings.before(recorded_id, it, within=SAME_RUN_SECONDS)
        if seen is not None:
            self._preload_state(recorded_id, seen.obj)
            return f"{recorded_id} preloaded as seen at {seen.interaction.where}"
        mine = [o for o in shown(it) if o["id"] == recorded_id]
        if mine:
            self._preload_state(recorded_id, before_operation(it, mine[-1]))
            return f"{recorded_id} preloaded from this answer (checks rendering only)"
        seen = None if kind == "assistant" else sightings.before(recorded_id, it)
        if seen is not None:
            self._preload_state(recorded_id, seen.obj)
            return f"{recorded_id} preloaded as seen at {seen.interaction.where}, an earlier run"
        if kind == "assistant":
            self.preload(self._assistant_of_run(it, recorded_id))
            return f"{recorded_id} preloaded from the run's copy of it (§14.2)"
        self.preload(self._bare(it, kind, recorded_id))
        return f"{recorded_id} preloaded as a bare {kind}"

    def _preload_state(self, recorded_id: str, obj: dict[str, Any]) -> None:
        self.preload(obj)
        self.preloaded_ids.add(recorded_id)
        self.replay.sync.preloaded(recorded_id, obj)

    def _preload_items(self, it: Interaction) -> str:
        """The items of a list page in a thread or vector store the session did not make
        (another session of the test run made them and it): preloaded as listed, oldest
        first. Not the messages and steps of a run this fake took to the model: it made its
        own."""
        body = it.response_json
        if not (200 <= it.status < 300 and isinstance(body, dict) and body.get("object") == "list"):
            return ""
        if it.operation in ACCOUNT_LISTS:
            return ""
        own = self.replay.sync.acted | {r for r in self.ids.to_fake if r not in self.preloaded_ids}
        items = [
            o
            for o in shown(it)
            if not self.holds(o)
            and (o.get("thread_id") or o.get("vector_store_id")) in self.preloaded_ids
            and o.get("run_id") not in own
        ]
        for obj in sorted(items, key=lambda o: o.get("created_at") or 0):
            self._preload_state(str(obj["id"]), obj)
        return f"preloaded {len(items)} listed objects" if items else ""

    def _assistant_of_run(self, it: Interaction, assistant_id: str) -> dict[str, Any]:
        """An assistant known only from a run made of it: the run copies its model,
        instructions and tools unless the request overrode them (§14.2)."""
        obj: dict[str, Any] = {"id": assistant_id, "object": "assistant"}
        runs = [o for o in shown(it) if o.get("object") == "thread.run"]
        try:
            sent = json.loads(it.request_body) if it.request_body else {}
        except (ValueError, RecursionError):
            sent = {}
        if runs and isinstance(sent, dict):
            for key in ("model", "instructions", "tools"):
                if sent.get(key) is None and key in runs[0]:
                    obj[key] = runs[0][key]
        return obj

    def _bare(self, it: Interaction, kind: str, recorded_id: str) -> dict[str, Any]:
        """The least an object needs to be found where the path names it."""
        _, params = route_of(it.method, it.path)
        obj: dict[str, Any] = {"id": recorded_id, "object": kind}
        if kind != "thread" and "thread_id" in params:
            obj["thread_id"] = params["thread_id"]
        if kind == "thread.run.step" and "run_id" in params:
            obj["run_id"] = params["run_id"]
        return obj

    def _preload_listed(self, it: Interaction) -> tuple[str, str, str] | None:
        """Assistants, files and vector stores a list shows that the session never made:
        the account's (§13)."""
        body = it.response_json
        kind = ACCOUNT_LISTS.get(it.operation)
        if kind is None or not isinstance(body, dict):
            return None
        listed = [o for o in body.get("data") or [] if isinstance(o, dict) and "id" in o]
        outside = [o for o in listed if o["id"] not in self.ids.to_fake]
        held = len(self.replay.fake.objects(kind))
        if body.get("has_more") and held + len(outside) <= len(listed):
            return (
                "account state unknown",
                f"has_more is true, but the recording accounts for only {held + len(outside)}"
                f" objects ({kind}): the rest of the account was made outside the recording",
                "",
            )
        for obj in reversed(outside):
            self.preload(obj)
        return ("", "", f"preloaded {len(outside)} listed {kind}s") if outside else None

    def _preload_attached(self, it: Interaction) -> str:
        """The vector store file the path names (``/vector_stores/{id}/files/{id}``) of a
        store another session of the test run made: as this answer shows it (its progress
        depends on its file's size, which the wire object does not hold), else as last
        seen there."""
        _, params = route_of(it.method, it.path)
        store_id, file_id = params.get("vector_store_id"), params.get("file_id")
        if not (store_id and file_id) or store_id not in self.preloaded_ids:
            return ""
        obj = {"id": file_id, "object": ATTACHED, "vector_store_id": store_id}
        if self.holds(obj):
            return ""
        mine = [o for o in shown(it) if o.get("object") == ATTACHED and o["id"] == file_id]
        if mine:
            self.preload(mine[-1])
            return f"{key_of(obj)} preloaded from this answer (checks rendering only)"
        seen = self.replay.recorded.sightings.before(key_of(obj), it, within=SAME_RUN_SECONDS)
        if seen is None:
            return ""
        self.preload(seen.obj)
        return f"{key_of(obj)} preloaded as seen at {seen.interaction.where}"

    def _batch_elsewhere(self, it: Interaction) -> tuple[str, str, str] | None:
        """A file batch another session made: which files it holds is no field of any
        object, so the fake cannot be given it (its files, its progress)."""
        _, params = route_of(it.method, it.path)
        batch_id = params.get("batch_id")
        if it.operation in BATCH_OPERATIONS and batch_id in self.preloaded_ids:
            return (
                "batch made in another session",
                f"{batch_id} was made by another session of the test run: which files it"
                " holds is no field a preload can give",
                "",
            )
        return None
