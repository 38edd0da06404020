"""The memory benchmark, bounded: ``serve``'s RSS stays flat (within 20 MB) under many
requests and 60 oversized bodies. RSS is not a timing, so it can be asserted here; the full
20,000-request figures are in bench/RESULTS.md (``python bench/bench_memory.py``); the
journal bound itself is tested in process in test_server_limits.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytest.importorskip("uvicorn")
if not Path("/proc/self/status").exists():
    pytest.skip("RSS is read from /proc", allow_module_level=True)
sys.path.insert(0, str(ROOT / "bench"))

from bench_memory import measure


def test_serve_rss_stays_flat_after_requests_and_60_oversized_bodies() -> None:
    measured = measure(requests=1000, oversized=60)
    assert measured.requests == 1000
    assert measured.requests_growth < 20, measured
    assert measured.oversized_growth < 20, measured  # 60 x 8 MiB = 480 MiB if they were kept
