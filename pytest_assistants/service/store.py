"""The fake's state, for every resource: records by kind, ids, order, pages, commits.

Records are plain JSON dicts, filed by kind (their ``object``: ``"assistant"``,
``"thread.message"``...) under a key (their id, or ``parent/id`` for objects such as
vector store files whose id is another object's). The store knows no resource: resources
(``resources/``) decide what a record holds and render it.

Guarantees:
- one lock; a :class:`Transaction` is all-or-nothing: its puts and deletes reach the
  persistence hook (``on_commit``) as one list and memory only after the hook returned, and
  the ids it drew are given back if anything fails, so a rejected request leaves the store,
  id sequence included, as it was;
- a stored record is never mutated (a change stores a new dict), so the service renders it
  uncopied; whatever leaves the service for users is a copy;
- ids come from one seeded RNG (``asst_`` + 24 base62 by default; a resource may ask for
  another alphabet and length, as eras shaped ``vs_`` ids differently, §14.5) and are never
  reused: an id that is or was in the store (created or preloaded with ``add``) is skipped.
"""

from __future__ import annotations

import copy
import random
import string
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from contextlib import AbstractContextManager

Record = dict[str, Any]
BASE62 = string.ascii_letters + string.digits


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
    """Deterministic ids from a seeded RNG: a prefix + 24 base62 (or a suffix of another
    alphabet and length), ``req_`` + 32 hex.

    A failed transaction rewinds the sequence to where it began (:meth:`state` /
    :meth:`restore`), so the sequence is the one an uninterrupted run of successful requests
    would have produced, whatever shapes of id it drew.
    """

    def __init__(self, seed: int) -> None:
        self._objects = random.Random(f"objects:{seed}")
        self._requests = random.Random(f"requests:{seed}")
        self._returned: list[str] = []  # given back, next drawn last

    def draw(self, alphabet: str = BASE62, length: int = 24) -> str:
        returned = self._returned
        if returned and len(returned[-1]) == length and set(returned[-1]) <= set(alphabet):
            return returned.pop()
        choice = self._objects.choice
        return "".join(choice(alphabet) for _ in range(length))

    def new(self, prefix: str, alphabet: str = BASE62, length: int = 24) -> str:
        """An id with ``prefix`` (no check against the store: see :meth:`Store.new_id`)."""
        return prefix + self.draw(alphabet, length)

    def give_back(self, suffixes: list[str]) -> None:
        self._returned.extend(reversed(suffixes))

    def request_id(self, prefix: str = "req_") -> str:
        return f"{prefix}{self._requests.getrandbits(128):032x}"

    def state(self) -> Any:
        """Where the object-id sequence stands, so a persisted store resumes it exactly."""
        return [self._objects.getstate(), list(self._returned)]

    def restore(self, state: Any) -> None:
        rng, returned = state
        self._objects.setstate(rng)
        self._returned = [str(suffix) for suffix in returned]


class Change(NamedTuple):
    """One change a transaction commits: ``put`` (record) or ``delete`` (record None)."""

    op: str
    kind: str
    key: str
    record: Record | None


@dataclass(frozen=True)
class Page:
    data: list[Record]
    has_more: bool


def require(
    source: Store | Transaction,
    kind: str,
    key: str,
    missing: Callable[[], Exception],
    **parent: str,
) -> Record:
    """The ``kind`` record filed under ``key`` (as ``source`` has it), or ``missing()``.

    ``parent`` names the ids the record must carry (``thread_id=...``): a record under
    another parent is as missing as none (resources answer both with one 404).
    """
    record = source.get(kind, key)
    if record is None or (parent and any(record[f] != v for f, v in parent.items())):
        raise missing()
    return record


