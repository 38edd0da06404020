"""Run every benchmark of this environment and rewrite ``bench/RESULTS.md``.

``make bench`` calls this once per environment (openai 2.x, openai 3.x, and a throwaway
``.venv-bench`` holding openai-responses, which pins respx < 0.23). Each run saves its rows
to ``bench/results/<label>.json`` and renders RESULTS.md from every saved run, so the
file always shows the latest figures of each environment side by side.

Parts: ``sdk`` and ``handler`` (bench_sdk.py) and ``startup`` (bench_startup.py) in
process; every other ``bench_*.py`` (cassettes, server,
suite, ...) as a subprocess, the whole-suite run last. A script that accepts
``--json PATH`` and writes ``{"meta": ..., "rows": [...]}`` (see ``harness.save``) lands
in the table; any other script's output is quoted as printed.

    python bench/run.py                      # everything this environment can run
    python bench/run.py --only sdk,startup   # some parts
    python bench/run.py --only sdk --merge   # some parts, keeping the other saved rows
    BENCH_QUICK=1 python bench/run.py        # a smoke test of the scripts (few rounds)
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import Row, clock_name, human, print_rows, quick  # noqa: E402

RESULTS_DIR = HERE / "results"
RESULTS_MD = HERE / "RESULTS.md"
KEEP_MARKER = "<!-- Everything below this line is written by hand and kept by run.py. -->"
IN_PROCESS = ("sdk", "handler", "startup")  # bench_sdk.py, bench_startup.py
# Every other bench_*.py (cassettes, server, suite, ...) runs as a subprocess; the suite last.
SCRIPTS = {
    path.stem.removeprefix("bench_"): path.name
    for path in sorted(HERE.glob("bench_*.py"), key=lambda p: (p.stem == "bench_suite", p.stem))
    if path.stem.removeprefix("bench_") not in (*IN_PROCESS, "startup")
}
PARTS = (*IN_PROCESS, *SCRIPTS)
PACKAGES = (
    "openai",
    "httpx",
    "httpx2",
    "respx",
    "openai-responses",
    "pytest",
    "pytest-xdist",
    "pydantic",
)


def machine() -> dict[str, Any]:
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "load_before": load,
        "quick": quick(),
        "clock": clock_name(),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def default_label() -> str:
    versions = machine()["packages"]
    if "openai-responses" in versions:
        return "competitors"
    major = versions.get("openai", "0").split(".")[0]
    return f"openai{major}"


def run_script(name: str, script: Path, rounds: int | None) -> tuple[list[Row], str]:
    """(rows it saved, its printed output): rows when it speaks ``--json``."""
    help_text = subprocess.run(
        [sys.executable, str(script), "--help"], capture_output=True, text=True, cwd=HERE.parent
    ).stdout
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "rows.json"
        command = [sys.executable, str(script)]
        if "--json" in help_text:
            command += ["--json", str(out)]
        if (quick() or rounds) and "--rounds" in help_text:
            command += ["--rounds", str(rounds or 1)]
        print(f"[{name}] {' '.join(command[1:])}", flush=True)
        done = subprocess.run(command, capture_output=True, text=True, cwd=HERE.parent)
        printed = (done.stdout + done.stderr).strip()
        if done.returncode != 0:
            printed = f"{script.name} exited {done.returncode}:\n{printed}"
        saved = json.loads(out.read_text()) if out.exists() else {}
        return _rows_of(saved), printed


def _rows_of(saved: dict[str, Any]) -> list[Row]:
    """Rows from a script's JSON: harness rows, or bench_suite's wall times."""
    if "rows" in saved:
        return [_row(item) for item in saved["rows"]]
    if "n0_s" in saved and "n2_s" in saved:
        serial = statistics.median(saved["n0_s"]) * 1e6
        parallel = statistics.median(saved["n2_s"]) * 1e6
        group, note = "whole test suite (wall time)", "; ".join(saved.get("failed", []))
        return [
            Row(group, "pytest -n 0", serial),
            Row(group, "pytest -n 2", parallel, parallel / serial, "pytest -n 0", None, note),
        ]
    return []


def _row(item: dict[str, Any]) -> Row:
    fields = {key: item.get(key) for key in Row.__dataclass_fields__}
    fields["note"] = fields["note"] or ""
    return Row(**fields)


def run(parts: list[str], script_rounds: dict[str, int]) -> tuple[list[Row], dict[str, str]]:
    rows: list[Row] = []
    printed: dict[str, str] = {}
    if "sdk" in parts or "handler" in parts:
        import bench_sdk

        rows += bench_sdk.run_all(sdk="sdk" in parts, handler="handler" in parts)
    if "startup" in parts:
        import bench_startup

        startup_rows = bench_startup.run_all()
        print_rows(startup_rows)
        rows += startup_rows
    for name, filename in SCRIPTS.items():
        script = HERE / filename
        if name in parts and script.exists():
            script_rows, output = run_script(name, script, script_rounds.get(name))
            rows += script_rows
            if output and (not script_rows or "exited" in output.splitlines()[0]):
                printed[name] = output
            print(output, flush=True)
    return rows, printed


# -- RESULTS.md ----------------------------------------------------------------------------


def render() -> str:
    runs = []
    for path in sorted(RESULTS_DIR.glob("*.json")):
        runs.append((path.stem, json.loads(path.read_text())))
    lines = [
        "# Benchmark results",
        "",
        "Medians of interleaved rounds (A B C, B C A, ...) and ratios against a baseline",
        "measured in the same rounds; written by `bench/run.py`. Reproduce with `make bench`",
        "(all environments) or `python bench/run.py` in one environment.",
        "",
    ]
    for label, data in runs:
        meta = data["meta"]
        packages = ", ".join(f"{k} {v}" for k, v in meta.get("packages", {}).items())
        lines += [
            f"## {label}",
            "",
            f"- machine: {meta.get('nproc')} CPUs, {meta.get('cpu')}, {meta.get('platform')}",
            f"- Python {meta.get('python')}; {packages}",
            f"- run {meta.get('when')}, 1-minute load average before: {meta.get('load_before')}"
            + (" (QUICK smoke run: few rounds, not a measurement)" if meta.get("quick") else ""),
            f"- command: `{meta.get('command')}`",
            *[f"- other groups' rows: {other}" for other in [meta.get("other_rows")] if other],
            f"- clock: {meta.get('clock', 'wall time')} for the SDK, handler and startup"
            " rows (startup: the child processes'); the cassette, server and suite"
            " scripts time wall clock",
            "",
            "| group | case | median | ratio (medians) | ratio (best rounds) | target |",
            "|---|---|---:|---:|---:|---|",
        ]
        for item in data["rows"]:
            row = _row(item)
            ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "baseline"
            best = f"{row.best_ratio:.2f}x" if row.best_ratio is not None else ""
            target = f"<= {row.target:.2f}x: {row.verdict}" if row.target else ""
            cells = [row.group, row.case, human(row.median_us), ratio, best, target]
            lines.append("| " + " | ".join(cells) + " |")
        notes = [_row(item).note for item in data["rows"] if item.get("note")]
        lines += [""] + [f"- {note}" for note in notes] + ([""] if notes else [])
        for name, output in data.get("printed", {}).items():
            lines += [f"Output of `{SCRIPTS.get(name, name)}`:", "", "```", output, "```", ""]
    kept = ""
    if RESULTS_MD.exists() and KEEP_MARKER in RESULTS_MD.read_text():
        kept = RESULTS_MD.read_text().split(KEEP_MARKER, 1)[1]
    return "\n".join(lines).rstrip() + "\n\n" + KEEP_MARKER + (kept or "\n")


def _same_group(group: str) -> str:
    """A group's name without version numbers: a rerun after an upgrade replaces it."""
    return re.sub(r"\d+(\.\d+)+", "", group)


