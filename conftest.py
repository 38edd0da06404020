"""Repo-level test helpers (pytester is enabled in pyproject's addopts)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parent.parent / "shared"
RECORDINGS = SHARED / "reference" / "recordings" / "interactions.jsonl"


@pytest.fixture
def reference_recordings() -> Path:
    """The shared real recordings; the test is skipped where they are absent."""
    path = Path(os.environ.get("ASSISTANTS_RECORDINGS", RECORDINGS))
    if not path.exists():
        pytest.skip(f"reference recordings not found at {path}")
    return path
