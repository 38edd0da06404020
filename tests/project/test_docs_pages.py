"""What the documentation pages quote from the code and the measurements is what they hold:
the speed tables and chart, the profiles, the ignored deprecation texts."""

from __future__ import annotations

import importlib.util
import json
import re
from typing import TYPE_CHECKING

from tests.helpers import ROOT

if TYPE_CHECKING:
    from pathlib import Path
    from types import ModuleType

DOCS = ROOT / "docs"


def bench_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_speed_tables_are_the_benchmark_results() -> None:
    """Each quoted ratio is a named row of bench/results/*.json, written by the generator;
    outside the tables, only the targets in force are quoted."""
    tables = bench_module("speed_tables")
    page = (DOCS / "maintainers" / "speed.md").read_text(encoding="utf-8")
    start, end = page.index(tables.START), page.index(tables.END) + len(tables.END)
    assert page[start:end] == tables.render(), (
        "the speed tables differ from bench/results: run `python bench/speed_tables.py --write`"
    )
    targets = {f"{target:.2f}x" for target in tables.TARGETS.values()}
    quoted = set(re.findall(r"\b\d+\.\d\dx\b", page[:start] + page[end:]))
    assert quoted <= targets, sorted(quoted - targets)


def test_every_row_is_judged_against_the_target_in_force(tmp_path: Path) -> None:
    """An older run saved under 1.10x is shown against today's target, not its own."""
    tables = bench_module("speed_tables")
    target = tables.TARGETS["SDK update"]
    row = {"group": "SDK update, openai 2.54.0, sync", "case": "c", "baseline": "b",
           "ratio": target - 0.01, "best_ratio": 1.1, "target": 1.1, "verdict": "MISSED"}  # fmt: skip
    late = {**row, "case": "d", "ratio": target + 0.01}
    baseline = {"group": row["group"], "case": "b", "ratio": None}
    meta = {"when": "then", "packages": {"openai": "3.57.0"}, "other_rows": "run 13:15 UTC"}
    (tmp_path / "env.json").write_text(json.dumps({"meta": meta, "rows": [baseline, row, late]}))
    block = tables.render(tmp_path).splitlines()
    assert (
        f"| {row['group']} | c | b | {target - 0.01:.2f}x | 1.10x | <= {target:.2f}x ok |" in block
    )
    assert (
        f"| {row['group']} | d | b | {target + 0.01:.2f}x | 1.10x | <= {target:.2f}x MISSED |"
        in block
    )
    assert not [line for line in block if line.startswith(f"| {row['group']} | b |")]
    heading = next(line for line in block if line.startswith("`env.json`"))
    assert "packages of that run: openai 3.57.0" in heading
    assert "Rows of the other parts were kept from an earlier run 13:15 UTC" in heading


def test_the_speed_chart_was_drawn_from_these_results() -> None:
    chart = bench_module("speed_chart")
    svg = (DOCS / "maintainers" / "speed.svg").read_text(encoding="utf-8")
    assert f"{chart.DIGEST_PREFIX}{chart.digest()}" in svg, (
        "bench/results changed after the chart was drawn: run `python bench/speed_chart.py`"
        " in the bench environment (make bench does)"
    )
    assert "speed.svg" in (DOCS / "maintainers" / "speed.md").read_text(encoding="utf-8")
    for label, _ in chart.bars():
        assert label.split(" (")[0].split(": ")[1] in svg  # every bar is labelled


def test_the_profiles_page_lists_every_profile() -> None:
    from pytest_assistants import DEFAULT_PROFILE, PROFILES

    page = (DOCS / "how-to" / "profiles.md").read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    listed = set(re.findall(r"`([\w.@-]+)`", "".join(row.split(" | ")[0] for row in rows)))
    assert listed == set(PROFILES)
    assert f"| `{DEFAULT_PROFILE}` (default) |" in page


def test_the_deprecation_table_is_the_list_ignored() -> None:
    from pytest_assistants.reach.deprecations import TEXTS

    page = (DOCS / "how-to" / "warnings-and-keys.md").read_text(encoding="utf-8")
    table = [line for line in page.splitlines() if line.startswith("| `")]
    assert [row.split(" | ")[0].strip("| `") for row in table] == list(TEXTS)


def test_the_open_questions_table_has_every_question_and_its_test() -> None:
    page = (DOCS / "reference" / "configuration.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| Q(\d+) .*\| `(tests/[\w/]+\.py)` \|$", page, re.M)
    assert [int(number) for number, _ in rows] == list(range(1, 14))
    for _, path in rows:
        assert (ROOT / path).is_file(), path
