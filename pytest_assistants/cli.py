"""``pytest-assistants`` command line: each subcommand lives in the module it drives.

A subcommand module provides ``CLI_HELP``, ``add_arguments(parser)`` and
``run_cli(args) -> int`` and imports its heavy dependencies inside ``run_cli``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

COMMANDS = {
    "serve": "server.runner",
    "cassettes": "cassettes.replay",
    "conformance": "evidence.conformance",
    "diff": "evidence.drift",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pytest-assistants",
        description="Fake Assistants API: serve it, lint cassettes, measure conformance and drift.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(f".{module_name}", __package__)
        sub = commands.add_parser(name, help=module.CLI_HELP, description=module.CLI_HELP)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run_cli)
    return parser


# The extra that brings each optional module a subcommand may need.
EXTRAS = {
    "uvicorn": "server",
    "starlette": "server",
    "openai": "openai",
    "portkey_ai": "portkey",
    "hypothesis": "hypothesis",
}


def install_hint(module: str | None) -> str:
    top = (module or "").split(".")[0]
    extra = EXTRAS.get(top)
    if extra is None:
        return f"pip install {top}" if top else "reinstall pytest-assistants"
    return f"pip install 'pytest-assistants[{extra}]'"


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; usage problems end with one line on stderr, never a traceback."""
    args = build_parser().parse_args(argv)
    try:
        status = int(args.run(args))
        sys.stdout.flush()  # here, where a closed pipe can still be handled
        return status
    except ModuleNotFoundError as error:
        print(
            f"pytest-assistants {args.command}: {error.name or error} is not installed:"
            f" {install_hint(error.name)}",
            file=sys.stderr,
        )
        return 2
    except BrokenPipeError:
        # The reader went away (`... | head`): stop quietly. Python's documented recipe:
        # point stdout at devnull so the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
