"""The pytest surface: options, marker, fixtures, report lines. Wiring only.

Imports nothing heavy at load time (no openai, httpx, vcrpy, faker): each fixture imports
what it needs when a test asks for it, so suites that do not use a part pay nothing.
"""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING, Any

import pytest

from pytest_assistants.reach import deprecations
from pytest_assistants.reach.config import (
    DEFAULT_SESSION_SEED,
    RECORD_MODES,
    ConfigError,
    Settings,
    checked,
    resolve,
)

if TYPE_CHECKING:
    from collections.abc import Generator

    from pytest_assistants.behaviours import CoverageReport
    from pytest_assistants.cassettes.replay import AssistantsCassette
    from pytest_assistants.payloads.factories import PayloadFactory
    from pytest_assistants.reach.fake import FakeAssistants
    from pytest_assistants.server.runner import AssistantsServer

SETTINGS_KEY = pytest.StashKey[Settings]()
LAYERS_KEY = pytest.StashKey[tuple[dict[str, Any], dict[str, Any]]]()  # ini, command line
COVERAGE_KEY: pytest.StashKey[CoverageReport] = pytest.StashKey()
WORKER_OUTPUT = "assistants_coverage"

INI_OPTIONS: dict[str, tuple[str, str | None]] = {
    "assistants_profile": ("profile of the fake, e.g. openai-v2@2025-08", "string"),
    "assistants_seed": ("session seed for ids and payloads", "string"),
    "assistants_strict": ("fail tests that leave injected faults unused (default true)", "bool"),
    "assistants_hosts": ("extra hosts the fake serves, one 'host=dialect' per line", "linelist"),
    "assistants_record_mode": ("cassette record mode: " + "/".join(RECORD_MODES), "string"),
    "assistants_cassette_dir": (
        "where test cassettes live (default: cassettes/ beside tests)",
        "string",
    ),
}
FILTER_INI = "assistants_filter_deprecation"
FILTER_KEY = pytest.StashKey[bool]()  # the setting in force before this session


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("assistants", "pytest-assistants: fake Assistants API")
    group.addoption("--assistants-profile", default=None, help="profile of the fake (dialect@era)")
    group.addoption(
        "--assistants-seed", type=int, default=None, help="session seed (ids, payloads)"
    )
    group.addoption(
        "--assistants-record-mode",
        choices=RECORD_MODES,
        default=None,
        help="cassette record mode (default none: replay only, never the network)",
    )
    group.addoption(
        "--assistants-coverage",
        action="store_true",
        default=False,
        help="report which provider behaviours the suite exercised, per dialect and profile",
    )
    group.addoption(
        "--assistants-coverage-json",
        metavar="PATH",
        default=None,
        help="also write that report as JSON to PATH (implies --assistants-coverage)",
    )
    group.addoption(
        "--assistants-coverage-html",
        metavar="DIR",
        default=None,
        help="also write that report as a page, DIR/index.html, naming the tests behind each"
        " behaviour (implies --assistants-coverage)",
    )
    for name, (help_text, kind) in INI_OPTIONS.items():
        parser.addini(name, help_text, type=kind, default=None)  # type: ignore[arg-type]
    parser.addini(
        FILTER_INI,
        "ignore the SDKs' Assistants-family DeprecationWarnings in tests that use the fake,"
        " its server or a cassette, and inside `with FakeAssistants()` (default true)",
        type="bool",
        default=True,
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "assistants(profile=None, seed=None, strict=None, **choices): configure assistants_fake"
        " for this test (see pytest-assistants README for the choices)",
    )
    config.addinivalue_line(
        "markers", "assistants_cassette(name): replay a shipped or named cassette in this test"
    )
    try:  # command line and ini: checked once, before any test runs
        config.stash[LAYERS_KEY] = (_ini_layer(config), _cli_layer(config))
        config.stash[FILTER_KEY] = deprecations.set_enabled(bool(config.getini(FILTER_INI)))
    except ConfigError as error:
        problem = str(error)
    else:
        if any(config.getoption(f"assistants_coverage{s}") for s in ("", "_json", "_html")):
            from pytest_assistants.behaviours import CoverageReport

            report = CoverageReport(config, WORKER_OUTPUT)
            config.stash[COVERAGE_KEY] = report
            config.pluginmanager.register(report, "assistants-coverage")
        return
    raise pytest.UsageError(f"pytest-assistants: {problem}")


