"""A store that survives restarts: SQLite (standard library), written before answering.

``serve --state FILE`` attaches a :class:`SqliteState` to the store's ``on_commit`` hook.
The hook runs under the store's lock *before* a transaction's changes are applied in memory,
and the SQLite transaction is committed before the hook returns, so a request is only
answered (acknowledged) after its change is on disk; if the write fails the request gets a
500 and memory is left as it was (the store applies nothing and gives back the ids the
request drew).
``synchronous=FULL`` makes each commit durable against a killed process (``kill -9``) and an
operating-system crash.

One server owns a file (``ownership.py``: an exclusive lock on the file, the pid beside it).
A file that cannot be used (another schema, a record that is not a JSON object, a bad id
sequence, a corrupt page, a read-only file) is refused at startup with one message naming
it.

What is kept: every stored object, one row per object with its kind (``assistant``...),
in creation order, and the position of the object-id sequence, so a restarted server issues
the very ids an uninterrupted one would have. A file written before objects had kinds (one
``assistants`` table) is read as assistants and rewritten in the new layout. Not kept (by
choice): the request journal, pending faults, the clock (a restarted server's clock starts
at the current time) and the request-id sequence.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_assistants.server.ownership import (
    StateFileError,
    path_problem,
    release_ownership,
    take_ownership,
    unusable,
)
from pytest_assistants.service.routes import KINDS

if TYPE_CHECKING:
    from collections.abc import Callable

    from pytest_assistants.service.store import Change, Record, Store

OBJECTS = """
CREATE TABLE IF NOT EXISTS objects (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    record TEXT NOT NULL,
    UNIQUE (kind, key)
)"""
SCHEMA = f"""
{OBJECTS};
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""
IDS_KEY = "object_id_state"
COLUMNS = {"objects": ["position", "kind", "key", "record"], "meta": ["key", "value"]}
# The layout before objects had kinds: one table of assistants (read, then migrated).
OLD_COLUMNS = {"assistants": ["position", "id", "record"], "meta": ["key", "value"]}
OLD_KIND = "assistant"


