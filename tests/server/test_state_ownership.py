"""One owner per ``--state`` file by device and inode, lock files never followed, and every
bad path a one-line error with exit 2 (real ``serve`` subprocesses)."""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING

import pytest

from pytest_assistants.reach.transports import load_library, openai_library
from tests.server.served import HEADERS, SERVE, Served

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def served() -> Iterator[list[Served]]:
    running: list[Served] = []
    yield running
    for server in running:
        server.close()


def refused(*options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SERVE, *options], capture_output=True, text=True, timeout=60)


def one_line(done: subprocess.CompletedProcess[str], *says: str) -> None:
    assert done.returncode == 2, done
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("pytest-assistants serve: ")
    for part in says:
        assert part in lines[0], lines[0]


@pytest.mark.parametrize("link", ["symbolic", "hard"])
def test_a_second_server_through_a_link_refuses_and_no_acknowledged_write_is_lost(
    tmp_path: Path, served: list[Served], link: str
) -> None:
    state = tmp_path / "store.sqlite"
    first = Served("--state", str(state))
    served.append(first)
    other = tmp_path / "other-name.sqlite"
    if link == "symbolic":
        other.symlink_to(state)
    else:
        os.link(state, other)
    done = refused("--state", str(other))
    one_line(done, f"{other} is in use by another server", f"pid {first.process.pid}")
    made = [first.client.post("/v1/assistants", json={"model": "gpt-4o"}) for _ in range(2)]
    assert [answer.status_code for answer in made] == [200, 200]
    assert first.stop() == 0
    again = Served("--state", str(other))  # the file is free: every acknowledged create is in it
    served.append(again)
    listed = again.client.get("/v1/assistants").json()["data"]
    assert sorted(item["id"] for item in listed) == sorted(a.json()["id"] for a in made)


def test_a_symlinked_lock_file_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    state = tmp_path / "store.sqlite"
    target = tmp_path / "precious.txt"
    target.write_text("do not truncate\n")
    (tmp_path / "store.sqlite.lock").symlink_to(target)
    one_line(refused("--state", str(state)), "store.sqlite.lock", "symbolic link")
    assert target.read_text() == "do not truncate\n"


def test_a_lock_path_that_is_a_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "store.sqlite.lock").mkdir()
    one_line(refused("--state", str(tmp_path / "store.sqlite")), "store.sqlite.lock", "directory")


def test_a_missing_folder_for_the_state_file_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "no" / "such" / "store.sqlite"
    one_line(refused("--state", str(state)), f"{state.parent} does not exist")
    assert not state.parent.exists()


def test_a_state_path_that_is_a_directory_is_refused(tmp_path: Path) -> None:
    one_line(refused("--state", str(tmp_path)), "it is a directory")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_as_the_state_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "store.sqlite"
    os.mkfifo(fifo)
    one_line(refused("--state", str(fifo)), "not a regular file")


def test_a_disk_error_is_named_as_such_not_as_a_bug(tmp_path: Path) -> None:
    """A file-size limit makes SQLite's writes fail as on a full disk."""
    import resource
    import signal

    state = tmp_path / "store.sqlite"

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (96 * 1024, 96 * 1024))

    process = subprocess.Popen(
        [*SERVE, "--state", str(state)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=small_disk,
    )
    try:
        assert process.stdout is not None
        root = process.stdout.readline().split()[2].removesuffix("/v1")
        client = load_library(openai_library()).Client(base_url=root, headers=HEADERS)
        answers = []
        for number in range(40):
            answer = client.post(
                "/v1/assistants",
                json={"model": "gpt-4o", "instructions": f"{number} " + "x" * 30_000},
            )
            answers.append(answer)
            if answer.status_code != 200:
                break
        client.close()
        failed = answers[-1]
        assert failed.status_code == 500, [a.status_code for a in answers]
        message = failed.json()["error"]["message"]
        assert message.startswith(f"pytest-assistants cannot write the --state file {state}:")
        assert "disk" in message
        assert "bug" not in message
        assert failed.json()["error"]["code"] == "state_write_failed"
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert f"pytest-assistants serve: cannot write the --state file {state}:" in err
    assert "Traceback" not in err
