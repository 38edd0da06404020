"""Scrubbing and lint time on adversarial text: linear, whatever the input.

Each input repeats what makes a backtracking pattern re-read the rest of the text at every
position (a key prefix with no key after it, an escape, a separator after a key-ish name).
For each, ``scrub_text`` runs on 256 KB, 512 KB and 1 MB; linear time shows as a ratio of
about 2 between each size and the one before it (the quadratic scanner this replaced took
7.2 s on 40 KB of ``sk-``). The worst time per MB is the figure the security notes quote.
``lint`` is measured the same way on a cassette whose body holds 1 MB of each text.

    python bench/bench_scrub.py [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import Row, print_rows, quick, save  # noqa: E402

from pytest_assistants.cassettes.lint import lint_file  # noqa: E402
from pytest_assistants.cassettes.scrub import scrub_text  # noqa: E402

ADVERSARIAL = {
    "sk- repeated": "sk-",
    "_sk- repeated": "_sk-",
    "sk-a1 repeated": "sk-a1",
    "eyJ repeated (JWT)": "eyJ",
    ":// repeated (basic auth)": "://a",
    "AKIA repeated": "AKIA",
    "api_key= repeated": "api_key=",
    "bearer repeated": "bearer 1",
    "PEM header repeated": "-----BEGIN RSA PRIVATE KEY-----",
    "xoxb- repeated (Slack)": "xoxb-1-",
    "JSON escapes": "\\u0073",
    "percent escapes": "%73",
    "one letter": "a",
}
SIZES = (256 * 1024, 512 * 1024, 1024 * 1024)


def timed(run: object) -> float:
    start = time.perf_counter()
    run()  # type: ignore[operator]
    return time.perf_counter() - start


def text_of(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def cassette_of(text: str) -> str:
    body = json.dumps(json.dumps({"instructions": text}))
    return (
        "interactions:\n- request:\n    body: " + body + "\n    headers: {}\n    method: POST\n"
        "    uri: https://api.openai.com/v1/assistants\n  response:\n    body:\n"
        "      string: '{}'\n    headers: {}\n    status:\n      code: 200\n"
        "      message: OK\nversion: 1\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    sizes = SIZES[:2] if quick() else SIZES
    rows: list[Row] = []
    worst = 0.0
    for name, unit in ADVERSARIAL.items():
        texts = [text_of(unit, size) for size in sizes]
        times = [timed(lambda t=text: scrub_text(t)) for text in texts]
        worst = max(worst, times[-1] * (1024 * 1024) / sizes[-1])
        ratio = times[-1] / times[-2] if times[-2] else None
        rows.append(
            Row("scrub_text of 1 MB (ratio: to 512 KB)", name, times[-1] * 1e6, ratio, "512 KB")
        )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "c.yaml"
            path.write_text(cassette_of(text_of(unit, sizes[-1])))
            lint_time = timed(lambda p=path: lint_file(p))
        rows.append(Row("lint of a cassette holding 1 MB of it", name, lint_time * 1e6))
    print_rows(rows)
    print(f"worst scrub time: {worst:.2f} s per MB")
    if args.json:
        save(rows, args.json, {"worst_seconds_per_mb": worst, "sizes": list(sizes)})


if __name__ == "__main__":
    main()
