"""Memory of ``pytest-assistants serve``: RSS flat after many requests and oversized bodies.

A ``serve`` subprocess on 127.0.0.1 gets, over one keep-alive connection, a warm-up, then
REQUESTS requests (create, modify, retrieve, list, delete in turn, so the store itself does
not grow), then OVERSIZED bodies of 8 MiB + 1 byte (each refused with a 413). Its resident
set size (``VmRSS`` from ``/proc``) is read after each phase. The journal keeps the newest
``--max-calls`` calls (1,000 by default); the same run with ``--max-calls 1000000`` (a journal
that never drops a call) shows what the bound saves.

Run: ``python bench/bench_memory.py [--requests 20000] [--oversized 60]`` (Linux: /proc).
Memory, unlike time, is not disturbed by other jobs on the machine: one run is a figure.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from pytest_assistants.reach.clients import TEST_API_KEY

SERVE = [sys.executable, "-m", "pytest_assistants.cli", "serve", "--port", "0"]
BANNER = re.compile(r"^pytest-assistants serving (http://127\.0\.0\.1:\d+)/v1 \(")
HEADERS = {"authorization": f"Bearer {TEST_API_KEY}", "openai-beta": "assistants=v2"}
OVERSIZE = 8 * 1024 * 1024 + 1
MB = 1024 * 1024


@dataclass
class Measured:
    max_calls: int
    warm_mb: float
    after_requests_mb: float
    after_oversized_mb: float
    requests: int
    oversized: int

    @property
    def requests_growth(self) -> float:
        return self.after_requests_mb - self.warm_mb

    @property
    def oversized_growth(self) -> float:
        return self.after_oversized_mb - self.after_requests_mb


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    kilobytes = int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE).group(1))  # type: ignore[union-attr]
    return kilobytes / 1024


def cycle(client: httpx.Client) -> int:
    """Five requests that leave the store as it was."""
    made = client.post("/v1/assistants", json={"model": "gpt-4o", "name": "memory"}).json()
    item = f"/v1/assistants/{made['id']}"
    client.post(item, json={"name": "renamed", "metadata": {"k": "v" * 100}})
    client.get(item)
    client.get("/v1/assistants", params={"limit": 1})
    client.delete(item)
    return 5


def measure(requests: int, oversized: int, max_calls: int = 1000) -> Measured:
    process = subprocess.Popen(
        [*SERVE, "--max-calls", str(max_calls)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        match = BANNER.match(process.stdout.readline())
        assert match, "serve did not start"
        with httpx.Client(base_url=match.group(1), headers=HEADERS, timeout=60) as client:
            sent = 0
            while sent < 1000:  # warm-up: imports, caches, allocator arenas
                sent += cycle(client)
            warm = rss_mb(process.pid)
            sent = 0
            while sent < requests:
                sent += cycle(client)
            after_requests = rss_mb(process.pid)
            body = b"x" * OVERSIZE
            for _ in range(oversized):
                answer = client.post("/v1/assistants", content=body)
                assert answer.status_code == 413, answer.status_code
            after_oversized = rss_mb(process.pid)
        return Measured(max_calls, warm, after_requests, after_oversized, sent, oversized)
    finally:
        process.terminate()
        process.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--oversized", type=int, default=60)
    args = parser.parse_args(argv)
    print("| journal | RSS warm | after requests | growth | after oversized | growth |")
    print("|---|---:|---:|---:|---:|---:|")
    for max_calls in (1000, 1_000_000):
        m = measure(args.requests, args.oversized, max_calls)
        label = "--max-calls 1000 (default)" if max_calls == 1000 else "--max-calls 1000000"
        print(
            f"| {label} | {m.warm_mb:.1f} MB | {m.after_requests_mb:.1f} MB"
            f" ({m.requests:,} requests) | {m.requests_growth:+.1f} MB"
            f" | {m.after_oversized_mb:.1f} MB ({m.oversized} x 8 MiB + 1) |"
            f" {m.oversized_growth:+.1f} MB |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
