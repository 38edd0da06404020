"""``pytest-assistants cassettes lint``: what must never be committed in a cassette.

Works on the YAML text and node tree (not on vcrpy objects), so every problem is reported
with the file and line to fix: key-shaped secrets anywhere (comments included), auth and
cookie headers that were not scrubbed, bodies stored binary or still compressed, malformed
YAML, and optionally a missing provenance.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_assistants.cassettes.scrub import (
    BEARER_PATTERN,
    KEY_PATTERN,
    SCRUBBED_REQUEST_HEADERS,
    SCRUBBED_RESPONSE_HEADERS,
    SCRUBBED_VALUES,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

BINARY_TAG = "tag:yaml.org,2002:binary"
COMPRESSED = ("gzip", "x-gzip", "deflate", "br", "zstd", "compress")


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int  # 1-based
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def cassette_files(paths: Sequence[str | Path]) -> Iterator[Path]:
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
        else:
            yield path


def lint_file(path: Path, *, require_provenance: bool = False) -> list[Problem]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [Problem(path, 1, "no such file")]
    except UnicodeDecodeError as error:
        return [Problem(path, 1, f"not UTF-8 text ({error.reason}); cassettes are YAML text")]
    return lint_text(text, path, require_provenance=require_provenance)


def lint_text(text: str, path: Path, *, require_provenance: bool = False) -> list[Problem]:
    import yaml

    problems = list(secret_problems(text, path))
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return [*problems, Problem(path, line, f"malformed YAML: {reason}")]
    if not isinstance(root, yaml.MappingNode) or child(root, "interactions") is None:
        return [*problems, Problem(path, 1, "not a vcrpy cassette: no 'interactions' list")]
    interactions = child(root, "interactions")
    if isinstance(interactions, yaml.SequenceNode):
        for interaction in interactions.value:
            problems.extend(interaction_problems(interaction, path))
    if require_provenance:
        metadata = child(root, "metadata")
        if metadata is None or child(metadata, "source") is None:
            problems.append(
                Problem(
                    path,
                    1,
                    "no provenance: add metadata 'source: provider documentation example (URL)'"
                    " or 'source: recorded from the fake, profile X'",
                )
            )
    return sorted(problems, key=lambda p: p.line)


def secret_problems(text: str, path: Path) -> Iterator[Problem]:
    for number, line in enumerate(text.splitlines(), start=1):
        for pattern, kind in ((KEY_PATTERN, "API key"), (BEARER_PATTERN, "bearer token")):
            for match in pattern.finditer(line):
                shown = match.group(0)[:5] + "..."
                yield Problem(path, number, f"secret: {kind} {shown!r}; re-record, or redact it")


def child(node: Any, key: str) -> Any | None:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    return None


def header_values(headers: Any) -> Iterator[tuple[str, Any, list[Any]]]:
    """(lower-cased name, name node, value nodes) of a headers mapping."""
    import yaml

    if not isinstance(headers, yaml.MappingNode):
        return
    for name_node, value_node in headers.value:
        values = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        yield str(name_node.value).lower(), name_node, values


def interaction_problems(interaction: Any, path: Path) -> Iterator[Problem]:
    import yaml

    for side, scrubbed in (
        ("request", SCRUBBED_REQUEST_HEADERS),
        ("response", SCRUBBED_RESPONSE_HEADERS),
    ):
        part = child(interaction, side)
        if part is None:
            yield Problem(path, interaction.start_mark.line + 1, f"interaction has no {side}")
            continue
        for name, name_node, values in header_values(child(part, "headers")):
            for value in values:
                text = value.value if isinstance(value, yaml.ScalarNode) else None
                if name in scrubbed and text not in SCRUBBED_VALUES:
                    yield Problem(
                        path,
                        value.start_mark.line + 1,
                        f"unscrubbed {side} header {name_node.value!r}: its value must be"
                        " REDACTED (record with pytest-assistants, which scrubs it)",
                    )
                if side == "response" and name == "content-encoding" and text in COMPRESSED:
                    yield Problem(
                        path,
                        value.start_mark.line + 1,
                        f"undecodable body: stored {text}-compressed; store it decoded"
                        " (pytest-assistants decodes gzip/deflate, and br with brotli installed)",
                    )
        body = child(part, "body")
        if side == "response":
            body = child(body, "string") if isinstance(body, yaml.MappingNode) else body
        if body is not None and body.tag == BINARY_TAG:
            yield Problem(
                path,
                body.start_mark.line + 1,
                f"undecodable {side} body: stored as !!binary, not readable text",
            )


def run_lint(paths: Sequence[str], *, require_provenance: bool = False) -> int:
    """Print ``file:line: problem`` lines; 1 when any, 2 when a path does not exist."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        print(
            f"pytest-assistants cassettes lint: no such path: {', '.join(missing)}", file=sys.stderr
        )
        return 2
    count = files = 0
    for path in cassette_files(paths):
        files += 1
        for problem in lint_file(path, require_provenance=require_provenance):
            count += 1
            print(problem)
    print(f"{files} cassette(s) checked, {count} problem(s)", file=sys.stderr)
    return 1 if count else 0
