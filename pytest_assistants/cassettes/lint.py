"""``pytest-assistants cassettes lint``: what must never be committed in a cassette.

Works on the YAML text and node tree (not on vcrpy objects), so every problem is reported
with the file, the line and its kind. Secrets are looked for with the detectors that scrub
recordings (:func:`pytest_assistants.cassettes.scrub.find_secrets`) in comment lines and in
every scalar once decoded: YAML escapes and line continuations, JSON
escapes, percent-encoding, ``!!binary`` base64, gzip and brotli. Also reported: header and
query values not scrubbed (names off the allow-list), bodies stored binary or compressed,
tags other than plain YAML data (``!!python/object`` would run code in an unsafe loader),
malformed YAML, and optionally a missing provenance.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import re
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from pytest_assistants.cassettes.scrub import (
    SAFE_QUERY,
    SCRUBBED_VALUE,
    find_secrets,
    safe_header,
)
from pytest_assistants.evidence.loading import (
    CassetteError,
    compose,
    load_yaml_node,
    read_text,
    replay_problems,
)
from pytest_assistants.evidence.recordings import brotli_module

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

BINARY_TAG = "tag:yaml.org,2002:binary"
PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in (
        "str",
        "int",
        "float",
        "bool",
        "null",
        "binary",
        "map",
        "seq",
        "timestamp",
        "merge",
    )
)
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
        text = read_text(path)
    except CassetteError as error:
        return [Problem(path, 1, str(error).removeprefix(f"{path}: "))]
    return lint_text(text, path, require_provenance=require_provenance)


def lint_text(text: str, path: Path, *, require_provenance: bool = False) -> list[Problem]:
    import yaml

    reported: set[str] = set()
    problems = list(line_secrets(text, path, reported))
    try:
        root = compose(text, path)
    except CassetteError as error:
        found = re.search(r"\(line (\d+)\)", str(error))
        reason = str(error).removeprefix(f"{path}: ")
        return [*problems, Problem(path, int(found.group(1)) if found else 1, reason)]
    if root is not None:
        problems.extend(node_problems(root, path, reported, text))
    interactions = child(root, "interactions")
    if not isinstance(interactions, yaml.SequenceNode):
        return [*problems, Problem(path, 1, "not a vcrpy cassette: no 'interactions' list")]
    for interaction in interactions.value:
        problems.extend(interaction_problems(interaction, path))
    problems.extend(schema_problems(root, interactions, path))
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


def schema_problems(root: Any, interactions: Any, path: Path) -> Iterator[Problem]:
    """What replay could not load, at the interaction that has it (tags are reported above:
    a cassette with one is not built)."""
    if any(node.tag not in PLAIN_TAGS for node in distinct_nodes(root)):
        return
    try:
        document = load_yaml_node(root, path)
    except CassetteError as error:
        yield Problem(path, 1, str(error).removeprefix(f"{path}: "))
        return
    for number, problem in replay_problems(document):
        node = interactions.value[number - 1] if 0 < number <= len(interactions.value) else root
        yield Problem(path, node.start_mark.line + 1, f"{problem}: replay cannot read it")


def secret_problem(path: Path, line: int, kind: str, secret: str, where: str = "") -> Problem:
    shown = secret[:5] + "..."
    return Problem(path, line, f"secret: {kind} {shown!r}{where}; re-record, or redact it")


def line_secrets(text: str, path: Path, reported: set[str]) -> Iterator[Problem]:
    """Secrets in comment lines, which no node holds (every value is checked decoded, as
    scrubbing sees it, by :func:`node_problems`)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.lstrip().startswith("#"):
            continue
        for finding in find_secrets(line):
            reported.add(finding.secret)
            yield secret_problem(path, number, finding.kind, finding.secret)


