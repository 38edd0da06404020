"""The speed chart of the maintainers' speed page, drawn from ``bench/results/*.json``.

One bar per configuration of the headline comparison (an SDK ``update`` through the fake,
through respx and through openai-responses, each against httpx's ``MockTransport``
returning canned bytes, in the same interleaved rounds), with the target in force as a
line. The SVG carries the digest of the results it was drawn from, so a test can tell a
chart that is older than the results (``make bench`` redraws it; matplotlib lives in the
bench environment only).

    python bench/speed_chart.py    # writes docs/maintainers/speed.svg
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import SDK_TARGET  # noqa: E402

RESULTS_DIR = HERE / "results"
CHART = HERE.parent / "docs" / "maintainers" / "speed.svg"
DIGEST_PREFIX = "results sha256 "


def digest(results_dir: Path = RESULTS_DIR) -> str:
    """One digest of every results file, names and bytes."""
    hashed = hashlib.sha256()
    for path in sorted(results_dir.glob("*.json")):
        hashed.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()


def bars(results_dir: Path = RESULTS_DIR) -> list[tuple[str, float]]:
    """(label, ratio) of every SDK update row with a ratio, file by file."""
    import json

    found = []
    for path in sorted(results_dir.glob("*.json")):
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        when = data.get("meta", {}).get("when", "")[:10]
        for row in data.get("rows", []):
            group: str = row["group"]
            if row.get("ratio") is None or not group.startswith("SDK update, openai"):
                continue
            if " on " in group:  # the server comparison: its own page section
                continue
            label = f"{group.removeprefix('SDK update, ')}: {row['case']} ({when})"
            found.append((label, float(row["ratio"])))
    return found


def draw(results_dir: Path = RESULTS_DIR, out: Path = CHART) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: small, searchable
    matplotlib.rcParams["svg.hashsalt"] = "speed"  # the same ids for the same results
    import matplotlib.pyplot as plt

    shown = bars(results_dir)
    height = 0.32 * len(shown) + 1.4
    figure, axes = plt.subplots(figsize=(10, height), layout="constrained")
    labels = [label for label, _ in shown]
    ratios = [value for _, value in shown]
    colours = ["#2b6cb0" if "pytest-assistants" in label else "#a0aec0" for label in labels]
    axes.barh(range(len(shown)), ratios, color=colours)
    axes.set_yticks(range(len(shown)), labels, fontsize=8)
    axes.invert_yaxis()
    axes.axvline(1.0, color="#1a202c", linewidth=0.8)
    axes.axvline(SDK_TARGET, color="#c53030", linestyle="--", linewidth=1)
    axes.text(SDK_TARGET, -0.9, f" target {SDK_TARGET:.2f}x", color="#c53030", fontsize=8)
    for index, value in enumerate(ratios):
        axes.text(value, index, f" {value:.2f}x", va="center", fontsize=7)
    axes.set_xlim(0.9, max(ratios) * 1.12)
    axes.set_xlabel(
        "time of an SDK update, as a multiple of httpx's MockTransport (lower is faster)"
    )
    axes.set_title("SDK update through each mock, median of interleaved rounds", fontsize=10)
    out.parent.mkdir(parents=True, exist_ok=True)
    metadata = {"Description": DIGEST_PREFIX + digest(results_dir), "Date": None}
    figure.savefig(out, format="svg", metadata=metadata)
    plt.close(figure)
    return out


if __name__ == "__main__":
    print(draw())
