"""Which profile reproduces a recorded interaction, and why (era choice).

The era boundaries live in one place, the profile catalogue
(:mod:`pytest_assistants.service.profiles`); this module reads them. :func:`choose_profile`
picks by host, beta version, date and status (:func:`profile_for` gives just the name); for a
recorded :class:`~pytest_assistants.evidence.recordings.Interaction`,
:func:`interaction_choice` adds what only a recording knows: a cassette's own
``provenance.profile`` (cassettes recorded from the fake) wins over all, and an Azure request
gets the Azure profile of its ``api-version``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from pytest_assistants.service.profiles import (
    DEFAULT_PROFILE,
    OPENAI_SUNSET,
    OPENAI_V1_2023_11,
    OPENAI_V1_2024_02,
    OPENAI_V1_2024_04,
    OPENAI_V2_2024_05,
    OPENAI_V2_2024_10,
    PORTKEY,
    SUNSET,
    V1_REQUEST_PREFIX_SINCE,
    V1_SAMPLING_SINCE,
    V1_SHUTDOWN,
    V2_LAUNCH,
    V2_RANKING_SINCE,
    V2_REASONING_SINCE,
    ZEROBOT,
    azure_profile_for,
)

if TYPE_CHECKING:
    from pytest_assistants.evidence.recordings import Interaction

# -- by host, beta version, date and status ----------------------------------------------

HOST_PROFILES = {"portkey": PORTKEY.name, "zerobot": ZEROBOT.name}


@dataclass(frozen=True)
class ProfileChoice:
    """The profile picked for a recording, and why (reports print the reason)."""

    name: str
    reason: str
    served_after_sunset: bool = False  # a 2xx dated after the shutdown: not OpenAI's


def _as_date(value: date | str | None) -> date | None:
    """A date from what recordings carry: RFC 2822 ``Date`` headers or ISO-ish strings."""
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    text = value.strip()
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match is None:
        raise ValueError(f"cannot read a date from {value!r} (use YYYY-MM-DD or an HTTP date)")
    return date(*map(int, match.groups()))


def choose_profile(
    beta: str | None, host: str, recorded_at: date | str | None, status: int | None = None
) -> ProfileChoice:
    """The profile that reproduces an interaction, by host, then beta version and date.

    A Portkey or Zerobot host picks that profile. Otherwise, from the date (undated: the
    default profile for v2, ``openai-v1@2023-11`` for v1, the era most v1 recordings are
    from): on or after 2026-08-26 the sunset profile, unless the answer is a 2xx (the
    shutdown API answered none: the recording comes from this fake or a compatible
    server, so the final API); a v1 header before 2024-02-15 -> ``openai-v1@2023-11``,
    before 2024-04-09 -> ``openai-v1@2024-02``, before the v1 shutdown (2024-12-18) ->
    ``openai-v1@2024-04``, after it the default
    (which answers v1 with the v1-deprecated 400); no header before the v2 launch
    (2024-04-17) -> the v1 profile of the date; v2 before 2024-08-21 ->
    ``openai-v2@2024-05``, up to 2025-01-14 -> ``openai-v2@2024-10``, else the default.
    The boundaries are the catalogue's (:mod:`pytest_assistants.service.profiles`).
    """
    host = host.lower()
    for marker, name in HOST_PROFILES.items():
        if marker in host:
            return ProfileChoice(name, f"host {host}")
    version = (beta or "").strip().rpartition("=")[2] or None
    header = f"OpenAI-Beta {version}" if version else "no OpenAI-Beta header"
    when = _as_date(recorded_at)
    if when is None:
        name = OPENAI_V1_2023_11.name if version == "v1" else DEFAULT_PROFILE
        return ProfileChoice(name, f"{header}, undated")
    dated = f"{header}, recorded {when.isoformat()}"
    if when >= SUNSET:
        if status is not None and 200 <= status < 300:
            return ProfileChoice(
                DEFAULT_PROFILE,
                f"{dated}: a {status} after the {SUNSET.isoformat()} shutdown, so a"
                " recording from the fake or a compatible server; replayed as the final API",
                served_after_sunset=True,
            )
        return ProfileChoice(OPENAI_SUNSET.name, f"{dated}: after the shutdown")
    if version == "v1" and when >= V1_SHUTDOWN:
        return ProfileChoice(DEFAULT_PROFILE, f"{dated}: after the v1 shutdown")
    if version == "v1" or (version is None and when < V2_LAUNCH):
        if when < V1_REQUEST_PREFIX_SINCE:
            return ProfileChoice(OPENAI_V1_2023_11.name, dated)
        if when < V1_SAMPLING_SINCE:
            return ProfileChoice(OPENAI_V1_2024_02.name, dated)
        return ProfileChoice(OPENAI_V1_2024_04.name, dated)
    if when < V2_RANKING_SINCE:
        return ProfileChoice(OPENAI_V2_2024_05.name, dated)
    if when < V2_REASONING_SINCE:
        return ProfileChoice(OPENAI_V2_2024_10.name, dated)
    return ProfileChoice(DEFAULT_PROFILE, dated)


def profile_for(beta: str | None, host: str, recorded_at: date | str | None) -> str:
    """The name :func:`choose_profile` picks (the status of the answer unknown)."""
    return choose_profile(beta, host, recorded_at).name


# -- a recorded interaction --------------------------------------------------------------


def azure_choice(interaction: Interaction) -> ProfileChoice | None:
    """Azure OpenAI: the profile of the ``api-version`` (``profiles.azure_profile_for``),
    for an ``*.openai.azure.com`` host or any request with that query (hosts get redacted)."""
    query = dict(parse_qsl(interaction.query, keep_blank_values=True))
    version = query.get("api-version")
    name = azure_profile_for(interaction.host, version)
    if name is None:
        return None
    return ProfileChoice(name, f"Azure OpenAI, api-version {version}")


def interaction_choice(interaction: Interaction) -> ProfileChoice:
    """The profile of one recorded interaction: the one its provenance names, else the Azure
    one of its ``api-version``, else :func:`choose_profile`'s."""
    if interaction.profile_hint:
        return ProfileChoice(
            interaction.profile_hint, "named by the recording's provenance metadata"
        )
    azure = azure_choice(interaction)
    if azure is not None:
        return azure
    return choose_profile(
        interaction.beta, interaction.host, interaction.recorded_at, interaction.status
    )


def assign_profiles(interactions: list[Interaction]) -> None:
    """Set each interaction's profile and reason. A session with a 2xx after the shutdown
    was not served by OpenAI, so none of its answers (its 404s neither) is the sunset's."""
    sunset = OPENAI_SUNSET.name
    served_after: dict[str, ProfileChoice] = {}
    for interaction in interactions:
        choice = interaction_choice(interaction)
        interaction.profile, interaction.profile_reason = choice.name, choice.reason
        if choice.served_after_sunset:
            served_after.setdefault(interaction.source, choice)
    for interaction in interactions:
        fixed = served_after.get(interaction.source)
        if fixed is not None and interaction.profile == sunset:
            interaction.profile, interaction.profile_reason = fixed.name, fixed.reason
