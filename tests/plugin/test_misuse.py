"""Usage mistakes get an error that names the option and says how to fix it.

Unknown profile and unknown marker argument (command line) are in test_plugin.py; here:
the marker's profile, wrong value types, a fixture used outside its scope, conflicting
options, and ``fail(...)`` misuse.
"""

from __future__ import annotations

import pytest

from pytest_assistants.reach.fake import FakeAssistants


def test_unknown_profile_in_the_marker(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.assistants(profile="openai-v3@2030")
        def test_x(assistants_fake):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*@pytest.mark.assistants(profile='openai-v3@2030') is not a profile:"
         " use one of *openai-v2@2025-08*"]
    )  # fmt: skip


def test_unknown_option_in_assistants_config(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.fixture
        def assistants_config():
            return {"metadata_merg": True}

        def test_x(assistants_fake):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*unknown assistants_config option(s) 'metadata_merg': use *metadata_merge*"]
    )


def test_positional_marker_arguments(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.assistants("portkey")
        def test_x(assistants_fake):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*takes keyword arguments only, e.g.*profile=*"])


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ("seed='abc'", "*@pytest.mark.assistants(seed='abc'): seed must be an integer*"),
        ("max_body_bytes='big'", "*option max_body_bytes='big' must be a non-negative integer*"),
        ("metadata_merge='yes'", "*option metadata_merge='yes' must be True or False*"),
        ("organization=7", "*option organization=7 must be a string*"),
    ],
)
def test_wrong_value_types_fail_at_setup_not_as_a_500(
    pytester: pytest.Pytester, marker: str, expected: str
) -> None:
    pytester.makepyfile(
        f"""
        import pytest

        @pytest.mark.assistants({marker})
        def test_x(assistants_fake):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([expected])
    result.stdout.no_fnmatch_line("*raised while serving a request*")


def test_fixture_requested_from_a_wider_scope(pytester: pytest.Pytester) -> None:
    """pytest's ScopeMismatch names the fixture, its scope and who asked for it."""
    pytester.makepyfile(
        """
        import pytest

        @pytest.fixture(scope="module")
        def shared_client(assistants_fake):
            return assistants_fake.openai()

        def test_x(shared_client):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ScopeMismatch*function scoped fixture assistants_fake with a module scoped*",
            "*def shared_client(assistants_fake)*",
        ]
    )


def test_unknown_record_mode_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_x(assistants_fake):\n    pass\n")
    result = pytester.runpytest("--assistants-record-mode=sometimes")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*--assistants-record-mode: invalid choice: 'sometimes'*'none'*'once'*"]
    )


def test_recording_without_a_key_and_without_the_fake(pytester: pytest.Pytester) -> None:
    """Record mode other than none, no API key, no fake: the test fails, saying what to do."""
    pytest.importorskip("vcr")
    pytest.importorskip("openai")
    pytester.makepyfile(
        """
        import openai

        def test_x(assistants_cassette, monkeypatch):
            monkeypatch.delenv("OPENAI_API_KEY", raising=False)
            client = openai.OpenAI(api_key="sk-none", max_retries=0)
            client.beta.assistants.list()
        """
    )
    result = pytester.runpytest("--assistants-record-mode=once", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*needs OPENAI_API_KEY*set OPENAI_API_KEY, or use the assistants_fake fixture*"]
    )


def test_unknown_option_for_fake_assistants() -> None:
    with pytest.raises(
        TypeError, match=r"unknown pytest-assistants option 'metadata_merg'.*metadata_merge"
    ):
        FakeAssistants(metadata_merg=True)


def test_unknown_profile_for_fake_assistants() -> None:
    with pytest.raises(ValueError, match=r"unknown assistants profile 'gpt'.*use one of"):
        FakeAssistants("gpt")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"operation": "bogus"},
            "unknown operation 'bogus': use a route's name (assistants.create,"
            " assistants.retrieve, assistants.modify, assistants.list, assistants.delete,"
            " assistants.files.create, assistants.files.retrieve, assistants.files.list,"
            " assistants.files.delete, files.create, files.retrieve, files.list, files.delete,"
            " files.content, vector_stores.create, vector_stores.retrieve,"
            " vector_stores.modify, vector_stores.list, vector_stores.delete,"
            " vector_stores.files.create, vector_stores.files.retrieve,"
            " vector_stores.files.modify, vector_stores.files.list, vector_stores.files.delete,"
            " vector_stores.file_batches.create, vector_stores.file_batches.retrieve,"
            " vector_stores.file_batches.cancel, vector_stores.file_batches.list_files) or an"
            " assistant's short one (create, retrieve, modify, update, list, delete) for fail(),"
            " or None for every operation",
        ),
        (
            {"operation": "updat"},
            "unknown operation 'updat': use a route's name (assistants.create,"
            " assistants.retrieve, assistants.modify, assistants.list, assistants.delete,"
            " assistants.files.create, assistants.files.retrieve, assistants.files.list,"
            " assistants.files.delete, files.create, files.retrieve, files.list, files.delete,"
            " files.content, vector_stores.create, vector_stores.retrieve,"
            " vector_stores.modify, vector_stores.list, vector_stores.delete,"
            " vector_stores.files.create, vector_stores.files.retrieve,"
            " vector_stores.files.modify, vector_stores.files.list, vector_stores.files.delete,"
            " vector_stores.file_batches.create, vector_stores.file_batches.retrieve,"
            " vector_stores.file_batches.cancel, vector_stores.file_batches.list_files) or an"
            " assistant's short one (create, retrieve, modify, update, list, delete) for fail(),"
            " or None for every operation",
        ),
        (
            {"status": 204},
            "fail(status=204): a fault must be an error status (400 to 599), e.g. fail(429) or"
            " fail(503); a success needs no injecting",
        ),
        (
            {"kind": "x"},
            "unknown fault kind 'x' for fail(): use one of status, timeout, disconnect",
        ),
        ({"count": 0}, "fail(count=...) must be at least 1"),
        ({"status": "500"}, "fail(status='500'): use an HTTP status code such as 429 or 503"),
        ({"status": 5000}, "fail(status=5000): use an HTTP status code such as 429 or 503"),
        ({"status": 600}, "fail(status=600): use an HTTP status code such as 429 or 503"),
        (
            {"status": 99, "kind": "timeout"},
            "fail(status=99): use an HTTP status code such as 429 or 503",
        ),
    ],
)
def test_fail_misuse_names_the_argument(kwargs: dict[str, object], message: str) -> None:
    """The whole message, so a usage error reads as written (our own texts, no provider's)."""
    fake = FakeAssistants()
    with pytest.raises(ValueError) as raised:
        fake.fail(**kwargs)  # type: ignore[arg-type]
    assert str(raised.value) == message
    assert fake.faults == ()  # nothing half-registered


def test_a_transport_fault_takes_any_http_status() -> None:
    """A broken connection has no status of its own: 100 and 599, the ends of the HTTP
    status range, are taken."""
    fake = FakeAssistants()
    assert fake.fail(100, kind="timeout").status == 100
    assert fake.fail(599).status == 599


def test_unused_faults_are_reported_with_the_fix(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_x(assistants_fake):
            assistants_fake.fail(503, operation="delete")
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*injected faults that were never used*lower count=*strict=False*"]
    )


def test_unknown_http_library() -> None:
    with pytest.raises(
        ValueError, match=r"unknown HTTP library 'requests': use 'httpx' or 'httpx2'"
    ):
        FakeAssistants().http_client(library="requests")