class SqliteState:
    """One SQLite file holding a backend's assistants; attach with :meth:`attach`.

    ``owner=True`` (servers) takes the file's lock first: :class:`StateFileError` if another
    process holds it.
    """

    def __init__(self, path: str | Path, *, owner: bool = False) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        problem = path_problem(self.path)
        if problem is not None:
            raise unusable(self.path, problem)
        self._owner: tuple[int, int] | None = take_ownership(self.path) if owner else None
        self._check_writable()
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._check_schema()
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)
            with self._db:  # a write that is rolled back: read-only media fail here, not later
                self._db.execute("BEGIN IMMEDIATE")
                self._db.execute("DELETE FROM meta WHERE key = 'probe'")
                self._db.execute("ROLLBACK")
        except sqlite3.Error as error:
            self.close()
            raise self.unusable(f"{error}") from None
        except StateFileError:
            self.close()
            raise

    def unusable(self, why: str) -> StateFileError:
        return unusable(self.path, why)

    def _check_writable(self) -> None:
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            return
        if not stat.S_IMODE(mode) & 0o222 or not os.access(self.path, os.W_OK):
            raise self.unusable("the file is read-only")

    def _check_schema(self) -> None:
        """Refuse a file made by something else, or one with a corrupt page."""
        tables = {
            row[0]
            for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        } - {"sqlite_sequence"}
        if not tables:
            return  # a new file
        expected = OLD_COLUMNS if tables == set(OLD_COLUMNS) else COLUMNS
        for table, columns in expected.items():
            found = [row[1] for row in self._db.execute(f"PRAGMA table_info({table})")]
            if found != columns:
                raise self.unusable(
                    f"it holds another schema (tables {', '.join(sorted(tables))}; table"
                    f" {table!r} has columns {found}, expected {columns})"
                )
        if expected is OLD_COLUMNS:
            self._migrate()
        problems = [row[0] for row in self._db.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise self.unusable(f"the database is corrupt ({problems[0]})")

    def _migrate(self) -> None:
        """Rewrite a file of the old layout (assistants only) as rows by kind."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(OBJECTS)
            self._db.execute(
                "INSERT INTO objects (kind, key, record)"
                " SELECT ?, id, record FROM assistants ORDER BY position",
                (OLD_KIND,),
            )
            self._db.execute("DROP TABLE assistants")

    def records(self) -> list[tuple[str, str, Record]]:
        """(kind, key, record) of every stored object, in creation order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT position, kind, key, record FROM objects ORDER BY position"
            ).fetchall()
        loaded = []
        now = int(time.time())
        for position, kind, key, text in rows:
            where = f"row {position} of 'objects'"
            known = KINDS.get(kind)
            if known is None:
                raise self.unusable(f"{where} holds an unknown kind of object {kind!r}")
            try:
                record = json.loads(text)
            except (TypeError, ValueError, RecursionError):
                raise self.unusable(f"{where} is not JSON") from None
            if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                raise self.unusable(
                    f"{where} is not an object with an id (a JSON {type(record).__name__})"
                )
            try:  # what the fake itself stored reads back unchanged
                full = {**known.preload(record, now), "id": record["id"]}
            except (TypeError, ValueError, OverflowError, RecursionError) as error:
                raise self.unusable(f"{kind} {record['id']!r} cannot be loaded: {error}") from None
            loaded.append((kind, key, full))
        return loaded

    def attach(self, store: Store) -> int:
        """Load the stored objects into an empty store, then persist its every change.

        Returns how many objects were loaded.
        """
        if store.kinds():
            raise ValueError("attach() needs an empty store: the file is the source of truth")
        try:
            records = self.records()
            with self._lock:
                row = self._db.execute(
                    "SELECT value FROM meta WHERE key = ?", (IDS_KEY,)
                ).fetchone()
        except sqlite3.Error as error:
            raise self.unusable(str(error)) from None
        if row is None and records:
            raise self.unusable(
                f"the id sequence in 'meta' ({IDS_KEY}) is missing while {len(records)}"
                " objects are stored: new ids could repeat deleted ones"
            )
        if row is not None:
            try:
                store.ids.restore(id_state(json.loads(row[0])))
            except (TypeError, ValueError, OverflowError, RecursionError):
                raise self.unusable(f"the id sequence in 'meta' ({IDS_KEY}) is damaged") from None
        for kind, key, record in records:
            store.add(kind, record, key)
        store.on_commit = self._writer(store, store.ids.state())
        store.on_reset = self._forget
        return len(records)

    def _writer(self, store: Store, ids_state: Any) -> Callable[[list[Change]], None]:
        written = [ids_state]  # the id-sequence position on disk: rewritten only when it moved

        def write(changes: list[Change]) -> None:
            ids_now = store.ids.state()
            with self._lock, self._db:  # one transaction: committed on leaving, or rolled back
                self._db.execute("BEGIN IMMEDIATE")
                for change in changes:
                    if change.record is None:
                        self._db.execute(
                            "DELETE FROM objects WHERE kind = ? AND key = ?",
                            (change.kind, change.key),
                        )
                    else:
                        self._db.execute(
                            "INSERT INTO objects (kind, key, record) VALUES (?, ?, ?)"
                            " ON CONFLICT(kind, key) DO UPDATE SET record = excluded.record",
                            (change.kind, change.key, json.dumps(change.record)),
                        )
                if ids_now != written[0]:
                    self._db.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                        (IDS_KEY, json.dumps(ids_now)),
                    )
            written[0] = ids_now  # only once committed

        return write

    def _forget(self) -> None:
        """The store was reset: nothing is kept, the id sequence starts again from the seed."""
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM objects")
            self._db.execute("DELETE FROM meta WHERE key = ?", (IDS_KEY,))

    def close(self) -> None:
        with self._lock:
            if hasattr(self, "_db"):
                self._db.close()
            if self._owner is not None:
                release_ownership(self._owner)
                self._owner = None


def id_state(value: Any) -> Any:
    """The id sequence as stored (JSON lists) -> what ``IdFactory.restore`` takes, checked.

    A file written before given-back ids were kept holds the RNG state alone. A state whose
    generator is all zeros (or otherwise not Mersenne Twister's) would repeat itself: refused.
    """
    if isinstance(value, list) and len(value) == 3 and isinstance(value[0], int):
        value = [value, []]  # the old layout
    rng, returned = value
    version, internal, gauss = rng
    words = tuple(internal)
    if (
        version != 3
        or len(words) != 625
        or not all(isinstance(w, int) and 0 <= w < 2**32 for w in words)
        or not any(words[:624])
        or not 0 <= words[624] <= 624
        or not all(isinstance(r, str) and len(r) == 24 for r in returned)
    ):
        raise ValueError("not a Mersenne Twister state")
    return [(version, words, gauss), list(returned)]
