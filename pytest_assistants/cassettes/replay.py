"""Cassettes: replay provider interactions offline, record them scrubbed, lint them.

vcrpy is the engine (it patches the httpx and httpx2 transports). This module adds what an
Assistants suite needs on top of it, through vcrpy's own extension points:

- matching on what defines a call (method, host, path, query, ``OpenAI-Beta``, JSON body
  without key order), never on user-agent, ``x-stainless-*`` or auth headers;
- an index of the recorded interactions, so replay cost does not grow with the cassette
  (vcrpy compares a request with every recorded one, twice per call);
- a miss fails the test at once with the closest recording and how it differs: pytest's
  ``Failed`` is a ``BaseException``, which SDK retry loops (``except Exception``) cannot
  turn into a retry storm of ``APIConnectionError``;
- scrubbing on record (header and query values off an allow-list, secrets in bodies,
  compressed bodies stored decoded; in :mod:`pytest_assistants.cassettes.scrub`)
  and provenance metadata (synthetic when the fake answered).

vcrpy and PyYAML are imported only when a cassette is used (the CLI imports this module).
"""

from __future__ import annotations

import argparse
import functools
import os
import re
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any, Protocol

from pytest_assistants.cassettes import recorder
from pytest_assistants.cassettes.files import (
    Persister,
    cassette_path_for,
    failure,
    shipped_cassettes,
)
from pytest_assistants.cassettes.match import KEY_PARTS, closest_message, request_key
from pytest_assistants.cassettes.scrub import Scrubber
from pytest_assistants.evidence.loading import CassetteError
from pytest_assistants.reach import interception

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator

    import pytest
    from vcr.record_mode import RecordMode

    from pytest_assistants.reach.config import Settings

CLI_HELP = (
    "check cassettes for secrets, unscrubbed headers, undecodable bodies, bad YAML; import"
    " other projects' recordings"
)

KEY_ENV = {"openai": "OPENAI_API_KEY", "portkey": "PORTKEY_API_KEY", "zerobot": "ZEROBOT_API_KEY"}
MATCHER_NAMES = tuple(f"assistants_{part}" for part in KEY_PARTS)
__all__ = ["AssistantsCassette", "cassette_for_test", "shipped_cassettes", "use_cassette"]


# -- serializer: readable YAML with a provenance header ------------------------------------


def provenance_lines(metadata: dict[str, Any]) -> list[str]:
    sources = metadata.get("source")
    if sources is None:
        return []
    listed = sources if isinstance(sources, list) else [sources]
    return [f"# source: {source}" for source in listed]


