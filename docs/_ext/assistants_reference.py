"""Reference pages written from the plugin itself, so they cannot drift from it.

Directives (in MyST pages, as ```` ```{assistants-fixtures} ````):

- ``assistants-fixtures``: each public fixture of ``fixtures.py``, its value's type and its
  docstring (read with ``ast``: the plugin's fixtures are not imported objects of interest);
- ``assistants-options``: the command-line and ini options, as ``pytest_addoption`` adds
  them (a recorder stands in for pytest's parser);
- ``assistants-marker``: the keyword arguments ``@pytest.mark.assistants`` and the
  ``assistants_config`` fixture take;
- ``assistants-cli``: ``pytest-assistants --help`` of every subcommand, from its argparse
  parser.

Each writes Markdown that MyST renders in place, so links and references in it are checked
by the strict build like any other.
"""

from __future__ import annotations

import argparse
import ast
import inspect
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

PACKAGE = Path(__file__).resolve().parents[2] / "pytest_assistants"


class _Markdown(SphinxDirective):
    """A directive whose content is Markdown written by :meth:`markdown`."""

    has_content = False

    def markdown(self) -> str:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        container = nodes.container()
        self.state.nested_parse(self.markdown().splitlines(), self.content_offset, container)
        return list(container.children)


def public_fixtures() -> list[tuple[str, str, str]]:
    """(name, value type, docstring) of each fixture ``fixtures.py`` defines, in file order."""
    tree = ast.parse((PACKAGE / "fixtures.py").read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
            continue
        if not any("fixture" in ast.unparse(d) for d in node.decorator_list):
            continue
        value = ast.unparse(node.returns) if node.returns else "Any"
        if value.startswith("Generator["):
            value = value.removeprefix("Generator[").split(",")[0]
        found.append((node.name, value, inspect.cleandoc(ast.get_docstring(node) or "")))
    return found


class Fixtures(_Markdown):
    def markdown(self) -> str:
        lines = []
        for name, value, doc in public_fixtures():
            typed = f"{{py:class}}`~pytest_assistants.{value}`" if value[0].isupper() else value
            lines += [f"### `{name}`", "", f"Value: {typed}. Scope: function.", "", doc, ""]
        return "\n".join(lines)


class _Recorder:
    """Stands in for pytest's parser and option group: keeps what the plugin adds."""

    def __init__(self) -> None:
        self.options: list[tuple[str, dict[str, Any]]] = []
        self.ini: list[tuple[str, str, str, Any]] = []

    def getgroup(self, *args: object, **kwargs: object) -> _Recorder:
        return self

    def addoption(self, *names: str, **kwargs: Any) -> None:
        self.options.append((", ".join(names), kwargs))

    def addini(self, name: str, help: str, type: str | None = None, default: Any = None) -> None:
        self.ini.append((name, help, type or "string", default))


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


class Options(_Markdown):
    def markdown(self) -> str:
        from pytest_assistants import plugin

        recorder = _Recorder()
        plugin.pytest_addoption(recorder)  # type: ignore[arg-type]
        lines = ["### Command line", "", "| option | what it does |", "|---|---|"]
        for names, kwargs in recorder.options:
            meta = kwargs.get("metavar") or "|".join(kwargs.get("choices") or ())
            if kwargs.get("type") is int:
                meta = "N"
            flag = f"{names}={meta}" if meta else names
            lines.append(f"| `{_cell(flag)}` | {_cell(kwargs.get('help', ''))} |")
        lines += ["", "### ini options", "", "| option | type | what it does |", "|---|---|---|"]
        for name, help_text, kind, default in recorder.ini:
            shown = "" if default is None else f" (default: `{str(default).lower()}`)"
            lines.append(f"| `{name}` | {kind} | {_cell(help_text)}{shown} |")
        return "\n".join(lines) + "\n"


class Marker(_Markdown):
    def markdown(self) -> str:
        import dataclasses

        from pytest_assistants.reach.config import CONFIG_KEYS, MARKER_KEYS
        from pytest_assistants.service.profiles import Choices

        choices = {field.name for field in dataclasses.fields(Choices)}
        own = sorted(MARKER_KEYS - choices)
        only_config = sorted(CONFIG_KEYS - MARKER_KEYS)
        return "\n".join(
            [
                "The marker takes keyword arguments only:",
                "",
                "- " + ", ".join(f"`{key}`" for key in own) + ";",
                "- every field of {py:class}`~pytest_assistants.Choices`: "
                + ", ".join(f"`{key}`" for key in sorted(choices))
                + ".",
                "",
                "The `assistants_config` fixture returns a dict of the same keys, plus "
                + " and ".join(f"`{key}`" for key in only_config)
                + ".",
                "",
            ]
        )


def _parsers(
    parser: argparse.ArgumentParser, prog: str
) -> list[tuple[str, argparse.ArgumentParser]]:
    """The parser and each subcommand's, depth first."""
    found = [(prog, parser)]
    for action in parser._actions:  # argparse keeps its subparsers here only
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _parsers(sub, f"{prog} {name}")
    return found


class _Formatter(argparse.HelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=92)


class Cli(_Markdown):
    def markdown(self) -> str:
        from pytest_assistants.cli import build_parser

        lines = []
        for prog, parser in _parsers(build_parser(), "pytest-assistants")[1:]:
            parser.prog = prog
            parser.formatter_class = _Formatter  # the same width wherever the site is built
            lines += [f"### `{prog}`", "", "```text", parser.format_help().rstrip(), "```", ""]
        return "\n".join(lines)


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("assistants-fixtures", Fixtures)
    app.add_directive("assistants-options", Options)
    app.add_directive("assistants-marker", Marker)
    app.add_directive("assistants-cli", Cli)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
