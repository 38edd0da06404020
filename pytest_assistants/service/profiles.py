"""Profiles: a dialect at a date, as frozen data (DESIGN.md "Profiles").

A :class:`Profile` names the era whose behaviour it reproduces and maps each accepted
``OpenAI-Beta`` value to the :class:`ApiRules` that serve it. Where the evidence is
silent, the behaviour is a named field of :class:`Choices`, never a silent guess
(PROVIDER_BEHAVIOUR.md §11, §12); ``Choices`` can be overridden per test.

This module is the public face: it finds a profile by name (:func:`get_profile`) or for a
recorded interaction (:func:`choose_profile`, :func:`profile_for`). The dataclasses live in
:mod:`.rules`, the dated profiles and the era boundaries in :mod:`.catalogue`; both are
re-exported here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from pytest_assistants.service.catalogue import (
    AZURE_API_VERSIONS,
    AZURE_DEFAULT_PROFILE,
    AZURE_PROFILE_VERSIONS,
    AZURE_PROFILES,
    COMPACT_METHODS_2024_01,
    DEFAULT_PROFILE,
    OPENAI_SUNSET,
    OPENAI_V1_2023_11,
    OPENAI_V1_2024_02,
    OPENAI_V1_2024_04,
    OPENAI_V2_2024_05,
    OPENAI_V2_2024_10,
    OPENAI_V2_2025_08,
    PORTKEY,
    PORTKEY_DOCUMENTED,
    PROFILES,
    SUNSET,
    V1_2023,
    V1_2024,
    V1_KEY_ORDER_2023,
    V1_KEY_ORDER_2024,
    V1_MODELS,
    V1_REFUSED_MODELS,
    V1_REQUEST_PREFIX_SINCE,
    V1_SAMPLING_SINCE,
    V1_SHUTDOWN,
    V1_TOOLS,
    V2_2024_05,
    V2_2024_10,
    V2_2025,
    V2_KEY_ORDER_2024,
    V2_KEY_ORDER_2025,
    V2_LAUNCH,
    V2_MODELS,
    V2_MODELS_2024_05,
    V2_MODELS_2024_10,
    V2_RANKING_SINCE,
    V2_REASONING_SINCE,
    V2_REFUSED_MODELS,
    V2_TOOLS,
    ZEROBOT,
    ZEROBOT_RULES,
)
from pytest_assistants.service.rules import (
    NAME_PATTERN,
    PORTKEY_DEFAULT_MODEL_CHOICES,
    ApiRules,
    Choices,
    Profile,
)

# The public face of the catalogue: callers import every profile name from here.
__all__ = [
    "AZURE_API_VERSIONS",
    "AZURE_DEFAULT_PROFILE",
    "AZURE_PROFILES",
    "AZURE_PROFILE_VERSIONS",
    "COMPACT_METHODS_2024_01",
    "DEFAULT_PROFILE",
    "NAME_PATTERN",
    "OPENAI_SUNSET",
    "OPENAI_V1_2023_11",
    "OPENAI_V1_2024_02",
    "OPENAI_V1_2024_04",
    "OPENAI_V2_2024_05",
    "OPENAI_V2_2024_10",
    "OPENAI_V2_2025_08",
    "PORTKEY",
    "PORTKEY_DEFAULT_MODEL_CHOICES",
    "PORTKEY_DOCUMENTED",
    "PROFILES",
    "SUNSET",
    "V1_2023",
    "V1_2024",
    "V1_KEY_ORDER_2023",
    "V1_KEY_ORDER_2024",
    "V1_MODELS",
    "V1_REFUSED_MODELS",
    "V1_REQUEST_PREFIX_SINCE",
    "V1_SAMPLING_SINCE",
    "V1_SHUTDOWN",
    "V1_TOOLS",
    "V2_2024_05",
    "V2_2024_10",
    "V2_2025",
    "V2_KEY_ORDER_2024",
    "V2_KEY_ORDER_2025",
    "V2_LAUNCH",
    "V2_MODELS",
    "V2_MODELS_2024_05",
    "V2_MODELS_2024_10",
    "V2_RANKING_SINCE",
    "V2_REASONING_SINCE",
    "V2_REFUSED_MODELS",
    "V2_TOOLS",
    "ZEROBOT",
    "ZEROBOT_RULES",
    "ApiRules",
    "Choices",
    "Profile",
    "UnknownProfileError",
    "azure_profile_for",
    "choose_profile",
    "get_profile",
    "profile_for",
]


class UnknownProfileError(ValueError):
    """A profile name that does not exist; the message lists the ones that do."""


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise UnknownProfileError(
            f"unknown assistants profile {name!r}: use one of {known}"
            " (set it with --assistants-profile, the assistants_profile ini option,"
            " or @pytest.mark.assistants(profile=...))"
        ) from None


# -- choosing the profile of a recording -------------------------------------------------

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
    The boundaries are the catalogue's (:mod:`.catalogue`).
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


# -- Azure OpenAI ------------------------------------------------------------------------

AZURE_HOST_SUFFIX = ".openai.azure.com"


def azure_profile_for(host: str, api_version: str | None) -> str | None:
    """The Azure profile of a request, or None when it is not an Azure one.

    A request is Azure's when its host is ``*.openai.azure.com`` or it carries an
    ``api-version`` (recordings redact the host). The profile is the first era that served
    the version (Azure pins behaviour to the version, not the date); an unknown or missing
    version gets the newest Azure profile, which answers it with Azure's 404.
    """
    if api_version is None and not host.lower().endswith(AZURE_HOST_SUFFIX):
        return None
    if api_version in AZURE_API_VERSIONS:
        return next(p.name for p in AZURE_PROFILES if api_version in p.served)
    return AZURE_DEFAULT_PROFILE
