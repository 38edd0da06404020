"""Profiles: a dialect at a date, as frozen data (the catalogue).

:mod:`.rules` holds what a profile is made of; :mod:`.openai`, :mod:`.azure` and
:mod:`.gateways` the dated rules and profiles, with the evidence beside each table
(``docs/behaviour.md``). This module gathers them: :data:`PROFILES`, :func:`get_profile` and
:func:`azure_profile_for`. The request schemas the rules imply are derived in each resource's
``schema`` module; choosing the profile of a recording is era choice, in
:mod:`pytest_assistants.evidence.eras`.
"""

from __future__ import annotations

from pytest_assistants.service.profiles.azure import (
    AZURE_API_VERSIONS,
    AZURE_DEFAULT_PROFILE,
    AZURE_PROFILE_VERSIONS,
    AZURE_PROFILES,
)
from pytest_assistants.service.profiles.gateways import (
    PORTKEY,
    PORTKEY_DOCUMENTED,
    PORTKEY_DOCUMENTED_API,
    ZEROBOT,
    ZEROBOT_API,
    ZEROBOT_RULES,
)
from pytest_assistants.service.profiles.openai import (
    DEFAULT_PROFILE,
    OPENAI_PROFILES,
    OPENAI_SUNSET,
    OPENAI_V1_2023_11,
    OPENAI_V1_2024_02,
    OPENAI_V1_2024_04,
    OPENAI_V2_2024_05,
    OPENAI_V2_2024_10,
    OPENAI_V2_2025_08,
    SUNSET,
    V1_REQUEST_PREFIX_SINCE,
    V1_SAMPLING_SINCE,
    V1_SHUTDOWN,
    V2_LAUNCH,
    V2_RANKING_SINCE,
    V2_REASONING_SINCE,
    V2_TOOLS,
)
from pytest_assistants.service.profiles.rules import (
    BASE58,
    BASE62,
    HEX,
    LIMITS,
    NAME_PATTERN,
    REASONING_PREFIXES,
    ApiRules,
    AssistantRules,
    Choices,
    FileRules,
    IdShape,
    Limits,
    MessageRules,
    Profile,
    RunRules,
    ThreadRules,
    VectorStoreRules,
    is_reasoning_model,
)

__all__ = [
    "AZURE_API_VERSIONS",
    "AZURE_DEFAULT_PROFILE",
    "AZURE_PROFILES",
    "AZURE_PROFILE_VERSIONS",
    "BASE58",
    "BASE62",
    "DEFAULT_HOSTS",
    "DEFAULT_PROFILE",
    "HEX",
    "LIMITS",
    "NAME_PATTERN",
    "OPENAI_SUNSET",
    "OPENAI_V1_2023_11",
    "OPENAI_V1_2024_02",
    "OPENAI_V1_2024_04",
    "OPENAI_V2_2024_05",
    "OPENAI_V2_2024_10",
    "OPENAI_V2_2025_08",
    "PORTKEY",
    "PORTKEY_DOCUMENTED",
    "PORTKEY_DOCUMENTED_API",
    "PROFILES",
    "REASONING_PREFIXES",
    "SUNSET",
    "V1_REQUEST_PREFIX_SINCE",
    "V1_SAMPLING_SINCE",
    "V1_SHUTDOWN",
    "V2_LAUNCH",
    "V2_RANKING_SINCE",
    "V2_REASONING_SINCE",
    "V2_TOOLS",
    "ZEROBOT",
    "ZEROBOT_API",
    "ZEROBOT_RULES",
    "ApiRules",
    "AssistantRules",
    "Choices",
    "FileRules",
    "IdShape",
    "Limits",
    "MessageRules",
    "Profile",
    "RunRules",
    "ThreadRules",
    "UnknownProfileError",
    "VectorStoreRules",
    "azure_profile_for",
    "get_profile",
    "is_reasoning_model",
]

# The providers' hosts and the dialect each speaks ("*." claims every subdomain: any Azure
# resource name); FakeAssistants(hosts=...) and the assistants_hosts option add more.
DEFAULT_HOSTS: dict[str, str] = {
    "api.openai.com": "openai",
    "api.portkey.ai": "portkey",
    "api.zerobot.ai": "zerobot",
    "*.openai.azure.com": "azure",
}

PROFILES: dict[str, Profile] = {
    profile.name: profile for profile in (*OPENAI_PROFILES, PORTKEY, ZEROBOT, *AZURE_PROFILES)
}


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
        return next(p.name for p in AZURE_PROFILES if api_version in p.api_versions)
    return AZURE_DEFAULT_PROFILE
