"""State of the fake: the store, partial modify, pagination, ids and clock. Knows no HTTP.

Records are plain dicts holding the union of every era's fields; routes render them in a
profile's key order. Every mutation happens under one lock and is all-or-nothing: the merged
object is validated before it replaces the stored one, and ids drawn by a request that then
fails are given back, so a rejected request leaves the store, id sequence included, as it was.
A stored record is never mutated (a modify stores a new one sharing the unchanged parts), so
the router renders it uncopied; users only ever get copies (answer bytes, the fake's views).
Patches are owned by the backend once passed in (routes hand over freshly parsed JSON);
:meth:`Backend.add` copies what it is given.
"""

from __future__ import annotations

import copy
import random
import string
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pytest_assistants.service import errors

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping
    from contextlib import AbstractContextManager

    from pytest_assistants.service.profiles import ApiRules, Choices

Record = dict[str, Any]

BASE62 = string.ascii_letters + string.digits
RESOURCE_TOOLS = {"code_interpreter": "file_ids", "file_search": "vector_store_ids"}
DEFAULT_PARAMETERS: dict[str, Any] = {"type": "object", "properties": {}}
# Keys apply_patch does more with than store: any other key is set as given.
PATCHED_SPECIALLY = frozenset(
    ("tools", "metadata", "tool_resources", "temperature", "top_p", "response_format", "file_ids")
)


class Clock:
    """Unix seconds; starts at ``start`` (default: now) and moves only when told to."""

    def __init__(self, start: int | None = None) -> None:
        self._now = int(time.time()) if start is None else int(start)

    def now(self) -> int:
        return self._now

    def set(self, timestamp: int) -> None:
        self._now = int(timestamp)

    def advance(self, seconds: int = 1) -> int:
        self._now += int(seconds)
        return self._now


class IdFactory:
    """Deterministic ids from a seeded RNG: ``asst_`` + 24 base62, ``req_`` + 32 hex."""

    def __init__(self, seed: int) -> None:
        self._objects = random.Random(f"objects:{seed}")
        self._requests = random.Random(f"requests:{seed}")

    def new(self, prefix: str) -> str:
        return prefix + "".join(self._objects.choice(BASE62) for _ in range(24))

    def request_id(self, prefix: str = "req_") -> str:
        return prefix + self._requests.getrandbits(128).to_bytes(16, "big").hex()

    def state(self) -> Any:
        """Where the object-id sequence stands, so a persisted store resumes it exactly."""
        return self._objects.getstate()

    def restore(self, state: Any) -> None:
        self._objects.setstate(state)


def new_record(assistant_id: str, created_at: int) -> Record:
    """An assistant with every field at its server default (§5.1 'Defaults')."""
    return {
        "id": assistant_id,
        "object": "assistant",
        "created_at": created_at,
        "name": None,
        "description": None,
        "model": None,
        "instructions": None,
        "tools": [],
        "top_p": 1.0,
        "temperature": 1.0,
        "reasoning_effort": None,
        "file_ids": [],
        "tool_resources": {},
        "metadata": {},
        "response_format": "auto",
    }


def normalise_tool(tool: dict[str, Any], rules: ApiRules) -> dict[str, Any]:
    """The server-side shape real responses show for each tool type."""
    kind = tool["type"]
    if kind == "file_search" and rules.normalise_file_search:
        given = tool.get("file_search") or {}
        options: dict[str, Any] = {}
        if "max_num_results" in given:
            options["max_num_results"] = given["max_num_results"]
        ranking = dict(given.get("ranking_options") or {})
        ranking.setdefault("ranker", "default_2024_08_21")
        ranking["score_threshold"] = float(ranking.get("score_threshold", 0.0))
        ranking = {"ranker": ranking["ranker"], "score_threshold": ranking["score_threshold"]}
        if rules.hybrid_search:
            ranking["hybrid_search"] = None
        options["ranking_options"] = ranking
        return {"type": kind, "file_search": options}
    if kind == "function" and rules.normalise_function:
        given = tool["function"]
        parameters = given.get("parameters")
        return {
            "type": kind,
            "function": {
                "name": given["name"],
                "description": given.get("description"),
                "parameters": dict(DEFAULT_PARAMETERS) if parameters is None else parameters,
                "strict": bool(given.get("strict") or False),
            },
        }
    return tool


def _as_float(value: Any) -> Any:
    return (
        float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    )


