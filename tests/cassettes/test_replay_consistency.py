"""Replay with the fake active keeps the fake consistent, end to end through pytester.

Recorded from the fake, a cassette replays with ``assistants_fake.assistants`` and ``calls``
as if the fake had served the session; a request added later is recorded with
``new_episodes`` from a fake that knows what the cassette created (a 200, not a bogus 404).
A cassette recorded from the fake by pytest-recording (no provenance metadata) is checked
by ``conformance`` with the final API's profile and says why.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
import yaml

from pytest_assistants.evidence.conformance import check
from tests.helpers import RECORDED_SAMPLES

if TYPE_CHECKING:
    from pathlib import Path

COMMON = ("-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning")

SESSION = """
import json
import openai


def test_session(assistants_fake, assistants_cassette):
    client = openai.OpenAI(api_key="sk-test-consistency-1", max_retries=0)
    made = client.beta.assistants.create(model="gpt-4o", name="HR Helper")
    client.beta.assistants.update(made.id, name="HR Bot")
    # RETRIEVE
    assert assistants_fake.assistants[made.id]["name"] == "HR Bot"
    seen = [[c.method, c.status, c.replayed] for c in assistants_fake.calls]
    with open("calls.json", "w") as handle:
        json.dump(seen, handle)
"""
RETRIEVE = """got = client.beta.assistants.retrieve(made.id)
    assert got.name == "HR Bot"
"""


def calls(pytester: pytest.Pytester) -> list[list[object]]:
    return json.loads((pytester.path / "calls.json").read_text())  # type: ignore[no-any-return]


def test_replay_then_new_episodes_keeps_the_fake_consistent(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_consistency=SESSION)
    pytester.runpytest("--assistants-record-mode=once", *COMMON).assert_outcomes(passed=1)
    assert calls(pytester) == [["POST", 200, False], ["POST", 200, False]]

    pytester.runpytest(*COMMON).assert_outcomes(passed=1)  # replay: no KeyError
    assert calls(pytester) == [["POST", 200, True], ["POST", 200, True]]

    source = pytester.path / "test_consistency.py"
    source.write_text(source.read_text().replace("# RETRIEVE\n    ", RETRIEVE + "    "))
    missed = pytester.runpytest(*COMMON)
    missed.assert_outcomes(failed=1)
    missed.stdout.fnmatch_lines(
        ["*This cassette was recorded from the fake*--assistants-record-mode=new_episodes*"]
    )

    pytester.runpytest("--assistants-record-mode=new_episodes", *COMMON).assert_outcomes(passed=1)
    assert calls(pytester) == [["POST", 200, True], ["POST", 200, True], ["GET", 200, False]]
    cassette = pytester.path / "cassettes" / "test_consistency" / "test_session.yaml"
    recorded = yaml.safe_load(cassette.read_text())["interactions"]
    assert [i["response"]["status"]["code"] for i in recorded] == [200, 200, 200]
    assert json.loads(recorded[2]["response"]["body"]["string"])["name"] == "HR Bot"

    pytester.runpytest(*COMMON).assert_outcomes(passed=1)
    assert calls(pytester) == [["POST", 200, True], ["POST", 200, True], ["GET", 200, True]]
    assert check([str(cassette)]).ok


PYTEST_RECORDING = """
import openai
import pytest


@pytest.mark.vcr
def test_made_with_pytest_recording(assistants_fake):
    client = openai.OpenAI(api_key="sk-test-consistency-2", max_retries=0)
    made = client.beta.assistants.create(model="gpt-4o", name="HR Helper")
    client.beta.assistants.update(made.id, name="HR Bot", metadata={"team": "hr"})
    client.beta.assistants.retrieve(made.id)
