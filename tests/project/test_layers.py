"""The layer picture is true: folders are layers, and imports point down only.

A dependency that points up (the service importing the fake, the backend importing a way in)
or sideways between subpackages is how a test double grows into a tangle. This reads every
import of the package, at module level and inside functions, and every attribute read of
another module, and holds them against the picture drawn in docs/maintainers/architecture.md.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

import pytest

from tests.helpers import PACKAGE

if TYPE_CHECKING:
    from pathlib import Path

# What each part may import, besides itself (docs/maintainers/architecture.md). The top modules are wiring.
ALLOWED: dict[str, set[str]] = {
    "service": set(),
    "payloads": {"service"},
    "reach": {"service"},
    "server": {"reach", "service"},
    "evidence": {"reach", "service"},
    "cassettes": {"evidence", "reach", "service"},
    "plugin": {"behaviours", "cassettes", "evidence", "payloads", "reach", "server", "service"},
    "fixtures": {"plugin", "cassettes", "payloads", "reach", "server"},
    "behaviours": {"coverage_page", "reach", "service"},
    "coverage_page": {"behaviours"},
    "cli": {"cassettes", "evidence", "payloads", "reach", "server", "service"},
    "__init__": {"cassettes", "evidence", "payloads", "reach", "server", "service"},
}
# Inside ``service`` (DESIGN "Layers and layout"): the shared bottom knows no resource, no
# front door and no sequence; resources know no front door and no sequence; the front doors
# (dialects) never hold the router; only the facade (reach/fake.py) builds a router.
SERVICE = "pytest_assistants.service"
ABOVE_THE_BOTTOM = tuple(
    f"{SERVICE}.{name}" for name in ("dialects", "router", "routes", "user_routes", "resources")
)
SERVICE_BOTTOM = ["errors", "http", "profiles", "store", "validation", "wire"]
SERVICE_RULES = {
    # part of service/ -> the service modules it must not import
    "resources": (f"{SERVICE}.dialects", f"{SERVICE}.router", f"{SERVICE}.user_routes"),
    "dialects": (f"{SERVICE}.router", f"{SERVICE}.user_routes"),
    "http.py": (SERVICE,),  # a leaf: every layer imports it, it imports nothing
}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def part_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def dotted(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in the file, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = dotted(path) if path.name == "__init__.py" else dotted(path).rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            if node.module is None or module == "pytest_assistants":
                found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return [(line, name) for line, name in found if name.startswith("pytest_assistants")]


def target_part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_module_belongs_to_a_drawn_part() -> None:
    assert {part_of(path) for path in modules()} == set(ALLOWED)


def test_no_import_points_up_or_sideways() -> None:
    wrong = []
    for path in modules():
        source = part_of(path)
        for line, module in imported_modules(path):
            target = target_part(module)
            if target != source and target not in ALLOWED[source]:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} -> {module}")
    assert wrong == []


def service_files(part: str) -> list[Path]:
    """``store`` -> [service/store.py]; ``profiles`` -> every module of service/profiles/."""
    base = PACKAGE / "service"
    if (base / part).is_dir():
        return sorted((base / part).rglob("*.py"))
    return [base / (part if part.endswith(".py") else f"{part}.py")]


def test_the_shared_service_parts_import_no_resource_dialect_or_router() -> None:
    wrong = []
    for name in SERVICE_BOTTOM:
        for path in service_files(name):
            for line, module in imported_modules(path):
                if module.startswith(ABOVE_THE_BOTTOM):
                    wrong.append(f"{path.relative_to(PACKAGE)}:{line} -> {module}")
    assert wrong == []


@pytest.mark.parametrize("part", sorted(SERVICE_RULES))
def test_resources_know_no_front_door_and_dialects_hold_no_router(part: str) -> None:
    wrong = []
    for path in service_files(part):
        for line, module in imported_modules(path):
            if module.startswith(SERVICE_RULES[part]) and not module.startswith(
                f"{SERVICE}.http" if part != "http.py" else "~"
            ):
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} -> {module}")
    assert wrong == []


def test_only_the_facade_builds_a_router() -> None:
    """Other layers use the fake through ``FakeAssistants``' named methods (DESIGN)."""
    wrong = []
    for path in modules():
        if path.relative_to(PACKAGE).parts[0] == "service" or path.name == "fake.py":
            continue
        for line, module in imported_modules(path):
            if module == f"{SERVICE}.router" or module.startswith(f"{SERVICE}.router."):
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} -> {module}")
    assert wrong == []


def test_no_module_reads_another_modules_private_names() -> None:
    """``transport._ACTIVE`` from elsewhere couples two modules through a detail."""
    wrong = []
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported_as: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "pytest_assistants"
            ):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        wrong.append(
                            f"{path.relative_to(PACKAGE)}:{node.lineno} imports {alias.name}"
                        )
                    imported_as.add(alias.asname or alias.name)
            elif isinstance(node, ast.ImportFrom) and node.level:
                imported_as.update(alias.asname or alias.name for alias in node.names)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name)
                and node.value.id in imported_as
            ):
                wrong.append(
                    f"{path.relative_to(PACKAGE)}:{node.lineno} reads {node.value.id}.{node.attr}"
                )
    assert wrong == []


def test_payloads_use_the_profiles_only() -> None:
    """Factories describe requests from the evidence; they never run the fake (DESIGN.md)."""
    wrong = []
    for path in (PACKAGE / "payloads").rglob("*.py"):
        for line, module in imported_modules(path):
            if target_part(module) == "service" and module != "pytest_assistants.service.profiles":
                wrong.append(f"{path.name}:{line} -> {module}")
    assert wrong == []


def test_the_architecture_page_names_every_part() -> None:
    layout = (PACKAGE.parent / "docs" / "maintainers" / "architecture.md").read_text("utf-8")
    missing = [part for part in ALLOWED if part != "__init__" and f"{part}" not in layout]
    assert missing == []
    for path in modules():
        if path.name != "__init__.py":
            assert path.stem in layout, (
                f"docs/maintainers/architecture.md does not name {path.relative_to(PACKAGE)}"
            )


@pytest.mark.parametrize(
    ("source", "line", "expected"),
    [
        ("from pytest_assistants.reach.fake import FakeAssistants", "service", False),
        ("from pytest_assistants.service.router import Router", "reach", True),
        ("def f():\n    from pytest_assistants.server.app import App", "evidence", False),
        ("from pytest_assistants.cassettes import replay", "evidence", False),
    ],
)
def test_the_checker_sees_module_and_function_level_imports(
    tmp_path: Path, source: str, line: str, expected: bool
) -> None:
    """The checker itself can fail: an upward or sideways import is reported."""
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    tree_imports = [module for _, module in ast_imports(path)]
    allowed = all(target_part(m) == line or target_part(m) in ALLOWED[line] for m in tree_imports)
    assert allowed is expected


def ast_imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.module or "")
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pytest_assistants")
    ]
