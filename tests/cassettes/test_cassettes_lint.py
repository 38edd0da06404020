"""``pytest-assistants cassettes lint``: each planted fault is named with its file and line."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pytest_assistants.cassettes.replay import shipped_cassettes
from pytest_assistants.cli import main

if TYPE_CHECKING:
    from pathlib import Path

CLEAN = shipped_cassettes()["openai-v2/modify_assistant"].read_text()
RESPONSE_HEADERS = "    headers:\n      Content-Type:\n      - application/json\n    body:\n"


def plant(old: str, new: str) -> str:
    assert CLEAN.count(old) >= 1, old
    return CLEAN.replace(old, new, 1)


FAULTS = {
    "key in request body": (
        plant(
            '"model": "gpt-4o"}', '"model": "gpt-4o", "user": "sk-proj-Pl4ntedKeyAbCdEfGh12345"}'
        ),
        "sk-proj-Pl4ntedKeyAbCdEfGh12345",
        "secret: openai-key",
    ),
    "key in response body": (
        plant('"name": "HR Helper",', '"name": "pk-live-Pl4ntedKeyAbCdEfGh42",'),
        "pk-live-Pl4ntedKeyAbCdEfGh42",
        "secret: pk-key",
    ),
    "bearer token in another header": (
        plant(
            "      OpenAI-Beta:\n",
            "      X-Api-Token:\n      - Bearer eyJ0eXAi.Planted7\n      OpenAI-Beta:\n",
        ),
        "Bearer eyJ0eXAi.Planted7",
        "secret: bearer-token",
    ),
    "unscrubbed authorization": (
        plant("- Bearer REDACTED", "- Bearer $OPENAI_API_KEY"),
        "Bearer $OPENAI_API_KEY",
        "unscrubbed request header 'Authorization'",
    ),
    "unscrubbed portkey virtual key": (
        plant(
            "      OpenAI-Beta:\n",
            "      x-portkey-virtual-key:\n      - my-virtual-key\n      OpenAI-Beta:\n",
        ),
        "my-virtual-key",
        "unscrubbed request header 'x-portkey-virtual-key'",
    ),
    "unscrubbed response organization": (
        plant(
            RESPONSE_HEADERS,
            RESPONSE_HEADERS.replace(
                "    body:\n", "      openai-organization:\n      - user-abcdef\n    body:\n"
            ),
        ),
        "user-abcdef",
        "unscrubbed response header 'openai-organization'",
    ),
    "unscrubbed set-cookie": (
        plant(
            RESPONSE_HEADERS,
            RESPONSE_HEADERS.replace(
                "    body:\n", "      Set-Cookie:\n      - __cf_bm=abc; path=/\n    body:\n"
            ),
        ),
        "__cf_bm=abc",
        "unscrubbed response header 'Set-Cookie'",
    ),
    "binary body": (
        CLEAN[: CLEAN.index("      string: |-")]
        + "      string: !!binary H4sIAAAAAAAAA6tWyk0tLk5MT1WyUlAqSS0u0S1OLSrLzEtXqgUAVxYnKhkAAAA=\n",
        "!!binary",
        "undecodable response body",
    ),
    "gzip body": (
        plant(
            RESPONSE_HEADERS,
            RESPONSE_HEADERS.replace(
                "    body:\n", "      Content-Encoding:\n      - gzip\n    body:\n"
            ),
        ),
        "- gzip",
        "undecodable body: stored gzip-compressed",
    ),
    "malformed yaml": (
        plant("    method: POST\n", "    method: POST\n   uri: [unclosed\n"),
        "uri: [unclosed",
        "malformed YAML",
    ),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_lint_names_file_and_line_of_each_planted_fault(
    fault: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, marker, message = FAULTS[fault]
    path = tmp_path / "planted.yaml"
    path.write_text(text)
    line = next(n for n, content in enumerate(text.splitlines(), 1) if marker in content)
    assert main(["cassettes", "lint", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert any(row.startswith(f"{path}:") and message in row for row in out.splitlines()), out
    assert f"{path}:{line}: {message}" in out


def test_clean_cassettes_pass_and_provenance_can_be_required(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = tmp_path / "clean.yaml"
    clean.write_text(CLEAN)
    assert main(["cassettes", "lint", str(clean), "--require-provenance"]) == 0
    anonymous = tmp_path / "anonymous.yaml"
    anonymous.write_text(CLEAN[CLEAN.index("version: 1") :])
    assert main(["cassettes", "lint", str(anonymous)]) == 0
    assert main(["cassettes", "lint", str(anonymous), "--require-provenance"]) == 1
    assert f"{anonymous}:1: no provenance" in capsys.readouterr().out


def test_every_shipped_cassette_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(p) for p in shipped_cassettes().values()]
    assert main(["cassettes", "lint", "--require-provenance", *paths]) == 0, capsys.readouterr()


def test_a_missing_path_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cassettes", "lint", str(tmp_path / "nope.yaml")]) == 2
    assert "no such path" in capsys.readouterr().err
