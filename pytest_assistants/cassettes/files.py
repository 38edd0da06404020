"""Where a test's cassette lives, and how it is read and written.

- One name per test, unique and portable: the class path is part of it
  (``test_mod/TestA.test_x``), and a name that had to change to be portable (``/``, ``:``,
  spaces, characters Windows refuses, an over-long parametrize id) gets a short hash of the
  test's own name, so ``test[a/b]``, ``test[a b]`` and ``test[a:b]`` never share a file.
- Paths are resolved, links included, and must stay inside the cassette folder: a link in
  ``cassettes/`` that points elsewhere fails the test instead of sending writes outside it.
- The persister (vcrpy's extension point) opens only regular files (a FIFO named
  ``*.yaml`` would block forever), refuses a file it cannot read instead of treating it as
  empty (``once`` would overwrite it), checks the schema replay needs, and writes through a
  temporary file and a rename: a reader never sees half a cassette.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
import re
import stat
import tempfile
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

from pytest_assistants.evidence.loading import (
    CassetteError,
    load_yaml,
    read_text,
    replay_problems,
)

if TYPE_CHECKING:
    import pytest

    from pytest_assistants.reach.config import Settings

PACKAGE_DIR = Path(__file__).resolve().parent
MAX_PART = 200  # bytes of one path part, ".yaml" and room to spare under 255
SHORTENED = 120  # characters of a generated name kept before its hash
UNPORTABLE = re.compile(r"[^\w.\-\[\]]+")  # what a generated name may not hold
WINDOWS_RESERVED = re.compile(r"(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?")


def failure(message: str) -> BaseException:
    """pytest's ``Failed``: a BaseException, so no SDK retry loop can swallow it."""
    import pytest

    return pytest.fail.Exception(message, pytrace=False)


def shipped_roots() -> list[Path]:
    """Shipped cassettes: inside the installed package, or at the root of a checkout."""
    roots = [PACKAGE_DIR / "shipped"]
    checkout = PACKAGE_DIR.parent.parent
    if (checkout / "pyproject.toml").is_file():
        roots.append(checkout / "cassettes")
    return [root for root in roots if root.is_dir()]


def shipped_cassettes() -> dict[str, Path]:
    """Name (``dialect/operation``) -> path of every shipped cassette."""
    found: dict[str, Path] = {}
    for root in shipped_roots():
        for path in sorted(root.rglob("*.yaml")):
            found.setdefault(path.relative_to(root).with_suffix("").as_posix(), path)
    return found


def escapes(name: str) -> bool:
    """Whether ``name`` could leave the folder it is joined to: absolute, a drive or ``..``."""
    posix = PurePosixPath(name.replace("\\", "/"))
    return posix.is_absolute() or bool(PureWindowsPath(name).drive) or ".." in posix.parts


def cassette_dir(node: pytest.Item, settings: Settings) -> Path:
    """The cassette folder: ``cassette_dir`` under the rootdir, else beside the test file."""
    if settings.cassette_dir:
        if escapes(settings.cassette_dir):
            raise failure(
                f"assistants cassette_dir {settings.cassette_dir!r} leaves the rootdir"
                f" {node.config.rootpath}: absolute paths and '..' are not allowed; give a"
                " folder relative to the rootdir, e.g. 'tests/cassettes'"
            )
        return node.config.rootpath / settings.cassette_dir
    return node.path.parent / "cassettes"


