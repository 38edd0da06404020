"""Settings for one test, layered: ini < ``assistants_config`` fixture < marker < command line.

Pure functions over plain values, so the layering is testable without pytest.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pytest_assistants.service.profiles import DEFAULT_PROFILE, Choices, get_profile

DEFAULT_SESSION_SEED = 20260826
RECORD_MODES = ("none", "once", "new_episodes", "all", "rewrite")
MARKER_KEYS = frozenset({"profile", "seed", "strict", "hosts", "clock_start"}) | {
    f.name for f in dataclasses.fields(Choices)
}
CONFIG_KEYS = MARKER_KEYS | {"record_mode", "cassette_dir"}


class ConfigError(ValueError):
    """A usage mistake in the plugin's configuration; the message says how to fix it."""


@dataclass(frozen=True)
class Settings:
    profile: str = DEFAULT_PROFILE
    seed: int = 0
    strict: bool = True
    hosts: Mapping[str, str] = field(default_factory=dict)
    clock_start: int | None = None
    record_mode: str = "none"
    cassette_dir: str | None = None
    choices: Mapping[str, Any] = field(default_factory=dict)


def test_seed(session_seed: int, nodeid: str) -> int:
    """A stable per-test seed: the same session seed and node id give the same seed anywhere."""
    digest = hashlib.sha256(f"{session_seed}:{nodeid}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def check_keys(where: str, keys: Iterable[str], allowed: frozenset[str]) -> None:
    unknown = sorted(set(keys) - allowed)
    if unknown:
        raise ConfigError(
            f"unknown {where} option(s) {', '.join(map(repr, unknown))}:"
            f" use {', '.join(sorted(allowed))}"
        )


def parse_hosts(lines: Iterable[str]) -> dict[str, str]:
    """``host=dialect`` lines (ini ``assistants_hosts``); a bare host means OpenAI, and
    ``*.example.com`` claims every subdomain of example.com.

    A host may carry a gateway path prefix, ``proxy.example.com/openai/v1=openai``: only
    requests under it are the fake's (the host is lower-cased, the prefix kept as written).
    """
    hosts: dict[str, str] = {}
    for line in lines:
        line = line.strip()
        if not line:
            continue
        host, _, dialect = line.partition("=")
        dialect = dialect.strip() or "openai"
        if dialect not in ("openai", "portkey", "zerobot", "azure"):
            raise ConfigError(
                f"assistants_hosts: {line!r} names dialect {dialect!r}:"
                " use openai, portkey, zerobot or azure"
            )
        name, slash, prefix = host.strip().partition("/")
        hosts[name.lower() + slash + prefix] = dialect
    return hosts


def resolve(
    *,
    ini: Mapping[str, Any],
    fixture: Mapping[str, Any],
    marker: Mapping[str, Any],
    cli: Mapping[str, Any],
    nodeid: str,
) -> Settings:
    """Merge the four layers (later wins) into the settings of one test."""
    check_keys("assistants_config", fixture, CONFIG_KEYS)
    check_keys("@pytest.mark.assistants", marker, MARKER_KEYS)
    merged: dict[str, Any] = {}
    for layer in (ini, fixture, marker, cli):
        merged.update({k: v for k, v in layer.items() if v is not None})
    profile = str(merged.pop("profile", DEFAULT_PROFILE))
    get_profile(profile)  # fail early, with the list of profiles
    session_seed = int(merged.pop("session_seed", DEFAULT_SESSION_SEED))
    seed = merged.pop("seed", None)
    record_mode = str(merged.pop("record_mode", "none"))
    if record_mode not in RECORD_MODES:
        raise ConfigError(
            f"record mode {record_mode!r} is not one of {', '.join(RECORD_MODES)}"
            " (set it with --assistants-record-mode)"
        )
    try:
        seed = None if seed is None else int(seed)
    except (TypeError, ValueError):
        raise ConfigError(
            f"seed {seed!r} is not an integer"
            " (set it with --assistants-seed or @pytest.mark.assistants(seed=...))"
        ) from None
    hosts = merged.pop("hosts", {}) or {}
    if not isinstance(hosts, Mapping):
        hosts = parse_hosts(hosts)
    return Settings(
        profile=profile,
        seed=int(seed) if seed is not None else test_seed(session_seed, nodeid),
        strict=bool(merged.pop("strict", True)),
        hosts=dict(hosts),
        clock_start=merged.pop("clock_start", None),
        record_mode=record_mode,
        cassette_dir=merged.pop("cassette_dir", None),
        choices=merged,
    )