def merged(previous: dict[str, Any], fresh: dict[str, Any]) -> dict[str, Any]:
    """``fresh`` rows in place of the saved rows of the same groups; other groups kept."""
    new_rows: dict[str, list[dict[str, Any]]] = {}
    for item in fresh["rows"]:
        new_rows.setdefault(_same_group(item["group"]), []).append(item)
    rows: list[dict[str, Any]] = []
    done: set[str] = set()
    for item in previous["rows"]:
        group = _same_group(item["group"])
        if group not in new_rows:
            rows.append(item)
        elif group not in done:
            rows += new_rows[group]
            done.add(group)
    rows += [item for group, items in new_rows.items() if group not in done for item in items]
    old = previous.get("meta", {})
    meta = {**fresh["meta"], "other_rows": f"run {old.get('when')}, `{old.get('command')}`"}
    printed = {**previous.get("printed", {}), **fresh.get("printed", {})}
    return {"meta": meta, "rows": rows, "printed": printed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help=f"comma-separated parts out of {','.join(PARTS)}")
    parser.add_argument("--skip", default="", help="comma-separated parts to leave out")
    parser.add_argument("--label", help="name of this environment's results (default: guess)")
    parser.add_argument(
        "--suite-rounds", type=int, help="rounds of bench_suite.py (each runs the suite twice)"
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the saved rows of the groups this run does not measure",
    )
    args = parser.parse_args(argv)
    parts = args.only.split(",") if args.only else list(PARTS)
    parts = [part for part in parts if part not in args.skip.split(",")]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts {sorted(unknown)}: choose from {', '.join(PARTS)}")
    meta = machine()
    given = argv if argv is not None else sys.argv[1:]
    python = os.path.relpath(sys.executable, HERE.parent)
    meta["command"] = " ".join([python, "bench/run.py", *given])
    rows, printed = run(parts, {"suite": args.suite_rounds} if args.suite_rounds else {})
    label = args.label or default_label()
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{label}.json"
    payload = {"meta": meta, "rows": [row.as_dict() for row in rows], "printed": printed}
    if args.merge and path.exists():
        payload = merged(json.loads(path.read_text()), payload)
    path.write_text(json.dumps(payload, indent=2) + "\n")
    RESULTS_MD.write_text(render())
    print(f"saved bench/results/{label}.json and rewrote bench/RESULTS.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
