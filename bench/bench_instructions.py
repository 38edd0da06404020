"""CPU instructions per SDK ``update``: the fake against a MockTransport, load-proof.

Wall-clock ratios on a shared machine move by more than the fake's share of a call, so this
counts instructions under valgrind's cachegrind, which the machine's load does not change:
the smallest object of ``bench_sdk.py`` (``create(model="gpt-4o")``, then
``update(id, name="x", metadata={"k": "v"})``), updated ``--few`` and ``--many`` times after
a warm-up in four child processes (MockTransport and fake, each count); the difference
between the counts, divided by the extra calls, is one call's instructions without the
start-up. ``--cache-sim`` also counts simulated L1 misses (slower).

Run: ``python bench/bench_instructions.py`` (needs ``valgrind``; prints, saves nothing).
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

BENCH = Path(__file__).resolve().parent
EVENTS = ("Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw")


def child(which: str, count: int) -> None:
    """The measured process: warm up, collect, then ``count`` updates."""
    sys.path.insert(0, str(BENCH))
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    import bench_sdk

    canned = bench_sdk.Canned(smallest=True)
    clients = bench_sdk.sdk_clients(canned, use_async=False)
    name = next(iter(clients)) if which == "mock" else "pytest-assistants, explicit transport"
    update = clients[name][0].beta.assistants.update
    for _ in range(50):
        update(canned.stored["id"], **canned.patch)
    gc.collect()
    for _ in range(count):
        update(canned.stored["id"], **canned.patch)


def counted(which: str, count: int, scratch: Path, cache_sim: bool) -> dict[str, int]:
    out = scratch / f"{which}.{count}"
    command = [
        "valgrind",
        "--tool=cachegrind",
        f"--cache-sim={'yes' if cache_sim else 'no'}",
        f"--cachegrind-out-file={out}",
        sys.executable,
        __file__,
        "--child",
        which,
        str(count),
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    subprocess.run(command, check=True, capture_output=True, env=env)
    summary = out.read_text().split("summary:")[1].split()
    return dict(zip(EVENTS, map(int, summary), strict=False))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--few", type=int, default=40)
    parser.add_argument("--many", type=int, default=440)
    parser.add_argument("--cache-sim", action="store_true")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], int(args.child[1]))
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: apt-get install valgrind (or your system's package)")
        return 1
    extra = args.many - args.few
    with tempfile.TemporaryDirectory() as scratch:
        per_call = {}
        for which in ("mock", "fake"):
            few = counted(which, args.few, Path(scratch), args.cache_sim)
            many = counted(which, args.many, Path(scratch), args.cache_sim)
            per_call[which] = {event: (many[event] - few[event]) / extra for event in many}
    for event in per_call["mock"]:
        mock, fake = per_call["mock"][event], per_call["fake"][event]
        if mock:
            print(f"{event:5} MockTransport {mock:11,.0f}  fake {fake:11,.0f}  {fake / mock:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