"""


def test_a_pytest_recording_cassette_of_the_fake_conforms_without_metadata(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_theirs=PYTEST_RECORDING)
    pytester.runpytest("--record-mode=once", *COMMON).assert_outcomes(passed=1)
    cassette = pytester.path / "cassettes" / "test_theirs" / "test_made_with_pytest_recording.yaml"
    assert "metadata" not in yaml.safe_load(cassette.read_text())
    report = check([str(cassette)])
    assert [r.status for r in report.results] == ["reproduced"] * 3
    chosen = {(r.interaction.profile, r.interaction.profile_reason) for r in report.results}
    assert len(chosen) == 1
    profile, reason = chosen.pop()
    assert profile == "openai-v2@2025-08"
    assert "after the 2026-08-26 shutdown" in reason


def test_cassette_answers_reach_the_store_without_pytest(tmp_path: Path) -> None:
    """The same through ``use_cassette`` and ``FakeAssistants`` (scripts, other runners)."""
    import openai

    from pytest_assistants import FakeAssistants
    from pytest_assistants.cassettes.replay import use_cassette

    path = tmp_path / "c.yaml"
    with FakeAssistants(seed=4) as fake, use_cassette(path, "once"):
        client = openai.OpenAI(api_key="sk-x", max_retries=0)
        made = client.beta.assistants.create(model="gpt-4o", name="one")
        client.beta.assistants.delete(made.id)
    with FakeAssistants(seed=4) as fake, use_cassette(path, "new_episodes"):
        client = openai.OpenAI(api_key="sk-x", max_retries=0)
        replayed = client.beta.assistants.create(model="gpt-4o", name="one")
        assert replayed.id in fake.assistants
        client.beta.assistants.delete(replayed.id)
        assert replayed.id not in fake.assistants
        after = client.beta.assistants.create(model="gpt-4o", name="two")  # not in the cassette
    assert replayed.id == made.id
    assert after.id != made.id  # the replayed create spent the id the fake would have
    assert [c.replayed for c in fake.calls] == [True, True, False]


@pytest.mark.parametrize(
    ("kind", "advice"),
    [
        ("new", "To record this cassette, run with --assistants-record-mode=once"),
        ("provider", "This cassette holds a provider's answers"),
    ],
)
def test_the_miss_advice_fits_the_cassette(tmp_path: Path, kind: str, advice: str) -> None:
    import openai
    from _pytest.outcomes import Failed

    from pytest_assistants.cassettes.importer import import_recordings
    from pytest_assistants.cassettes.replay import use_cassette

    path = tmp_path / "new.yaml"
    if kind == "provider":
        sample = RECORDED_SAMPLES / "ruby_vcr_session.yml"
        [imported] = import_recordings([str(sample)], tmp_path)
        assert imported.target is not None
        path = imported.target
    client = openai.OpenAI(api_key="sk-x", max_retries=0)
    with use_cassette(path, "none"), pytest.raises(Failed) as info:
        client.beta.assistants.list(limit=3)
    assert advice in str(info.value)


def test_list_items_in_a_body_tell_two_recordings_apart(tmp_path: Path) -> None:
    """Two creates that differ only in an item of a list each get their own answer."""
    from pytest_assistants import FakeAssistants
    from pytest_assistants.cassettes.replay import use_cassette
    from pytest_assistants.reach.transports import load_library

    httpx = load_library("httpx")
    path = tmp_path / "lists.yaml"
    headers = {"OpenAI-Beta": "assistants=v2", "Authorization": "Bearer sk-test"}
    bodies = [
        {"model": "gpt-4o", "tools": [{"type": "code_interpreter"}]},
        {"model": "gpt-4o", "tools": [{"type": "file_search"}]},
    ]
    url = "https://api.openai.com/v1/assistants"
    with FakeAssistants(), use_cassette(path, "once"):
        recorded = [httpx.post(url, json=body, headers=headers).json()["id"] for body in bodies]
    with use_cassette(path, "none"):
        replayed = [
            httpx.post(url, json=body, headers=headers).json()["id"] for body in bodies[::-1]
        ]
    assert replayed == recorded[::-1]
