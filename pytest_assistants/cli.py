"""``pytest-assistants`` command line: each subcommand lives in the module it drives.

A subcommand module provides ``CLI_HELP``, ``add_arguments(parser)`` and
``run_cli(args) -> int`` and imports its heavy dependencies inside ``run_cli``.
"""

from __future__ import annotations

import argparse
import importlib
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


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
