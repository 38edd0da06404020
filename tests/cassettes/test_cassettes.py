"""Cassettes: record from the fake, replay without it, fail fast on a miss, never store a
secret. Real SDKs (openai 2.x or 3.x, whichever this venv has, and portkey-ai) throughout.
"""

from __future__ import annotations

import gzip
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
import vcr
import yaml

from pytest_assistants import FakeAssistants
from pytest_assistants.cassettes.replay import make_vcr, use_cassette, vcr_mode
from pytest_assistants.reach.config import ConfigError
from pytest_assistants.reach.transports import LIBRARIES, load_library, openai_library
from tests.helpers import ROOT

openai = pytest.importorskip("openai")
Failed = pytest.fail.Exception


def counting_client(library: str | None = None) -> tuple[Any, list[str]]:
    """An HTTP client on the library's default transport that counts SDK attempts."""
    attempts: list[str] = []
    lib = load_library(library or openai_library())
    client = lib.Client(event_hooks={"request": [lambda r: attempts.append(str(r.url))]})
    return client, attempts


def record_one_update(path: Path) -> str:
    with FakeAssistants(seed=1), use_cassette(path, "once"):
        client = openai.OpenAI(api_key="sk-test-record-123")
        assistant = client.beta.assistants.create(model="gpt-4o", name="HR Helper")
        client.beta.assistants.update(assistant.id, name="HR Bot", metadata={"a": "1", "b": "2"})
    return str(assistant.id)


def test_replay_matches_json_bodies_in_any_key_order_without_the_fake(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    assistant_id = record_one_update(path)
    with use_cassette(path, "none") as cassette:
        client = openai.OpenAI(api_key="sk-another-key-456")  # auth is not matched
        created = client.beta.assistants.create(name="HR Helper", model="gpt-4o")
        updated = client.beta.assistants.update(
            assistant_id, metadata={"b": "2", "a": "1"}, name="HR Bot"
        )
    assert created.id == assistant_id
    assert (updated.name, updated.metadata) == ("HR Bot", {"a": "1", "b": "2"})
    assert cassette.all_played


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"name": "HR Robot"}, '+  "name": "HR Robot"'),
        ({"extra_headers": {"OpenAI-Beta": "assistants=v1"}}, "OpenAI-Beta header: recorded"),
    ],
)
def test_a_miss_fails_at_once_naming_the_closest_interaction(
    tmp_path: Path, change: dict[str, Any], expected: str
) -> None:
    path = tmp_path / "c.yaml"
    assistant_id = record_one_update(path)
    http_client, attempts = counting_client()
    client = openai.OpenAI(api_key="sk-x", max_retries=2, http_client=http_client)
    arguments = {"name": "HR Bot", "metadata": {"a": "1", "b": "2"}, **change}
    with use_cassette(path, "none"), pytest.raises(Failed) as info:
        client.beta.assistants.update(assistant_id, **arguments)
    assert len(attempts) == 1  # no SDK retry storm
    message = str(info.value)
    assert (
        f"closest: interaction #2 (POST https://api.openai.com/v1/assistants/{assistant_id})"
        in message
    )
    assert expected in message
    assert "--assistants-record-mode=new_episodes" in message


def test_a_miss_through_portkey_is_not_retried_either(tmp_path: Path) -> None:
    portkey_ai = pytest.importorskip("portkey_ai")
    path = tmp_path / "c.yaml"
    with FakeAssistants("portkey", seed=1), use_cassette(path, "once"):
        portkey_ai.Portkey(api_key="pk-test-1", virtual_key="vk-1").beta.assistants.create(
            model="gpt-4o"
        )
    http_client, attempts = counting_client("httpx")
    client = portkey_ai.Portkey(api_key="pk-test-1", virtual_key="vk-1", http_client=http_client)
    with use_cassette(path, "none"), pytest.raises(Failed, match="gpt-4o-mini"):
        client.beta.assistants.create(model="gpt-4o-mini")
    assert len(attempts) == 1