class Store:
    """Every resource's records. Reads are safe without the lock (single dict lookups);
    changes go through :meth:`transaction`.

    ``lock`` is public so a test can swap in a lock-free context manager and watch the
    concurrency tests fail. ``on_commit`` (persistence, ``server/state.py``) is called under
    the lock with a transaction's changes before memory applies them; if it raises, nothing
    is applied. ``on_reset`` likewise before :meth:`reset`.
    """

    def __init__(self, *, seed: int = 0, clock: Clock | None = None) -> None:
        self.clock = clock or Clock()
        self.seed = seed
        self.lock: AbstractContextManager[object] = threading.RLock()
        self.on_commit: Callable[[list[Change]], None] | None = None
        self.on_reset: Callable[[], None] | None = None
        self._build()

    def _build(self) -> None:
        self.ids = IdFactory(self.seed)
        self._kinds: dict[str, dict[str, Record]] = {}
        self._order: dict[str, dict[str, tuple[int, int]]] = {}
        self._known: set[str] = set()  # every id created or added: never issued again
        self._seq = 0

    # -- reading -------------------------------------------------------------------------

    def get(self, kind: str, key: str) -> Record | None:
        """The stored record (never mutate it), or None."""
        records = self._kinds.get(kind)
        return None if records is None else records.get(key)

    def keys(self, kind: str) -> list[str]:
        """Keys of one kind in creation order (created_at, then insertion)."""
        with self.lock:
            order = self._order.get(kind, {})
            return sorted(order, key=order.__getitem__)

    def count(self, kind: str) -> int:
        return len(self._kinds.get(kind, ()))

    def kinds(self) -> list[str]:
        return [kind for kind, records in self._kinds.items() if records]

    def records(self, kind: str) -> Iterator[Record]:
        """The records of one kind in creation order."""
        for _, record in self.items(kind):
            yield record

    def items(self, kind: str) -> Iterator[tuple[str, Record]]:
        """(key, record) of one kind in creation order."""
        records = self._kinds.get(kind, {})
        for key in self.keys(kind):
            record = records.get(key)
            if record is not None:
                yield key, record

    def snapshot(self) -> dict[str, dict[str, Record]]:
        """A deep copy of everything: kind -> key -> record."""
        with self.lock:
            return copy.deepcopy({kind: dict(r) for kind, r in self._kinds.items() if r})

    def page(
        self,
        kind: str,
        *,
        limit: int = 20,
        order: str = "desc",
        after: str | None = None,
        before: str | None = None,
        where: Callable[[Record], bool] | None = None,
    ) -> Page:
        """Cursor pagination by record ``id``; same-second records keep creation order.

        With both cursors, the records strictly between them (§13 "List cursors").
        """
        with self.lock:
            records = self._kinds.get(kind, {})
            ordering = self._order.get(kind, {})
            keys = sorted(records, key=ordering.__getitem__, reverse=order == "desc")
            listed = [records[key] for key in keys]
            if where is not None:
                listed = [record for record in listed if where(record)]
        ids = [record["id"] for record in listed]
        start, stop = 0, len(ids)
        if after is not None:
            start = ids.index(after) + 1 if after in ids else len(ids)
        if before is not None:
            stop = ids.index(before) if before in ids else 0
        window = listed[start:stop]
        page = window[-limit:] if before is not None and after is None else window[:limit]
        return Page(page, len(window) > limit)

    # -- writing -------------------------------------------------------------------------

    def transaction(self) -> Transaction:
        """``with store.transaction() as tx:`` — the store's lock, all-or-nothing."""
        return Transaction(self)

    def add(self, kind: str, record: Record, key: str | None = None) -> None:
        """Store a preloaded record under a key no other record of its kind holds."""
        with self.transaction() as tx:
            tx.put(kind, record, key, new=True)

    def reset(self) -> None:
        """Forget everything: a new empty state, ids from the seed again."""
        with self.lock:
            if self.on_reset is not None:
                self.on_reset()
            self._build()

    def _apply(self, changes: Iterable[Change]) -> None:
        for change in changes:
            records = self._kinds.setdefault(change.kind, {})
            order = self._order.setdefault(change.kind, {})
            if change.record is None:
                records.pop(change.key, None)
                order.pop(change.key, None)
                continue
            if change.key not in order:
                self._seq += 1
                order[change.key] = (int(change.record.get("created_at") or 0), self._seq)
            records[change.key] = change.record
            self._known.add(change.record["id"])


class KeyTakenError(ValueError):
    """``add()`` of a key its kind already holds: preloading never replaces an object."""


class Transaction:
    """Changes staged under the store's lock, committed together on a clean exit."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.changes: list[Change] = []
        self.start: Any = None  # where the id sequence stood before the first draw

    def __enter__(self) -> Transaction:
        self.store.lock.__enter__()
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        store = self.store
        try:
            if error is None and self.changes:
                if store.on_commit is not None:
                    store.on_commit(self.changes)
                store._apply(self.changes)
        except BaseException:
            self._rewind()
            raise
        finally:
            store.lock.__exit__(None, None, None)
        if error is not None:
            self._rewind()

    def _rewind(self) -> None:
        if self.start is not None:
            self.store.ids.restore(self.start)

    def new_id(self, prefix: str, alphabet: str = BASE62, length: int = 24) -> str:
        """A fresh id (``prefix`` + ``length`` characters of ``alphabet``): never one the
        store holds or held (created or preloaded)."""
        store = self.store
        if self.start is None:
            self.start = store.ids.state()
        while True:
            candidate = prefix + store.ids.draw(alphabet, length)
            if candidate not in store._known and not self._staged(candidate):
                return candidate

    def _staged(self, record_id: str) -> bool:
        return any(c.record is not None and c.record["id"] == record_id for c in self.changes)

    def put(self, kind: str, record: Record, key: str | None = None, *, new: bool = False) -> None:
        """Store ``record`` (owned by the store from now on) under ``key`` (its id)."""
        key = record["id"] if key is None else key
        if new and self.store.get(kind, key) is not None:
            raise KeyTakenError(f"{key} is already stored")
        self.changes.append(Change("put", kind, key, record))

    def delete(self, kind: str, key: str) -> None:
        self.changes.append(Change("delete", kind, key, None))

    def records(self, kind: str) -> list[Record]:
        """The records of one kind as this transaction leaves them, in creation order."""
        staged = {c.key: c.record for c in self.changes if c.kind == kind}  # the last wins
        found = []
        for key, record in self.store.items(kind):
            if key in staged:
                changed = staged.pop(key)
                if changed is None:
                    continue
                record = changed
            found.append(record)
        return found + [record for record in staged.values() if record is not None]

    def get(self, kind: str, key: str) -> Record | None:
        """The record as this transaction leaves it (staged changes first)."""
        for change in reversed(self.changes):
            if change.kind == kind and change.key == key:
                return change.record
        return self.store.get(kind, key)
