"""Shipped cassettes: each replays through the real SDK with the network blocked, the
synthetic error cassettes still say what the fake says, and conformance over all of them
reproduces every comparable interaction; documentation examples, kept verbatim, are not
comparable for the reason their metadata states.

The error cassettes were recorded from the fake with ``record_errors`` below; run
``ASSISTANTS_REGENERATE_CASSETTES=1 pytest tests/cassettes/test_cassettes_shipped.py -k still_say``
(openai 2.x venv) to write them again after a deliberate change of the fake.
"""

from __future__ import annotations

import json
import os
import textwrap
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from pytest_assistants import FakeAssistants
from pytest_assistants.cassettes.replay import shipped_cassettes, use_cassette
from pytest_assistants.evidence.conformance import SessionReplay, check
from pytest_assistants.evidence.recordings import load, sessions
from pytest_assistants.evidence.report import CONFORMS

if TYPE_CHECKING:
    from pathlib import Path

openai = pytest.importorskip("openai")

SHIPPED = shipped_cassettes()
ERROR_PROFILES = {
    "azure": "azure-v2@2025-03",
    "openai-v1": "openai-v1@2024-04",
    "openai-v2": "openai-v2@2025-08",
    "portkey": "portkey",
    "zerobot": "zerobot",
}
V1 = {"OpenAI-Beta": "assistants=v1"}


def _swallow(call: Any) -> None:
    """Run one call whose provider error is the point of the recording."""
    try:
        call()
    except Exception as error:  # portkey-ai raises its vendored openai's classes
        if getattr(error, "status_code", None) is None:
            raise


def openai_v2_errors() -> None:
    client = openai.OpenAI(api_key="sk-test-cassettes", max_retries=0)
    assistants = client.beta.assistants
    _swallow(lambda: assistants.update("asst_abc123", name="HR Helper"))
    _swallow(lambda: client.post("/assistants/asst_abc123", body={"name": "HR"}, cast_to=object))
    created = assistants.create(model="gpt-4o", name="HR Helper")
    _swallow(lambda: assistants.update(created.id, tools=[{"type": "retrieval"}]))
    _swallow(lambda: assistants.update(created.id, extra_body={"file_ids": ["file-abc123"]}))
    _swallow(lambda: assistants.update(created.id, model="gpt-0-imaginary"))
    _swallow(lambda: assistants.update(created.id, name="HR", extra_headers=V1))


def openai_v1_errors() -> None:
    client = openai.OpenAI(api_key="sk-test-cassettes", max_retries=0)
    assistants = client.beta.assistants
    _swallow(lambda: assistants.update("asst_abc123", name="HR Helper", extra_headers=V1))
    _swallow(lambda: client.post("/assistants/asst_abc123", body={"name": "HR"}, cast_to=object))
    created = assistants.create(model="gpt-4-turbo", extra_headers=V1)
    resources = {"file_search": {"vector_store_ids": []}}
    _swallow(lambda: assistants.update(created.id, tool_resources=resources, extra_headers=V1))
    _swallow(lambda: assistants.update(created.id, model="gpt-4o", extra_headers=V1))


def portkey_errors() -> None:
    portkey_ai = pytest.importorskip("portkey_ai")
    import httpx

    client = portkey_ai.Portkey(api_key="pk-test-cassettes", virtual_key="vk-test-cassettes")
    _swallow(lambda: client.beta.assistants.update("asst_abc123", name="HR Helper"))
    with httpx.Client(base_url="https://api.portkey.ai/v1") as raw:
        body = {"name": "HR Helper"}
        beta = {"OpenAI-Beta": "assistants=v2"}
        raw.post("/assistants/asst_abc123", json=body, headers=beta)  # no Portkey key: 401
        keyed = {**beta, "x-portkey-api-key": "pk-test-cassettes"}
        raw.post("/assistants/asst_abc123", json=body, headers=keyed)  # no provider: 400
        routed = {**keyed, "x-portkey-virtual-key": "vk-test-cassettes"}
        raw.patch("/assistants/asst_abc123", json=body, headers=routed)  # unrouted: 404


