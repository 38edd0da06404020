"""The pytest surface: options, marker, fixtures, report lines. Wiring only.

Imports nothing heavy at load time (no openai, httpx, vcrpy, faker): each fixture imports
what it needs when a test asks for it, so suites that do not use a part pay nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from pytest_assistants.reach.config import RECORD_MODES, ConfigError, Settings, parse_hosts, resolve

if TYPE_CHECKING:
    from collections.abc import Generator

    from pytest_assistants.payloads.factories import PayloadFactory
    from pytest_assistants.reach.fake import FakeAssistants

SETTINGS_KEY = pytest.StashKey[Settings]()

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
    for name, (help_text, kind) in INI_OPTIONS.items():
        parser.addini(name, help_text, type=kind, default=None)  # type: ignore[arg-type]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "assistants(profile=None, seed=None, strict=None, **choices): configure assistants_fake"
        " for this test (see pytest-assistants README for the choices)",
    )
    config.addinivalue_line(
        "markers", "assistants_cassette(name): replay a shipped or named cassette in this test"
    )


def _ini_layer(config: pytest.Config) -> dict[str, Any]:
    layer: dict[str, Any] = {}
    for name in INI_OPTIONS:
        value = config.getini(name)
        if value in (None, "", []):
            continue
        key = name.removeprefix("assistants_")
        if key == "seed":
            layer["session_seed"] = int(value)
        elif key == "hosts":
            layer["hosts"] = parse_hosts(value)
        else:
            layer[key] = value
    return layer


def _cli_layer(config: pytest.Config) -> dict[str, Any]:
    return {
        "profile": config.getoption("assistants_profile"),
        "session_seed": config.getoption("assistants_seed"),
        "record_mode": config.getoption("assistants_record_mode"),
    }


def session_seed(config: pytest.Config) -> int:
    from pytest_assistants.reach.config import DEFAULT_SESSION_SEED

    merged = {
        **_ini_layer(config),
        **{k: v for k, v in _cli_layer(config).items() if v is not None},
    }
    return int(merged.get("session_seed", DEFAULT_SESSION_SEED))


def pytest_report_header(config: pytest.Config) -> str:
    profile = (
        config.getoption("assistants_profile") or config.getini("assistants_profile") or "default"
    )
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
    """Override in a conftest or module to configure the fake (lower priority than markers)."""
    return {}


@pytest.fixture
def _assistants_settings(
    request: pytest.FixtureRequest, assistants_config: dict[str, Any]
) -> Settings:
    try:
        settings = resolve(
            ini=_ini_layer(request.config),
            fixture=assistants_config,
            marker=_marker_layer(request.node),
            cli=_cli_layer(request.config),
            nodeid=request.node.nodeid,
        )
    except ValueError as error:  # ConfigError and UnknownProfileError
        pytest.fail(f"pytest-assistants configuration: {error}", pytrace=False)
    request.node.stash[SETTINGS_KEY] = settings
    return settings


@pytest.fixture
def assistants_fake(
    request: pytest.FixtureRequest, _assistants_settings: Settings
) -> Generator[FakeAssistants, None, None]:
    """A fresh in-memory Assistants service, intercepting provider hosts for this test."""
    from pytest_assistants.reach.fake import fake_for_test

    fake = fake_for_test(_assistants_settings)
    with fake:
        yield fake
    check_at_teardown(fake, _assistants_settings, "assistants_fake")


def check_at_teardown(fake: FakeAssistants, settings: Settings, name: str) -> None:
    """Teardown of both fixtures: a bug of the fake, or (strict) a fault never used, fails.

    Called after the fixture's ``yield``, so pytest reports it as an error at teardown of
    the test that caused it, with ``pytest.fail``'s message and no traceback of ours.
    """
    try:
        fake.check()
    except AssertionError as error:
        pytest.fail(str(error), pytrace=False)
    pending = fake.faults.pending()
    if pending and settings.strict:
        pytest.fail(
            f"{name}.fail(...) injected faults that were never used: {pending}."
            " Send the requests they were meant for, lower count=, or mark the test"
            " @pytest.mark.assistants(strict=False).",
            pytrace=False,
        )


@pytest.fixture
def assistants_payloads(
    request: pytest.FixtureRequest, _assistants_settings: Settings
) -> PayloadFactory:
    """Seeded Faker-based payload factory (stable per test: session seed + node id)."""
    from pytest_assistants.payloads.factories import PayloadFactory

    return PayloadFactory(seed=_assistants_settings.seed, profile=_assistants_settings.profile)


@pytest.fixture
def assistants_cassette(request: pytest.FixtureRequest, _assistants_settings: Settings) -> Any:
    """The vcrpy cassette of this test (record mode from --assistants-record-mode)."""
    from pytest_assistants.cassettes.replay import cassette_for_test

    with cassette_for_test(request, _assistants_settings) as cassette:
        yield cassette


@pytest.fixture(autouse=True)
def _assistants_cassette_marker(request: pytest.FixtureRequest) -> None:
    """``@pytest.mark.assistants_cassette(name)`` alone puts the test under the cassette."""
    if request.node.get_closest_marker("assistants_cassette") is not None:
        request.getfixturevalue("assistants_cassette")


@pytest.fixture
def assistants_server(
    request: pytest.FixtureRequest, _assistants_settings: Settings
) -> Generator[Any, None, None]:
    """The fake over real HTTP on 127.0.0.1 (ephemeral port, ``.url``), fresh per test."""
    from pytest_assistants.server.runner import server_for_test

    with server_for_test(request, _assistants_settings) as server:
        yield server
    check_at_teardown(server.fake, _assistants_settings, "assistants_server.fake")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
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
