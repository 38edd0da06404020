"""A backend store that survives restarts: SQLite (standard library), written before answering.

``serve --state FILE`` attaches a :class:`SqliteState` to the backend's ``on_change`` hook.
The hook runs under the backend lock *before* a mutation is applied in memory, and the
transaction is committed before the hook returns, so a request is only answered (acknowledged)
after its change is on disk; if the write fails the request gets a 500 and memory is left as
it was (the backend applies nothing and gives back the ids the request drew).
``synchronous=FULL`` makes each commit durable against a killed process (``kill -9``) and an
operating-system crash.

One server owns a file: ``serve`` (and :func:`create_app`) hold an exclusive ``flock`` on
the file itself while they run (by device and inode, so a symbolic or hard link to it meets
the same lock), and write their pid to ``FILE.lock`` (opened without following links); a
second server (or a second ``uvicorn --workers`` process) refuses to start instead of
minting the same ids and losing acknowledged writes. A path that cannot be a state file (no
such folder, a directory, a linked or directory ``FILE.lock``) is refused in one line. A file that
cannot be used (another schema, a record that is not a JSON object, a bad id sequence, a
corrupt page, a read-only file) is refused at startup with one message naming it.

What is kept: every assistant (its stored record, in creation order) and the position of the
object-id sequence, so a restarted server issues the very ids an uninterrupted one would
have. Not kept (by choice): the request journal, pending faults, the clock (a restarted
server's clock starts at the current time) and the request-id sequence.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import threading
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

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
COLUMNS = {"assistants": ["position", "id", "record"], "meta": ["key", "value"]}


class StateFileError(RuntimeError):
    """The ``--state`` file cannot be used; the message says which file and why."""


class SqliteState:
    """One SQLite file holding a backend's assistants; attach with :meth:`attach`.

    ``owner=True`` (servers) takes the file's lock first: :class:`StateFileError` if another
    process holds it.
    """

    def __init__(self, path: str | Path, *, owner: bool = False) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        problem = _path_problem(self.path)
        if problem is not None:
            raise _unusable(self.path, problem)
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
        return _unusable(self.path, why)

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
        for table, columns in COLUMNS.items():
            found = [row[1] for row in self._db.execute(f"PRAGMA table_info({table})")]
            if found != columns:
                raise self.unusable(
                    f"it holds another schema (tables {', '.join(sorted(tables))}; table"
                    f" {table!r} has columns {found}, expected {columns})"
                )
        problems = [row[0] for row in self._db.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise self.unusable(f"the database is corrupt ({problems[0]})")

    def records(self) -> list[Record]:
        with self._lock:
            rows = self._db.execute(
                "SELECT position, record FROM assistants ORDER BY position"
            ).fetchall()
        records = []
        for position, text in rows:
            try:
                record = json.loads(text)
            except (TypeError, ValueError):
                raise self.unusable(f"row {position} of 'assistants' is not JSON") from None
            if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                raise self.unusable(
                    f"row {position} of 'assistants' is not an assistant object"
                    f" (a JSON {type(record).__name__})"
                )
            records.append(record)
        return records

    def attach(self, backend: Backend) -> int:
        """Load the stored assistants into an empty backend, then persist its every change.

        Returns how many assistants were loaded.
        """
        if len(backend):
            raise ValueError("attach() needs an empty backend: the file is the source of truth")
        try:
            records = self.records()
            with self._lock:
                row = self._db.execute(
                    "SELECT value FROM meta WHERE key = ?", (IDS_KEY,)
                ).fetchone()
        except sqlite3.Error as error:
            raise self.unusable(str(error)) from None
        if row is not None:
            try:
                backend.ids.restore(_as_rng_state(json.loads(row[0])))
            except (TypeError, ValueError, OverflowError):
                raise self.unusable(f"the id sequence in 'meta' ({IDS_KEY}) is damaged") from None
        for record in records:
            try:
                backend.add(record)
            except (TypeError, ValueError, KeyError) as error:
                raise self.unusable(
                    f"assistant {record['id']!r} cannot be loaded: {error}"
                ) from None
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
            if hasattr(self, "_db"):
                self._db.close()
            if self._owner is not None:
                release_ownership(self._owner)
                self._owner = None


# (device, inode) of a state file -> its lock handles and how many states of this process
# use it: one owner per file, whatever name (a link, a hard link) it is opened by.
_OWNED: dict[tuple[int, int], tuple[int, IO[str], int]] = {}
_OWNED_LOCK = threading.Lock()


def _path_problem(path: Path) -> str | None:
    """Why ``path`` cannot be a state file before anything opens it, if it cannot."""
    if not path.parent.is_dir():
        return f"its folder {path.parent} does not exist (create it first)"
    if path.is_dir():
        return "it is a directory"
    if path.exists() and not path.is_file():
        return "it is not a regular file"
    return None


def take_ownership(path: Path) -> tuple[int, int]:
    """An exclusive lock on the state file itself (by device and inode: every name of it
    meets the same lock) for this process, shared by its own states and held until the last
    of them closes; ``FILE.lock`` beside it names the holding process. Returns the key."""
    import fcntl

    problem = _path_problem(path)
    if problem is not None:
        raise _unusable(path, problem)
    lock_path = path.with_name(path.name + ".lock")
    with _OWNED_LOCK:
        # Held here already: counted without opening it again (closing a second descriptor
        # of the file would drop the POSIX locks SQLite holds on it in this process).
        with contextlib.suppress(OSError):
            info = os.stat(path)
            held = _OWNED.get((info.st_dev, info.st_ino))
            if held is not None:
                _OWNED[(info.st_dev, info.st_ino)] = (held[0], held[1], held[2] + 1)
                return (info.st_dev, info.st_ino)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise _unusable(path, error.strerror or str(error)) from None
        info = os.fstat(fd)
        key = (info.st_dev, info.st_ino)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise StateFileError(
                f"{path} is in use by another server (pid {_holder(lock_path, key)}, lock"
                f" {lock_path}): one server per --state file; stop that one, or give this"
                " one another file (a link or a hard link to it is the same file)"
            ) from None
        try:
            note = _pid_file(lock_path)
        except StateFileError:
            os.close(fd)
            raise
        _OWNED[key] = (fd, note, 1)
        return key


def _pid_file(lock_path: Path) -> IO[str]:
    """``FILE.lock`` holding this process's pid, opened without following a link: a link
    put there never has its target truncated."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
    try:
        fd = os.open(lock_path, flags, 0o644)
    except OSError as error:
        why = {
            "ELOOP": "it is a symbolic link (remove it: a lock file is never followed)",
            "EISDIR": "it is a directory (remove it)",
        }.get(errno_name(error), error.strerror or str(error))
        raise StateFileError(
            f"cannot use {lock_path} as the lock file of the --state file: {why}"
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise StateFileError(
            f"cannot use {lock_path} as the lock file of the --state file: it is not a"
            " regular file (remove it)"
        )
    handle = os.fdopen(fd, "r+")
    handle.truncate(0)
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def errno_name(error: OSError) -> str:
    import errno

    return errno.errorcode.get(error.errno or 0, "")


def _holder(lock_path: Path, key: tuple[int, int]) -> str:
    """The pid holding the lock: from the kernel's table of locks where there is one (the
    holder may have opened the file by another name), else from ``FILE.lock``."""
    with contextlib.suppress(OSError), open("/proc/locks", encoding="ascii") as table:
        for row in table:  # "1: FLOCK ADVISORY WRITE 1234 08:01:5678 0 EOF"
            fields = row.split()
            if len(fields) > 5 and fields[1] == "FLOCK":
                major, minor, inode = fields[5].split(":")
                device = os.makedev(int(major, 16), int(minor, 16))
                if (device, int(inode)) == key:
                    return fields[4]
    try:
        fd = os.open(lock_path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return "unknown"
    with os.fdopen(fd) as handle:
        return handle.read(32).strip() or "unknown"


def _unusable(path: Path, why: str) -> StateFileError:
    return StateFileError(
        f"cannot use {path} as the --state file: {why} (give a writable path to a"
        " pytest-assistants SQLite state file, or omit --state to keep the store in memory)"
    )


def release_ownership(key: tuple[int, int]) -> None:
    with _OWNED_LOCK:
        fd, note, count = _OWNED.pop(key)
        if count > 1:
            _OWNED[key] = (fd, note, count - 1)
        else:
            note.close()
            os.close(fd)  # releases the lock


def _as_rng_state(value: Any) -> Any:
    """JSON turned random.getstate()'s tuples into lists; setstate() wants tuples back."""
    if isinstance(value, list):
        return tuple(_as_rng_state(item) for item in value)
    return value
