"""The SDKs' Assistants-family deprecation warnings are ignored while a fake serves the calls:
in the fixtures and inside ``with FakeAssistants()`` / the decorator, under ``-W error``."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from pytest_assistants.reach import deprecations

openai = pytest.importorskip("openai")

# A thread, a message and a run through fake.route(): the calls whose SDK methods carry
# "The Assistants API is deprecated in favor of the Responses API".
FAMILY = """
    import openai
    from pytest_assistants import FakeAssistants

    def serve_threads(fake):
        fake.route("POST", "/v1/threads", lambda request: {"id": "thread_1",
                   "object": "thread", "created_at": 1, "metadata": {}, "tool_resources": {}})
        fake.route("POST", "/v1/threads/{thread_id}/messages", lambda request: {
            "id": "msg_1", "object": "thread.message", "created_at": 1,
            "thread_id": request.params["thread_id"], "role": "user", "content": [],
            "attachments": [], "metadata": {}})

    def family(client):
        client.beta.assistants.list()                       # "deprecated"
        thread = client.beta.threads.create()              # "The Assistants API is ..."
        client.beta.threads.messages.create(thread.id, role="user", content="hi")
"""


def run(pytester: pytest.Pytester, body: str, ini: str = "") -> pytest.RunResult:
    pytester.makeini(f"[pytest]\nfilterwarnings = error\n{ini}")
    pytester.makepyfile(FAMILY + body)
    return pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly")


def test_every_family_text_is_ignored_in_the_fixture(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
    def test_fixture(assistants_fake):
        serve_threads(assistants_fake)
        family(assistants_fake.openai())
    """,
    )
    result.assert_outcomes(passed=1)


def test_inside_the_context_manager_and_the_decorator_and_not_after(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
    import pytest

    def test_context_manager():
        with FakeAssistants() as fake:
            serve_threads(fake)
            family(fake.openai())
        with pytest.raises(DeprecationWarning):  # the filters left with the fake
            openai.OpenAI(api_key="sk-x", base_url="http://127.0.0.1:9").beta.assistants.list()

    DECORATED = FakeAssistants()

    @DECORATED
    def job():
        serve_threads(DECORATED)
        family(DECORATED.openai())

    def test_decorator():
        job()
    """,
    )
    result.assert_outcomes(passed=2)


def test_a_fake_of_session_scope_quiets_every_test(pytester: pytest.Pytester) -> None:
    """Started inside the first test's catch_warnings: later tests get the filters again."""
    result = run(
        pytester,
        """
    import pytest

    @pytest.fixture(scope="session")
    def fake():
        with FakeAssistants() as fake:
            serve_threads(fake)
            yield fake

    @pytest.mark.parametrize("n", [1, 2, 3])
    def test_each(fake, n):
        family(fake.openai())
    """,
    )
    result.assert_outcomes(passed=3)


def test_switched_off_by_the_ini_option_everywhere(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
    def test_fixture(assistants_fake):
        assistants_fake.openai().beta.assistants.list()

    def test_context_manager():
        with FakeAssistants() as fake:
            serve_threads(fake)
            fake.openai().beta.threads.create()
    """,
        ini="assistants_filter_deprecation = false\n",
    )
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*DeprecationWarning: deprecated",
            "*DeprecationWarning: The Assistants API is deprecated in favor of the Responses API",
        ]
    )


def test_nested_fakes_keep_the_filters_until_the_last_stops() -> None:
    from pytest_assistants import FakeAssistants

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with FakeAssistants():
            with FakeAssistants():
                pass
            warnings.warn("deprecated", DeprecationWarning, stacklevel=1)  # still ignored
        with pytest.raises(DeprecationWarning):
            warnings.warn("deprecated", DeprecationWarning, stacklevel=1)
        with pytest.raises(DeprecationWarning), FakeAssistants():  # other texts: never ignored
            warnings.warn("deprecated, use x", DeprecationWarning, stacklevel=1)


def test_set_enabled_returns_the_previous_setting_and_a_disabled_start_takes_no_share() -> None:
    previous = deprecations.set_enabled(False)
    try:
        assert deprecations.quiet() is False
        assert deprecations.set_enabled(False) is False
    finally:
        deprecations.set_enabled(previous)
    assert deprecations.enabled() is previous


def _family_texts(package: Path) -> set[str]:
    texts: set[str] = set()
    for path in (package / "resources" / "beta").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        texts.update(re.findall(r'deprecated\(\s*"([^"]*)"', source))
    return texts


def test_the_texts_are_every_one_the_installed_sdk_uses_on_the_family() -> None:
    """Read from the installed SDK's beta resources (assistants, threads, messages, runs,
    run steps): a new text in an SDK release fails here until it is listed."""
    found = _family_texts(Path(openai.__file__).parent)
    assert found, "no deprecation text found: the SDK's layout changed"
    assert found <= set(deprecations.TEXTS), sorted(found - set(deprecations.TEXTS))
    assert "The Assistants API is deprecated in favor of the Responses API" in found
