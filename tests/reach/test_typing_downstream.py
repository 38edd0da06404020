"""The public API is typed for a downstream suite: mypy --strict catches a misspelt SDK method.

mypy runs, as a user's CI would, over a test file of a downstream project that annotates the
fixtures with the exported types; the correct calls pass and the misspelt one is the only
error. (``make typecheck-examples`` checks the whole example suite the same way.)
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path

pytest.importorskip("mypy")
pytest.importorskip("openai")

DOWNSTREAM = """
    from pytest_assistants import AssistantsCassette, AssistantsServer, FakeAssistants, PayloadFactory


    def test_typed(assistants_fake: FakeAssistants, assistants_server: AssistantsServer) -> None:
        client = assistants_fake.openai()
        made = client.beta.assistants.create(model="gpt-4o", name="x")
        assert client.beta.assistants.update(made.id, name="y").name == "y"
        reveal_type(client)
        reveal_type(assistants_fake.async_openai())
        reveal_type(assistants_fake.transport("httpx2"))
        reveal_type(assistants_server.openai())
        client.beta.assistants.updat(made.id, name="z")


    def test_others(assistants_cassette: AssistantsCassette, assistants_payloads: PayloadFactory) -> None:
        reveal_type(assistants_cassette.play_count)
"""


def test_a_misspelt_sdk_method_is_a_type_error(tmp_path: Path) -> None:
    source = tmp_path / "test_downstream.py"
    source.write_text(textwrap.dedent(DOWNSTREAM), encoding="utf-8")
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\nstrict = True\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(config), "--cache-dir",
         str(tmp_path / "cache"), "--no-error-summary", "--hide-error-context", str(source)],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
    )  # fmt: skip
    lines = [line.split(": ", 1)[1] for line in result.stdout.splitlines()]
    assert result.returncode == 1, result.stdout + result.stderr
    assert lines == [
        'note: Revealed type is "openai._client.OpenAI"',
        'note: Revealed type is "openai._client.AsyncOpenAI"',
        'note: Revealed type is "httpx2._transports.base.BaseTransport"',
        'note: Revealed type is "openai._client.OpenAI"',
        'error: "Assistants" has no attribute "updat"; maybe "update"?  [attr-defined]',
        'note: Revealed type is "int"',
    ]