def azure_errors() -> None:
    endpoint = "https://aoairesource.openai.azure.com"
    azure = openai.AzureOpenAI(
        azure_endpoint=endpoint,
        api_version="2025-03-01-preview",
        api_key="sk-test-cassettes",
        max_retries=0,
    )
    assistants = azure.beta.assistants
    _swallow(lambda: assistants.update("asst_abc123", name="HR Helper"))  # 404 no assistant
    created = assistants.create(model="gpt-4o", name="HR Helper")
    _swallow(lambda: assistants.update(created.id, temperature=5))  # 400
    retired = openai.AzureOpenAI(
        azure_endpoint=endpoint, api_version="2023-05-15", api_key="sk-test-cassettes"
    )
    _swallow(lambda: retired.beta.assistants.update(created.id, name="HR"))  # 404 Azure's
    import httpx

    with httpx.Client(base_url=endpoint) as anonymous:  # no api-key: 401
        version = {"api-version": "2025-03-01-preview"}
        anonymous.post("/openai/assistants/asst_abc123", params=version, json={"name": "x"})


def zerobot_errors() -> None:
    import httpx

    bearer = {"Authorization": "Bearer zb-test-cassettes"}
    with httpx.Client(base_url="https://api.zerobot.ai/v1", headers=bearer) as raw:
        raw.patch("/assistants/asst_abc123", json={"name": "HR Helper"})
        created = raw.post("/assistants", json={"model": "gpt-4o"}).json()
        raw.post(f"/assistants/{created['id']}", json={"name": "HR Helper"})
        raw.patch(f"/assistants/{created['id']}", json={"name": "x" * 300})
    with httpx.Client(base_url="https://api.zerobot.ai/v1") as anonymous:
        anonymous.patch("/assistants/asst_abc123", json={"name": "HR Helper"})


SCENARIOS = {
    "azure": azure_errors,
    "openai-v1": openai_v1_errors,
    "openai-v2": openai_v2_errors,
    "portkey": portkey_errors,
    "zerobot": zerobot_errors,
}


def record_errors(dialect: str, path: Path) -> None:
    """Record the error interactions of one dialect from the fake (a synthetic cassette)."""
    with (
        FakeAssistants(ERROR_PROFILES[dialect], seed=5, clock_start=1699009709),
        use_cassette(path, "rewrite"),
    ):
        SCENARIOS[dialect]()


def interactions(path: Path) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text())["interactions"])


def test_every_dialect_ships_a_documented_example_and_errors() -> None:
    for dialect in ERROR_PROFILES:
        assert f"{dialect}/modify_assistant" in SHIPPED, dialect
        assert f"{dialect}/errors" in SHIPPED, dialect
    for name, path in SHIPPED.items():
        metadata = yaml.safe_load(path.read_text())["metadata"]
        first_line = path.read_text().splitlines()[0]
        assert first_line == f"# source: {metadata['source']}", name
        if name.endswith("/errors"):
            assert metadata["source"].startswith("recorded from the fake, profile "), name
            assert metadata["synthetic"] is True
        else:
            assert metadata["source"].startswith("provider documentation example ("), name
            assert metadata["synthetic"] is False
        statuses = {i["response"]["status"]["code"] for i in interactions(path)}
        assert statuses - {200} if name.endswith("/errors") else statuses == {200}, name


@pytest.mark.parametrize("dialect", sorted(SCENARIOS))
def test_error_cassettes_still_say_what_the_fake_says(dialect: str, tmp_path: Path) -> None:
    fresh = tmp_path / "errors.yaml"
    record_errors(dialect, fresh)
    if os.environ.get("ASSISTANTS_REGENERATE_CASSETTES"):
        target = SHIPPED[f"{dialect}/modify_assistant"].with_name("errors.yaml")
        target.write_text(fresh.read_text())
        pytest.skip(f"regenerated {target}")
    shipped = interactions(SHIPPED[f"{dialect}/errors"])
    recorded = interactions(fresh)
    assert [(i["request"]["method"], i["request"]["uri"]) for i in recorded] == [
        (i["request"]["method"], i["request"]["uri"]) for i in shipped
    ]
    for new, old in zip(recorded, shipped, strict=True):
        assert new["response"]["status"] == old["response"]["status"]
        assert json.loads(new["response"]["body"]["string"]) == json.loads(
            old["response"]["body"]["string"]
        )


