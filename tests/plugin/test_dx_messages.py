"""Every usage mistake gets one line naming the option and the fix, printed once.

Command line and ini stop the run at start-up (``pytest.UsageError``, exit 4); markers and
``assistants_config`` fail the test that uses them. The expected texts are the fixes as a
user reads them.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers import ROOT

pytest.importorskip("openai")

PROFILES = (
    "openai-v1@2023-11, openai-v1@2024-02, openai-v1@2024-04, openai-v2@2024-05, openai-v2@2024-10,"
    " openai-v2@2025-08, openai@2026-08-26, portkey, zerobot, azure-v1@2024-02, azure-v2@2024-05,"
    " azure-v2@2024-08, azure-v2@2025-03"
)


def run_one_marker(pytester: pytest.Pytester, marker: str) -> pytest.RunResult:
    pytester.makepyfile(
        f"""
        import pytest

        @pytest.mark.assistants({marker})
        def test_x(assistants_fake):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    return result


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        (
            "hosts='proxy.example.com'",
            "@pytest.mark.assistants(hosts='proxy.example.com'): hosts must map each host to its"
            " dialect, e.g. {'proxy.example.com': 'openai'}",
        ),
        (
            "hosts={'x': 'bedrock'}",
            "@pytest.mark.assistants(hosts={'x': 'bedrock'}): host 'x' names dialect 'bedrock':"
            " use one of azure, openai, portkey, zerobot",
        ),
        (
            "strict='false'",
            "@pytest.mark.assistants(strict='false'): strict must be True or False"
            " (a bool, not a string)",
        ),
        (
            "clock_start='2024-05-01'",
            "@pytest.mark.assistants(clock_start='2024-05-01'): clock_start must be a Unix"
            " timestamp in seconds: use clock_start=1714521600 for 2024-05-01 UTC",
        ),
        (
            "clock_start=1.5",
            "@pytest.mark.assistants(clock_start=1.5): clock_start must be a Unix timestamp in"
            " seconds, e.g. clock_start=1714521600",
        ),
        (
            "seed='abc'",
            "@pytest.mark.assistants(seed='abc'): seed must be an integer",
        ),
        (
            "profile='openai-v3@2030'",
            f"@pytest.mark.assistants(profile='openai-v3@2030') is not a profile: use one of {PROFILES}",
        ),
    ],
)
def test_marker_mistakes_fail_the_test_once_with_the_fix(
    pytester: pytest.Pytester, marker: str, message: str
) -> None:
    result = run_one_marker(pytester, marker)
    # The error section prints the message once; the short summary line ("ERROR ... - Failed:
    # ...") is pytest's own, truncated or not depending on the CI variable.
    lines = [line for line in result.outlines if message in line and not line.startswith("ERROR ")]
    assert lines == [f"pytest-assistants configuration: {message}"]
    result.stdout.no_fnmatch_line("*During handling of the above exception*")


def test_fixture_layer_is_named_as_written(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.fixture
        def assistants_config():
            return {"hosts": ["gw.example.com=zerobot", "other.example.com=bedrock"]}

        def test_x(assistants_fake):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "pytest-assistants configuration: assistants_config()['hosts'] ="
            " ['gw.example.com=zerobot', 'other.example.com=bedrock']: host 'other.example.com'"
            " names dialect 'bedrock': use one of azure, openai, portkey, zerobot"
        ]
    )


def test_marker_hosts_are_lower_cased_and_served(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import openai
        import pytest

        @pytest.mark.assistants(hosts={"Proxy.Example.com": "openai"})
        def test_x(assistants_fake):
            client = openai.OpenAI(base_url="https://proxy.example.com/v1", max_retries=0)
            assert client.beta.assistants.list().data == []
            assert assistants_fake.calls[-1].url.startswith("https://proxy.example.com/")
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("args", "ini", "message"),
    [
        (
            ["--assistants-profile", "openai-v9@2030"],
            "",
            f"--assistants-profile='openai-v9@2030' is not a profile: use one of {PROFILES}",
        ),
        (
            [],
            "assistants_profile = gpt-4o",
            f"ini option assistants_profile = 'gpt-4o' is not a profile: use one of {PROFILES}",
        ),
        (
            [],
            "assistants_hosts =\n    gw.example.com=bedrock",
            "ini option assistants_hosts = ['gw.example.com=bedrock']: host 'gw.example.com' names"
            " dialect 'bedrock': use one of azure, openai, portkey, zerobot",
        ),
        ([], "assistants_strict = maybe", "ini option assistants_strict: use true or false"),
        (
            [],
            "assistants_filter_deprecation = sometimes",
            "ini option assistants_filter_deprecation: use true or false",
        ),
        (
            [],
            "assistants_seed = twelve",
            "ini option assistants_seed = 'twelve': seed must be an integer",
        ),
        (
            [],
            "assistants_record_mode = sometimes",
            "ini option assistants_record_mode = 'sometimes': record mode must be one of none,"
            " once, new_episodes, all, rewrite",
        ),
    ],
)
def test_command_line_and_ini_mistakes_stop_the_run_once(
    pytester: pytest.Pytester, args: list[str], ini: str, message: str
) -> None:
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile(
        "def test_a(assistants_fake):\n    pass\n\ndef test_b(assistants_fake):\n    pass\n"
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert [line for line in result.errlines if line] == [f"ERROR: pytest-assistants: {message}"]
    assert "test_a" not in result.stdout.str()  # stopped before collecting a test


def test_fail_takes_sdk_method_names_and_refuses_success_statuses(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import openai
        import pytest

        def test_update_alias(assistants_fake):
            client = assistants_fake.openai(max_retries=0)
            made = client.beta.assistants.create(model="gpt-4o")
            fault = assistants_fake.fail(503, operation="update")
            assert fault.operation == "assistants.modify"
            client.beta.assistants.retrieve(made.id)  # not the modify: untouched
            with pytest.raises(openai.InternalServerError):
                client.beta.assistants.update(made.id, name="x")

        def test_success_is_not_a_fault(assistants_fake):
            with pytest.raises(ValueError) as error:
                assistants_fake.fail(200)
            print("MESSAGE", error.value)
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-s")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*MESSAGE fail(status=200): a fault must be an error status (400 to 599),"
            " e.g. fail(429) or fail(503); a success needs no injecting"
        ]
    )


