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


# -- files lost or shared ------------------------------------------------------------------

RECORD = """
import openai
import pytest

def test_create(assistants_cassette, assistants_fake):
    openai.OpenAI(api_key="sk-x").beta.assistants.create(model="gpt-4o", name="new")
"""


def test_once_refuses_to_overwrite_a_cassette_it_cannot_read(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_one=RECORD)
    folder = pytester.path / "cassettes" / "test_one"
    folder.mkdir(parents=True)
    unreadable = b"interactions: []\n# \xff\xfe latin-1 notes\n"
    (folder / "test_create.yaml").write_bytes(unreadable)
    result = pytester.runpytest(*COMMON)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*test_create.yaml: not UTF-8 text*fix or delete the file*"])
    assert (folder / "test_create.yaml").read_bytes() == unreadable


@pytest.mark.parametrize("mode", ["once", "all", "new_episodes"])
@pytest.mark.parametrize("linked", ["file", "folder"])
def test_a_link_out_of_the_cassette_folder_is_refused_and_its_target_kept(
    pytester: pytest.Pytester, mode: str, linked: str
) -> None:
    pytester.makepyfile(test_one=RECORD)
    outside = pytester.path.parent / f"outside-{mode}-{linked}"
    outside.mkdir()
    (outside / "test_create.yaml").write_text("kept: true\n")
    folder = pytester.path / "cassettes"
    folder.mkdir()
    if linked == "folder":
        (folder / "test_one").symlink_to(outside, target_is_directory=True)
    else:
        (folder / "test_one").mkdir()
        (folder / "test_one" / "test_create.yaml").symlink_to(outside / "test_create.yaml")
    result = pytester.runpytest(f"--assistants-record-mode={mode}", "-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*resolves to*outside the cassette folder*symbolic link*"])
    assert (outside / "test_create.yaml").read_text() == "kept: true\n"
    assert sorted(p.name for p in outside.iterdir()) == ["test_create.yaml"]


def test_a_link_inside_the_cassette_folder_is_followed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_one=RECORD)
    folder = pytester.path / "cassettes"
    (folder / "shared").mkdir(parents=True)
    (folder / "test_one").symlink_to(folder / "shared", target_is_directory=True)
    pytester.runpytest(*COMMON).assert_outcomes(passed=1)
    assert (folder / "shared" / "test_create.yaml").is_file()


SAME_NAMES = """
import openai
import pytest

def create(name):
    openai.OpenAI(api_key="sk-x").beta.assistants.create(model="gpt-4o", name=name)

class TestA:
    def test_x(self, assistants_cassette, assistants_fake):
        create("A")

class TestB:
    def test_x(self, assistants_cassette, assistants_fake):
        create("B")

    class TestInner:
        def test_x(self, assistants_cassette, assistants_fake):
            create("B inner")

@pytest.mark.parametrize(
    "tag", ["a/b", "a b", "a:b", "a_b", "a*b", "a\\\\b", "con", "x" * 300], ids=lambda tag: tag
)
def test_id(tag, assistants_cassette, assistants_fake):
    create(tag[:40])
"""


def test_every_test_gets_a_cassette_of_its_own_with_a_portable_name(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_names=SAME_NAMES)
    pytester.runpytest(*COMMON).assert_outcomes(passed=11)
    files = sorted((pytester.path / "cassettes" / "test_names").iterdir())
    assert len(files) == 11
    names = [path.name for path in files]
    assert "TestA.test_x.yaml" in names
    assert "TestB.test_x.yaml" in names
    assert "TestB.TestInner.test_x.yaml" in names
    assert "test_id[a_b].yaml" in names  # needed no change: kept as it was
    assert any(name.startswith("test_id[" + "x" * 100) for name in names)
    for name in names:
        assert len(name.encode()) <= 255
        assert not set(name) & set('<>:"/\\|?* '), name
    assert len({path.read_text() for path in files}) == 11  # each holds its own call
    replayed = pytester.runpytest("-p", "no:cacheprovider")  # each replays its own
    replayed.assert_outcomes(passed=11)


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("bad\x00name", "cannot hold control characters"),
        ("line\nbreak", "cannot hold control characters"),
        ("x" * 300, "is 300 bytes long; a file name holds at most 200"),
        ("team/" + "y" * 250 + "/create", "is 250 bytes long"),
    ],
)
def test_a_nul_or_over_long_marker_name_is_refused_with_a_message(
    pytester: pytest.Pytester, name: str, says: str
) -> None:
    pytester.makepyfile(TEST.format(name=name))
    result = pytester.runpytest(*COMMON)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"*{says}*"])
    assert "Traceback" not in result.stdout.str()
