"""The speed tables of the maintainers' speed page, written from ``bench/results/*.json``.

Every ratio the documentation quotes comes from a named row of a results file; this script
renders those rows as tables between the markers of ``docs/maintainers/speed.md``, so a
figure cannot be typed by hand and cannot outlive the run that measured it. Each row is
judged against the target in force today (``harness.TARGETS``), whatever target the run was
saved under, and a file whose rows come from two runs says so above its table.

    python bench/speed_tables.py            # print the block
    python bench/speed_tables.py --write    # replace it in docs/maintainers/speed.md
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import TARGETS  # noqa: E402

RESULTS_DIR = HERE / "results"
PAGE = HERE.parent / "docs" / "maintainers" / "speed.md"
START = "<!-- speed tables: written by bench/speed_tables.py from bench/results/*.json -->"
END = "<!-- end of speed tables -->"


def ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}x"


def target_of(row: dict[str, Any]) -> float | None:
    """Today's target for a row that was measured against one (a case of ours)."""
    if not row.get("target"):
        return None
    for start, target in TARGETS.items():
        if row["group"].startswith(start):
            return target
    return None


def verdict(row: dict[str, Any]) -> str:
    target = target_of(row)
    if target is None or row.get("ratio") is None:
        return ""
    return f"<= {target:.2f}x {'ok' if row['ratio'] <= target else 'MISSED'}"


def heading(name: str, meta: dict[str, Any]) -> str:
    packages = ", ".join(f"{k} {v}" for k, v in meta.get("packages", {}).items())
    line = (
        f"`{name}.json`: {meta.get('when', 'undated')}, {meta.get('clock', 'clock?')},"
        f" {meta.get('nproc', '?')} CPUs, Python {meta.get('python', '?')}; packages of that"
        f" run: {packages}"
    )
    if meta.get("other_rows"):
        line += (
            f". Rows of the other parts were kept from an earlier {meta['other_rows']}; each"
            " group names the openai version it was measured with"
        )
    return line + "."


def table(name: str, data: dict[str, Any]) -> list[str]:
    """One results file: each row that has a ratio, named by its group and case."""
    lines = [
        heading(name, data.get("meta", {})),
        "",
        "| group | case | vs | median | best round | target today |",
        "|---|---|---|---:|---:|---:|",
    ]
    for row in data.get("rows", []):
        if row.get("ratio") is None:
            continue
        cells = [
            row["group"],
            row["case"],
            row.get("baseline") or "",
            ratio(row["ratio"]),
            ratio(row.get("best_ratio")),
            verdict(row),
        ]
        lines.append("| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |")
    return [*lines, ""]


def load(results_dir: Path = RESULTS_DIR) -> dict[str, dict[str, Any]]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(results_dir.glob("*.json"))
    }


def render(results_dir: Path = RESULTS_DIR) -> str:
    """The block between the markers, markers included."""
    lines = [START, ""]
    for name, data in load(results_dir).items():
        lines += table(name, data)
    return "\n".join([*lines, END])


def replace_block(text: str, block: str) -> str:
    start, end = text.index(START), text.index(END) + len(END)
    return text[:start] + block + text[end:]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="replace the block in the page")
    args = parser.parse_args(argv)
    block = render()
    if args.write:
        PAGE.write_text(replace_block(PAGE.read_text(encoding="utf-8"), block), "utf-8")
    else:
        print(block)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
