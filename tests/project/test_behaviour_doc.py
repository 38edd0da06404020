"""docs/behaviour.md is what the catalogue says, and the code's ``§`` tags resolve in it."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from pytest_assistants.service.profiles import PROFILES
from pytest_assistants.service.reference import COMMAND, render
from tests.helpers import ROOT

DOC = ROOT / "docs" / "behaviour.md"


def test_the_behaviour_reference_is_what_the_generator_writes() -> None:
    """Rendered in a fresh interpreter: other tests in this process may extend the catalogue."""
    written = DOC.read_text(encoding="utf-8")
    code = (
        "import sys; from pytest_assistants.service.reference import render;"
        " sys.stdout.write(render())"
    )
    fresh = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, encoding="utf-8",
    ).stdout  # fmt: skip
    assert written == fresh, f"docs/behaviour.md is stale: regenerate it with `{COMMAND}`"
    assert render()  # and it renders here too


def test_the_reference_states_the_evidence_limits_and_texts() -> None:
    """Literals from the provider behaviour specification (§2, §4.2, §5.1), not from code."""
    doc = DOC.read_text(encoding="utf-8")
    for line in [
        "| `name` | string, max 256 code points, or null | §2 `name` [S0][S1] |",
        "| `description` | string, max 512 code points, or null |",
        "| `instructions` | string, max 32,768 code points, or null |",
        "| `instructions` | string, max 256,000 code points, or null |",
        "| `tools` | array, max 128 items |",
        "| `metadata` | map of at most 16 pairs, keys max 64, string values max 512, or null |",
        "| `temperature` | number, 0..2, or null |",
        "| `top_p` | number, 0..1, or null |",
        "| `tool_resources.code_interpreter.file_ids` | array, max 20 items |",
        "| `tool_resources.file_search.vector_store_ids` | array, max 1 items |",
        "| `file_ids` | array, max 20 items | §2 `file_ids` [S0] |",
        "| `reasoning_effort` | one of `low`, `medium`, `high`, or null |",
        "| `tools[](file_search).file_search.max_num_results` | integer, 1..50 |",
        "| `key_order` | `id`, `object`, `created_at`, `name`, `description`, `model`,"
        " `instructions`, `tools`, `file_ids`, `metadata` | §5.1",
        '"message": "No assistant found with id \'asst_abc123\'."',
        '"message": "Unknown parameter: \'foo\'.", "type": "invalid_request_error",'
        ' "param": "foo", "code": "unknown_parameter"',
        "Supported values are: 'code_interpreter', 'function', and 'file_search'.",
        '"message": "Portkey Error: Invalid API Key. Error Code: 03"',
        '`{"message": "Not Found", "ok": false}`',
        "| `null_resets_defaults` | `True` | §11 item 2; Q2 |",
        "| `organization` | `user-fake0organization00000` |",
    ]:
        assert line in doc, line
    assert doc.count("\n### `") == len(PROFILES)  # one section per profile


def test_every_section_tag_in_the_code_is_explained_in_the_reference() -> None:
    doc = DOC.read_text(encoding="utf-8")
    explained = set(re.findall(r"^\| (§[\d.]+) \|", doc, re.M))
    used: set[str] = set()
    for path in (ROOT / "pytest_assistants").rglob("*.py"):
        used.update(re.findall(r"§\d+(?:\.\d+)?", path.read_text(encoding="utf-8")))
    assert used
    unexplained = {
        tag for tag in used if tag not in explained and tag.split(".")[0] not in explained
    }
    assert not unexplained, sorted(unexplained)


# An evidence tag in the code: [S1], [SPEC@HEAD], [AZ-REC 2025-03], [GW-main globals.ts]...
SOURCE_TAG = re.compile(r"\[(S\d|SPEC|RB|AZ-REC|AZ-SPECS|GW|I:|code#|CAP|SDK)[^\]]*\]")


def test_every_evidence_tag_in_the_code_is_defined_in_the_reference() -> None:
    """A tag such as ``[SPEC@HEAD]`` or ``[GW-main src/index.ts]`` names a source the
    reference defines (by the tag itself or its family: ``[SPEC@date]``, ``[I:…]``)."""
    doc = DOC.read_text(encoding="utf-8")
    defined = set(re.findall(r"^\| (\[[^\]]+\]) \|", doc, re.M))
    families = {tag.split("@")[0].split(":")[0].split("#")[0].rstrip("]") for tag in defined}
    used: set[str] = set()
    for path in (ROOT / "pytest_assistants").rglob("*.py"):
        used.update(m.group(0) for m in SOURCE_TAG.finditer(path.read_text(encoding="utf-8")))
    assert used
    undefined = sorted(
        tag
        for tag in used
        if tag not in defined and not any(tag.startswith(family) for family in families)
    )
    assert not undefined, undefined
