"""The plugin's fixtures: the fake, its server, the payload factory, the test's cassette.

Each imports what it needs when a test asks for it (``plugin.py`` loads this module with
itself), and settings come from ``plugin.py``'s layers: ini, ``assistants_config``, the
marker, the command line.
"""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING, Any

import pytest

from pytest_assistants.plugin import COVERAGE_KEY, FILTER_INI, SETTINGS_KEY, layers, marker_layer
from pytest_assistants.reach import deprecations
from pytest_assistants.reach.config import Settings, resolve

if TYPE_CHECKING:
    from collections.abc import Generator

    from pytest_assistants.cassettes.replay import AssistantsCassette
    from pytest_assistants.payloads.factories import PayloadFactory
    from pytest_assistants.reach.fake import FakeAssistants
    from pytest_assistants.server.runner import AssistantsServer


@pytest.fixture
def assistants_config() -> dict[str, Any]:
    """Override in a conftest or module to configure the fake for every test under it.

    Return a dict of any marker keyword (``profile``, ``seed``, ``hosts``, a choice...) plus
    ``record_mode`` and ``cassette_dir``; a marker on a test wins over it, the command line
    over both.
    """
    return {}


@pytest.fixture
def _assistants_settings(
    request: pytest.FixtureRequest, assistants_config: dict[str, Any]
) -> Settings:
    ini, cli = layers(request.config)
    try:
        settings = resolve(
            ini=ini,
            fixture=assistants_config,
            marker=marker_layer(request.node),
            cli=cli,
            nodeid=request.node.nodeid,
        )
    except ValueError as error:  # ConfigError and UnknownProfileError
        problem = str(error)
    else:
        request.node.stash[SETTINGS_KEY] = settings
        return settings
    # Outside the except block, or pytest prints the message twice ("During handling...").
    pytest.fail(f"pytest-assistants configuration: {problem}", pytrace=False)


def _quiet_sdk_deprecation(config: pytest.Config) -> None:
    """The SDK warns on every Assistants-family call; in a test the fake serves, that is
    noise (``reach/deprecations.py`` lists the texts).

    Added during setup, inside pytest's per-test ``catch_warnings``, so it lasts this test
    only and sits in front of ``filterwarnings = error``.
    """
    if config.getini(FILTER_INI):
        deprecations.ignore()


@contextlib.contextmanager
def _dummy_keys(wanted: bool) -> Generator[None, None, None]:
    """The fake's dummy API keys where the environment has none, for code that builds its
    own client: a replay-only cassette or a server never sends them anywhere."""
    from pytest_assistants.reach.fake import DUMMY_KEYS

    with pytest.MonkeyPatch.context() as patch:
        for name, value in DUMMY_KEYS.items() if wanted else ():
            if not os.environ.get(name):
                patch.setenv(name, value)
        yield


def _record_coverage(request: pytest.FixtureRequest, fake: FakeAssistants) -> None:
    report = request.config.stash.get(COVERAGE_KEY, None)
    if report is not None:
        report.add(fake, request.node.nodeid)


@pytest.fixture
def assistants_fake(
    request: pytest.FixtureRequest, _assistants_settings: Settings
) -> Generator[FakeAssistants, None, None]:
    """A fresh, empty in-memory Assistants service, active for this test.

    Every request to ``api.openai.com``, ``*.openai.azure.com``, ``api.portkey.ai``,
    ``api.zerobot.ai`` (and hosts added in configuration) is answered by it, whichever client
    library sends it, so code that builds its own client is covered unchanged; a connection
    that goes around it fails the test. At teardown the test fails if the fake hit a bug of
    its own, was asked for an endpoint nobody serves, or (``strict``, the default) holds a
    ``fail(...)`` fault no request used.
    """
    from pytest_assistants.reach.fake import fake_for_test

    _quiet_sdk_deprecation(request.config)
    fake = fake_for_test(_assistants_settings)
    with fake:
        yield fake
    _record_coverage(request, fake)
    check_at_teardown(fake, _assistants_settings, "assistants_fake")


