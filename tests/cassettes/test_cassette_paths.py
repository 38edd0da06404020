"""Cassette names from markers and config stay inside the cassette folder."""

from __future__ import annotations

import pytest

pytest.importorskip("openai")
COMMON = ("--assistants-record-mode=once", "-p", "no:cacheprovider")
TEST = """
import openai
import pytest

@pytest.mark.assistants_cassette({name!r})
def test_named(assistants_cassette, assistants_fake):
    openai.OpenAI(api_key="sk-x").beta.assistants.create(model="gpt-4o")
"""


@pytest.mark.parametrize(
    "name", ["../../../escaped", "sub/../../escaped", "{outside}/escaped", "..\\escaped"]
)
def test_a_marker_name_leaving_the_cassette_folder_is_an_error(
    pytester: pytest.Pytester, name: str
) -> None:
    outside = pytester.path.parent / "outside"
    outside.mkdir(exist_ok=True)
    name = name.format(outside=outside)
    pytester.makepyfile(TEST.format(name=name))
    result = pytester.runpytest(*COMMON)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [f"*assistants_cassette({name!r}): a cassette name must stay inside the cassette folder*"]
    )
    result.stdout.fnmatch_lines(["*absolute paths and '..' are not allowed*"])
    target = pytester.path / "cassettes" / f"{name}.yaml"  # where it would have gone
    assert not target.exists()
    assert not target.resolve().exists()
    assert not (pytester.path / "cassettes").exists()


@pytest.mark.parametrize("configured", ["/tmp/elsewhere", "../elsewhere", "a/../../elsewhere"])
def test_a_cassette_dir_leaving_the_rootdir_is_an_error(
    pytester: pytest.Pytester, configured: str
) -> None:
    pytester.makeini(f"[pytest]\nassistants_cassette_dir = {configured}\n")
    pytester.makepyfile(TEST.format(name="shared/create"))
    result = pytester.runpytest(*COMMON)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"*cassette_dir {configured!r} leaves the rootdir*"])
    target = pytester.path / configured / "shared" / "create.yaml"
    assert not target.resolve().exists()


def test_a_nested_relative_name_is_fine(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(TEST.format(name="team/a..b/create"))
    pytester.runpytest(*COMMON).assert_outcomes(passed=1)
    assert (pytester.path / "cassettes" / "team" / "a..b" / "create.yaml").exists()