def test_a_repeated_request_says_the_recording_was_already_replayed(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    record_one_update(path)
    client = openai.OpenAI(api_key="sk-x", max_retries=0)
    with use_cassette(path, "none"):
        client.beta.assistants.create(model="gpt-4o", name="HR Helper")
        with pytest.raises(Failed, match="already replayed"):
            client.beta.assistants.create(model="gpt-4o", name="HR Helper")


def test_async_clients_replay_too(tmp_path: Path) -> None:
    import asyncio

    path = tmp_path / "c.yaml"
    assistant_id = record_one_update(path)

    async def replay() -> Any:
        async with openai.AsyncOpenAI(api_key="sk-x") as client:
            await client.beta.assistants.create(model="gpt-4o", name="HR Helper")
            return await client.beta.assistants.update(
                assistant_id, name="HR Bot", metadata={"a": "1", "b": "2"}
            )

    with use_cassette(path, "none"):
        assert asyncio.run(replay()).name == "HR Bot"


def test_recording_without_a_key_or_the_fake_stops_with_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    http_client, attempts = counting_client()
    client = openai.OpenAI(api_key="sk-x", http_client=http_client)
    with use_cassette(tmp_path / "c.yaml", "once"), pytest.raises(Failed) as info:
        client.beta.assistants.retrieve("asst_abc123")
    assert "needs OPENAI_API_KEY" in str(info.value)
    assert "assistants_fake" in str(info.value)
    assert len(attempts) == 1
    assert not (tmp_path / "c.yaml").exists()


# -- scrubbing -----------------------------------------------------------------------------

SECRETS = {
    "authorization": "sk-planted-authorization-0001",
    "x-portkey-api-key": "pk-planted-portkey-0002",
    "x-portkey-virtual-key": "planted-virtual-key-0003",
    "x-portkey-config": "planted-config-0004",
    "openai-organization": "org-planted-0005",
    "openai-project": "proj_planted0006",
    "cookie": "session=planted-cookie-0007",
}
RESPONSE_SECRETS = {
    "openai-organization": "org-planted-response-0008",
    "openai-project": "proj_planted_response0009",
    "set-cookie": "__cf_bm=planted-cookie-0010; path=/",
}
BODY_SECRETS = ["sk-proj-plantedBody0011", "pk-live-plantedBody0012", "Bearer eyJplanted.0013"]


@pytest.mark.parametrize("library", LIBRARIES)
def test_planted_secrets_in_every_scrubbed_place_never_reach_disk(
    tmp_path: Path, library: str
) -> None:
    path = tmp_path / "c.yaml"
    lib = load_library(library)
    headers = {**SECRETS, "authorization": f"Bearer {SECRETS['authorization']}"}
    with FakeAssistants(seed=1) as fake, use_cassette(path, "once"):
        fake.fail(400, headers=RESPONSE_SECRETS, body={"error": {"message": BODY_SECRETS[0]}})
        with lib.Client(headers={**headers, "OpenAI-Beta": "assistants=v2"}) as client:
            client.post("https://api.openai.com/v1/assistants", json={"model": "gpt-4o"})
            echoed = client.post(
                "https://api.openai.com/v1/assistants",
                json={"model": "gpt-4o", "instructions": " ".join(BODY_SECRETS)},
            )
    assert all(secret in echoed.text for secret in BODY_SECRETS)  # the fake did echo them
    text = path.read_text()
    planted = [*SECRETS.values(), *RESPONSE_SECRETS.values(), *BODY_SECRETS]
    assert [secret for secret in planted if secret.split(";")[0] in text] == []
    assert "- Bearer <scrubbed:header-value>" in text
    assert "<scrubbed:openai-key> <scrubbed:pk-key> Bearer <scrubbed:bearer-token>" in text
    from pytest_assistants.cassettes.lint import lint_file

    assert lint_file(path, require_provenance=True) == []


@pytest.mark.parametrize("library", LIBRARIES)
def test_gzip_bodies_are_stored_decoded_and_replay_identically(
    tmp_path: Path, library: str
) -> None:
    lib = load_library(library)
    document = {"id": "asst_abc123", "object": "assistant", "name": "HR Helper"}

    def handler(request: Any) -> Any:
        content = gzip.compress(json.dumps(document, indent=2).encode())
        return lib.Response(200, headers={"content-encoding": "gzip"}, content=content)

    path = tmp_path / "c.yaml"
    url = "https://api.openai.com/v1/assistants/asst_abc123"
    env = {"OPENAI_API_KEY": "sk-test"}  # a mock transport stands in for the real endpoint
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        with use_cassette(path, "once"), lib.Client(transport=lib.MockTransport(handler)) as c:
            assert c.get(url).json() == document
    stored = yaml.safe_load(path.read_text())["interactions"][0]["response"]
    assert "content-encoding" not in {name.lower() for name in stored["headers"]}
    assert json.loads(stored["body"]["string"]) == document
    assert '"name": "HR Helper"' in path.read_text()  # readable YAML, not !!binary
    with use_cassette(path, "none"), lib.Client() as client:
        assert client.get(url).json() == document


def test_brotli_bodies_are_decoded_only_where_a_brotli_package_is_importable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pytest_assistants.cassettes.lint import lint_file
    from pytest_assistants.evidence.recordings import brotli_module

    lib = load_library("httpx")
    brotli = brotli_module()
    document = b'{"id": "asst_abc123"}'
    encoded = brotli.compress(document) if brotli else b"\x8b\x0a\x80" + document + b"\x03"

    def handler(request: Any) -> Any:
        return lib.Response(200, headers={"content-encoding": "br"}, content=encoded)

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    path = tmp_path / "c.yaml"
    with use_cassette(path, "once"), lib.Client(transport=lib.MockTransport(handler)) as client:
        client.get(
            "https://api.openai.com/v1/assistants/asst_abc123", headers={"accept-encoding": "br"}
        )
    problems = [problem.message for problem in lint_file(path)]
    if brotli is None:  # left as recorded, and lint says so
        assert any("stored br-compressed" in message for message in problems)
    else:
        assert problems == []
        assert '{"id": "asst_abc123"}' in path.read_text()


# -- record modes --------------------------------------------------------------------------


def test_new_episodes_appends_and_rewrite_drops_what_was_not_replayed(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    record_one_update(path)
    with FakeAssistants(seed=1), use_cassette(path, "new_episodes"):
        openai.OpenAI(api_key="sk-x").beta.assistants.list(limit=2)
    assert len(yaml.safe_load(path.read_text())["interactions"]) == 3
    with FakeAssistants(seed=1), use_cassette(path, "rewrite"):
        openai.OpenAI(api_key="sk-x").beta.assistants.list(limit=2)
    uris = [i["request"]["uri"] for i in yaml.safe_load(path.read_text())["interactions"]]
    assert uris == ["https://api.openai.com/v1/assistants?limit=2"]


@pytest.mark.parametrize(
    ("ours", "vcrpy_mode"),
    [
        ("none", "none"),
        ("once", "once"),
        ("new_episodes", "new_episodes"),
        ("all", "all"),
        ("rewrite", "all"),  # all, and drop_unused_requests drops what was not replayed
    ],
)
def test_each_record_mode_is_vcrpys_own(ours: str, vcrpy_mode: str) -> None:
    assert vcr_mode(ours) == vcr.mode(vcrpy_mode)
    assert make_vcr(ours).record_mode == vcr.mode(vcrpy_mode)


@pytest.mark.parametrize("unknown", ["al", "ALL", "", "replay"])
def test_an_unknown_record_mode_is_an_error_never_all(tmp_path: Path, unknown: str) -> None:
    path = tmp_path / "c.yaml"
    with pytest.raises(ConfigError) as error, use_cassette(path, unknown):
        pass
    assert str(error.value) == (
        f"unknown cassette record mode {unknown!r}: the record mode"
        " (--assistants-record-mode, ini assistants_record_mode, or record_mode=)"
        " must be one of none, once, new_episodes, all, rewrite"
    )
    assert not path.exists()


def test_the_installed_vcrpy_is_in_the_pinned_range() -> None:
    """The cassette class extends vcrpy's Cassette: only the pinned range is tested."""
    import tomllib
    from importlib.metadata import version

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (pin,) = [r for r in map(Requirement, project["project"]["dependencies"]) if r.name == "vcrpy"]
    assert str(pin.specifier) == "<9.5,>=9.4.2"
    assert pin.specifier.contains(version("vcrpy"))


# -- plugin surface (pytester) -------------------------------------------------------------

PLUGIN_TEST = """
import openai
import pytest


@pytest.fixture
def maybe_fake(request):
    if request.config.getoption("assistants_record_mode") not in (None, "none"):
        return request.getfixturevalue("assistants_fake")
    return None


def test_modify(assistants_cassette, maybe_fake):
    client = openai.OpenAI(api_key="sk-test-plugin-123", max_retries=2)
    assistant = client.beta.assistants.create(model="gpt-4o", name="HR Helper")
    updated = client.beta.assistants.update(assistant.id, name="HR Bot")
    assert updated.name == "HR Bot"
    if maybe_fake is None:
        assert assistants_cassette.all_played


@pytest.mark.vcr
def test_with_pytest_recording(maybe_fake):
    client = openai.OpenAI(api_key="sk-test-plugin-123")
    assert client.beta.assistants.create(model="gpt-4o").model == "gpt-4o"
"""


def test_record_from_the_fake_then_replay_without_it_beside_pytest_recording(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_plugin_cassettes=PLUGIN_TEST)
    common = ["-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning"]
    recorded = pytester.runpytest("--assistants-record-mode=once", "--record-mode=once", *common)
    recorded.assert_outcomes(passed=2)
    ours = pytester.path / "cassettes" / "test_plugin_cassettes" / "test_modify.yaml"
    text = ours.read_text()
    assert text.startswith("# source: recorded from the fake, profile openai-v2@2025-08\n")
    assert yaml.safe_load(text)["metadata"]["synthetic"] is True
    assert "sk-test-plugin-123" not in text
    theirs = pytester.path / "cassettes" / "test_plugin_cassettes"
    assert (theirs / "test_with_pytest_recording.yaml").exists()  # pytest-recording's own

    replayed = pytester.runpytest("--block-network", *common)
    replayed.assert_outcomes(passed=2)


def test_a_changed_request_fails_the_plugin_test_with_the_closest_match(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_plugin_cassettes=PLUGIN_TEST)
    common = ["-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning"]
    pytester.runpytest("--assistants-record-mode=once", "-k", "test_modify", *common)
    source = pytester.path / "test_plugin_cassettes.py"
    source.write_text(source.read_text().replace('name="HR Bot")', 'name="HR Robot")'))
    result = pytester.runpytest("-k", "test_modify", "--block-network", *common)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*no recorded interaction answers POST https://api.openai.com/v1/assistants/asst_*",
            "*closest: interaction #2 (POST https://api.openai.com/v1/assistants/asst_*",
            '*-  "name": "HR Bot"',
            '*+  "name": "HR Robot"',
        ]
    )
    result.stdout.no_fnmatch_line("*APIConnectionError*")


