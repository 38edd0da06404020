"""A backend store that survives restarts: SQLite (standard library), written before answering.

``serve --state FILE`` attaches a :class:`SqliteState` to the backend's ``on_change`` hook.
The hook runs under the backend lock *before* a mutation is applied in memory, and the
transaction is committed before the hook returns, so a request is only answered (acknowledged)
after its change is on disk; if the write fails the request gets a 500 and memory is left as
it was. ``synchronous=FULL`` makes each commit durable against a killed process (``kill -9``)
and an operating-system crash.

What is kept: every assistant (its stored record, in creation order) and the position of the
object-id sequence, so a restarted server issues the very ids an uninterrupted one would
have. Not kept (by choice): the request journal, pending faults, the clock (a restarted
server's clock starts at the current time) and the request-id sequence.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytest_assistants.service.backend import Backend, Record

SCHEMA = """
CREATE TABLE IF NOT EXISTS assistants (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""
IDS_KEY = "object_id_state"


class StateFileError(RuntimeError):
    """The ``--state`` file cannot be used; the message says which file and why."""


class SqliteState:
    """One SQLite file holding a backend's assistants; attach with :meth:`attach`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)
        except sqlite3.Error as error:
            raise StateFileError(
                f"cannot use {self.path} as the --state file: {error}"
                " (give a writable path to an SQLite file, or omit --state for in-memory)"
            ) from None

    def records(self) -> list[Record]:
        with self._lock:
            rows = self._db.execute("SELECT record FROM assistants ORDER BY position").fetchall()
        return [json.loads(row[0]) for row in rows]

    def attach(self, backend: Backend) -> int:
        """Load the stored assistants into an empty backend, then persist its every change.

        Returns how many assistants were loaded.
        """
        if len(backend):
            raise ValueError("attach() needs an empty backend: the file is the source of truth")
        records = self.records()
        for record in records:
            backend.add(record)
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (IDS_KEY,)).fetchone()
        if row is not None:
            backend.ids.restore(_as_rng_state(json.loads(row[0])))
        backend.on_change = self._writer(backend, backend.ids.state())
        return len(records)

    def _writer(self, backend: Backend, ids_state: Any) -> Any:
        written = [ids_state]  # the id-sequence position on disk: rewritten only when it moved

        def write(kind: str, assistant_id: str | None, record: Record | None) -> None:
            ids_now = backend.ids.state() if kind == "put" else None
            with self._lock, self._db:  # one transaction: committed on leaving, or rolled back
                self._db.execute("BEGIN IMMEDIATE")
                if kind == "put":
                    self._db.execute(
                        "INSERT INTO assistants (id, record) VALUES (?, ?)"
                        " ON CONFLICT(id) DO UPDATE SET record = excluded.record",
                        (assistant_id, json.dumps(record)),
                    )
                    if ids_now != written[0]:
                        self._db.execute(
                            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                            (IDS_KEY, json.dumps(ids_now)),
                        )
                elif kind == "delete":
                    self._db.execute("DELETE FROM assistants WHERE id = ?", (assistant_id,))
                    ids_now = written[0]
                elif kind == "reset":  # the id sequence starts again from the seed
                    self._db.execute("DELETE FROM assistants")
                    self._db.execute("DELETE FROM meta WHERE key = ?", (IDS_KEY,))
                else:
                    raise ValueError(f"unknown change {kind!r}")
            written[0] = ids_now  # only once committed

        return write

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _as_rng_state(value: Any) -> Any:
    """JSON turned random.getstate()'s tuples into lists; setstate() wants tuples back."""
    if isinstance(value, list):
        return tuple(_as_rng_state(item) for item in value)
    return value