def test_a_misspelt_shipped_cassette_lists_the_close_names(pytester: pytest.Pytester) -> None:
    pytest.importorskip("vcr")
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.assistants_cassette("openai-v2/eror")
        def test_x():
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*no shipped cassette named 'openai-v2/eror': close names: openai-v2/errors,"
            " openai-v1/errors (a cassette of your own would be */cassettes/openai-v2/eror.yaml; record it with"
            " --assistants-record-mode=once)*"
        ]
    )
    result.stdout.no_fnmatch_line("*does not exist yet*")


def test_scope_mismatch_says_fake_assistants_works_there(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.fixture(scope="session")
        def shared_client(assistants_fake):
            return assistants_fake.openai()

        def test_x(shared_client):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ScopeMismatch*function scoped fixture assistants_fake with a session scoped*",
            "*- pytest-assistants -*",
            "assistants_fake is function-scoped (fresh for every test), so a wider-scoped"
            " fixture cannot request it: build one there with `with FakeAssistants() as fake:`"
            " (from pytest_assistants import FakeAssistants), which works in any scope.",
        ]
    )


SDK_CALL = """
    import openai

    def test_x(assistants_fake):
        openai.OpenAI().beta.assistants.list()
"""


def test_sdk_deprecation_warning_is_filtered_under_filterwarnings_error(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeini("[pytest]\nfilterwarnings = error\n")
    pytester.makepyfile(SDK_CALL)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_sdk_deprecation_filter_can_be_switched_off(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nfilterwarnings = error\nassistants_filter_deprecation = false\n")
    pytester.makepyfile(SDK_CALL)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*DeprecationWarning: deprecated*"])


def test_a_dummy_key_while_the_fake_is_active_only(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("PORTKEY_API_KEY", raising=False)
    pytester.makepyfile(
        """
        import os
        import openai
        import pytest

        def test_builds_its_own_client(assistants_fake):
            assert openai.OpenAI().beta.assistants.list().data == []
            assert os.environ["OPENAI_API_KEY"] == "sk-test-assistants-fake"

        def test_after_the_fake():
            assert "OPENAI_API_KEY" not in os.environ
            with pytest.raises(openai.OpenAIError, match="OPENAI_API_KEY"):
                openai.OpenAI()

        def test_a_key_of_your_own_is_kept(assistants_fake, monkeypatch):
            monkeypatch.setenv("OPENAI_API_KEY", "sk-mine")
            openai.OpenAI().beta.assistants.list()
            assert assistants_fake.calls[-1].headers["authorization"] == "Bearer sk-mine"
        """
    )
    pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly").assert_outcomes(passed=3)


def test_the_readme_first_example_passes_under_filterwarnings_error(
    pytester: pytest.Pytester,
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = re.findall(r"```python\n(.*?)```", readme, re.S)[0]
    assert "def test_rename(assistants_fake)" in first
    pytester.makeini("[pytest]\nfilterwarnings = error\n")
    pytester.makepyfile(first)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_a_module_level_client_with_a_key_of_the_suite_is_intercepted(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    pytester.makeconftest('import os\nos.environ.setdefault("OPENAI_API_KEY", "sk-test")\n')
    pytester.makepyfile(
        """
        import openai

        client = openai.OpenAI()  # built at import, before any fake

        def test_x(assistants_fake):
            assert client.beta.assistants.list().data == []
            assert assistants_fake.calls[-1].headers["authorization"] == "Bearer sk-test"
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
