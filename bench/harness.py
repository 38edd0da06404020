"""Interleaved timing: the only honest way to compare on a shared, noisy machine.

Each case is a callable ``run(number) -> seconds`` that does ``number`` operations and
returns the time the operations alone took (set-up and tear-down stay outside the clock).
Rounds run every case once, in an order rotated each round (A B C, B C A, C A B, ...), so
a slow spell hits all cases alike; the figure kept is the median per-operation time over
rounds, and ratios are taken against a baseline case measured in the same rounds.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

Case = Callable[[int], float]

ROOT = Path(__file__).resolve().parent.parent
_WALL = os.environ.get("BENCH_CLOCK", "cpu") == "wall"
RECORDINGS = ROOT.parent / "shared" / "reference" / "recordings" / "interactions.jsonl"

# The targets in force, by the start of a row's group; the pages judge every saved row, old
# runs' included, against these (a run saved under an older target shows today's verdict).
SDK_TARGET = 1.15  # an SDK update through the fake vs httpx's MockTransport; 1.10x is the aim
HANDLER_TARGET = 2.5  # the fake's handler alone vs a canned handler
STARTUP_TARGET = 1.10  # `pytest --co` with the plugin installed but unused
TARGETS = {"SDK update": SDK_TARGET, "handler alone": HANDLER_TARGET, "startup": STARTUP_TARGET}


@dataclass
class Row:
    """One line of the results table."""

    group: str
    case: str
    median_us: float
    ratio: float | None = None  # against the group's baseline, same rounds
    baseline: str | None = None
    target: float | None = None
    note: str = ""
    # The fastest round, and its ratio to the baseline's fastest: on a shared machine the
    # least disturbed rounds, a check on the medians (the headline figures).
    best_us: float | None = None
    best_ratio: float | None = None

    @property
    def verdict(self) -> str:
        if self.target is None or self.ratio is None:
            return ""
        return "ok" if self.ratio <= self.target else "MISSED"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "verdict": self.verdict}


def clock() -> float:
    """Seconds on the benchmark clock: CPU time of this process unless ``BENCH_CLOCK=wall``.

    On a machine shared with other jobs, wall time mostly measures the other jobs (a load
    average of 6 on 2 cores tripled every figure and scattered the ratios); the CPU time
    this process spends is what the code under test costs. The cases here are
    single-threaded and never sleep, so the two agree on an idle machine.
    """
    return time.perf_counter() if _WALL else time.process_time()


def children_clock() -> float:
    """CPU seconds used by finished child processes (or wall time under BENCH_CLOCK=wall)."""
    if _WALL:
        return time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def clock_name() -> str:
    return "wall time" if _WALL else "CPU time"


def quick() -> bool:
    """``BENCH_QUICK=1`` runs few rounds: a smoke test of the scripts, not a measurement."""
    return os.environ.get("BENCH_QUICK", "") not in ("", "0")


def interleave(
    cases: Mapping[str, Case], *, rounds: int = 21, number: int = 100, warmup: int = 1
) -> dict[str, list[float]]:
    """Per-operation seconds of every case, one sample per round."""
    if quick():
        rounds, number = 3, max(1, number // 10)
    names = list(cases)
    for name in names:
        for _ in range(warmup):
            cases[name](number)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            gc.collect()
            samples[name].append(cases[name](number) / number)
    return samples


def compare(
    group: str,
    cases: Mapping[str, Case],
    *,
    baseline: str,
    targets: Mapping[str, float] | None = None,
    notes: Mapping[str, str] | None = None,
    rounds: int = 21,
    number: int = 100,
) -> list[Row]:
    """Interleave ``cases`` and express each as a ratio of ``baseline``'s median."""
    samples = interleave(cases, rounds=rounds, number=number)
    base, base_best = statistics.median(samples[baseline]), min(samples[baseline])
    rows = []
    for name, values in samples.items():
        median, best = statistics.median(values), min(values)
        rows.append(
            Row(
                group,
                name,
                median * 1e6,
                None if name == baseline else median / base,
                None if name == baseline else baseline,
                (targets or {}).get(name),
                (notes or {}).get(name, ""),
                best * 1e6,
                None if name == baseline else best / base_best,
            )
        )
    return rows


def print_rows(rows: list[Row]) -> None:
    for row in rows:
        ratio = f"{row.ratio:5.2f}x" if row.ratio is not None else "  base"
        best = f"(best {row.best_ratio:.2f}x)" if row.best_ratio is not None else ""
        target = f"target <= {row.target:.2f}x: {row.verdict}" if row.target else ""
        print(
            f"  {row.group[:40]:<40} {row.case[:48]:<48} {human(row.median_us):>9}  {ratio}",
            best,
            target,
            flush=True,
        )


def human(micros: float) -> str:
    """A duration in the unit that keeps it readable."""
    if micros >= 1e6:
        return f"{micros / 1e6:.2f} s"
    if micros >= 1e4:
        return f"{micros / 1e3:.1f} ms"
    return f"{micros:.1f} us"


def save(rows: list[Row], path: Path, meta: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"meta": dict(meta), "rows": [row.as_dict() for row in rows]}
    path.write_text(json.dumps(payload, indent=2) + "\n")


def bench_arguments(
    doc: str | None, *, rounds: int, number: int | None = None, number_help: str | None = None
) -> argparse.ArgumentParser:
    """The options every bench script takes (``run.py`` passes ``--json``): ``--rounds``,
    ``--number`` where the script times repeated calls, and ``--json``."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=rounds)
    if number is not None:
        parser.add_argument("--number", type=int, default=number, help=number_help)
    parser.add_argument("--json", type=Path, help="also save the rows as JSON here")
    return parser