def metadata(path: Path) -> dict[str, Any]:
    return dict(yaml.safe_load(path.read_text())["metadata"])


def test_conformance_reproduces_every_comparable_shipped_interaction() -> None:
    report = check([str(path) for path in SHIPPED.values()])
    assert report.mismatches == [], "\n".join(report.mismatch_lines())
    assert report == CONFORMS
    errors = [p for name, p in SHIPPED.items() if name.endswith("/errors")]
    expected = sum(len(interactions(path)) for path in errors)
    assert {str(p) for p in errors} == {r.interaction.source for r in report.compared}
    assert len(report.of("reproduced")) == expected


def test_each_documentation_example_is_not_comparable_for_the_reason_it_states() -> None:
    report = check([str(path) for path in SHIPPED.values()])
    examples = {str(p): p for name, p in SHIPPED.items() if not name.endswith("/errors")}
    assert {r.interaction.source for r in report.not_comparable} == set(examples)
    for result in report.not_comparable:
        declared = metadata(examples[result.interaction.source])["not_comparable"]
        assert result.reason == declared["reason"], result.interaction.where
        assert result.reason.startswith("documentation example: ")
        assert result.detail == declared["detail"]
        assert len(result.detail) > 40
        assert f"\n  {result.reason} (" in report.render()


@pytest.mark.parametrize("name", sorted(n for n in SHIPPED if not n.endswith("/errors")))
def test_a_stated_reason_hides_no_answer_the_fake_would_reproduce(name: str) -> None:
    """Without its declaration, each documentation example still is no live answer: the
    fake answers otherwise, or conformance finds the problem on its own."""
    recorded = load([str(SHIPPED[name])])
    assert recorded
    assert all(it.declared_not_comparable for it in recorded)
    assert {it.profile for it in recorded} == {metadata(SHIPPED[name])["profile"]}
    for it in recorded:
        it.declared_not_comparable = None
    for session in sessions(recorded):
        for result in SessionReplay(session, {}).run():
            assert result.status != "reproduced", result.interaction.where


REPLAY_TEST = '''
import json
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml

from pytest_assistants.cassettes.replay import shipped_cassettes
from pytest_assistants.reach.transports import load_library, openai_library

NAMES = sorted(shipped_cassettes())


def send(dialect, request):
    """Send one recorded request through the real SDK (Zerobot has none: a raw client)."""
    parts = urlsplit(request["uri"])
    headers = {k.lower(): v[0] for k, v in request["headers"].items()}
    body = json.loads(request["body"]) if request["body"] else None
    if dialect == "zerobot":
        lib = load_library(openai_library())
        with lib.Client() as raw:
            return raw.request(request["method"], request["uri"], json=body)
    path = parts.path.removeprefix("/v1")
    if dialect == "portkey":
        import portkey_ai

        client = portkey_ai.Portkey(api_key="pk-replay", virtual_key="vk-replay").openai_client
    elif dialect == "azure":
        import openai

        client = openai.AzureOpenAI(
            azure_endpoint=f"https://{parts.hostname}",
            api_version=dict(parse_qsl(parts.query))["api-version"],
            api_key="replay",
        )
        path = parts.path.removeprefix("/openai")
    else:
        import openai

        client = openai.OpenAI(api_key="sk-replay", base_url="https://api.openai.com/v1")
    options = {"params": dict(parse_qsl(parts.query))}
    if "openai-beta" in headers:
        options["headers"] = {"OpenAI-Beta": headers["openai-beta"]}
    send = getattr(client, request["method"].lower())
    kwargs = {} if request["method"] == "GET" else {"body": body}
    try:
        return send(path, cast_to=object, options=options, **kwargs)
    except Exception as error:
        if getattr(error, "response", None) is None:
            raise
        return error.response


@pytest.mark.parametrize("name", NAMES)
def test_replay(name, request):
    request.applymarker(pytest.mark.assistants_cassette(name))
    cassette = request.getfixturevalue("assistants_cassette")
    dialect = name.split("/")[0]
    for interaction in yaml.safe_load(shipped_cassettes()[name].read_text())["interactions"]:
        answer = send(dialect, interaction["request"])
        expected = json.loads(interaction["response"]["body"]["string"])
        if isinstance(answer, dict):
            assert interaction["response"]["status"]["code"] == 200
            assert answer == expected
        else:
            assert answer.status_code == interaction["response"]["status"]["code"]
            assert answer.json() == expected
    assert cassette.all_played
'''


