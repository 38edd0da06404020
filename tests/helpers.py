"""Helpers the tests share (fixtures stay in conftest.py): paths, raw answers, bad bodies."""

from __future__ import annotations

import json
import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.expected import malformed_json

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parent.parent  # the repository
TESTS = ROOT / "tests"
PACKAGE = ROOT / "pytest_assistants"
RECORDED_SAMPLES = TESTS / "recordings"  # small recordings of each format, written by us

PARSE_ERROR = malformed_json()

GARBAGE: list[tuple[str, bytes]] = [
    ("truncated", b'{"name": "x"'),
    ("not-json", b"name=x"),
    ("empty", b""),
    ("array", b'[{"name": "x"}]'),
    ("string", b'"name"'),
    ("null", b"null"),
    ("number", b"42"),
    ("nan", b'{"temperature": NaN}'),
    ("infinity", b'{"temperature": Infinity}'),
    ("minus-infinity", b'{"top_p": -Infinity}'),
    ("invalid-utf8", b'{"name": "\xff\xfe"}'),
    ("lone-surrogate-bytes", b'{"name": "\xed\xa0\x80"}'),
    ("deep-array", b"[" * 100_000 + b"]" * 100_000),
    ("deep-object", b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
    ("trailing-garbage", b'{"name": "x"} tail'),
]  # fmt: skip


def under_ci() -> bool:
    """``CI`` set (``.ci/run`` exports ``CI=true``): what is missing there is a failure."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def raw_json(response: Any) -> Any:
    """The body as served, key order included (SDK models re-order nothing, but hide it)."""
    return json.loads(response.http_response.content)


def openai_sdk() -> Any:
    """The ``openai`` package; the test module is skipped where it is not installed."""
    return pytest.importorskip("openai")


def error_of(call: Callable[[], Any]) -> tuple[int, dict[str, Any]]:
    """Status and ``error`` object of the APIStatusError a call raises."""
    with pytest.raises(openai_sdk().APIStatusError) as info:
        call()
    body = info.value.body
    assert isinstance(body, dict)
    return info.value.status_code, body


# -- the examples of README.md and docs/ --------------------------------------------------

FENCE = re.compile(
    r"(?:<!-- (?P<note>[^>]*?) -->\n+)?^(?P<indent>[ ]*)```(?P<lang>\{?[\w-]*\}?)\n(?P<body>.*?)^(?P=indent)```",
    re.S | re.M,
)


@dataclass(frozen=True)
class Example:
    """One fenced block of a page: its language, text and the note before it, if any
    (``<!-- file: conftest.py -->`` names the file it is; ``<!-- run -->`` runs a console
    block's ``$`` commands)."""

    page: str
    number: int
    lang: str
    body: str
    note: str

    @property
    def file(self) -> str | None:
        return self.note.removeprefix("file:").strip() if self.note.startswith("file:") else None

    @property
    def is_test(self) -> bool:
        return self.lang == "python" and "def test_" in self.body

    @property
    def id(self) -> str:
        return f"{self.page}#{self.number}"


def examples(path: Path) -> list[Example]:
    """Every fenced block of a Markdown page, in order (numbered from 1)."""
    text = path.read_text(encoding="utf-8")
    path = path.resolve()
    page = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    return [
        Example(page, number, found["lang"], textwrap.dedent(found["body"]), found["note"] or "")
        for number, found in enumerate(FENCE.finditer(text), start=1)
    ]


def commands(example: Example) -> list[tuple[str, list[str]]]:
    """A console block as ``(command, the output lines shown under it)``."""
    found: list[tuple[str, list[str]]] = []
    for line in example.body.splitlines():
        if line.startswith("$ "):
            found.append((line[2:], []))
        elif found and line.strip() and line.strip() != "...":
            found[-1][1].append(line)
    return found


# -- the threads recordings (files, vector stores...) ---------------------------------------

THREADS_RECORDINGS = (
    ROOT.parent / "shared" / "reference" / "recordings" / "interactions_threads.jsonl"
)


def threads_recordings() -> list[dict[str, Any]]:
    """The rows of interactions_threads.jsonl: skipped where absent, a failure under CI."""
    path = Path(os.environ.get("ASSISTANTS_THREADS_RECORDINGS", THREADS_RECORDINGS))
    if not path.exists():
        message = f"threads reference recordings not found at {path}"
        if under_ci():
            pytest.fail(f"{message} (CI is set: the tests on real evidence must run)")
        pytest.skip(message)
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def refusal_of(call: Callable[[], Any]) -> tuple[int, dict[str, Any]]:
    """Status and whole envelope (``{"error": {...}}``) of the APIStatusError a call raises."""
    status, error = error_of(call)
    return status, {"error": error}


AUTH = {"Authorization": "Bearer sk-test"}