def apply_patch(
    stored: Record, patch: Mapping[str, Any], rules: ApiRules, choices: Choices
) -> Record:
    """Modify semantics of §3: omitted unchanged, null clears, arrays replaced whole."""
    merged = dict(stored)
    for key, value in patch.items():
        if key not in PATCHED_SPECIALLY:
            merged[key] = value
        elif key == "tools":
            merged["tools"] = [normalise_tool(t, rules) for t in value]
        elif key == "metadata":
            if value is None:
                merged["metadata"] = {}
            elif choices.metadata_merge:
                merged["metadata"] = {**merged["metadata"], **value}
                if len(merged["metadata"]) > 16:
                    raise errors.too_many_properties("metadata", 16, len(merged["metadata"]))
            else:
                merged["metadata"] = dict(value)
        elif key == "tool_resources":
            if value is None:
                merged["tool_resources"] = {}
            else:
                resources = dict(merged["tool_resources"])
                resources.update(value)
                merged["tool_resources"] = resources
        elif key in ("temperature", "top_p"):
            merged[key] = (
                1.0 if value is None and choices.null_resets_defaults else _as_float(value)
            )
        elif key == "response_format":
            merged[key] = "auto" if value is None and choices.null_resets_defaults else value
        else:  # file_ids
            merged["file_ids"] = list(value)
    return merged


def normalise_resources(record: Record) -> None:
    """A resource-using tool always has its resource block (recordings, 2024-2026).

    Works on a copy of the block: after a modify that left ``tool_resources`` alone it is
    still the stored record's own dict, which must not change before the commit.
    """
    resources = dict(record["tool_resources"])
    for tool in record["tools"]:  # one pass, no set: the block order is settled below
        kind = tool["type"]
        member = RESOURCE_TOOLS.get(kind)
        if member is not None and kind not in resources:
            resources[kind] = {member: []}
    record["tool_resources"] = {k: resources[k] for k in sorted(resources, key=_resource_rank)}


_RESOURCE_RANKS = {kind: rank for rank, kind in enumerate(RESOURCE_TOOLS)}  # built once


def _resource_rank(kind: str) -> int:
    return _RESOURCE_RANKS.get(kind, len(RESOURCE_TOOLS))


def check_merged(
    record: Record, patch: Mapping[str, Any], rules: ApiRules, choices: Choices
) -> None:
    """Cross-field checks on the merged object, then model existence (§11.1 order)."""
    model = record["model"]
    if isinstance(model, str) and rules.is_reasoning_model(model):
        for parameter in ("temperature", "top_p"):
            value = record.get(parameter)
            if value is not None and value != 1.0:
                raise errors.unsupported_with_model(parameter)
    if "model" in patch:
        if rules.any_model:
            return
        if model in rules.models or model in choices.extra_models or _is_fine_tune(model, rules):
            return
        if model in rules.refused_models:
            raise errors.model_not_supported(model, v1=rules.version == "v1")
        raise errors.model_not_found(model)


def _is_fine_tune(model: str, rules: ApiRules) -> bool:
    return model.startswith("ft:") and model.split(":")[1] in rules.models


def _uses_vector_stores(body: Mapping[str, Any]) -> bool:
    resources = body.get("tool_resources")
    file_search = resources.get("file_search") if isinstance(resources, dict) else None
    return isinstance(file_search, dict) and "vector_stores" in file_search


@dataclass(frozen=True)
class Page:
    data: list[Record]
    has_more: bool