def test_every_shipped_cassette_replays_through_the_sdk_offline(
    pytester: pytest.Pytester,
) -> None:
    pytest.importorskip("portkey_ai")
    pytester.makepyfile(test_replay=textwrap.dedent(REPLAY_TEST))
    result = pytester.runpytest("--block-network", "-p", "no:cacheprovider", "-W", "ignore")
    result.assert_outcomes(passed=len(SHIPPED))


DOCUMENTED_CALLS = """
import openai
import pytest

HR = (
    "You are an HR bot, and you have access to files to answer employee questions about"
    " company policies. Always response with info from either of the files."
)


@pytest.mark.assistants_cassette("openai-v1/modify_assistant")
def test_v1_python_example():
    client = openai.OpenAI(api_key="sk-test")
    assistant = client.beta.assistants.update(
        "asst_abc123",
        instructions=HR,
        name="HR Helper",
        tools=[{"type": "retrieval"}],
        model="gpt-4-turbo",
        extra_body={"file_ids": ["file-abc123", "file-abc456"]},
        extra_headers={"OpenAI-Beta": "assistants=v1"},
    )
    assert assistant.model_extra["file_ids"] == ["file-abc123", "file-abc456"]


@pytest.mark.assistants_cassette("openai-v2/modify_assistant")
def test_v2_curl_example():
    client = openai.OpenAI(api_key="sk-test")
    assistant = client.beta.assistants.update(
        "asst_abc123", instructions=HR, tools=[{"type": "file_search"}], model="gpt-4o"
    )
    assert assistant.id == "asst_123"
    assert assistant.tool_resources.file_search.vector_store_ids == []


@pytest.mark.assistants_cassette("portkey/modify_assistant")
def test_portkey_python_example():
    from portkey_ai import Portkey

    client = Portkey(api_key="PORTKEY_API_KEY", virtual_key="PROVIDER_VIRTUAL_KEY")
    assistant = client.beta.assistants.update(
        "asst_abc123",
        instructions=HR,
        name="HR Helper",
        tools=[{"type": "file_search"}],
        model="gpt-4-turbo",
    )
    assert (assistant.id, assistant.model) == ("asst_123", "gpt-4-turbo")


@pytest.mark.assistants_cassette("azure/modify_assistant")
def test_azure_reference_example():
    client = openai.AzureOpenAI(
        azure_endpoint="https://aoairesource.openai.azure.com",
        api_version="2025-02-01-preview",
        api_key="key",
    )
    assistant = client.beta.assistants.update(
        "asst_123", instructions=HR, tools=[{"type": "file_search"}], model="gpt-4-turbo"
    )
    assert (assistant.id, assistant.name) == ("asst_123", "HR Helper")


@pytest.mark.assistants_cassette("openai-v2/modify_assistant")
def test_a_different_model_is_refused_with_the_documented_one_named():
    client = openai.OpenAI(api_key="sk-test", max_retries=2)
    client.beta.assistants.update(
        "asst_abc123", instructions=HR, tools=[{"type": "file_search"}], model="gpt-4.1"
    )
"""


def test_the_documented_sdk_calls_replay_from_the_marker_alone(
    pytester: pytest.Pytester,
) -> None:
    pytest.importorskip("portkey_ai")
    pytester.makepyfile(test_documented=DOCUMENTED_CALLS)
    result = pytester.runpytest("--block-network", "-p", "no:cacheprovider", "-W", "ignore")
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*closest: interaction #1 (POST https://api.openai.com/v1/assistants/asst_abc123)*",
            '*-  "model": "gpt-4o",',
            '*+  "model": "gpt-4.1",',
            "*Shipped cassettes replay only*",
        ]
    )