def pytest_unconfigure(config: pytest.Config) -> None:
    previous = config.stash.get(FILTER_KEY, None)
    if previous is not None:  # an inner pytester session hands the outer setting back
        deprecations.set_enabled(previous)


def pytest_runtest_setup(item: pytest.Item) -> None:
    deprecations.reapply()  # a fake of a wider scope, still active: quiet in this test too


def _ini_layer(config: pytest.Config) -> dict[str, Any]:
    layer: dict[str, Any] = {}
    for name in [*INI_OPTIONS, FILTER_INI]:
        try:
            value = config.getini(name)
        except (ValueError, pytest.UsageError):  # pytest's own parsing of bool values
            raise ConfigError(f"ini option {name}: use true or false") from None
        if name == FILTER_INI or value in (None, "", []):
            continue
        key = name.removeprefix("assistants_")
        layer["session_seed" if key == "seed" else key] = value
    return checked("ini", layer)


def _cli_layer(config: pytest.Config) -> dict[str, Any]:
    return checked(
        "cli",
        {
            "profile": config.getoption("assistants_profile"),
            "session_seed": config.getoption("assistants_seed"),
            "record_mode": config.getoption("assistants_record_mode"),
        },
    )


def _layers(config: pytest.Config) -> tuple[dict[str, Any], dict[str, Any]]:
    layers = config.stash.get(LAYERS_KEY, None)
    return layers if layers is not None else (_ini_layer(config), _cli_layer(config))


def session_seed(config: pytest.Config) -> int:
    ini, cli = _layers(config)
    seed: int = {**ini, **cli}.get("session_seed", DEFAULT_SESSION_SEED)
    return seed


def pytest_report_header(config: pytest.Config) -> str:
    ini, cli = _layers(config)
    profile = {**ini, **cli}.get("profile", "default")
    return f"assistants: profile={profile}, session seed={session_seed(config)} (--assistants-seed)"


def _marker_layer(item: pytest.Item) -> dict[str, Any]:
    layer: dict[str, Any] = {}
    for marker in reversed(list(item.iter_markers("assistants"))):  # closest marker wins
        if marker.args:
            raise ConfigError(
                "@pytest.mark.assistants takes keyword arguments only,"
                f" e.g. @pytest.mark.assistants(profile='openai-v2@2025-08'), not {marker.args!r}"
            )
        layer.update(marker.kwargs)
    return layer


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
    ini, cli = _layers(request.config)
    try:
        settings = resolve(
            ini=ini,
            fixture=assistants_config,
            marker=_marker_layer(request.node),
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


SCOPE_HINTS = {
    "assistants_fake": "build one there with `with FakeAssistants() as fake:` (from"
    " pytest_assistants import FakeAssistants), which works in any scope",
    "assistants_server": "request it from a function-scoped fixture or the test itself",
    "assistants_cassette": "use `pytest_assistants.cassettes.replay.use_cassette(path)` there",
    "assistants_payloads": "build one there with `PayloadFactory(seed=...)`"
    " (from pytest_assistants import PayloadFactory)",
}


def _scope_hint(text: str) -> str | None:
    """pytest's ScopeMismatch, explained for the plugin's function-scoped fixtures."""
    if "ScopeMismatch" not in text:
        return None
    for name, hint in SCOPE_HINTS.items():
        if f"fixture {name} with a" in text:
            return (
                f"{name} is function-scoped (fresh for every test), so a wider-scoped fixture"
                f" cannot request it: {hint}."
            )
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed and report.when == "setup":
        hint = _scope_hint(report.longreprtext)
        if hint is not None:
            report.sections.append(("pytest-assistants", hint))
    settings = item.stash.get(SETTINGS_KEY, None)
    if settings is not None and report.failed:
        report.sections.append(
            (
                "pytest-assistants",
                f"profile={settings.profile} test seed={settings.seed}"
                f" session seed={session_seed(item.config)}"
                " (reproduce with --assistants-seed or @pytest.mark.assistants(seed=...))",
            )
        )
    return report


def pytest_assertrepr_compare(op: str, left: object, right: object) -> list[str] | None:
    """``assert report == CONFORMS`` shows the first difference of each mismatch."""
    names = {type(left).__name__, type(right).__name__}
    if op != "==" or "ConformanceReport" not in names:
        return None
    from pytest_assistants.evidence.conformance import assertrepr

    return assertrepr(left, right)