class Backend:
    """The store. All public methods are atomic under :attr:`lock`.

    Records returned are the stored objects themselves (never mutated once stored): read,
    render, but do not change them. ``lock`` is public so a test can swap in a lock-free
    context manager and watch the concurrency tests fail.
    """

    def __init__(self, *, seed: int = 0, clock: Clock | None = None) -> None:
        self.clock = clock or Clock()
        self.seed = seed
        self.ids = IdFactory(seed)
        self.lock: AbstractContextManager[object] = threading.RLock()
        self._items: dict[str, Record] = {}
        self._order: dict[str, tuple[int, int]] = {}
        self._seq = 0
        # Persistence hook (state.py): called under the lock before each mutation is
        # applied, with ("put", id, record), ("delete", id, None) or ("reset", None, None);
        # if it raises, the mutation is not applied (ids it drew are given back).
        self.on_change: Callable[[str, str | None, Record | None], None] | None = None

    # -- reading -------------------------------------------------------------------------

    def get(self, assistant_id: str) -> Record:
        with self.lock:
            record = self._items.get(assistant_id)
            if record is None:
                raise errors.assistant_not_found(assistant_id)
            return record

    def exists(self, assistant_id: str) -> bool:
        return assistant_id in self._items

    def ids_in_order(self) -> list[str]:
        with self.lock:
            return sorted(self._items, key=self._order.__getitem__)

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids_in_order())

    def __len__(self) -> int:
        return len(self._items)

    def snapshot(self) -> dict[str, Record]:
        with self.lock:
            return copy.deepcopy(self._items)

    # -- writing -------------------------------------------------------------------------

    def _make_vector_stores(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """The ``vector_stores`` helper creates stores and attaches their new ``vs_`` ids."""
        resources = body["tool_resources"]
        made = [self.ids.new("vs_") for _ in resources["file_search"]["vector_stores"]]
        return {**body, "tool_resources": {**resources, "file_search": {"vector_store_ids": made}}}

    def create(self, body: Mapping[str, Any], rules: ApiRules, choices: Choices) -> Record:
        with self.lock:
            drawing = _uses_vector_stores(body)
            ids_before = self._ids_checkpoint(drawing)
            try:
                record = new_record("", self.clock.now())
                if drawing:
                    body = self._make_vector_stores(body)
                merged = apply_patch(record, body, rules, choices)
                check_merged(merged, body, rules, choices)
                normalise_resources(merged)
                merged["id"] = self.ids.new("asst_")
                self._store(merged)
            except BaseException:
                self._give_back_ids(ids_before)
                raise
            return merged

    def modify(
        self, assistant_id: str, patch: Mapping[str, Any], rules: ApiRules, choices: Choices
    ) -> Record:
        with self.lock:
            stored = self._items.get(assistant_id)
            if stored is None:
                raise errors.assistant_not_found(assistant_id)
            drawing = rules.vector_stores_on_modify and _uses_vector_stores(patch)
            ids_before = self._ids_checkpoint(drawing)
            try:
                if drawing:
                    patch = self._make_vector_stores(patch)
                merged = apply_patch(stored, patch, rules, choices)
                check_merged(merged, patch, rules, choices)
                normalise_resources(merged)
                self._changed("put", assistant_id, merged)
            except BaseException:
                self._give_back_ids(ids_before)
                raise
            self._items[assistant_id] = merged
            return merged

    def delete(self, assistant_id: str) -> None:
        with self.lock:
            if assistant_id not in self._items:
                raise errors.assistant_not_found(assistant_id)
            self._changed("delete", assistant_id, None)
            del self._items[assistant_id]
            del self._order[assistant_id]

    def add(self, obj: Mapping[str, Any]) -> Record:
        """Preload an assistant with its exact id and fields (missing ones get defaults)."""
        with self.lock:
            record = new_record("", int(obj.get("created_at", self.clock.now())))
            for key, value in obj.items():
                if key in record and key != "id":
                    record[key] = copy.deepcopy(value)
            for key in ("temperature", "top_p"):
                record[key] = _as_float(record[key])
            ids_before = self._ids_checkpoint(False)
            try:
                record["id"] = str(obj.get("id") or self.ids.new("asst_"))
                self._store(record)
            except BaseException:
                self._give_back_ids(ids_before)
                raise
            return record

    def reset(self) -> None:
        with self.lock:
            self._changed("reset", None, None)
            self._items.clear()
            self._order.clear()
            self._seq = 0
            self.ids = IdFactory(self.seed)

    def _ids_checkpoint(self, drawing_early: bool) -> Any:
        """The id sequence's position, read (~20 us) only when a draw can precede a failure:
        the ``vector_stores`` helper (drawn before validation) or an ``on_change`` write."""
        return self.ids.state() if drawing_early or self.on_change is not None else None

    def _give_back_ids(self, state: Any) -> None:
        if state is not None:
            self.ids.restore(state)

    def _changed(self, kind: str, assistant_id: str | None, record: Record | None) -> None:
        if self.on_change is not None:
            self.on_change(kind, assistant_id, record)

    def _store(self, record: Record) -> None:
        self._changed("put", record["id"], record)
        self._seq += 1
        self._items[record["id"]] = record
        self._order[record["id"]] = (record["created_at"], self._seq)

    # -- listing -------------------------------------------------------------------------

    def list(
        self,
        *,
        limit: int = 20,
        order: str = "desc",
        after: str | None = None,
        before: str | None = None,
    ) -> Page:
        """Cursor pagination; objects created in the same second keep creation order."""
        with self.lock:
            ids = sorted(self._items, key=self._order.__getitem__, reverse=order == "desc")
            start, stop = 0, len(ids)
            if after is not None:
                start = ids.index(after) + 1 if after in ids else len(ids)
            if before is not None:
                stop = ids.index(before) if before in ids else 0
            window = ids[start:stop]
            if before is not None and after is None:
                page = window[-limit:]
                has_more = len(window) > limit
            else:
                page = window[:limit]
                has_more = len(window) > limit
            return Page([self._items[i] for i in page], has_more)
