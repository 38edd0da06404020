"""The example downstream suite (what `make demo` runs) passes, in this SDK environment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_example_suite_passes_offline() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "examples", "-q", "-p", "no:cacheprovider",
         "-o", "addopts=", "-W", "ignore::DeprecationWarning"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "served offline by the in-memory fake" in result.stdout
    assert " failed" not in result.stdout


@pytest.mark.assistants(sunset=True)
def test_sunset_answers_every_assistants_route_with_404(client: object) -> None:
    import openai

    calls = [
        lambda: client.beta.assistants.list(),  # type: ignore[attr-defined]
        lambda: client.beta.assistants.create(model="gpt-4o"),  # type: ignore[attr-defined]
        lambda: client.beta.assistants.update("asst_x", name="x"),  # type: ignore[attr-defined]
        lambda: client.beta.assistants.retrieve("asst_x"),  # type: ignore[attr-defined]
        lambda: client.beta.assistants.delete("asst_x"),  # type: ignore[attr-defined]
    ]
    for call in calls:
        with pytest.raises(openai.NotFoundError) as info:
            call()
        assert info.value.body["message"].startswith("Invalid URL (")
