"""The demo suite's conftest: configures the fake once, prints what the fake served."""

from __future__ import annotations

from typing import Any

import pytest

SERVED: list[tuple[str, int]] = []


@pytest.fixture
def assistants_config() -> dict[str, Any]:
    # Fixed clock so created_at values are the same on every run.
    return {"clock_start": 1_756_166_400}


@pytest.fixture
def assistants_fake(assistants_fake: Any, request: pytest.FixtureRequest) -> Any:
    """Wraps the plugin's fixture (same name) to count what each test sent."""
    yield assistants_fake
    SERVED.append((request.node.name, len(assistants_fake.calls)))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    total = sum(count for _, count in SERVED)
    terminalreporter.write_sep("=", "what the fake showed")
    terminalreporter.write_line(
        f"{total} Assistants API requests served offline by the in-memory fake"
        f" across {len(SERVED)} tests (no network, no API key)."
    )
