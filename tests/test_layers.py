"""The layer picture in the README is true: no module imports from a layer above its own.

A dependency that points up (routes importing the fake, the backend importing routes) is how
a test double grows into a tangle; this keeps the one-way picture honest as modules move.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pytest_assistants"

# Top to bottom, as drawn under "Layout" in README.md.
LAYERS = [
    ["plugin", "cli"],
    ["cassettes", "cassette_match", "cassette_scrub", "cassette_lint"],
    ["conformance", "conformance_report", "recordings", "eras", "wirecompare", "drift"],
    ["fake", "transport", "asgi", "asgi_app"],
    ["config"],
    ["routes", "gateway", "zerobot", "faults"],
    ["backend", "state"],
    ["wirejson", "openapi"],
    ["profiles", "profile_types", "profile_catalogue", "models", "errors", "validation"],
]
# Payloads stand beside the fake: they may use the data layer only (DESIGN.md).
FACTORIES = ["factories", "factory_cases", "faker_provider", "strategies"]
RANK = {module: rank for rank, layer in enumerate(LAYERS) for module in layer}
DATA = set(LAYERS[-1])


def imports_of(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names = [node.module] if node.module else [alias.name for alias in node.names]
            found.update(name.split(".")[0] for name in names)
    return found


def test_every_module_is_placed_in_a_layer() -> None:
    modules = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__"}
    assert modules == set(RANK) | set(FACTORIES)


def test_no_module_imports_from_a_layer_above() -> None:
    upward = [
        f"{module} -> {target}"
        for module in RANK
        for target in imports_of(module)
        if target in RANK and RANK[target] < RANK[module]
    ]
    assert upward == []


def test_factories_use_the_data_layer_only() -> None:
    outside = {
        f"{module} -> {target}"
        for module in FACTORIES
        for target in imports_of(module) - set(FACTORIES)
        if target not in DATA
    }
    assert outside == set()
