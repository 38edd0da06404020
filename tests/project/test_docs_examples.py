"""Every example of README.md and docs/ runs, as a user would run it, and says what it shows.

A page's fenced blocks are taken in order, in a fresh folder and an environment without API
keys: a block after ``<!-- file: NAME -->`` is written as that file; any other Python block
that defines tests is written as a test file, and one that does not is run as a script; a
console block after ``<!-- run -->`` has each ``$`` command run, and every line shown under
a command must appear in what it printed, in order (``*`` matches anything). The test files
that no command ran are then run with pytest, and must all pass.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING

import pytest

from tests.helpers import ROOT, Example, commands, examples, under_ci

if TYPE_CHECKING:
    from pathlib import Path

DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]
WITH_EXAMPLES = [page for page in PAGES if any(e.lang == "python" for e in examples(page))]
KEYS = ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "PORTKEY_API_KEY", "ZEROBOT_API_KEY")


def environment(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in KEYS and not k.startswith("PYTEST_")}
    return {**env, "PYTHONPATH": str(folder), "COLUMNS": "200"}


def argv(command: str, port: int) -> list[str]:
    words = shlex.split(command.replace("8000", str(port)), comments=True)
    if words[0] == "pytest":
        return [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *words[1:]]
    if words[0] == "python":
        return [sys.executable, *words[1:]]
    if words[0] == "pytest-assistants":
        return [sys.executable, "-m", "pytest_assistants.cli", *words[1:]]
    if shutil.which(words[0]) is None:
        if under_ci():
            pytest.fail(f"{words[0]} is not installed (CI is set: every example must run)")
        pytest.skip(f"{words[0]} is not installed")
    return words


def expect_lines(shown: list[str], printed: str, command: str, port: int) -> None:
    lines = [line.rstrip() for line in printed.splitlines()]
    at = 0
    for wanted in (line.replace("8000", str(port)).rstrip() for line in shown):
        for index in range(at, len(lines)):
            if fnmatch.fnmatchcase(lines[index], wanted):
                at = index + 1
                break
        else:
            pytest.fail(f"`{command}` did not print {wanted!r}:\n{printed[-4000:]}")


class Server:
    """``pytest-assistants serve`` started by a page, read line by line until it is stopped."""

    def __init__(self, command: list[str], folder: Path) -> None:
        self.process = subprocess.Popen(
            command, cwd=folder, env=environment(folder), text=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, shown: list[str], command: str, port: int) -> None:
        """Until every shown line was printed (or the server ended, or a minute passed)."""
        deadline = time.monotonic() + 60  # a bound on waiting, not an assertion on time
        while True:
            try:
                expect_lines(shown, "".join(self.lines), command, port)
                return
            except pytest.fail.Exception:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def run_page(page: Path, folder: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    servers: list[Server] = []
    ran: set[str] = set()
    try:
        for example in examples(page):
            step(example, folder, port, servers, ran)
    finally:
        for server in servers:
            server.stop()
    left = sorted(p.name for p in folder.glob("test_*.py") if p.name not in ran)
    if left:
        run_tests(folder, left)


def step(example: Example, folder: Path, port: int, servers: list[Server], ran: set[str]) -> None:
    if example.file:
        (folder / example.file).write_text(example.body, encoding="utf-8")
    elif example.is_test:
        (folder / f"test_example_{example.number}.py").write_text(example.body, "utf-8")
    elif example.lang == "python":
        script = folder / f"example_{example.number}.py"
        script.write_text(example.body, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, script.name], cwd=folder, env=environment(folder),
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, f"{example.id} failed:\n{done.stdout}\n{done.stderr}"
    elif example.lang == "console" and example.note == "run":
        for command, shown in commands(example):
            words = argv(command, port)
            ran.update(word for word in words if word.endswith(".py"))
            if command.startswith("pytest-assistants serve"):
                servers.append(Server(words, folder))
                servers[-1].wait_for(shown, command, port)
                continue
            done = subprocess.run(
                words, cwd=folder, env=environment(folder), capture_output=True, text=True,
                timeout=300,
            )  # fmt: skip
            if words[1:3] != ["-m", "pytest"]:  # pytest's own outcome is in the lines shown
                assert done.returncode == 0, f"`{command}` failed:\n{done.stdout}{done.stderr}"
            expect_lines(shown, done.stdout + done.stderr, command, port)


def run_tests(folder: Path, names: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *names],
        cwd=folder, env=environment(folder), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    output = done.stdout[-4000:] + done.stderr[-2000:]
    assert done.returncode == 0, output
    tests = sum(len(re.findall(r"^def test_", (folder / n).read_text(), re.M)) for n in names)
    passed = re.search(r"\b(\d+) passed\b", output)
    assert passed is not None, output
    assert int(passed[1]) >= tests, output  # parametrized tests count once per case


def test_the_pages_have_examples_and_each_one_is_found() -> None:
    assert ROOT / "README.md" in WITH_EXAMPLES
    assert len(WITH_EXAMPLES) >= 8, WITH_EXAMPLES
    for page in PAGES:  # the block parser pairs every fence: none is skipped or merged
        text = page.read_text(encoding="utf-8")
        found = [e for e in examples(page) if e.lang == "python"]
        assert len(found) == text.count("```python\n"), page


@pytest.mark.parametrize("page", WITH_EXAMPLES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_example_of_the_page_runs(page: Path, tmp_path: Path) -> None:
    pytest.importorskip("openai")
    text = page.read_text(encoding="utf-8")
    if "portkey_ai" in text and not under_ci():
        pytest.importorskip("portkey_ai")
    if "hypothesis" in text and not under_ci():
        pytest.importorskip("hypothesis")
    run_page(page, tmp_path)


def test_a_shown_line_that_is_not_printed_fails_the_page(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- file: test_one.py -->\n```python\ndef test_one():\n    pass\n```\n\n"
        "<!-- run -->\n```console\n$ pytest -q test_one.py\n2 passed*\n```\n"
    )  # fmt: skip
    with pytest.raises(pytest.fail.Exception, match="did not print '2 passed\\*'"):
        run_page(page, tmp_path)