class ReadableSerializer:
    """vcrpy's YAML format, with multi-line bodies as ``|`` blocks and metadata first.

    Given the cassette's :class:`Scrubber`, what it writes goes through its last pass."""

    def __init__(self, scrubber: Scrubber | None = None) -> None:
        self.scrubber = scrubber

    def deserialize(self, text: str) -> Any:
        from pytest_assistants.evidence.loading import load_yaml

        return load_yaml(text, "cassette")

    def serialize(self, data: dict[str, Any]) -> str:
        import yaml

        if self.scrubber is not None:
            data = self.scrubber.data(data)

        class Dumper(yaml.SafeDumper):
            pass

        def represent_str(dumper: Any, value: str) -> Any:
            style = "|" if "\n" in value and not re.search(r"[ \t]\n", value) else None
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

        Dumper.add_representer(str, represent_str)
        metadata = data.get("metadata") or {}
        ordered = {**({"metadata": metadata} if metadata else {}), **data}
        text = yaml.dump(ordered, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
        return "".join(f"{line}\n" for line in provenance_lines(metadata)) + text


# -- the cassette --------------------------------------------------------------------------


@functools.cache
def cassette_class() -> type[Any]:
    """vcrpy's ``Cassette`` with an index, a fail-fast miss and recording checks."""
    from vcr.cassette import Cassette
    from vcr.record_mode import RecordMode

    class AssistantsCassette(Cassette):  # type: ignore[misc]
        hosts: dict[str, str]
        mode_name: str = "none"
        shipped: bool = False

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._index: dict[tuple[Any, ...], list[int]] = {}
            self._indexed = 0
            self._last: tuple[Any, tuple[Any, ...] | None] | None = None
            self.hosts = {}

        def _refresh_index(self) -> None:
            for position in range(self._indexed, len(self.data)):
                key = request_key(self.data[position][0])
                self._index.setdefault(key, []).append(position)
            self._indexed = len(self.data)

        def _key_of(self, request: Any) -> tuple[Any, ...] | None:
            """The scrubbed request's key; vcrpy asks twice per call for the same object."""
            if self._last is not None and self._last[0] is request:
                return self._last[1]
            filtered = self._before_record_request(request)
            key = request_key(filtered) if filtered else None
            self._last = (request, key)
            return key

        def _responses(self, request: Any) -> Iterator[tuple[int, Any]]:
            key = self._key_of(request)
            if key is None:
                return
            self._refresh_index()
            for position in self._index.get(key, ()):
                yield position, self.data[position][1]

        def can_play_response_for(self, request: Any) -> bool:
            key = self._key_of(request)
            if key is None:
                return False
            replaying = self.record_mode != RecordMode.ALL and (
                self.rewound or self.allow_playback_repeats
            )
            if replaying:
                self._refresh_index()
                for position in self._index.get(key, ()):
                    if self.play_counts[position] == 0 or self.allow_playback_repeats:
                        return True
            filtered = self._before_record_request(request)
            if self.write_protected:
                raise failure(closest_message(self, filtered))
            self._before_network(filtered)
            recorder.vcrpy_sends(str(request.method), str(request.host or ""))
            return False

        def append(self, request: Any, response: Any) -> None:
            recorder.vcrpy_appended()
            super().append(request, response)

        def play_response(self, request: Any) -> Any:
            """The recorded answer; a fake claiming the host takes it in as if served."""
            from pytest_assistants.cassettes.replayed import replay_into_fake

            response = super().play_response(request)
            replay_into_fake(request, response, str(self._path))
            return response

        def _before_network(self, request: Any) -> None:
            """Allow a recording only from the fake or with the dialect's API key set."""
            host = (request.host or "").lower()
            fake = interception.claiming_fake(host, "/v1")
            if fake is not None:
                self._note_source(f"recorded from the fake, profile {fake.profile.name}", True)
                return
            dialect = self.hosts.get(host, "openai")
            variable = KEY_ENV.get(dialect, "OPENAI_API_KEY")
            if not os.environ.get(variable):
                raise failure(
                    f"pytest-assistants: recording {request.method} {request.uri} into"
                    f" {self._path} needs {variable} (record mode {self.mode_name}):"
                    f" set {variable}, or use the assistants_fake fixture to record a"
                    " synthetic cassette, or replay with --assistants-record-mode=none."
                )
            self._note_source(f"recorded from {request.scheme}://{host}", False)

        def _note_source(self, source: str, synthetic: bool) -> None:
            known = self._metadata.get("source")
            listed = [] if known is None else known if isinstance(known, list) else [known]
            if source not in listed:
                listed.append(source)
            self._metadata["source"] = listed[0] if len(listed) == 1 else listed
            self._metadata["synthetic"] = bool(self._metadata.get("synthetic", True) and synthetic)

    return AssistantsCassette


def vcr_mode(record_mode: str) -> RecordMode:
    """Our record mode -> vcrpy's public ``vcr.mode``; ``rewrite`` is ``all`` plus dropping
    what was not used. Anything else is an error naming the option, never a silent ``all``."""
    import vcr

    from pytest_assistants.reach.config import RECORD_MODES, ConfigError

    if record_mode not in RECORD_MODES:
        raise ConfigError(
            f"unknown cassette record mode {record_mode!r}: the record mode"
            " (--assistants-record-mode, ini assistants_record_mode, or record_mode=)"
            f" must be one of {', '.join(RECORD_MODES)}"
        )
    return vcr.mode.ALL if record_mode == "rewrite" else vcr.mode(record_mode)


def make_vcr(record_mode: str) -> Any:
    """A vcrpy ``VCR`` configured for Assistants cassettes."""
    import vcr

    from pytest_assistants.cassettes import match as cassette_match

    scrubber = Scrubber()
    recorder = vcr.VCR(
        record_mode=vcr_mode(record_mode),
        match_on=MATCHER_NAMES,
        before_record_request=scrubber.request,
        before_record_response=scrubber.response,
        serializer="assistants-yaml",
        decode_compressed_response=False,
    )
    recorder.register_serializer("assistants-yaml", ReadableSerializer(scrubber))
    recorder.register_persister(Persister)
    for part, matcher in cassette_match.matchers().items():
        recorder.register_matcher(f"assistants_{part}", matcher)
    return recorder


@contextmanager
def use_cassette(
    path: str | os.PathLike[str],
    record_mode: str = "none",
    *,
    hosts: dict[str, str] | None = None,
    shipped: bool = False,
) -> Iterator[Any]:
    """Replay (and, in a recording mode, record) ``path`` while the block runs.

    Usable without pytest fixtures (scripts, benchmarks); misses still raise pytest's
    ``Failed``. ``rewrite`` re-records everything and drops what was not used.
    """
    from pytest_assistants.service.profiles import DEFAULT_HOSTS

    config = make_vcr(record_mode).get_merged_config(
        path=os.fspath(path), drop_unused_requests=record_mode == "rewrite"
    )
    stack = ExitStack()
    try:
        cassette = stack.enter_context(cassette_class().use(**config))
    except CassetteError as error:
        problem = str(error)
    else:
        problem = ""
    if problem:  # raised outside the except: pytest would print it twice, chained
        raise failure(f"pytest-assistants: {problem}")
    if record_mode != "none":
        stack.enter_context(recorder.Recorder(cassette))
    with _saving(stack):
        cassette.hosts = {**DEFAULT_HOSTS, **(hosts or {})}
        cassette.mode_name = record_mode
        cassette.shipped = shipped
        cassette._refresh_index()  # with the loading, once per test, not on the first call
        yield cassette


@contextmanager
def _saving(stack: ExitStack) -> Iterator[None]:
    """Close the cassette (vcrpy saves it then); a file that cannot be written fails the
    test with its name and the reason."""
    with stack:
        yield
        try:
            stack.close()
        except CassetteError as error:
            problem = str(error)
        else:
            return
    raise failure(f"pytest-assistants: {problem}")


class AssistantsCassette(Protocol):
    """The ``assistants_cassette`` fixture value: a vcrpy ``Cassette``, typed by what a test
    reads from it (vcrpy itself ships no types)."""

    hosts: dict[str, str]
    mode_name: str
    shipped: bool

    @property
    def play_count(self) -> int: ...
    @property
    def all_played(self) -> bool: ...
    @property
    def requests(self) -> list[Any]: ...
    @property
    def responses(self) -> list[Any]: ...
    def __len__(self) -> int: ...


@contextmanager
def cassette_for_test(
    request: pytest.FixtureRequest, settings: Settings
) -> Iterator[AssistantsCassette]:
    """The ``assistants_cassette`` fixture: shipped cassettes are always replay-only."""
    path, shipped = cassette_path_for(request.node, settings)
    mode = "none" if shipped else settings.record_mode
    with use_cassette(path, mode, hosts=dict(settings.hosts), shipped=shipped) as cassette:
        yield cassette


# -- command line --------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="cassettes_command", required=True)
    lint = commands.add_parser(
        "lint",
        help="exit non-zero, naming file and line, for a secret, an unscrubbed header,"
        " an undecodable body or malformed YAML",
    )
    lint.add_argument("paths", nargs="+", metavar="PATH", help="cassette files or directories")
    lint.add_argument(
        "--require-provenance",
        action="store_true",
        help="also require a metadata 'source' (shipped cassettes must say where they come from)",
    )
    from pytest_assistants.cassettes import importer

    importer.add_parser(commands)


def run_cli(args: argparse.Namespace) -> int:
    from pytest_assistants.cassettes.lint import run_lint

    if args.cassettes_command == "import":
        from pytest_assistants.cassettes import importer

        return importer.run(args)
    return run_lint(args.paths, require_provenance=args.require_provenance)