def test_the_marker_names_a_cassette_in_the_configured_dir(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nassistants_cassette_dir = recorded\n")
    pytester.makepyfile(
        textwrap.dedent(
            """
            import openai
            import pytest

            @pytest.mark.assistants_cassette("shared/create")
            def test_named(assistants_cassette, assistants_fake):
                openai.OpenAI(api_key="sk-x").beta.assistants.create(model="gpt-4o")
            """
        )
    )
    result = pytester.runpytest("--assistants-record-mode=once", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert (pytester.path / "recorded" / "shared" / "create.yaml").exists()


def test_shipped_cassettes_are_found_in_an_installed_package_layout(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    import pytest_assistants

    package = Path(pytest_assistants.__file__).parent
    site = tmp_path / "site-packages"
    shutil.copytree(package, site / "pytest_assistants", ignore=shutil.ignore_patterns("*.pyc"))
    shipped = site / "pytest_assistants" / "cassettes" / "shipped"
    shutil.copytree(package.parent / "cassettes", shipped)
    script = "from pytest_assistants.cassettes import replay as c; import json; print(json.dumps(sorted(map(str, c.shipped_cassettes().values()))))"
    output = subprocess.run(
        [sys.executable, "-c", script],
        env={"PYTHONPATH": str(site)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    paths = json.loads(output)
    assert paths
    assert all(p.startswith(str(shipped)) for p in paths)
    assert any(p.endswith("openai-v2/modify_assistant.yaml") for p in paths)
