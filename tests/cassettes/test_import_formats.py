"""``cassettes import``: every recording format becomes a scrubbed vcrpy cassette that
replays through the real openai SDK and conforms, with its provenance.

``tests/recordings/`` holds one small hand-written session per format (synthetic values:
create, modify, retrieve, delete on 2025-03-14); the shared reference ``raw/`` folder holds
real files in each format, imported and checked the same way.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import openai
import pytest
import yaml

from pytest_assistants.cassettes.importer import import_recordings
from pytest_assistants.cassettes.lint import run_lint
from pytest_assistants.cassettes.replay import use_cassette
from pytest_assistants.cli import main
from pytest_assistants.evidence.conformance import check
from pytest_assistants.evidence.formats import detect
from tests.helpers import RECORDED_SAMPLES

if TYPE_CHECKING:
    from pathlib import Path

HERE = RECORDED_SAMPLES
RECORDED_ID = "asst_Hq3Zr8TmWb5Kc2Yn7Pd4Lx9V"
SAMPLES = [
    ("ruby_vcr_session.yml", "ruby-vcr", "Ruby"),
    ("r_vcr_session.yml", "r-vcr", "R"),
    ("vcrpy_session.yaml", "vcrpy", "Python"),
    ("azure_test_proxy_session.json", "azure-test-proxy", "JS"),
    ("SessionRecords_dotnet_session.json", "dotnet-session-records", "NET"),
    ("exvcr_session.json", "exvcr", "Elixir"),
]


@pytest.mark.parametrize(("name", "kind", "who"), SAMPLES)
def test_each_format_is_read_directly_by_conformance(name: str, kind: str, who: str) -> None:
    assert detect(HERE / name)[0] == kind
    report = check([str(HERE / name)])
    assert [r.status for r in report.results] == ["reproduced"] * 4
    assert report.results[0].interaction.response_json["name"] == who


@pytest.mark.parametrize(("name", "kind", "who"), SAMPLES)
def test_each_format_imports_then_replays_and_conforms(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, kind: str, who: str
) -> None:
    [imported] = import_recordings([str(HERE / name)], tmp_path)
    assert imported.target is not None
    text = imported.target.read_text()
    document = yaml.safe_load(text)
    assert document["metadata"]["original_format"] == kind
    assert document["metadata"]["source"].startswith(f"imported from {name} (")
    assert document["metadata"]["recorded_at"] == "2025-03-14T10:00:00Z"
    assert document["metadata"]["synthetic"] is False
    assert text.startswith(f"# source: imported from {name}")
    assert run_lint([str(imported.target)], require_provenance=True) == 0
    capsys.readouterr()

    report = check([str(imported.target)])
    assert [r.status for r in report.results] == ["reproduced"] * 4

    client = openai.OpenAI(api_key="sk-test-import", max_retries=0)
    with use_cassette(imported.target, "none") as cassette:
        made = client.beta.assistants.create(model="gpt-4o", name=who)
        changed = client.beta.assistants.update(made.id, name=f"{who} 2")
        got = client.beta.assistants.retrieve(made.id)
        gone = client.beta.assistants.delete(made.id)
        assert cassette.all_played
    assert made.id == RECORDED_ID
    assert (changed.name, got.name, gone.deleted) == (f"{who} 2", f"{who} 2", True)
    assert got.temperature == 1.0


def test_import_scrubs_what_a_fresh_recording_would(tmp_path: Path) -> None:
    source = tmp_path / "leaky.json"
    secret = "sk-proj-Ab12Cd34Ef56Gh78Ij90"
    data = json.loads((HERE / "azure_test_proxy_session.json").read_text())
    for entry in data["Entries"]:
        entry["RequestHeaders"]["Authorization"] = f"Bearer {secret}"
        entry["ResponseHeaders"]["Set-Cookie"] = "__cf_bm=abc; path=/"
    source.write_text(json.dumps(data))
    [imported] = import_recordings([str(source)], tmp_path / "out")
    assert imported.target is not None
    text = imported.target.read_text()
    assert secret not in text
    assert "__cf_bm" not in text
    assert "Bearer <scrubbed:header-value>" in text


def test_import_keeps_only_assistants_endpoints_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "mixed.json"
    data = json.loads((HERE / "exvcr_session.json").read_text())
    thread = json.loads(json.dumps(data[2]))
    thread["request"]["url"] = "https://api.openai.com/v1/threads/thread_abc123"
    source.write_text(json.dumps([*data, thread]))
    code = main(["cassettes", "import", str(source), "--to", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert code == 0
    assert "4 assistants interactions ->" in out
    assert "(1 of other endpoints left out)" in out
    assert "1 cassettes written to" in out


def test_import_of_a_file_in_no_known_format_says_which_formats_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "odd.json"
    source.write_text('{"records": []}')
    assert main(["cassettes", "import", str(source), "--to", str(tmp_path)]) == 2
    assert "neither Azure test-proxy (Entries) nor ExVCR" in capsys.readouterr().out


# -- the real files in every source format ------------------------------------------------

# The vcrpy file holds a run too, which the importer (assistants interactions only) leaves
# out: read directly, 6 of its 16 interactions are compared (polls that show no progress
# yet and a run of two messages are not).
DIRECT_COMPARED = {"vcrpy/": 6}
RAW = {
    # folder/file prefix -> (format, interactions kept, compared, not comparable)
    "azure-test-proxy/Azure__azure-sdk-assets__java": ("azure-test-proxy", 10, 10, 0),
    "azure-test-proxy/Azure__azure-sdk-assets__js": ("azure-test-proxy", 5, 4, 1),
    "azure-test-proxy/Azure__azure-sdk-assets__net__sdk__openai__Azure.AI.OpenAI__tests__"
    "SessionRecords__AssistantTests__BasicAssistantOperationsWork.EXCERPT@5": (
        "dotnet-session-records",
        8,
        8,
        0,
    ),
    "r-vcr/": ("r-vcr", 10, 4, 6),
    "ruby-vcr/": ("ruby-vcr", 2, 2, 0),
    "vcrpy/": ("vcrpy", 1, 1, 0),
}


@pytest.fixture
def raw_recordings(reference_recordings: Path) -> Path:
    raw = reference_recordings.parent.parent / "raw"
    if not raw.is_dir():
        pytest.skip(f"raw reference recordings not found at {raw}")
    return raw


@pytest.mark.parametrize("prefix", list(RAW))
def test_real_files_of_every_format_import_and_conform(
    raw_recordings: Path, tmp_path: Path, prefix: str
) -> None:
    kind, kept, compared, not_comparable = RAW[prefix]
    folder, _, start = prefix.partition("/")
    [source] = [p for p in (raw_recordings / folder).iterdir() if p.name.startswith(start)]
    [imported] = import_recordings([str(source)], tmp_path)
    assert (imported.format, imported.kept) == (kind, kept)
    assert imported.target is not None
    assert run_lint([str(imported.target)], require_provenance=True) == 0
    report = check([str(imported.target)])
    assert (len(report.compared), len(report.not_comparable)) == (compared, not_comparable)
    assert not report.mismatches
    direct = check([str(source)])
    assert len(direct.compared) == DIRECT_COMPARED.get(prefix, compared)
    assert not direct.mismatches


def test_diff_reads_two_foreign_formats_directly(capsys: pytest.CaptureFixture[str]) -> None:
    """Same shapes recorded by Ruby VCR and ExVCR: no drift between them."""
    code = main(["diff", str(HERE / "ruby_vcr_session.yml"), str(HERE / "exvcr_session.json")])
    assert code == 0, capsys.readouterr().out


def test_two_sources_of_one_name_make_two_cassettes(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "session.yml").write_text((HERE / "ruby_vcr_session.yml").read_text())
    (tmp_path / "b" / "session.json").write_text((HERE / "exvcr_session.json").read_text())
    results = import_recordings([str(tmp_path / "a"), str(tmp_path / "b")], tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "session-exvcr.yaml",
        "session.yaml",
    ]
    assert [r.format for r in results] == ["ruby-vcr", "exvcr"]
