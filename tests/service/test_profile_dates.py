"""Which profile reproduces a recorded interaction: host, then beta header and date.

The boundaries are the dates of PROVIDER_BEHAVIOUR §2 / §8 / §13 (v1 sampling fields from
spec commit 5fd86c83 on 2024-04-09, v1 request prefix 2024-02-15 (a choice), v2 launch 2024-04-17, the ranker default_2024_08_21,
reasoning_effort from 2025-01-15, v1 shutdown 2024-12-18, the Assistants shutdown 2026-08-26), written out here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.evidence.eras import assign_profiles, profile_for
from pytest_assistants.evidence.recordings import Interaction

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
def test_profile_for_a_recording(
    beta: str | None, host: str, when: str | None, profile: str
) -> None:
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
    assert (
        str(error.value) == "cannot read a date from 'yesterday' (use YYYY-MM-DD or an HTTP date)"
    )


def recorded(beta: str | None, host: str, when: datetime | None, status: int = 200) -> Interaction:
    headers = {"openai-beta": beta} if beta else {}
    url = f"https://{host}/v1/assistants"
    return Interaction("session.jsonl", 0, "GET", url, status, headers, recorded_at=when)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("interaction", "profile", "reason"),
    [
        (recorded("assistants=v2", "api.portkey.ai", None), "portkey", "host api.portkey.ai"),
        (recorded(None, "api.openai.com", None), V2_25, "no OpenAI-Beta header, undated"),
        (recorded("assistants=v1", "api.openai.com", at("2024-02-14")), V1_23, "OpenAI-Beta v1, recorded 2024-02-14"),
        (recorded("assistants=v1", "api.openai.com", at("2024-02-15")), V1_24_02, "OpenAI-Beta v1, recorded 2024-02-15"),
        (recorded("assistants=v1", "api.openai.com", at("2024-04-09")), V1_24, "OpenAI-Beta v1, recorded 2024-04-09"),
        (recorded("assistants=v1", "api.openai.com", at("2024-12-18")), V2_25, "OpenAI-Beta v1, recorded 2024-12-18: after the v1 shutdown"),
        (recorded("assistants=v2", "api.openai.com", at("2024-08-20")), V2_24_05, "OpenAI-Beta v2, recorded 2024-08-20"),
        (recorded("assistants=v2", "api.openai.com", at("2025-01-15")), V2_25, "OpenAI-Beta v2, recorded 2025-01-15"),
        (recorded("assistants=v2", "api.openai.com", at("2026-09-01"), 404), SUNSET, "OpenAI-Beta v2, recorded 2026-09-01: after the shutdown"),
        (recorded("assistants=v2", "api.openai.com", at("2026-09-01"), 300), SUNSET, "OpenAI-Beta v2, recorded 2026-09-01: after the shutdown"),
        (recorded("assistants=v2", "api.openai.com", at("2026-09-01"), 299), V2_25,
         "OpenAI-Beta v2, recorded 2026-09-01: a 299 after the 2026-08-26 shutdown, so a recording"
         " from the fake or a compatible server; replayed as the final API"),
    ],
)  # fmt: skip
def test_each_profile_choice_says_why(interaction: Interaction, profile: str, reason: str) -> None:
    """Reports print the reason beside the profile: host, header and date as read, and
    what the date means (only a 2xx is served after the shutdown)."""
    assign_profiles([interaction])
    assert (interaction.profile, interaction.profile_reason) == (profile, reason)


def test_a_2xx_after_the_shutdown_moves_its_whole_session_off_the_sunset() -> None:
    """The shutdown API answered no 2xx: the session's 404s come from the same server."""
    missing = recorded("assistants=v2", "api.openai.com", at("2026-09-01"), 404)
    listed = recorded("assistants=v2", "api.openai.com", at("2026-09-01"), 200)
    elsewhere = recorded("assistants=v2", "api.openai.com", at("2026-09-01"), 404)
    elsewhere.source = "other.jsonl"
    assign_profiles([missing, listed, elsewhere])
    assert [missing.profile, listed.profile, elsewhere.profile] == [V2_25, V2_25, SUNSET]
    assert missing.profile_reason == listed.profile_reason


def test_an_unknown_profile_lists_the_known_ones_and_where_to_set_it() -> None:
    with pytest.raises(ValueError) as error:
        FakeAssistants(profile="openai-v3")
    assert str(error.value) == (
        "unknown assistants profile 'openai-v3': use one of azure-v1@2024-02, azure-v2@2024-05,"
        " azure-v2@2024-08, azure-v2@2025-03, openai-v1@2023-11, openai-v1@2024-02,"
        " openai-v1@2024-04, openai-v2@2024-05, openai-v2@2024-10, openai-v2@2025-08,"
        " openai@2026-08-26, portkey, zerobot (set it with --assistants-profile, the"
        " assistants_profile ini option, or @pytest.mark.assistants(profile=...))"
    )
