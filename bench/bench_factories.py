"""Payload generation rate: ``PayloadFactory`` against building a body by hand with Faker.

The baseline is what a test author writes without the factories: a seeded ``Faker()`` and
a dict of ``fake.sentence()`` / ``fake.word()`` / ``fake.pyfloat()`` calls with the same
fields (name, description, instructions, a function tool, metadata, sampling). Cases run
interleaved (harness.py) and are reported per payload with a ratio to that baseline:

- ``factory.modify()``: a long-lived factory (one per test, many payloads);
- ``PayloadFactory(seed).modify()``: a new factory per payload (the fixture's cost);
- ``factory.edge_cases()``: the whole labelled catalogue, per call.

Run: ``python bench/bench_factories.py`` (``--json PATH`` saves the rows).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faker import Faker
from harness import Case, Row, bench_arguments, compare, print_rows, save

from pytest_assistants.payloads.factories import PayloadFactory


def by_hand(fake: Faker) -> dict[str, Any]:
    """The body a test author would build with plain Faker calls."""
    return {
        "name": fake.sentence(nb_words=4)[:256],
        "description": fake.sentence(nb_words=12)[:512],
        "instructions": fake.paragraph(nb_sentences=8),
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": f"{fake.word()}_{fake.word()}",
                    "description": fake.sentence(),
                    "parameters": {
                        "type": "object",
                        "properties": {fake.word(): {"type": "string"} for _ in range(2)},
                    },
                },
            }
        ],
        "metadata": {fake.word(): fake.word() for _ in range(4)},
        "temperature": fake.pyfloat(min_value=0, max_value=2, right_digits=2),
        "top_p": fake.pyfloat(min_value=0, max_value=1, right_digits=2),
    }


def _loop(make: Any) -> Case:
    def run(number: int) -> float:
        start = time.perf_counter()
        for index in range(number):
            make(index)
        return time.perf_counter() - start

    return run


def run_all(*, rounds: int = 15, number: int = 200) -> list[Row]:
    fake = Faker()
    fake.seed_instance(1)
    factory = PayloadFactory(seed=1)
    catalogue = PayloadFactory(seed=1)
    size = len(catalogue.edge_cases())
    rows = compare(
        "payload generation (per payload)",
        {
            "by hand: Faker calls": _loop(lambda _: by_hand(fake)),
            "factory.modify()": _loop(lambda _: factory.modify()),
            "PayloadFactory(seed).modify()": _loop(lambda i: PayloadFactory(seed=i).modify()),
        },
        baseline="by hand: Faker calls",
        rounds=rounds,
        number=number,
    )
    rows += compare(
        "labelled catalogue (per call)",
        {
            f"by hand: Faker calls x {size}": _loop(lambda _: [by_hand(fake) for _ in range(size)]),
            "factory.edge_cases()": _loop(lambda _: catalogue.edge_cases()),
        },
        baseline=f"by hand: Faker calls x {size}",
        rounds=rounds,
        number=max(1, number // 50),
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = bench_arguments(__doc__, rounds=15, number=200, number_help="payloads per round")
    args = parser.parse_args(argv)
    rows = run_all(rounds=args.rounds, number=args.number)
    print_rows(rows)
    for row in rows:
        if row.group.startswith("payload"):
            print(f"  {row.case:<44} {1e6 / row.median_us:10.0f} payloads/s")
    if args.json:
        save(rows, args.json, {"number": args.number})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
