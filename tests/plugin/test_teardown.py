"""Both fixtures check the fake at teardown through one helper, and fail the same way.

The outcome is read from pytest's own reports and the exception type from the teardown's
``CallInfo`` (no matching of traceback text): a teardown that crashed for another reason
(a ``NameError`` in the fixture, say) would not pass for the intended failure.
"""

from __future__ import annotations

import pytest

pytest.importorskip("openai")

FIXTURES = {
    "assistants_fake": "fake = assistants_fake",
    "assistants_server": "fake = assistants_server.fake",
}


def run(pytester: pytest.Pytester, fixture: str, body: str) -> pytest.HookRecorder:
    setup = FIXTURES[fixture]
    pytester.makepyfile(
        f"""
        import httpx, pytest

        def test_it({fixture}):
            {setup}
            {body}
        """
    )
    return pytester.inline_run("-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning")


def teardown_of(recorder: pytest.HookRecorder) -> tuple[pytest.TestReport, pytest.CallInfo[None]]:
    (report,) = [r for r in recorder.getreports("pytest_runtest_logreport") if r.when == "teardown"]
    (call,) = [
        c.call for c in recorder.getcalls("pytest_runtest_makereport") if c.call.when == "teardown"
    ]
    return report, call


def body_passed(recorder: pytest.HookRecorder) -> bool:
    (report,) = [r for r in recorder.getreports("pytest_runtest_logreport") if r.when == "call"]
    return report.passed


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
def test_an_unused_fault_fails_the_teardown(pytester: pytest.Pytester, fixture: str) -> None:
    recorder = run(pytester, fixture, "fake.fail(429)")
    assert body_passed(recorder)
    report, call = teardown_of(recorder)
    assert report.failed
    assert call.excinfo is not None
    assert call.excinfo.type is pytest.fail.Exception
    assert str(call.excinfo.value).startswith(f"{fixture}")
    assert "never used" in str(call.excinfo.value)


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
def test_strict_false_lets_an_unused_fault_pass(pytester: pytest.Pytester, fixture: str) -> None:
    pytester.makeini("[pytest]\nassistants_strict = false\n")
    recorder = run(pytester, fixture, "fake.fail(429)")
    report, call = teardown_of(recorder)
    assert body_passed(recorder)
    assert report.passed
    assert call.excinfo is None


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
def test_an_internal_error_of_the_fake_fails_the_teardown(
    pytester: pytest.Pytester, fixture: str
) -> None:
    body = """
            def broken(*args, **kwargs):
                raise RuntimeError("boom")
            from pytest_assistants.service.resources.assistants import handlers
            handlers.list_page, kept = broken, handlers.list_page
            try:
                response = fake.http_client().get(
                    "/assistants",
                    headers={"Authorization": "Bearer sk-test", "OpenAI-Beta": "assistants=v2"},
                )
            finally:
                handlers.list_page = kept
            assert response.status_code == 500
            assert response.headers["x-should-retry"] == "false"
    """
    if fixture == "assistants_server":
        body = body.replace(
            'fake.http_client().get(\n                    "/assistants"',
            'httpx.get(\n                    assistants_server.url + "/assistants"',
        )
    recorder = run(pytester, fixture, body.strip())
    assert body_passed(recorder)
    report, call = teardown_of(recorder)
    assert report.failed
    assert call.excinfo is not None
    assert call.excinfo.type is pytest.fail.Exception
    assert "raised while serving a request" in str(call.excinfo.value)
    assert "RuntimeError: boom" in str(call.excinfo.value)
