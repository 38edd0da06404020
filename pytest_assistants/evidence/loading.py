"""Reading a cassette or recording file: bounded, and every failure one line naming it.

Whatever reads YAML here (replay, lint, conformance, import, diff) goes through
:func:`compose` or :func:`load_yaml`: the node tree is checked before anything walks it, so
an alias bomb (a few hundred bytes that expand ninefold per level) or a document nested
thousands deep is refused with a message instead of eating memory or printing a
RecursionError. Only regular files are opened (a FIFO named ``*.yaml`` would block
forever), only UTF-8 text is read, and :func:`replay_problems` checks the schema replay
needs, so a cassette that lint passes is one replay can load.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

MAX_DEPTH = 100  # a cassette is about ten levels deep; its bodies are strings
# Aliases may add at most this many nodes, or as many as the document has, beyond its own.
ALIAS_ALLOWANCE = 10_000


class CassetteError(ValueError):
    """A file that cannot be read as a cassette; the message is one line naming it."""


def read_text(path: Path) -> str:
    """The UTF-8 text of a regular file (a link is followed only to a regular file)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise CassetteError(f"{path}: no such file") from None
    except OSError as error:
        raise CassetteError(f"{path}: cannot be read ({error.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise CassetteError(f"{path}: not a regular file; a cassette is a YAML file")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # never waits on a FIFO swapped in
        with os.fdopen(fd, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise CassetteError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CassetteError(
            f"{path}: not UTF-8 text ({error.reason} at byte {error.start}); a cassette is"
            " YAML text: fix or delete the file"
        ) from None


def _loader(text: str) -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)


def _check(root: Any, source: object) -> None:
    """Refuse a tree nested deeper than MAX_DEPTH or grown by aliases past the allowance.

    One walk over the distinct nodes (an alias is the same node object again), sizes
    computed once per node: linear in the document, whatever the aliases expand to.
    """
    import yaml

    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    opened: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node, yaml)
        if not children_done:
            if id(node) in opened:
                raise CassetteError(f"{source}: a YAML alias refers to itself (a cycle)")
            opened.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        opened.discard(id(node))
        sizes[id(node)] = 1 + sum(sizes.get(id(child), 1) for child in children)
        depths[id(node)] = 1 + max((depths.get(id(child), 1) for child in children), default=0)
        if depths[id(node)] > MAX_DEPTH:
            raise CassetteError(
                f"{source}: nested more than {MAX_DEPTH} levels deep; a cassette is a few"
                " levels of mappings and lists (bodies are strings)"
            )
    distinct = len(sizes)
    if sizes.get(id(root), 1) > 2 * distinct + ALIAS_ALLOWANCE:
        raise CassetteError(
            f"{source}: YAML aliases expand {distinct} nodes to {sizes[id(root)]}; a cassette"
            " needs no aliases (an alias bomb?): write the values out"
        )


def _children(node: Any, yaml: Any) -> list[Any]:
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def compose(text: str, source: object) -> Any:
    """The checked node tree of ``text`` (None for an empty document)."""
    import yaml

    loader = _loader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise CassetteError(f"{source}: malformed YAML{where}: {reason}") from None
    except RecursionError:
        raise CassetteError(f"{source}: nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()
    if root is not None:
        _check(root, source)
    return root


def load_yaml(text: str, source: object) -> Any:
    """The data of ``text``: composed and checked first, then built (safe tags only)."""

    root = compose(text, source)
    return None if root is None else load_yaml_node(root, source)


def load_yaml_node(root: Any, source: object) -> Any:
    """The data of a node tree :func:`compose` checked."""
    import yaml

    loader = _loader("")
    try:
        return loader.construct_document(root)
    except yaml.YAMLError as error:
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise CassetteError(f"{source}: YAML that is not plain data: {reason}") from None
    except RecursionError:
        raise CassetteError(f"{source}: nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()


def load_file(path: Path) -> Any:
    return load_yaml(read_text(path), path)


def replay_problems(document: Any) -> list[tuple[int, str]]:
    """What keeps replay from reading a vcrpy cassette: (interaction number or 0, problem)."""
    if not isinstance(document, Mapping) or not isinstance(document.get("interactions"), list):
        return [(0, "not a vcrpy cassette: no 'interactions' list")]
    problems: list[tuple[int, str]] = []
    for number, entry in enumerate(document["interactions"], 1):
        for problem in _interaction_problems(entry):
            problems.append((number, f"interaction {number}: {problem}"))
    return problems


def _interaction_problems(entry: Any) -> list[str]:
    if not isinstance(entry, Mapping):
        return ["not a mapping with 'request' and 'response'"]
    request, response = entry.get("request"), entry.get("response")
    problems = []
    if not isinstance(request, Mapping):
        problems.append("no 'request' mapping")
    else:
        for key in ("method", "uri"):
            if not isinstance(request.get(key), str) or not request.get(key):
                problems.append(f"request '{key}' is not a string")
        if isinstance(request.get("uri"), str) and not request["uri"].startswith(
            ("http://", "https://")
        ):
            problems.append("request 'uri' is not an http(s) URL")
        if not isinstance(request.get("body"), str | bytes | type(None)):
            problems.append("request 'body' is not a string")
        problems += _header_problems("request", request.get("headers"))
    if not isinstance(response, Mapping):
        problems.append("no 'response' mapping")
        return problems
    status = response.get("status")
    code = status.get("code") if isinstance(status, Mapping) else None
    if not isinstance(code, int) or isinstance(code, bool) or not 100 <= code <= 599:
        problems.append("response 'status' has no 'code' between 100 and 599")
    body = response.get("body")
    if not isinstance(body, Mapping) or not isinstance(body.get("string"), str | bytes):
        problems.append("response 'body' has no 'string'")
    problems += _header_problems("response", response.get("headers"))
    return problems


def _header_problems(side: str, headers: Any) -> list[str]:
    if headers is None:
        return []
    if not isinstance(headers, Mapping):
        return [f"{side} 'headers' is not a mapping"]
    for name, values in headers.items():
        listed = values if isinstance(values, list) else [values]
        if not isinstance(name, str) or not all(isinstance(v, str | bytes) for v in listed):
            return [f"{side} header {name!r} is not a name with string values"]
    return []
