"""The whole test suite's wall time with ``-n 2`` (pytest-xdist) against ``-n 0``, one run.

Each round runs the suite once each way, in alternating order, as fresh interpreters; the
figures kept are the medians and their ratio (``-n 2`` / ``-n 0``: below 1 means xdist pays).
A round whose run fails is reported, so a ratio is never taken over a broken suite.

Run: ``python bench/bench_suite.py [--rounds 3] [--json PATH] [-- extra pytest args]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"^=* ?(\d+ (?:passed|failed|errors?|skipped)\b.*?) in [\d.]+s", re.M)


def run_suite(workers: str, extra: list[str]) -> tuple[float, int, str]:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", workers]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, *extra], cwd=ROOT, capture_output=True, text=True, env=dict(os.environ)
    )
    elapsed = time.perf_counter() - start
    found = SUMMARY.findall(done.stdout)
    return elapsed, done.returncode, found[-1] if found else done.stdout[-300:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also save the figures as JSON here")
    parser.add_argument("extra", nargs="*", help="more pytest arguments (after --)")
    args = parser.parse_args(argv)
    times: dict[str, list[float]] = {"0": [], "2": []}
    failures = []
    for index in range(args.rounds):
        for workers in ("0", "2") if index % 2 == 0 else ("2", "0"):
            elapsed, code, summary = run_suite(workers, args.extra)
            times[workers].append(elapsed)
            print(f"  round {index + 1}  -n {workers}: {elapsed:6.1f} s  rc={code}  {summary}")
            if code != 0:
                failures.append(f"-n {workers} round {index + 1}: {summary}")
    serial, parallel = statistics.median(times["0"]), statistics.median(times["2"])
    ratio = parallel / serial
    print(f"suite wall time: -n 0 {serial:.1f} s, -n 2 {parallel:.1f} s, ratio {ratio:.2f}x")
    if failures:
        print("suite FAILED in: " + "; ".join(failures))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"n0_s": times["0"], "n2_s": times["2"], "ratio": ratio, "failed": failures}
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
