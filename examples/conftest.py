"""The demo suite's conftest: configures the fake once, prints what each example showed."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pytest_assistants import AssistantsCassette, AssistantsServer, FakeAssistants


@dataclass
class Shown:
    """What one example file exercised: outcomes, and where its requests were answered."""

    doc: str = ""
    outcomes: Counter[str] = field(default_factory=Counter)
    tests_served: int = 0  # tests whose requests the fake answered (in process or over HTTP)
    served: int = 0
    over_http: int = 0
    replayed: int = 0
    statuses: Counter[int] = field(default_factory=Counter)


SHOWN: defaultdict[str, Shown] = defaultdict(Shown)


@pytest.fixture
def assistants_config() -> dict[str, Any]:
    # Fixed clock so created_at values are the same on every run.
    return {"clock_start": 1_756_166_400}


def _note_calls(request: pytest.FixtureRequest, calls: list[Any], *, over_http: bool) -> None:
    shown = SHOWN[request.node.path.name]
    shown.tests_served += 1
    shown.served += len(calls)
    shown.over_http += len(calls) if over_http else 0
    shown.statuses.update(call.status for call in calls)


# Same-name fixtures wrap the plugin's, to count what each test sent; tests use them unchanged.
@pytest.fixture
def assistants_fake(assistants_fake: FakeAssistants, request: pytest.FixtureRequest) -> Any:
    yield assistants_fake
    _note_calls(request, assistants_fake.calls, over_http=False)


@pytest.fixture
def assistants_server(assistants_server: AssistantsServer, request: pytest.FixtureRequest) -> Any:
    yield assistants_server
    _note_calls(request, assistants_server.fake.calls, over_http=True)


@pytest.fixture
def assistants_cassette(
    assistants_cassette: AssistantsCassette, request: pytest.FixtureRequest
) -> Any:
    yield assistants_cassette
    SHOWN[request.node.path.name].replayed += assistants_cassette.play_count


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = getattr(item, "module", None)
        doc = (getattr(module, "__doc__", None) or "").strip().splitlines()
        SHOWN[item.path.name].doc = doc[0] if doc else ""


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" or not report.passed:  # setup/teardown count only when not passed
        outcome = "error" if report.failed and report.when != "call" else report.outcome
        SHOWN[report.nodeid.split("::")[0].rpartition("/")[2]].outcomes[outcome] += 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    files = {name: shown for name, shown in sorted(SHOWN.items()) if shown.outcomes}
    served = sum(shown.served for shown in files.values())
    tests = sum(shown.tests_served for shown in files.values())
    over_http = sum(shown.over_http for shown in files.values())
    replayed = sum(shown.replayed for shown in files.values())
    terminalreporter.write_sep("=", "what the fake showed")
    terminalreporter.write_line(
        f"{served} Assistants API requests served offline by the in-memory fake"
        f" ({over_http} of them over real HTTP on 127.0.0.1) across {tests} tests, and"
        f" {replayed} replayed from shipped cassettes; no network, no API key."
    )
    for name, shown in files.items():
        outcomes = ", ".join(f"{count} {outcome}" for outcome, count in shown.outcomes.items())
        where = [f"{shown.served} requests to the fake"] if shown.tests_served else []
        if shown.over_http:
            where.append(f"{shown.over_http} over HTTP")
        if shown.replayed:
            where.append(f"{shown.replayed} replayed from cassettes")
        answers = ", ".join(f"{n}x {s}" for s, n in sorted(shown.statuses.items()) if s)
        if shown.statuses[0]:  # injected timeouts and dropped connections: no status
            answers += f"; {shown.statuses[0]} unanswered"
        statuses = f" (answered {answers})" if answers else ""
        terminalreporter.write_line(f"{name}: {outcomes}; {', '.join(where)}{statuses}")
        terminalreporter.write_line(f"    {shown.doc}")