def check_at_teardown(fake: FakeAssistants, settings: Settings, name: str) -> None:
    """Teardown of both fixtures: a bug of the fake, or (strict) a fault never used or a
    scripted step no run took, fails: the test did not exercise what it meant to.

    Called after the fixture's ``yield``, so pytest reports it as an error at teardown of
    the test that caused it, with ``pytest.fail``'s message and no traceback of ours (the
    failure is raised outside the ``except``, so it is not printed twice as a chain).
    """
    try:
        fake.check()
    except AssertionError as error:
        problem = str(error)
    else:
        problem = ""
    if problem:
        pytest.fail(problem, pytrace=False)
    pending = [fault for fault in fake.faults if fault.used < fault.count]
    if pending and settings.strict:
        pytest.fail(
            f"{name}.fail(...) injected faults that were never used: {pending}."
            " Send the requests they were meant for, lower count=, or mark the test"
            " @pytest.mark.assistants(strict=False).",
            pytrace=False,
        )
    unread = fake.script.pending()
    if unread and settings.strict:
        pytest.fail(
            f"{name}.script holds steps no run took: {unread}. Poll the runs they were"
            " meant for to their end, drop them with script.clear(), or mark the test"
            " @pytest.mark.assistants(strict=False).",
            pytrace=False,
        )


@pytest.fixture
def assistants_payloads(
    request: pytest.FixtureRequest, _assistants_settings: Settings
) -> PayloadFactory:
    """A payload factory seeded for this test, at the test's profile.

    The seed derives from the session seed (``--assistants-seed``) and the test's node id,
    so a test gets the same payloads on every run and machine, and the seed is printed
    under a failing test.
    """
    from pytest_assistants.payloads.factories import PayloadFactory

    return PayloadFactory(seed=_assistants_settings.seed, profile=_assistants_settings.profile)


@pytest.fixture
def assistants_cassette(
    request: pytest.FixtureRequest, _assistants_settings: Settings
) -> Generator[AssistantsCassette, None, None]:
    """The vcrpy cassette of this test, replayed (and, in a recording mode, recorded).

    The test's own ``cassettes/<module>/<test>.yaml`` beside the test file, or the cassette
    named by ``@pytest.mark.assistants_cassette(name)``. The record mode comes from
    ``--assistants-record-mode`` (default ``none``: replay only, never the network); in that
    mode the dummy API keys are set where the environment has none.
    """
    from pytest_assistants.cassettes.replay import cassette_for_test

    _quiet_sdk_deprecation(request.config)
    # Replay only: no request can leave, so a key only gets the SDK past its check. A
    # recording mode without the fake keeps needing a real key.
    with (
        cassette_for_test(request, _assistants_settings) as cassette,
        _dummy_keys(cassette.mode_name == "none"),
    ):
        yield cassette


@pytest.fixture(autouse=True)
def _assistants_cassette_marker(request: pytest.FixtureRequest) -> None:
    """``@pytest.mark.assistants_cassette(name)`` alone puts the test under the cassette."""
    if request.node.get_closest_marker("assistants_cassette") is not None:
        request.getfixturevalue("assistants_cassette")


@pytest.fixture
def assistants_server(
    request: pytest.FixtureRequest, _assistants_settings: Settings
) -> Generator[AssistantsServer, None, None]:
    """The fake served over real HTTP on 127.0.0.1, with a fresh fake for this test.

    For code in another process or language: hand it ``.url`` (ending in ``/v1``);
    ``.fake`` is the fake behind it (journal, ``add``, ``fail``), checked at teardown as
    ``assistants_fake`` is. One server per session (or xdist worker), on a free port.
    """
    from pytest_assistants.server.runner import server_for_test

    _quiet_sdk_deprecation(request.config)
    with server_for_test(request, _assistants_settings) as server, _dummy_keys(True):
        yield server
        _record_coverage(request, server.fake)
        check_at_teardown(server.fake, _assistants_settings, "assistants_server.fake")
