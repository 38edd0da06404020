"""Repo-level test helpers (pytester is enabled in pyproject's addopts)."""

from __future__ import annotations

import contextlib
import importlib
import os
from pathlib import Path

import pytest

# pytester runs its inner sessions in this process and then drops every module they imported.
# A library imported first inside one and again later comes back as a second copy: PyYAML's
# C loader then no longer knows the new node classes ("could not determine a constructor for
# the tag None") and vcrpy's exceptions stop matching their except clauses. Importing them
# (and the plugin modules that hold on to them) here, once, keeps one copy for the session.
import vcr  # noqa: F401
import yaml  # noqa: F401

import pytest_assistants.cassettes.replay
import pytest_assistants.evidence.conformance
import pytest_assistants.evidence.recordings  # noqa: F401
from tests.helpers import under_ci

# Likewise the connection libraries (an inner session may make the process's first real
# connection: a second httpcore2 raises a ConnectError httpx2 no longer maps) and the
# detectors that scrub recordings.
for _name in ("h11", "httpcore", "httpcore2", "detect_secrets.core.plugins.util"):
    with contextlib.suppress(ImportError):
        importlib.import_module(_name)

SHARED = Path(__file__).resolve().parent.parent / "shared"
RECORDINGS = SHARED / "reference" / "recordings" / "interactions.jsonl"


def require(path: Path, what: str) -> Path:
    """``path`` if it exists; else skip the test, or fail it under CI."""
    if not path.exists():
        message = f"{what} not found at {path}"
        if under_ci():
            pytest.fail(f"{message} (CI is set: the tests on real evidence must run)")
        pytest.skip(message)
    return path


@pytest.fixture
def reference_recordings() -> Path:
    """The shared real recordings: skipped where absent, but a failure under CI."""
    path = Path(os.environ.get("ASSISTANTS_RECORDINGS", RECORDINGS))
    return require(path, "reference recordings")


@pytest.fixture
def threads_recordings(reference_recordings: Path) -> Path:
    """The rest of the Assistants API (interactions_threads.jsonl, beside the others)."""
    path = reference_recordings.with_name("interactions_threads.jsonl")
    return require(path, "threads reference recordings")


@pytest.fixture
def azure_recordings(reference_recordings: Path) -> Path:
    """The shared Azure SDK recordings (interactions_azure.jsonl, beside the others)."""
    path = reference_recordings.with_name("interactions_azure.jsonl")
    return require(path, "Azure reference recordings")
