"""``pytest-assistants cassettes import SRC... --to DIR``: bring old recordings in.

A downstream project may hold pre-shutdown recordings of the Assistants endpoints in the
format of its own stack: Ruby VCR, R vcr, the Azure SDKs' test-proxy JSON, .NET
``SessionRecords``, Elixir's ExVCR, or plain vcrpy. Each source file becomes one vcrpy
cassette that the ``assistants_cassette`` fixture replays and ``conformance`` checks:

- only the interactions of the assistants endpoints are kept (``/v1/assistants...``, Azure's
  ``/openai/assistants...``), the rest counted as left out;
- bodies are stored as text, decompressed (the encoding headers dropped, Content-Length
  set to the stored bytes); JSON a format kept parsed is written in the layout its
  Content-Length proves, else pretty-printed as the API answered from mid-2024 on;
- everything goes through the recording scrubber (:class:`.scrub.Scrubber`, one per source
  file: a credential one request sent is replaced in every interaction), as a fresh
  recording would;
- provenance in ``metadata``: source file, original format, recorded date (each
  interaction also keeps its own ``recorded_at``, so the era of every answer is known).

Readers of the formats live in :mod:`pytest_assistants.evidence.formats`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_assistants.cassettes.scrub import Scrubber
from pytest_assistants.evidence.formats import FORMATS, read_recording
from pytest_assistants.evidence.recordings import Interaction, RecordingError

if TYPE_CHECKING:
    import argparse

ASSISTANTS_PATH = re.compile(r"^/(v1|openai)/assistants(/|$)")
DROPPED_HEADERS = ("content-encoding", "transfer-encoding")
SOURCE_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass
class Imported:
    """One converted source file."""

    source: Path
    format: str
    target: Path | None
    kept: int
    left_out: int

    def line(self) -> str:
        where = self.target if self.target else "nothing written"
        return (
            f"{self.source} ({FORMATS[self.format]}): {self.kept} assistants interactions ->"
            f" {where}"
            + (f" ({self.left_out} of other endpoints left out)" if self.left_out else "")
        )


def is_assistants(it: Interaction) -> bool:
    return bool(ASSISTANTS_PATH.match(it.path))


def body_text(it: Interaction) -> str:
    """The answer as text: as recorded when kept as text, else JSON in its proven layout."""
    if it.response_text is not None:
        return it.response_text
    if it.response_json is None:
        return ""
    if it.response_layout == "compact":
        return json.dumps(it.response_json, separators=(",", ":"), ensure_ascii=False)
    return json.dumps(it.response_json, indent=2, ensure_ascii=False)


def request_of(it: Interaction) -> Any:
    from vcr.request import Request

    return Request(it.method, it.url, it.request_body or None, dict(it.request_headers))


def vcrpy_pair(it: Interaction, scrubber: Scrubber) -> tuple[Any, dict[str, Any]]:
    """(vcrpy Request, response dict) of one interaction, scrubbed."""
    request = request_of(it)
    text = body_text(it).encode("utf-8")
    headers = {k: [v] for k, v in it.response_headers.items() if k not in DROPPED_HEADERS}
    if "content-length" in headers:
        headers["content-length"] = [str(len(text))]
    response = {
        "status": {"code": it.status, "message": ""},
        "headers": headers,
        "body": {"string": text},
    }
    return scrubber.request(request), scrubber.response(response)


def convert(source: Path, target_dir: Path, taken: set[str] | None = None) -> Imported:
    """Write the vcrpy cassette of one source file (if it holds assistants interactions)."""
    from vcr.serialize import serialize

    from pytest_assistants.cassettes.replay import ReadableSerializer

    kind, interactions = read_recording(source)
    kept = [it for it in interactions if is_assistants(it)]
    if not kept:
        return Imported(source, kind, None, 0, len(interactions))
    scrubber = Scrubber()
    for it in kept:  # every credential first: an early answer may echo a later request's key
        scrubber.learn(request_of(it))
    pairs = [vcrpy_pair(it, scrubber) for it in kept]
    dates = sorted(it.recorded_at for it in kept if it.recorded_at is not None)
    metadata: dict[str, Any] = {
        "source": f"imported from {source.name} ({FORMATS[kind]})",
        "original_format": kind,
        "original_file": str(source),
        "synthetic": False,
    }
    if dates:
        metadata["recorded_at"] = dates[0].strftime("%Y-%m-%dT%H:%M:%SZ")
    text = serialize(
        {
            "requests": [request for request, _ in pairs],
            "responses": [response for _, response in pairs],
            "metadata": metadata,
        },
        ReadableSerializer(scrubber),
    )
    text = _with_dates(text, kept)
    target_dir.mkdir(parents=True, exist_ok=True)
    name = _stem(source)
    if taken is not None:  # two sources of one stem (a .yml and a .json) keep both
        name = name if name not in taken else f"{name}-{kind}"
        taken.add(name)
    target = target_dir / f"{name}.yaml"
    target.write_text(text, encoding="utf-8")
    return Imported(source, kind, target, len(kept), len(interactions) - len(kept))


def _with_dates(text: str, kept: list[Interaction]) -> str:
    """Each interaction's own ``recorded_at`` (a session may span eras: Ruby VCR appends),
    and ``body_layout: unknown`` where the source kept no bytes and no length to prove it."""
    import yaml

    from pytest_assistants.cassettes.replay import ReadableSerializer

    document = yaml.safe_load(text)  # what ReadableSerializer just wrote: no aliases
    for entry, it in zip(document["interactions"], kept, strict=True):
        if it.recorded_at is not None:
            entry["recorded_at"] = it.recorded_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        if it.response_text is None and it.response_layout is None and it.response_json:
            entry["body_layout"] = "unknown"  # written pretty; conformance won't compare it
    return ReadableSerializer().serialize(document)


def _stem(source: Path) -> str:
    return re.sub(r"[^\w.@\-\[\]()]+", "_", source.stem)


def sources(specs: list[str]) -> list[Path]:
    out: list[Path] = []
    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.suffix in SOURCE_SUFFIXES)
        elif path.exists():
            out.append(path)
        else:
            raise RecordingError(f"{path}: no such file or directory")
    return out


def import_recordings(specs: list[str], target_dir: Path) -> list[Imported]:
    taken: set[str] = set()
    return [convert(source, target_dir, taken) for source in sources(specs)]


# -- command line (a subcommand of ``cassettes``) --------------------------------------------


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "import",
        help="convert Ruby VCR, R vcr, Azure test-proxy / .NET SessionRecords, ExVCR or"
        " vcrpy recordings of the assistants endpoints into scrubbed vcrpy cassettes",
    )
    parser.add_argument("sources", nargs="+", metavar="SRC", help="recording files or folders")
    parser.add_argument("--to", required=True, metavar="DIR", help="folder for the cassettes")


def run(args: argparse.Namespace) -> int:
    try:
        results = import_recordings(args.sources, Path(args.to))
    except RecordingError as error:
        print(f"pytest-assistants cassettes import: {error}")
        return 2
    for result in results:
        print(result.line())
    written = sum(1 for r in results if r.target)
    print(f"{written} cassettes written to {args.to}")
    return 0 if written else 1