def decoded_texts(node: Any) -> tuple[list[str], str | None]:
    """The strings a scalar holds once decoded, and why not all of it could be read."""
    value = str(node.value)
    if node.tag != BINARY_TAG:
        texts = [value]
        try:
            parsed = json.loads(value) if value.lstrip()[:1] in ("{", "[", '"') else None
        except (ValueError, RecursionError):  # nested past the stack: the text is read as is
            parsed = None
        texts.extend(json_strings(parsed))
        return texts, None
    try:
        data = base64.b64decode(value.replace("\n", ""), validate=False)
    except (binascii.Error, ValueError):
        return [value], "stored as !!binary that is not base64"
    unread = None
    if data[:2] == b"\x1f\x8b":
        try:
            data = zlib.decompress(data, zlib.MAX_WBITS | 16)
        except zlib.error:
            unread = "a gzip stream that does not decompress"
    else:
        brotli = brotli_module()
        if brotli is not None:
            with contextlib.suppress(Exception):  # not brotli: keep the bytes as they are
                data = bytes(brotli.decompress(data))
    try:
        return [data.decode("utf-8")], unread
    except UnicodeDecodeError:
        return [data.decode("latin-1")], unread or "binary, not UTF-8 text"


def json_strings(value: Any) -> Iterator[str]:
    """Every key and string of a parsed JSON value, without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for key, inner in reversed(item.items()):
                stack.append(inner)
                stack.append(str(key))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def scalar_line(node: Any, secret: str, text: str = "") -> int:
    """The line of ``secret`` where the file shows it as written, else where the scalar
    starts (a secret that only its decoding shows)."""
    line: int = node.start_mark.line + 1
    written = text[node.start_mark.index : node.end_mark.index]
    if secret in written:
        return line + written[: written.index(secret)].count("\n")
    value = str(node.value)
    if node.style in ("|", ">") and secret in value:
        return line + 1 + value[: value.index(secret)].count("\n")
    return line


def node_problems(root: Any, path: Path, reported: set[str], source: str = "") -> Iterator[Problem]:
    """Every node: a non-standard tag, or a secret visible only once the scalar is decoded."""
    import yaml

    for node in distinct_nodes(root):
        if node.tag not in PLAIN_TAGS:
            yield Problem(
                path,
                node.start_mark.line + 1,
                f"non-standard YAML tag {node.tag!r}: a cassette holds plain data only"
                " (a loader that honours it may run code)",
            )
        if isinstance(node, yaml.ScalarNode):
            texts, _ = decoded_texts(node)
            where = " (decoded from !!binary)" if node.tag == BINARY_TAG else " (decoded)"
            for text in texts:
                for finding in find_secrets(text):
                    if finding.secret not in reported:
                        reported.add(finding.secret)
                        line = scalar_line(node, finding.secret, source)
                        yield secret_problem(path, line, finding.kind, finding.secret, where)


def distinct_nodes(root: Any) -> Iterator[Any]:
    """Every node once, in document order: an alias (the same node again) is not walked
    twice, so lint time follows the file's size, not what its aliases expand to."""
    import yaml

    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in reversed(node.value) for item in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))


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


def scrubbed(text: str | None) -> bool:
    return text is None or text == "" or bool(SCRUBBED_VALUE.fullmatch(text.strip()))


def query_problems(uri: Any, path: Path) -> Iterator[Problem]:
    import yaml

    if not isinstance(uri, yaml.ScalarNode):
        return
    for name, value in parse_qsl(urlsplit(str(uri.value)).query, keep_blank_values=True):
        if name.lower() not in SAFE_QUERY and not scrubbed(value):
            yield Problem(
                path,
                uri.start_mark.line + 1,
                f"unscrubbed query parameter {name!r}: only parameters known to carry no"
                " secret keep their value (record with pytest-assistants, which scrubs it)",
            )


def interaction_problems(interaction: Any, path: Path) -> Iterator[Problem]:
    import yaml

    for side in ("request", "response"):
        part = child(interaction, side)
        if part is None:
            yield Problem(path, interaction.start_mark.line + 1, f"interaction has no {side}")
            continue
        if side == "request":
            yield from query_problems(child(part, "uri"), path)
        for name, name_node, values in header_values(child(part, "headers")):
            for value in values:
                text = value.value if isinstance(value, yaml.ScalarNode) else None
                if not safe_header(name) and not scrubbed(text):
                    yield Problem(
                        path,
                        value.start_mark.line + 1,
                        f"unscrubbed {side} header {name_node.value!r}: only headers known to"
                        " carry no secret keep their value (record with pytest-assistants,"
                        " which scrubs it)",
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
            _, unread = decoded_texts(body)
            yield Problem(
                path,
                body.start_mark.line + 1,
                f"undecodable {side} body: stored as !!binary"
                f"{f' ({unread})' if unread else ''}, not readable text"
                " (its decoded text was checked for secrets)",
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
