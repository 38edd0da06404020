"""How far one SDK ``update`` travels inside pytest-assistants: files, functions, calls.

A ``sys.setprofile`` hook records every Python function call whose code lives in the
package while ``client.beta.assistants.update(...)`` runs once (after a warm-up call),
through the explicit transport and through global interception. Printed per way in:

- files: distinct package modules the request touches;
- functions: distinct package functions called;
- calls: package function calls in all (comprehensions and generator expressions count);
- file hops: how often the running code moves from one package file to another.

The figures are counts, not times: the same on every machine for the same code and SDK.
Run: ``python bench/bench_hops.py`` (``--package-dir DIR`` to trace another checkout's
package, e.g. the code before a change, put first on ``sys.path`` by ``PYTHONPATH``).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_assistants import FakeAssistants

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import FrameType

STORED = {"id": "asst_benchmarkBenchmark0001", "name": "before", "model": "gpt-4o"}
PATCH = {"name": "after", "description": "updated", "instructions": "be brief"}


@dataclass
class Trace:
    package: str
    calls: list[tuple[str, str]] = field(default_factory=list)  # (file, function) in order

    def hook(self, frame: FrameType, event: str, _arg: Any) -> None:
        if event == "call" and frame.f_code.co_filename.startswith(self.package):
            name = frame.f_code.co_filename[len(self.package) :].lstrip("/")
            self.calls.append((name, frame.f_code.co_qualname))

    def summary(self) -> dict[str, Any]:
        files = [file for file, _ in self.calls]
        hops = sum(1 for before, after in itertools.pairwise(files) if before != after)
        return {
            "files": sorted(set(files)),
            "functions": len(set(self.calls)),
            "calls": len(self.calls),
            "file hops": hops,
        }


def traced(package: str, call: Callable[[], Any]) -> Trace:
    call()  # warm-up: imports and first-use caches are not part of a request's way
    trace = Trace(package)
    sys.setprofile(trace.hook)
    try:
        call()
    finally:
        sys.setprofile(None)
    return trace


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package-dir", help="the package directory to count (default: ours)")
    parser.add_argument("--verbose", action="store_true", help="list every call in order")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    import pytest_assistants

    package = args.package_dir or str(Path(pytest_assistants.__file__).resolve().parent)
    explicit = FakeAssistants()
    explicit.add(STORED)
    client = explicit.openai(max_retries=0)
    ways: dict[str, Callable[[], Any]] = {
        "explicit transport": lambda: client.beta.assistants.update(STORED["id"], **PATCH)
    }
    intercepting = FakeAssistants()
    intercepting.add(STORED)
    openai = __import__("openai")
    plain = openai.OpenAI(api_key="sk-test", max_retries=0)

    ways["global interception"] = lambda: plain.beta.assistants.update(STORED["id"], **PATCH)
    print(f"package: {package}")
    for way, call in ways.items():
        with intercepting:  # started outside the trace: only the request is counted
            trace = traced(package, call)
        summary = trace.summary()
        print(
            f"SDK update, {way}: {len(summary['files'])} files, {summary['functions']} functions,"
            f" {summary['calls']} calls, {summary['file hops']} file hops"
        )
        print(f"  files: {', '.join(summary['files'])}")
        if args.verbose:
            for file, function in trace.calls:
                print(f"    {file}: {function}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
