"""The command line ends usage problems with one line on stderr, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers import ROOT

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def run_without(module: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh interpreter where ``module`` cannot be imported."""
    code = (
        f"import sys; sys.modules[{module!r}] = None\n"
        "from pytest_assistants.cli import main\n"
        f"sys.exit(main({list(argv)!r}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=ENV, timeout=120
    )


def test_serve_without_uvicorn_names_the_install_command() -> None:
    result = run_without("uvicorn", "serve", "--port", "0")
    assert result.returncode == 2
    assert result.stderr == (
        "pytest-assistants serve: uvicorn is not installed:"
        " pip install 'pytest-assistants[server]'\n"
    )


def test_a_closed_pipe_ends_quietly() -> None:
    """``pytest-assistants conformance cassettes | head``: the reader is gone before we write."""
    process = subprocess.Popen(
        [sys.executable, "-m", "pytest_assistants.cli", "conformance", str(ROOT / "cassettes")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
        cwd=ROOT,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # as `head` does once it has read enough
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1
    assert stderr == ""
