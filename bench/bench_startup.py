"""Plugin startup cost: ``pytest --co`` on a one-test file, plugin loaded vs ``-p no:assistants``;
and what ``--assistants-coverage`` costs a small suite on the fake, on vs off (off collects
nothing: one stash lookup per fixture).

Both runs happen in a scratch directory outside the project (no conftest, no ini of
ours), interleaved, as fresh interpreters; the ratio is the plugin's load-time cost. A
second pass with ``-X importtime`` lists any heavy library the plugin's load pulled in
(it should pull in none: fixtures import what they need when a test asks).

Run: ``python bench/bench_startup.py`` (``--json PATH`` saves the rows).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    STARTUP_TARGET,
    Case,
    Row,
    bench_arguments,
    children_clock,
    compare,
    print_rows,
    save,
)

HEAVY = ("openai", "httpx", "httpx2", "vcr", "faker", "pydantic", "yaml", "hypothesis")
ONE_TEST = "def test_one():\n    assert 1 + 1 == 2\n"
FAKE_SUITE = """
import pytest

@pytest.mark.parametrize("n", range(20))
def test_modify(assistants_fake, n):
    client = assistants_fake.openai(max_retries=0)
    made = client.beta.assistants.create(model="gpt-4o", name=str(n))
    client.beta.assistants.update(made.id, name=None)
"""


def _command(workdir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider", *extra]


def _case(workdir: Path, *extra: str, target: str = "test_one.py", collect: bool = True) -> Case:
    command = _command(workdir, *extra, target)
    if not collect:
        command.remove("--co")

    def run(number: int) -> float:
        start = children_clock()
        for _ in range(number):
            subprocess.run(command, cwd=workdir, check=True, capture_output=True)
        return children_clock() - start

    return run


def imported_by_plugin(workdir: Path) -> list[str]:
    """Top-level packages imported with the plugin that are absent without it."""

    def top_level(*extra: str) -> set[str]:
        command = [sys.executable, "-X", "importtime", *_command(workdir, *extra)[1:]]
        done = subprocess.run([*command, "test_one.py"], cwd=workdir, capture_output=True)
        names = set()
        for line in done.stderr.decode().splitlines():
            if line.startswith("import time:") and "|" in line:
                names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
        return names

    return sorted(top_level() - top_level("-p", "no:assistants"))


def run_all(*, rounds: int = 15) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="assistants-startup-") as scratch:
        workdir = Path(scratch)
        (workdir / "pytest.ini").write_text("[pytest]\n")
        (workdir / "test_one.py").write_text(ONE_TEST)
        extra = imported_by_plugin(workdir)
        heavy = [name for name in extra if name in HEAVY]
        note = f"plugin load imports {', '.join(extra) or 'nothing extra'}"
        if heavy:
            note += f" (HEAVY: {', '.join(heavy)})"
        cases = {
            "pytest --co, -p no:assistants": _case(workdir, "-p", "no:assistants"),
            "pytest --co, plugin installed, unused": _case(workdir),
        }
        (workdir / "test_fake.py").write_text(FAKE_SUITE)
        suite = {
            "20 tests on the fake, coverage off": _case(
                workdir, "-W", "ignore::DeprecationWarning", target="test_fake.py", collect=False
            ),
            "the same, --assistants-coverage": _case(
                workdir,
                "-W",
                "ignore::DeprecationWarning",
                "--assistants-coverage",
                target="test_fake.py",
                collect=False,
            ),
        }
        coverage = compare(
            "behaviour coverage (20-test suite)",
            suite,
            baseline=next(iter(suite)),
            rounds=max(3, rounds // 3),
            number=1,
        )
        return coverage + compare(
            "startup (one-test file)",
            cases,
            baseline=next(iter(cases)),
            targets={"pytest --co, plugin installed, unused": STARTUP_TARGET},
            notes={"pytest --co, plugin installed, unused": note},
            rounds=rounds,
            number=1,
        )


def main(argv: list[str] | None = None) -> int:
    args = bench_arguments(__doc__, rounds=15).parse_args(argv)
    rows = run_all(rounds=args.rounds)
    print_rows(rows)
    for row in rows:
        if row.note:
            print(f"  note: {row.note}")
    if args.json:
        save(rows, args.json, {})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