def portable(part: str) -> str:
    """``part`` as a file name every system takes; a hash of it if anything had to change."""
    safe = UNPORTABLE.sub("_", part).rstrip(". ") or "_"
    if WINDOWS_RESERVED.fullmatch(safe):
        safe = f"_{safe}"
    if safe == part and len(part.encode()) <= MAX_PART:
        return part
    digest = hashlib.sha256(part.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{safe[:SHORTENED]}-{digest}"


def test_name(node: pytest.Item) -> str:
    """``module/Class.test[id]``: the node id after the file, made portable."""
    parts = node.nodeid.split("::")[1:] or [node.name]
    return f"{portable(node.path.stem)}/{portable('.'.join(parts))}"


def checked_name(given: str, folder: Path) -> str:
    """A marker's cassette name, or a failure saying why it cannot be one."""
    name = given.removesuffix(".yaml").removesuffix(".yml")
    where = f"@pytest.mark.assistants_cassette({given!r})"
    if escapes(name) or not name.strip("/"):
        raise failure(
            f"{where}: a cassette name must stay inside the cassette folder {folder}: absolute"
            " paths and '..' are not allowed; use a relative name such as"
            " 'openai-v2/modify_assistant'"
        )
    if any(ord(char) < 32 or char == "\x7f" for char in name):
        raise failure(f"{where}: a cassette name cannot hold control characters (NUL, newline)")
    long = [part for part in name.split("/") if len(part.encode()) > MAX_PART]
    if long:
        raise failure(
            f"{where}: the part {long[0][:40]!r}... is {len(long[0].encode())} bytes long; a"
            f" file name holds at most {MAX_PART}: give a shorter name"
        )
    return name


def confined(path: Path, root: Path) -> Path:
    """``path`` resolved (links followed); a failure if that leaves ``root``."""
    real_root, real = root.resolve(), path.resolve()
    if real != real_root and real_root not in real.parents:
        raise failure(
            f"cassette {path} resolves to {real}, outside the cassette folder {real_root}"
            " (a symbolic link?): cassettes are read and written inside that folder only;"
            " remove the link or point the test at a cassette inside it"
        )
    return real


def cassette_path_for(node: pytest.Item, settings: Settings) -> tuple[Path, bool]:
    """The cassette of a test, and whether it is a shipped (read-only) one."""
    markers = list(node.iter_markers("assistants_cassette"))
    folder = cassette_dir(node, settings)
    if not markers:
        return confined(folder / f"{test_name(node)}.yaml", folder), False
    marker = markers[0]
    if len(marker.args) != 1 or marker.kwargs or not isinstance(marker.args[0], str):
        raise failure(
            "@pytest.mark.assistants_cassette takes one cassette name, e.g."
            " @pytest.mark.assistants_cassette('openai-v2/modify_assistant')"
        )
    name = checked_name(marker.args[0], folder)
    known = shipped_cassettes()
    if name in known:
        return known[name], True
    own = confined(folder / f"{name}.yaml", folder)
    if settings.record_mode == "none" and not own.exists():
        raise failure(unknown_cassette(name, list(known), own))
    return own, False


def unknown_cassette(name: str, known: list[str], own: Path) -> str:
    """A marker name that is neither shipped nor a file of the suite's own: most likely a typo."""
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    names = close or sorted(known)
    return (
        f"no shipped cassette named {name!r}:"
        f" {'close names' if close else 'shipped cassettes'}: {', '.join(names)}"
        f" (a cassette of your own would be {own}; record it with --assistants-record-mode=once)"
    )


class Persister:
    """vcrpy's persister for cassette files (``VCR.register_persister``)."""

    @staticmethod
    def load_cassette(cassette_path: Any, serializer: Any) -> tuple[Any, ...]:
        from vcr.persisters.filesystem import CassetteNotFoundError
        from vcr.request import Request
        from vcr.serializers import compat

        path = Path(cassette_path)
        if not os.path.lexists(path):
            raise CassetteNotFoundError()
        text = read_text(path)
        if not text.strip():  # as vcrpy: an empty file is recorded again
            raise CassetteNotFoundError()
        document = load_yaml(text, path)
        problems = replay_problems(document)
        if problems:
            raise CassetteError(
                f"{path}: {problems[0][1]}; fix it or record it again"
                " (pytest-assistants cassettes lint lists every problem)"
            )
        entries = document["interactions"]
        requests = [Request._from_dict(entry["request"]) for entry in entries]
        responses = [compat.convert_to_bytes(entry["response"]) for entry in entries]
        metadata = document.get("metadata")
        return (requests, responses, metadata) if metadata else (requests, responses)

    @staticmethod
    def save_cassette(cassette_path: Any, cassette_dict: Any, serializer: Any) -> None:
        from vcr.serialize import serialize

        path = Path(cassette_path)
        text = serialize(cassette_dict, serializer)
        try:
            if os.path.lexists(path) and not stat.S_ISREG(os.lstat(path).st_mode):
                raise CassetteError(f"{path}: not a regular file; not overwritten")
            path.parent.mkdir(parents=True, exist_ok=True)
            mode = stat.S_IMODE(os.stat(path).st_mode) if os.path.lexists(path) else 0o644
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.chmod(temporary, mode)
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError as error:
            raise CassetteError(f"{path}: cannot be written ({error.strerror or error})") from None
