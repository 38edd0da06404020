"""A ``pytest-assistants serve`` subprocess, as the server tests start it."""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading

from pytest_assistants.reach.clients import TEST_API_KEY
from pytest_assistants.reach.transports import load_library, openai_library

SERVE = [sys.executable, "-m", "pytest_assistants.cli", "serve", "--port", "0"]
BANNER = re.compile(r"^pytest-assistants serving (http://127\.0\.0\.1:\d+)/v1 \(")
HEADERS = {"authorization": f"Bearer {TEST_API_KEY}", "openai-beta": "assistants=v2"}


class Served:
    """One ``serve`` subprocess; its stdout is read in a thread so nothing blocks."""

    def __init__(self, *options: str) -> None:
        self.process = subprocess.Popen(
            [*SERVE, *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        first = self.lines.get(timeout=60)
        if first is None:
            _, err = self.process.communicate(timeout=10)
            raise AssertionError(f"serve exited {self.process.returncode}: {err}")
        self.banner = first
        match = BANNER.match(first)
        assert match, first
        self.root = match.group(1)
        self.client = load_library(openai_library()).Client(base_url=self.root, headers=HEADERS)

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def output(self) -> list[str]:
        lines = []
        while (line := self.lines.get(timeout=30)) is not None:
            lines.append(line)
        return lines

    def stop(self, sig: int = signal.SIGTERM) -> int:
        self.client.close()
        self.process.send_signal(sig)
        return self.process.wait(timeout=30)

    def close(self) -> None:
        self.client.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
