"""What the README claims holds: its examples pass as written, and its figures are measured.

Every ```python block of README.md that defines a test is run as a test file with pytester
(the README is the first test suite a user copies). The conformance figures are recomputed
from the reference recordings, and the Speed section's ratios are tables that
``bench/readme_tables.py`` writes from the rows in ``bench/results/``.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from typing import TYPE_CHECKING

import pytest

from tests.helpers import ROOT

if TYPE_CHECKING:
    from pathlib import Path
    from types import ModuleType

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


def readme_tables() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "readme_tables", ROOT / "bench" / "readme_tables.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_speed_tables_are_the_benchmark_results() -> None:
    """Each quoted ratio is a named row of bench/results/*.json, written by the generator."""
    tables = readme_tables()
    speed = section("Speed")
    start, end = speed.index(tables.START), speed.index(tables.END) + len(tables.END)
    assert speed[start:end] == tables.render(), (
        "the README's speed tables differ from bench/results: run"
        " `python bench/readme_tables.py --write`"
    )
    outside = speed[:start] + speed[end:]
    quoted = re.findall(r"(?<!<= )\b\d+\.\d\dx\b", outside)
    assert not quoted, (
        f"ratios outside the generated tables (targets only, as '<= N.NNx'): {quoted}"
    )


def test_the_generator_names_each_row_and_skips_baselines(tmp_path: Path) -> None:
    tables = readme_tables()
    row = {"group": "g", "case": "c", "baseline": "b", "ratio": 1.234, "best_ratio": 1.1,
           "target": 1.1, "verdict": "MISSED"}  # fmt: skip
    baseline = {"group": "g", "case": "b", "ratio": None}
    (tmp_path / "env.json").write_text(json.dumps({"meta": {}, "rows": [baseline, row]}))
    block = tables.render(tmp_path)
    assert "| g | c | b | 1.23x | 1.10x | <= 1.10x MISSED |" in block.splitlines()
    assert "| g | b |" not in block
