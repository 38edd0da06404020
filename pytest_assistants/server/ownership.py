"""One server per state file: an exclusive lock, and the pid of its holder beside it.

One server owns a file: ``serve`` (and :func:`create_app`) hold an exclusive ``flock`` on
the file itself while they run (by device and inode, so a symbolic or hard link to it meets
the same lock), and write their pid to ``FILE.lock`` (opened without following links); a
second server (or a second ``uvicorn --workers`` process) refuses to start instead of
minting the same ids and losing acknowledged writes. A path that cannot be a state file (no
such folder, a directory, a linked or directory ``FILE.lock``) is refused in one line.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


class StateFileError(RuntimeError):
    """The ``--state`` file cannot be used; the message says which file and why."""


# (device, inode) of a state file -> its lock handles and how many states of this process
# use it: one owner per file, whatever name (a link, a hard link) it is opened by.
_OWNED: dict[tuple[int, int], tuple[int, IO[str], int]] = {}
_OWNED_LOCK = threading.Lock()


def path_problem(path: Path) -> str | None:
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

    problem = path_problem(path)
    if problem is not None:
        raise unusable(path, problem)
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
            raise unusable(path, error.strerror or str(error)) from None
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


def unusable(path: Path, why: str) -> StateFileError:
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
