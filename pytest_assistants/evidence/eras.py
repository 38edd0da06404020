"""Which profile reproduces a recorded interaction, and why.

The era boundaries live in one place, the profile catalogue
(:mod:`pytest_assistants.service.catalogue`), and the choice by host, beta version, date and
status in :func:`pytest_assistants.service.profiles.choose_profile`; this module adds what
only a recording knows: a cassette's own ``provenance.profile`` (cassettes recorded from the
fake) wins over all, and an Azure request gets the Azure profile of its ``api-version``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from pytest_assistants.service import profiles

if TYPE_CHECKING:
    from pytest_assistants.evidence.recordings import Interaction


def azure_choice(interaction: Interaction) -> profiles.ProfileChoice | None:
    """Azure OpenAI: the profile of the ``api-version`` (``profiles.azure_profile_for``),
    for an ``*.openai.azure.com`` host or any request with that query (hosts get redacted)."""
    query = dict(parse_qsl(interaction.query, keep_blank_values=True))
    version = query.get("api-version")
    name = profiles.azure_profile_for(interaction.host, version)
    if name is None:
        return None
    return profiles.ProfileChoice(name, f"Azure OpenAI, api-version {version}")


def choose_profile(interaction: Interaction) -> profiles.ProfileChoice:
    if interaction.profile_hint:
        return profiles.ProfileChoice(
            interaction.profile_hint, "named by the recording's provenance metadata"
        )
    azure = azure_choice(interaction)
    if azure is not None:
        return azure
    return profiles.choose_profile(
        interaction.beta, interaction.host, interaction.recorded_at, interaction.status
    )


def assign_profiles(interactions: list[Interaction]) -> None:
    """Set each interaction's profile and reason. A session with a 2xx after the shutdown
    was not served by OpenAI, so none of its answers (its 404s neither) is the sunset's."""
    sunset = profiles.OPENAI_SUNSET.name
    served_after: dict[str, profiles.ProfileChoice] = {}
    for interaction in interactions:
        choice = choose_profile(interaction)
        interaction.profile, interaction.profile_reason = choice.name, choice.reason
        if choice.served_after_sunset:
            served_after.setdefault(interaction.source, choice)
    for interaction in interactions:
        fixed = served_after.get(interaction.source)
        if fixed is not None and interaction.profile == sunset:
            interaction.profile, interaction.profile_reason = fixed.name, fixed.reason
