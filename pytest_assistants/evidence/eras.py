"""Which profile reproduces a recorded interaction: beta version, host and date.

``profiles.profile_for(beta, host, recorded_at)`` decides when the profiles module has it;
otherwise the boundaries below, read off the reference recordings, apply:

- v1 answers have 10 keys up to 2024-03-27 and gain ``top_p``, ``temperature``,
  ``response_format`` by 2024-04-27 (the spec raised limits on 2024-04-09): the v1 eras
  split on 2024-04-01;
- v2 answers gain ``reasoning_effort`` between 2024-10-11 and 2025-03-14 (spec enum dated
  2025-02-10): the v2 eras split on 2025-01-01;
- ``api.portkey.ai`` and ``api.zerobot.ai`` have one profile each.

A cassette's own ``provenance.profile`` (cassettes recorded from the fake) wins over all.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from pytest_assistants.service import profiles

if TYPE_CHECKING:
    from pytest_assistants.evidence.recordings import Interaction

V1_SAMPLING_SINCE = datetime(2024, 4, 1, tzinfo=UTC)
V2_REASONING_SINCE = datetime(2025, 1, 1, tzinfo=UTC)
HOST_PROFILES = {"api.portkey.ai": "portkey", "api.zerobot.ai": "zerobot"}


def fallback_profile(beta: str | None, host: str, recorded_at: datetime | None) -> str:
    if host in HOST_PROFILES:
        return HOST_PROFILES[host]
    if beta == "v1":
        if recorded_at is not None and recorded_at < V1_SAMPLING_SINCE:
            return "openai-v1@2023-11"
        return "openai-v1@2024-04"
    if recorded_at is not None and recorded_at < V2_REASONING_SINCE:
        return "openai-v2@2024-05"
    return profiles.DEFAULT_PROFILE


def azure_profile(interaction: Interaction) -> str | None:
    """Azure OpenAI's profile from host and ``api-version`` (``profiles.azure_profile_for``)."""
    query = dict(parse_qsl(interaction.query, keep_blank_values=True))
    return profiles.azure_profile_for(interaction.host, query.get("api-version"))


def choose_profile(interaction: Interaction) -> str:
    if interaction.profile_hint:
        return interaction.profile_hint
    beta, host, when = interaction.beta, interaction.host, interaction.recorded_at
    azure = azure_profile(interaction)
    if azure is not None:
        return azure
    decide = getattr(profiles, "profile_for", None)
    if decide is not None:
        try:
            chosen = decide(beta, host, when)
        except (TypeError, ValueError, KeyError):
            chosen = None
        name = getattr(chosen, "name", chosen)
        if isinstance(name, str) and name:
            return name
    return fallback_profile(beta, host, when)
