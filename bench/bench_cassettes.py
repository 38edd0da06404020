"""Replay cost per call: pytest-assistants cassettes vs vcrpy alone vs the MockTransport floor.

For cassettes of 10, 100 and 1,000 interactions (distinct POSTs, as a modify-heavy suite
makes), up to 100 interactions (evenly spread) are replayed through an httpx (or httpx2)
client whose transport is a ``MockTransport``: without a cassette the transport answers a
canned response (the floor); with one, vcrpy's patch answers from the cassette instead.
The three variants run interleaved, round after round, and the median per-call cost is
reported as a ratio to the floor of the same run. Loading a cassette is not timed (once
per test); small cassettes are replayed several times so each measurement is ~100 calls.

    python bench/bench_cassettes.py [--library httpx|httpx2] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_assistants.cassettes.replay import ReadableSerializer, use_cassette
from pytest_assistants.reach.transports import load_library

if TYPE_CHECKING:
    from collections.abc import Callable

SIZES = (10, 100, 1000)
URL = "https://api.openai.com/v1/assistants/asst_{:024d}"
ANSWER = json.dumps({"id": "asst_x", "object": "assistant", "name": "HR Helper"}, indent=2)


def body_of(i: int) -> dict[str, Any]:
    return {"name": f"HR Helper {i}", "metadata": {"team": "hr", "n": str(i)}}


def write_cassette(path: Path, size: int) -> None:
    interactions = [
        {
            "request": {
                "method": "POST",
                "uri": URL.format(i),
                "body": json.dumps(body_of(i)),
                "headers": {"content-type": ["application/json"], "openai-beta": ["assistants=v2"]},
            },
            "response": {
                "status": {"code": 200, "message": "OK"},
                "headers": {"content-type": ["application/json"]},
                "body": {"string": ANSWER},
            },
        }
        for i in range(size)
    ]
    metadata = {"source": "synthetic benchmark data", "synthetic": True}
    data = {"version": 1, "interactions": interactions, "metadata": metadata}
    path.write_text(ReadableSerializer.serialize(data))


def sample(size: int) -> list[int]:
    """At most 100 requests, spread evenly over the cassette (a linear scan's average)."""
    return list(range(0, size, max(1, size // 100)))


def passes(size: int) -> int:
    """Small cassettes are replayed several times, so every measurement is ~100 calls."""
    return max(1, 100 // size)


def replay(lib: Any, indices: list[int]) -> float:
    """Seconds spent sending ``indices``' requests (the client set-up is not timed)."""

    def canned(request: Any) -> Any:
        return lib.Response(200, headers={"content-type": "application/json"}, content=ANSWER)

    headers = {"openai-beta": "assistants=v2"}
    with lib.Client(transport=lib.MockTransport(canned), headers=headers) as client:
        start = time.perf_counter()
        for i in indices:
            response = client.post(URL.format(i), json=body_of(i))
            assert response.status_code == 200
        return time.perf_counter() - start


def floor(lib: Any, path: Path, size: int) -> float:
    return sum(replay(lib, sample(size)) for _ in range(passes(size)))


def vcrpy_alone(lib: Any, path: Path, size: int) -> float:
    import vcr

    # vcrpy's default matchers (method, scheme, host, port, path, query): adding its body
    # matcher costs far more (a JSON parse and a diff per recorded interaction compared).
    recorder = vcr.VCR(record_mode="none")
    total = 0.0
    for _ in range(passes(size)):
        with recorder.use_cassette(str(path)):
            total += replay(lib, sample(size))
    return total


def ours(lib: Any, path: Path, size: int) -> float:
    total = 0.0
    for _ in range(passes(size)):
        with use_cassette(path, "none"):
            total += replay(lib, sample(size))
    return total


VARIANTS: dict[str, Callable[[Any, Path, int], float]] = {
    "floor (MockTransport)": floor,
    "vcrpy alone": vcrpy_alone,
    "pytest-assistants": ours,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", default="httpx", choices=("httpx", "httpx2"))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    lib = load_library(args.library)
    results: dict[tuple[int, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {size: Path(tmp) / f"c{size}.yaml" for size in SIZES}
        for size, path in paths.items():
            write_cassette(path, size)
        for round_number in range(args.rounds):
            for size in SIZES:
                names = list(VARIANTS)
                shift = round_number % len(names)  # interleaved, in rotating order
                for name in names[shift:] + names[:shift]:
                    calls = passes(size) * len(sample(size))
                    cost = VARIANTS[name](lib, paths[size], size) / calls
                    results.setdefault((size, name), []).append(cost)
    print(f"replay cost per call ({args.library}, median of {args.rounds} interleaved rounds)")
    print(f"{'interactions':>12}  {'variant':<22} {'us/call':>9} {'x floor':>8}")
    for size in SIZES:
        base = statistics.median(results[(size, "floor (MockTransport)")])
        for name in VARIANTS:
            cost = statistics.median(results[(size, name)])
            print(f"{size:>12}  {name:<22} {cost * 1e6:>9.1f} {cost / base:>8.2f}")


if __name__ == "__main__":
    main()
