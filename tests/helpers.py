"""Helpers the tests share (fixtures stay in conftest.py): paths, raw answers, bad bodies."""

from __future__ import annotations

import json
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
