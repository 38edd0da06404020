"""Under CI the tests on the reference recordings fail when those are missing; elsewhere
they skip (a contributor without ``../shared`` can still run the suite)."""

from __future__ import annotations

import pytest

from tests.helpers import ROOT

USES_RECORDINGS = """
def test_needs_evidence(reference_recordings):
    assert reference_recordings.exists()

def test_needs_azure_evidence(azure_recordings):
    assert azure_recordings.exists()
"""


@pytest.mark.parametrize(
    ("ci", "outcome"),
    [
        ("true", {"errors": 2}),
        ("", {"skipped": 2}),
    ],
)
def test_missing_recordings_fail_only_under_ci(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: str, outcome: dict[str, int]
) -> None:
    pytester.makeconftest((ROOT / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_evidence=USES_RECORDINGS)
    monkeypatch.setenv("ASSISTANTS_RECORDINGS", str(pytester.path / "absent.jsonl"))
    monkeypatch.setenv("CI", ci)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(**outcome)
    if ci:
        result.stdout.fnmatch_lines(["*reference recordings not found*CI is set*"])


def test_under_ci_missing_azure_recordings_alone_fail(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeconftest((ROOT / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_evidence=USES_RECORDINGS)
    (pytester.path / "interactions.jsonl").write_text("")
    monkeypatch.setenv("ASSISTANTS_RECORDINGS", str(pytester.path / "interactions.jsonl"))
    monkeypatch.setenv("CI", "true")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1, errors=1)


def test_the_ci_entry_point_sets_ci() -> None:
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert "export CI=true" in lines
    assert lines.index("export CI=true") < lines.index("make test")
