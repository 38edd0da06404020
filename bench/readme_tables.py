"""The README's speed tables, written from ``bench/results/*.json``.

Every ratio the README quotes comes from a named row of a results file; this script renders
those rows as tables between the markers of the README's Speed section, so a figure cannot
be typed by hand and cannot outlive the run that measured it. It reads whatever rows the
files hold: re-run the benchmarks, then rewrite the block.

    python bench/readme_tables.py            # print the block
    python bench/readme_tables.py --write    # replace it in README.md
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS_DIR = HERE / "results"
README = HERE.parent / "README.md"
START = "<!-- speed tables: written by bench/readme_tables.py from bench/results/*.json -->"
END = "<!-- end of speed tables -->"


def ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}x"


def table(name: str, data: dict[str, Any]) -> list[str]:
    """One results file: each row that has a ratio, named by its group and case."""
    meta = data.get("meta", {})
    packages = ", ".join(f"{k} {v}" for k, v in meta.get("packages", {}).items())
    lines = [
        f"`{name}.json`: {meta.get('when', 'undated')}, {meta.get('clock', 'clock?')},"
        f" {meta.get('nproc', '?')} CPUs, Python {meta.get('python', '?')}; {packages}",
        "",
        "| group | case | vs | median | best round | target |",
        "|---|---|---|---:|---:|---:|",
    ]
    for row in data.get("rows", []):
        if row.get("ratio") is None:
            continue
        target = row.get("target")
        verdict = f"<= {target:.2f}x {row.get('verdict') or ''}".strip() if target else ""
        cells = [
            row["group"],
            row["case"],
            row.get("baseline") or "",
            ratio(row["ratio"]),
            ratio(row.get("best_ratio")),
            verdict,
        ]
        lines.append("| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |")
    return [*lines, ""]


def render(results_dir: Path = RESULTS_DIR) -> str:
    """The block between the markers, markers included."""
    lines = [START, ""]
    for path in sorted(results_dir.glob("*.json")):
        lines += table(path.stem, json.loads(path.read_text(encoding="utf-8")))
    return "\n".join([*lines, END])


def replace_block(readme: str, block: str) -> str:
    start, end = readme.index(START), readme.index(END) + len(END)
    return readme[:start] + block + readme[end:]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="replace the block in README.md")
    args = parser.parse_args(argv)
    block = render()
    if args.write:
        README.write_text(replace_block(README.read_text(encoding="utf-8"), block), "utf-8")
    else:
        print(block)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
