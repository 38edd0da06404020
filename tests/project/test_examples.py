"""The example downstream suite (what `make demo` runs) passes offline, every file of it."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

import pytest

from tests.helpers import ROOT

EXAMPLES = ROOT / "examples"
# `make demo`'s command, with the network blocked except for the loopback test server.
DEMO = ["-m", "pytest", "examples", "-v", "-p", "no:cacheprovider", "-o", "addopts="]
DEMO += ["-W", "ignore::DeprecationWarning", "--block-network", "--allowed-hosts=127.0.0.1"]
SERVED = (
    r"^(\d+) Assistants API requests served offline by the in-memory fake"
    r" \((\d+) of them over real HTTP on 127\.0\.0\.1\) across (\d+) tests,"
    r" and (\d+) replayed from shipped cassettes"
)


def find(pattern: str, text: str) -> re.Match[str]:
    match = re.search(pattern, text, re.MULTILINE)
    assert match is not None, f"no line matches {pattern!r} in:\n{text[-3000:]}"
    return match


def test_every_example_file_runs_and_passes_offline() -> None:
    pytest.importorskip("pytest_recording")  # --block-network
    result = subprocess.run(
        [sys.executable, *DEMO], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    out = result.stdout
    assert result.returncode == 0, out[-4000:] + result.stderr[-2000:]
    collected = int(find(r"\bcollected (\d+) items", out)[1])
    passed = Counter(re.findall(r"^examples/(test_\w+\.py)::\S+ PASSED", out, re.MULTILINE))
    # Every file on disk contributed, and every collected test passed (no skip, no xfail).
    assert set(passed) == {path.name for path in EXAMPLES.glob("test_*.py")}
    assert sum(passed.values()) == collected
    find(rf"^=+ {collected} passed(, \d+ warnings?)? in ", out)

    requests, over_http, tests, replayed = map(int, find(SERVED, out).groups())
    assert requests >= tests > 0
    assert over_http > 0
    assert replayed > 0
    for name, count in passed.items():  # the summary's line for each file agrees with -v
        find(rf"^{re.escape(name)}: {count} passed; ", out)


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


def test_the_chat_example_passes_with_warnings_as_errors() -> None:
    """The SDK warns on every thread, message and run call ("The Assistants API is deprecated
    in favor of the Responses API"); a suite under ``-W error`` must still pass."""
    strict = ["-o", "addopts=", "-W", "error", "-p", "no:cacheprovider"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "examples/test_chat.py", "-q", *strict],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    find(r"^\d+ passed in ", result.stdout)
