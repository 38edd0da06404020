"""The pytest surface: options, marker, configuration layers, report lines. Wiring only.

The fixtures are in ``fixtures.py``, which pytest loads with this module
(``pytest_plugins`` below). Imports nothing heavy at load time (no openai, httpx, vcrpy,
faker), so suites that do not use a part pay nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from pytest_assistants.reach import deprecations
from pytest_assistants.reach.config import (
    DEFAULT_SESSION_SEED,
    RECORD_MODES,
    ConfigError,
    Settings,
    checked,
)

if TYPE_CHECKING:
    from collections.abc import Generator

    from pytest_assistants.behaviours import CoverageReport

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

pytest_plugins = ["pytest_assistants.fixtures"]  # loaded with this plugin, wherever it is


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


def layers(config: pytest.Config) -> tuple[dict[str, Any], dict[str, Any]]:
    checked_once = config.stash.get(LAYERS_KEY, None)
    return checked_once if checked_once is not None else (_ini_layer(config), _cli_layer(config))


def session_seed(config: pytest.Config) -> int:
    ini, cli = layers(config)
    seed: int = {**ini, **cli}.get("session_seed", DEFAULT_SESSION_SEED)
    return seed


def pytest_report_header(config: pytest.Config) -> str:
    ini, cli = layers(config)
    profile = {**ini, **cli}.get("profile", "default")
    return f"assistants: profile={profile}, session seed={session_seed(config)} (--assistants-seed)"


def marker_layer(item: pytest.Item) -> dict[str, Any]:
    layer: dict[str, Any] = {}
    for marker in reversed(list(item.iter_markers("assistants"))):  # closest marker wins
        if marker.args:
            raise ConfigError(
                "@pytest.mark.assistants takes keyword arguments only,"
                f" e.g. @pytest.mark.assistants(profile='openai-v2@2025-08'), not {marker.args!r}"
            )
        layer.update(marker.kwargs)
    return layer


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
