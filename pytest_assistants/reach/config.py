"""Settings for one test, layered: ini < ``assistants_config`` fixture < marker < command line.

Pure functions over plain values, so the layering is testable without pytest. Every value is
checked in the layer it came from, so a mistake is reported naming the option as it was
written (``--assistants-profile``, ini ``assistants_hosts``, ``@pytest.mark.assistants(...)``)
and how to fix it, in one line.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pytest_assistants.service.profiles import DEFAULT_PROFILE, PROFILES, Choices

DEFAULT_SESSION_SEED = 20260826
RECORD_MODES = ("none", "once", "new_episodes", "all", "rewrite")
MARKER_KEYS = frozenset({"profile", "seed", "strict", "hosts", "clock_start"}) | {
    f.name for f in dataclasses.fields(Choices)
}
CONFIG_KEYS = MARKER_KEYS | {"record_mode", "cassette_dir"}
LAYERS = ("ini", "fixture", "marker", "cli")


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


def dialects() -> list[str]:
    """The dialects a host can be served with (from the router's own host table; imported
    here, not at load, as the plugin imports this module at start-up)."""
    from pytest_assistants.service.profiles import DEFAULT_HOSTS

    return sorted(set(DEFAULT_HOSTS.values()))


def spelled(layer: str, key: str, value: object) -> str:
    """The option as the user wrote it, for messages."""
    if layer == "cli":
        flag = "seed" if key == "session_seed" else key.replace("_", "-")
        return f"--assistants-{flag}={value!r}"
    if layer == "ini":
        name = "seed" if key == "session_seed" else key
        return f"ini option assistants_{name} = {value!r}"
    if layer == "fixture":
        return f"assistants_config()[{key!r}] = {value!r}"
    return f"@pytest.mark.assistants({key}={value!r})"


def check_keys(where: str, keys: Iterable[str], allowed: frozenset[str]) -> None:
    unknown = sorted(set(keys) - allowed)
    if unknown:
        raise ConfigError(
            f"unknown {where} option(s) {', '.join(map(repr, unknown))}:"
            f" use {', '.join(sorted(allowed))}"
        )


def parse_hosts(value: object, layer: str = "ini") -> dict[str, str]:
    """Extra hosts: a mapping host -> dialect, or ``host=dialect`` lines (ini); a bare host
    line means OpenAI; ``*.example.com`` claims every subdomain. Host names are lower-cased,
    as DNS compares them. A host may carry a gateway path prefix,
    ``proxy.example.com/openai/v1=openai``: only requests under it are the fake's (the prefix
    is kept as written)."""
    where = spelled(layer, "hosts", value)
    if isinstance(value, Mapping):
        pairs = list(value.items())
    elif isinstance(value, str) or not isinstance(value, Iterable):
        example = "{'proxy.example.com': 'openai'}"
        if layer == "ini":
            example = "one 'proxy.example.com=openai' per line"
        raise ConfigError(f"{where}: hosts must map each host to its dialect, e.g. {example}")
    else:
        pairs = []
        for line in value:
            if not isinstance(line, str):
                raise ConfigError(f"{where}: each line must be a 'host=dialect' string")
            if line.strip():
                host, _, dialect = line.strip().partition("=")
                pairs.append((host, dialect.strip() or "openai"))
    hosts: dict[str, str] = {}
    known = dialects()
    for host, dialect in pairs:
        if not isinstance(host, str) or not host.strip():
            raise ConfigError(f"{where}: host {host!r} must be a non-empty host name")
        if dialect not in known:
            raise ConfigError(
                f"{where}: host {host!r} names dialect {dialect!r}: use one of {', '.join(known)}"
            )
        name, slash, prefix = host.strip().partition("/")
        hosts[name.lower() + slash + prefix] = dialect
    return hosts


def _check_profile(layer: str, value: object) -> str:
    if isinstance(value, str) and value in PROFILES:
        return value
    raise ConfigError(
        f"{spelled(layer, 'profile', value)} is not a profile: use one of {', '.join(PROFILES)}"
    )


def _check_int(layer: str, key: str, value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if layer in ("ini", "cli") and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    raise ConfigError(
        f"{spelled(layer, key, value)}: {key.replace('session_', '')} must be an integer"
    )


def _check_strict(layer: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    fix = "true or false" if layer == "ini" else "True or False (a bool, not a string)"
    raise ConfigError(f"{spelled(layer, 'strict', value)}: strict must be {fix}")


def _check_clock_start(layer: str, value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    fix = "a Unix timestamp in seconds, e.g. clock_start=1714521600"
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            seconds = int((when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp())
            fix = f"a Unix timestamp in seconds: use clock_start={seconds} for {value} UTC"
    raise ConfigError(f"{spelled(layer, 'clock_start', value)}: clock_start must be {fix}")


def _check_record_mode(layer: str, value: object) -> str:
    if value in RECORD_MODES:
        return str(value)
    raise ConfigError(
        f"{spelled(layer, 'record_mode', value)}: record mode must be one of"
        f" {', '.join(RECORD_MODES)}"
    )


def checked(layer: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """One layer's values, checked and normalised (None means: not set here)."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        if key == "profile":
            value = _check_profile(layer, value)
        elif key in ("seed", "session_seed"):
            value = _check_int(layer, key, value)
        elif key == "strict":
            value = _check_strict(layer, value)
        elif key == "hosts":
            value = parse_hosts(value, layer)
        elif key == "clock_start":
            value = _check_clock_start(layer, value)
        elif key == "record_mode":
            value = _check_record_mode(layer, value)
        elif key == "cassette_dir" and not isinstance(value, str):
            raise ConfigError(f"{spelled(layer, key, value)}: cassette_dir must be a path string")
        out[key] = value
    return out


