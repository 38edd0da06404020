"""What the README claims holds: its examples pass as written, and its figures are measured.

Every ```python block of README.md that defines a test is run as a test file with pytester
(the README is the first test suite a user copies). The conformance figures are recomputed
from the reference recordings, and every ratio quoted under "Speed" must be one that
``bench/run.py`` wrote to ``bench/results/``.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", README, re.S)
TEST_BLOCKS = [block for block in BLOCKS if "def test_" in block]


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.S | re.M)
    assert match is not None, f"README has no section {title!r}"
    return match.group(1)


def test_the_readme_has_runnable_examples() -> None:
    assert len(TEST_BLOCKS) >= 6, len(TEST_BLOCKS)


@pytest.mark.parametrize("block", TEST_BLOCKS, ids=lambda b: re.findall(r"def (test_\w+)", b)[0])
def test_readme_example_passes(pytester: pytest.Pytester, block: str) -> None:
    if "portkey" in block:
        pytest.importorskip("portkey_ai")
    if "hypothesis" in block:
        pytest.importorskip("hypothesis")
    shutil.copytree(ROOT / "cassettes", pytester.path / "cassettes")
    pytester.makepyfile(test_readme_example=block)
    result = pytester.runpytest("-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning")
    tests = len(re.findall(r"^def test_", block, re.M))
    outcomes, output = result.parseoutcomes(), result.stdout.str()[-3000:]
    assert outcomes.get("passed", 0) >= tests, output
    assert not outcomes.get("failed"), output
    assert not outcomes.get("errors"), output


def test_conformance_figures_are_what_the_reference_recordings_give(
    reference_recordings: Path,
) -> None:
    from pytest_assistants.evidence.conformance import check

    report = check([str(reference_recordings)])
    text = section("Conformance and drift")
    compared, reproduced = len(report.compared), len(report.compared) - len(report.mismatches)
    assert f"**{reproduced} of {compared} comparable interactions reproduced" in text
    assert f"{len(report.mismatches)} mismatches**" in text
    assert f"On the {len(report.results)} reference interactions" in text
    assert f"; {len(report.not_comparable)} are not comparable" in text
    for reason, results in report.reasons().items():
        assert f"`{reason}` {len(results)}" in text, reason


def measured_ratios() -> set[str]:
    """Every ratio the benchmarks wrote, formatted as the README quotes them."""
    found: set[str] = set()
    for path in (ROOT / "bench" / "results").glob("*.json"):
        data = json.loads(path.read_text())
        for row in data["rows"]:
            for key in ("ratio", "best_ratio"):
                if row.get(key) is not None:
                    found.add(f"{row[key]:.2f}x")
        for printed in data.get("printed", {}).values():
            found.update(f"{float(x):.2f}x" for x in re.findall(r"\b(\d+\.\d+)x?\b", printed))
    return found


def test_every_speed_ratio_in_the_readme_was_measured() -> None:
    quoted = set(re.findall(r"\b\d+\.\d\dx\b", section("Speed")))
    assert quoted, "the Speed section quotes no ratio"
    assert quoted <= measured_ratios(), sorted(quoted - measured_ratios())
