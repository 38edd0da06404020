"""Every fixture that builds clients or replays gives code that builds its own client a
dummy key; a recording without the fake still needs a real one."""

from __future__ import annotations

import shutil

import pytest

from tests.helpers import ROOT

pytest.importorskip("openai")

KEYS = ("OPENAI_API_KEY", "PORTKEY_API_KEY", "AZURE_OPENAI_API_KEY")


@pytest.fixture
def no_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in KEYS:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_keys")
def test_a_replayed_cassette_alone_needs_no_key(pytester: pytest.Pytester) -> None:
    shutil.copytree(ROOT / "cassettes", pytester.path / "cassettes")
    pytester.makepyfile(
        """
        import os
        import openai
        import pytest

        @pytest.mark.assistants_cassette("openai-v2/errors")
        def test_replay():
            with pytest.raises(openai.NotFoundError):
                openai.OpenAI().beta.assistants.update("asst_abc123", name="HR Helper")

        def test_after():
            assert "OPENAI_API_KEY" not in os.environ
        """
    )
    pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly").assert_outcomes(passed=2)


@pytest.mark.usefixtures("no_keys")
def test_recording_without_the_fake_still_asks_for_a_real_key(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import openai

        def test_record(assistants_cassette):
            openai.OpenAI(api_key="sk-mine", max_retries=0).beta.assistants.list()
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "--assistants-record-mode=once")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*needs OPENAI_API_KEY (record mode once)*"])


@pytest.mark.usefixtures("no_keys")
def test_code_pointed_at_the_server_needs_no_key(pytester: pytest.Pytester) -> None:
    pytest.importorskip("uvicorn")
    pytester.makepyfile(
        """
        import openai

        def test_served(assistants_server):
            client = openai.OpenAI(base_url=assistants_server.url)
            assert client.beta.assistants.create(model="gpt-4o").model == "gpt-4o"
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_route_request_is_exported_with_the_other_public_types() -> None:
    import pytest_assistants
    from pytest_assistants.service.http import RouteRequest

    assert pytest_assistants.RouteRequest is RouteRequest
    assert "RouteRequest" in pytest_assistants.__all__
