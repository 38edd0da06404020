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

from pytest_assistants.service.catalogue import AZURE_API_VERSIONS as AZURE_API_VERSIONS
from pytest_assistants.service.catalogue import AZURE_DEFAULT_PROFILE as AZURE_DEFAULT_PROFILE
from pytest_assistants.service.catalogue import AZURE_PROFILE_VERSIONS as AZURE_PROFILE_VERSIONS
from pytest_assistants.service.catalogue import AZURE_PROFILES as AZURE_PROFILES
from pytest_assistants.service.catalogue import COMPACT_METHODS_2024_01 as COMPACT_METHODS_2024_01
from pytest_assistants.service.catalogue import DEFAULT_PROFILE as DEFAULT_PROFILE
from pytest_assistants.service.catalogue import OPENAI_SUNSET as OPENAI_SUNSET
from pytest_assistants.service.catalogue import OPENAI_V1_2023_11 as OPENAI_V1_2023_11
from pytest_assistants.service.catalogue import OPENAI_V1_2024_02 as OPENAI_V1_2024_02
from pytest_assistants.service.catalogue import OPENAI_V1_2024_04 as OPENAI_V1_2024_04
from pytest_assistants.service.catalogue import OPENAI_V2_2024_05 as OPENAI_V2_2024_05
from pytest_assistants.service.catalogue import OPENAI_V2_2024_10 as OPENAI_V2_2024_10
from pytest_assistants.service.catalogue import OPENAI_V2_2025_08 as OPENAI_V2_2025_08
from pytest_assistants.service.catalogue import PORTKEY as PORTKEY
from pytest_assistants.service.catalogue import PORTKEY_DOCUMENTED as PORTKEY_DOCUMENTED
from pytest_assistants.service.catalogue import PROFILES as PROFILES
from pytest_assistants.service.catalogue import SUNSET as SUNSET
from pytest_assistants.service.catalogue import V1_2023 as V1_2023
from pytest_assistants.service.catalogue import V1_2024 as V1_2024
from pytest_assistants.service.catalogue import V1_KEY_ORDER_2023 as V1_KEY_ORDER_2023
from pytest_assistants.service.catalogue import V1_KEY_ORDER_2024 as V1_KEY_ORDER_2024
from pytest_assistants.service.catalogue import V1_MODELS as V1_MODELS
from pytest_assistants.service.catalogue import V1_REFUSED_MODELS as V1_REFUSED_MODELS
from pytest_assistants.service.catalogue import (
    V1_REQUEST_PREFIX_SINCE as V1_REQUEST_PREFIX_SINCE,
)
from pytest_assistants.service.catalogue import V1_SAMPLING_SINCE as V1_SAMPLING_SINCE
from pytest_assistants.service.catalogue import V1_SHUTDOWN as V1_SHUTDOWN
from pytest_assistants.service.catalogue import V1_TOOLS as V1_TOOLS
from pytest_assistants.service.catalogue import V2_2024_05 as V2_2024_05
from pytest_assistants.service.catalogue import V2_2024_10 as V2_2024_10
from pytest_assistants.service.catalogue import V2_2025 as V2_2025
from pytest_assistants.service.catalogue import V2_KEY_ORDER_2024 as V2_KEY_ORDER_2024
from pytest_assistants.service.catalogue import V2_KEY_ORDER_2025 as V2_KEY_ORDER_2025
from pytest_assistants.service.catalogue import V2_LAUNCH as V2_LAUNCH
from pytest_assistants.service.catalogue import V2_MODELS as V2_MODELS
from pytest_assistants.service.catalogue import V2_MODELS_2024_05 as V2_MODELS_2024_05
from pytest_assistants.service.catalogue import V2_MODELS_2024_10 as V2_MODELS_2024_10
from pytest_assistants.service.catalogue import V2_RANKING_SINCE as V2_RANKING_SINCE
from pytest_assistants.service.catalogue import V2_REASONING_SINCE as V2_REASONING_SINCE
from pytest_assistants.service.catalogue import V2_REFUSED_MODELS as V2_REFUSED_MODELS
from pytest_assistants.service.catalogue import V2_TOOLS as V2_TOOLS
from pytest_assistants.service.catalogue import ZEROBOT as ZEROBOT
from pytest_assistants.service.catalogue import ZEROBOT_RULES as ZEROBOT_RULES
from pytest_assistants.service.rules import NAME_PATTERN as NAME_PATTERN
from pytest_assistants.service.rules import (
    PORTKEY_DEFAULT_MODEL_CHOICES as PORTKEY_DEFAULT_MODEL_CHOICES,
)
from pytest_assistants.service.rules import ApiRules as ApiRules
from pytest_assistants.service.rules import Choices as Choices
from pytest_assistants.service.rules import Profile as Profile


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
