"""The pytest surface, tested as users use it: through pytester."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("openai")

ISOLATION = """
    import pytest

    @pytest.mark.parametrize("name", ["a", "b", "c"])
    def test_fresh_state(assistants_fake, name):
        client = assistants_fake.openai()
        assert client.beta.assistants.list().data == []
        client.beta.assistants.create(model="gpt-4o", name=name)
        assert len(assistants_fake.assistants) == 1
        assert len(assistants_fake.calls) == 2

    def test_after(assistants_fake):
        assert not assistants_fake.assistants and not assistants_fake.calls
"""


def test_state_is_fresh_per_test_including_parametrized(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(ISOLATION)
    pytester.runpytest("-W", "ignore::DeprecationWarning").assert_outcomes(passed=4)


def test_works_under_xdist(pytester: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    pytester.makepyfile(ISOLATION)
    result = pytester.runpytest("-n", "2", "-W", "ignore::DeprecationWarning")
    result.assert_outcomes(passed=4)


def test_plugin_import_is_lazy() -> None:
    code = textwrap.dedent(
        """
        import sys
        import pytest_assistants.plugin
        heavy = {"openai", "httpx", "httpx2", "vcr", "faker", "pydantic", "portkey_ai"}
        print(sorted(heavy & set(sys.modules)))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


SHOW_SETTINGS = """
    def test_show(assistants_fake):
        p = assistants_fake.profile
        print("SETTINGS", p.name, assistants_fake.seed, p.choices.metadata_merge, p.choices.organization)
"""


def test_configuration_priority(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        """
        [pytest]
        assistants_seed = 5
        """
    )
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture
        def assistants_config():
            return {"metadata_merge": True, "organization": "org-fixture", "seed": 11}
        """
    )
    pytester.makepyfile(
        SHOW_SETTINGS
        + """
    import pytest

    @pytest.mark.assistants(organization="org-marker", seed=3)
    def test_marker(assistants_fake):
        assert assistants_fake.profile.choices.organization == "org-marker"
        assert assistants_fake.profile.choices.metadata_merge is True
        assert assistants_fake.seed == 3
    """
    )
    result = pytester.runpytest("-s")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*SETTINGS openai-v2@2025-08 11 True org-fixture*"])


def test_per_test_seed_follows_session_seed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_seed(assistants_fake, assistants_config):
            print("SEED", assistants_fake.seed)
        """
    )
    seeds = []
    for session in ("1", "1", "2"):
        result = pytester.runpytest("-s", "--assistants-seed", session)
        line = next(line for line in result.outlines if "SEED" in line)
        seeds.append(line.split("SEED")[1])
    assert seeds[0] == seeds[1] != seeds[2]


def test_report_header_and_failure_section_show_the_seed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_fails(assistants_fake):
            assert False
        """
    )
    result = pytester.runpytest("--assistants-seed", "77")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "assistants: profile=default, session seed=77*",
            "*pytest-assistants*",
            "*test seed=* session seed=77*",
        ]
    )


def test_unknown_profile_says_how_to_fix(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_x(assistants_fake):\n    pass\n")
    result = pytester.runpytest("--assistants-profile", "openai-v9@2030")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: pytest-assistants: --assistants-profile='openai-v9@2030' is not a profile:"
         " use one of*"]
    )  # fmt: skip


def test_unknown_marker_argument_says_how_to_fix(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.assistants(profle="openai-v2@2025-08")
        def test_x(assistants_fake):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*unknown @pytest.mark.assistants option(s) 'profle': use *profile*"]
    )


def test_unused_fault_fails_in_strict_mode_only(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        def test_strict(assistants_fake):
            assistants_fake.fail(500, operation="modify")

        @pytest.mark.assistants(strict=False)
        def test_lenient(assistants_fake):
            assistants_fake.fail(500, operation="modify")
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, errors=1)  # a teardown error also counts its test passed
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_strict*",
            "*injected faults that were never used*strict=False*",
        ]
    )


def test_a_scripted_step_no_run_took_fails_in_strict_mode_only(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        def test_strict(assistants_fake):
            assistants_fake.script.reply("never read")

        def test_taken(assistants_fake):
            client = assistants_fake.openai()
            helper = client.beta.assistants.create(model="gpt-4o")
            thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
            assistants_fake.script.reply("read")
            client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=helper.id)

        @pytest.mark.assistants(strict=False)
        def test_lenient(assistants_fake):
            assistants_fake.script.call_tools(("f", {}))
        """
    )
    result = pytester.runpytest("-W", "error")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_strict*",
            "*script holds steps no run took: [[]Reply(text='never read')[]]*strict=False*",
        ]
    )


def test_internal_error_is_a_500_and_fails_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import openai, pytest

        def test_bug(assistants_fake, monkeypatch):
            def broken(*a, **k):
                raise RuntimeError("boom")
            monkeypatch.setattr(
                "pytest_assistants.service.resources.assistants.handlers.list_page", broken
            )
            client = assistants_fake.openai()
            with pytest.raises(openai.InternalServerError) as info:
                client.beta.assistants.list()
            assert "boom" in str(info.value)
            assert len(assistants_fake.calls) == 1, "x-should-retry: false stops SDK retries"
        """
    )
    result = pytester.runpytest("-W", "ignore::DeprecationWarning")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*raised while serving a request*", "*RuntimeError: boom*"])


def test_fault_injection_retries_fast(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import openai, pytest

        def test_retry(assistants_fake):
            client = assistants_fake.openai()
            made = client.beta.assistants.create(model="gpt-4o")
            assistants_fake.fail(429, operation="modify", count=2)
            assert client.beta.assistants.update(made.id, name="x").name == "x"
            assert [c.status for c in assistants_fake.calls[1:]] == [429, 429, 200]

        def test_exhausts(assistants_fake):
            client = assistants_fake.openai()
            assistants_fake.fail(503, count=3)
            with pytest.raises(openai.InternalServerError):
                client.beta.assistants.list()

        @pytest.mark.parametrize("kind", ["timeout", "disconnect"])
        def test_transport_faults(assistants_fake, kind):
            client = assistants_fake.openai(max_retries=0)
            assistants_fake.fail(kind=kind, operation="list")
            with pytest.raises(openai.APIConnectionError):
                client.beta.assistants.list()
        """
    )
    result = pytester.runpytest("-W", "ignore::DeprecationWarning", "--durations=3")
    result.assert_outcomes(passed=4)


def test_no_collision_with_other_plugins(pytester: pytest.Pytester) -> None:
    for module in ("pytest_recording", "respx", "syrupy", "faker"):
        pytest.importorskip(module)
    pytester.makepyfile(
        """
        def test_all(assistants_fake, assistants_config, vcr_config, faker, respx_mock, snapshot):
            assert assistants_fake.openai().beta.assistants.list().data == []
        """
    )
    result = pytester.runpytest(
        "-p", "pytest_recording", "--record-mode", "none", "-W", "ignore::DeprecationWarning"
    )
    result.assert_outcomes(passed=1)