def resolve(
    *,
    ini: Mapping[str, Any],
    fixture: Mapping[str, Any],
    marker: Mapping[str, Any],
    cli: Mapping[str, Any],
    nodeid: str,
) -> Settings:
    """Merge the four layers (later wins) into the settings of one test.

    The ini and command-line layers are checked again here (cheap), so the function stays
    correct on its own; the plugin checks them once at start-up to stop the run early.
    """
    check_keys("assistants_config", fixture, CONFIG_KEYS)
    check_keys("@pytest.mark.assistants", marker, MARKER_KEYS)
    merged: dict[str, Any] = {}
    for layer, values in zip(LAYERS, (ini, fixture, marker, cli), strict=True):
        merged.update(checked(layer, values))
    session_seed = merged.pop("session_seed", DEFAULT_SESSION_SEED)
    seed = merged.pop("seed", None)
    return Settings(
        profile=merged.pop("profile", DEFAULT_PROFILE),
        seed=seed if seed is not None else test_seed(session_seed, nodeid),
        strict=merged.pop("strict", True),
        hosts=merged.pop("hosts", {}),
        clock_start=merged.pop("clock_start", None),
        record_mode=merged.pop("record_mode", "none"),
        cassette_dir=merged.pop("cassette_dir", None),
        choices=merged,
    )


def check_choices(choices: Mapping[str, Any]) -> None:
    """Unknown names and wrong types fail here, naming the option, not later as a 500."""
    defaults = {f.name: f.default for f in dataclasses.fields(Choices)}
    for name, value in choices.items():
        if name not in defaults:
            raise TypeError(
                f"unknown pytest-assistants option {name!r}: use one of"
                f" {', '.join(sorted(defaults))} (or profile=, seed=, clock_start=, hosts=)"
            )
        elif isinstance(defaults[name], bool):
            ok, expected = isinstance(value, bool), "True or False"
        elif isinstance(defaults[name], int):
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
            expected = "a non-negative integer"
        elif isinstance(defaults[name], str):
            ok, expected = isinstance(value, str), "a string"
        else:
            ok = value is None or isinstance(value, (str, list, tuple, set, frozenset))
            expected = "None, a string or a collection of strings"
        if not ok:
            raise TypeError(
                f"pytest-assistants option {name}={value!r} must be {expected}"
                " (in @pytest.mark.assistants(...), assistants_config or FakeAssistants(...))"
            )


def frozen(choices: Mapping[str, Any]) -> dict[str, Any]:
    """Option values as the frozen Choices dataclass holds them."""
    out = dict(choices)
    for key in ("api_keys", "extra_models", "portkey_api_keys", "portkey_virtual_keys"):
        if key in out and out[key] is not None and not isinstance(out[key], frozenset):
            out[key] = frozenset([out[key]] if isinstance(out[key], str) else out[key])
    return out
