"""Which profile reproduces a recorded interaction: host, then beta header and date.

The boundaries are the dates of PROVIDER_BEHAVIOUR §2 / §8 / §13 (v1 sampling fields from
spec commit 5fd86c83 on 2024-04-09, v1 request prefix 2024-02-15 (a choice), v2 launch 2024-04-17, the ranker default_2024_08_21,
reasoning_effort from 2025-01-15, v1 shutdown 2024-12-18, the Assistants shutdown 2026-08-26), written out here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from pytest_assistants.evidence.eras import profile_for

V1_23, V1_24_02, V1_24 = "openai-v1@2023-11", "openai-v1@2024-02", "openai-v1@2024-04"
V2_24_05, V2_24_10, V2_25, SUNSET = (
    "openai-v2@2024-05",
    "openai-v2@2024-10",
    "openai-v2@2025-08",
    "openai@2026-08-26",
)


@pytest.mark.parametrize(
    ("beta", "host", "when", "profile"),
    [
        ("assistants=v1", "api.openai.com", "2024-02-14", V1_23),
        ("assistants=v1", "api.openai.com", "2024-02-15", V1_24_02),  # §13, a choice
        ("assistants=v1", "api.openai.com", "2024-04-08", V1_24_02),
        ("assistants=v1", "api.openai.com", "2024-04-09", V1_24),
        ("assistants=v1", "api.openai.com", "2024-12-17", V1_24),
        ("assistants=v1", "api.openai.com", "2024-12-18", V2_25),  # the v1-deprecated 400
        (None, "api.openai.com", "2024-02-14", V1_23),  # no header before v2: v1 of the date
        (None, "api.openai.com", "2024-04-16", V1_24),
        (None, "api.openai.com", "2024-04-17", V2_24_05),
        ("assistants=v2", "api.openai.com", "2024-08-20", V2_24_05),
        ("assistants=v2", "api.openai.com", "2024-08-21", V2_24_10),
        ("assistants=v2", "api.openai.com", "2025-01-14", V2_24_10),  # §13: recorded then
        ("assistants=v2", "api.openai.com", "2025-01-15", V2_25),
        ("assistants=v2", "api.openai.com", "2026-08-25", V2_25),
        ("assistants=v2", "api.openai.com", "2026-08-26", SUNSET),
        ("assistants=v1", "api.openai.com", "2026-08-26", SUNSET),
        ("assistants=v2", "API.PORTKEY.AI", "2024-05-01", "portkey"),
        (None, "api.zerobot.ai", "2024-05-01", "zerobot"),
        ("assistants=v1", "api.openai.com", None, V1_23),  # undated v1: most v1 recordings
        ("assistants=v2", "api.openai.com", None, V2_25),
        (" assistants=v1 ", "api.openai.com", "2024-05-01", V1_24),
    ],
)
def test_profile_for_a_recording(beta: str | None, host: str, when: str | None, profile: str) -> None:
    assert profile_for(beta, host, when) == profile


@pytest.mark.parametrize(
    "when",
    [
        "Tue, 09 Apr 2024 10:00:00 GMT",  # an HTTP Date header
        "2024-04-09T23:59:59Z",
        "2024-04-09",
        date(2024, 4, 9),
        datetime(2024, 4, 9, 12, tzinfo=UTC),
    ],
)
def test_dates_are_read_from_what_recordings_carry(when: str | date) -> None:
    assert profile_for("assistants=v1", "api.openai.com", when) == V1_24


def test_an_unreadable_date_names_the_formats() -> None:
    with pytest.raises(ValueError) as error:
        profile_for("assistants=v2", "api.openai.com", "yesterday")
    assert str(error.value) == "cannot read a date from 'yesterday' (use YYYY-MM-DD or an HTTP date)"
