"""Conformance: replay recorded sessions against a fresh fake and report what matches.

Each session (one cassette, or one ``file`` of the reference JSONL, per profile) is replayed
in order against a new :class:`FakeAssistants` of the profile its recording belongs to
(:mod:`.eras`). Recorded ids are mapped to the fake's; an assistant the session uses but did
not create is preloaded with its exact id and fields: from its creation in another cassette
of the same test run (a Ruby ``*_setup`` cassette, at most 10 minutes before), else from the
recorded answer itself (then only rendering, key order, formats and headers are checked).
Assistants a list shows are preloaded the same way when the page is the whole account. The
clock is set to each recorded ``created_at`` so lists order as they did. An assistant
changed by a call the replay does not send (v1 assistant files) is resynchronised from the
next answer that shows it, which is itself reported as not comparable.

An interaction is *not comparable* when the recording cannot say what the fake should
answer; the reason is reported, never silently dropped (see :func:`why_not_comparable`). A
list page whose ``has_more: true`` the fake, holding everything the recording shows, cannot
reproduce is one: the account held assistants made outside the recording. What is compared
of an answer is :func:`.comparison.first_difference`'s business.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from pytest_assistants.evidence.comparison import scrubbed_value
from pytest_assistants.evidence.objects import other_object
from pytest_assistants.evidence.recordings import SELECTOR_KEYS, load, sessions
from pytest_assistants.evidence.replay import REPLAY_KEY, Recorded, SessionReplay
from pytest_assistants.evidence.report import CONFORMS, ConformanceReport
from pytest_assistants.evidence.uploads import is_upload, rebuildable
from pytest_assistants.service.profiles import V2_LAUNCH
from pytest_assistants.service.routes import OPERATIONS

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterable, Sequence

    from pytest_assistants.evidence.recordings import Interaction

CLI_HELP = (
    "replay recordings (vcrpy, Ruby / R VCR, Azure test-proxy, .NET SessionRecords, ExVCR,"
    " reference JSONL) against the fake"
)
__all__ = ["CONFORMS", "REPLAY_KEY", "SessionReplay", "assert_conforms", "check"]
PLACEHOLDER = re.compile(r'"<(string|integer|number|boolean|object|array)>"')


# -- why an interaction cannot be compared -------------------------------------------------


def why_not_comparable(it: Interaction, known_profiles: Iterable[str]) -> tuple[str, str] | None:
    """(reason, detail) when the recording cannot say what the fake should answer; a
    cassette's own ``not_comparable`` metadata (documentation examples) comes first."""
    if it.declared_not_comparable:
        return it.declared_not_comparable
    operation = it.operation
    if is_upload(it) and not it.request_body and not rebuildable(it):
        return "request body not recorded", f"{it.endpoint}: the recorder dropped the upload"
    if operation.startswith("assistant_sub:"):
        name = operation.partition(":")[2]
        return (
            "v1 assistant files not replayed",
            f"/v1/assistants/{{id}}/{name}: the fake serves v1 assistant {name}, the replay"
            " does not send an assistant's sub-resources yet",
        )
    if operation not in OPERATIONS:
        return "endpoint not served", not_served_detail(it)
    if it.profile not in set(known_profiles):
        return "profile not defined", f"no profile named {it.profile!r} to replay it with"
    if it.response_problem:
        return "unreadable answer", it.response_problem
    if it.status == 401 and scrubbed_value(it.request_headers.get("authorization", "x")):
        return (
            "scrubbed credentials",
            "401 for a key the recorder replaced by a placeholder: the provider's masked echo"
            " of the real key cannot be reproduced",
        )
    if it.status == 429 or it.status >= 500:
        return "transient provider failure", f"{it.status}: load, not behaviour"
    stale = _stale_date(it) or other_object(it)
    if stale:
        return "inconsistent recording", stale
    if PLACEHOLDER.search(it.request_body.decode("utf-8", "replace")):
        return "documentation template", 'the request holds placeholders such as "<string>"'
    return None


def not_served_detail(it: Interaction) -> str:
    """What the fake does not serve of an endpoint it has no route for."""
    if it.endpoint.endswith("/search"):
        return f"{it.endpoint}: vector store search (its results are the model's ranking)"
    if it.endpoint.endswith("/messages/{id}/files") or "/messages/{id}/files/" in it.endpoint:
        return f"{it.endpoint}: v1 message files (removed in v2)"
    return f"{it.method} {it.path} is not an assistants route"


def _stale_date(it: Interaction) -> str | None:
    from pytest_assistants.evidence.recordings import parse_date

    date = parse_date(it.response_headers.get("date"))
    body = it.response_json
    items = body.get("data") if isinstance(body, dict) else None
    objects = items if isinstance(items, list) else [body]
    created = [o.get("created_at") for o in objects if isinstance(o, dict)]
    newest = max((c for c in created if isinstance(c, int)), default=None)
    if date is not None and newest is not None and date.timestamp() < newest:
        return (
            f"Date header {it.response_headers['date']!r} predates objects in the body:"
            " headers copied from another recording"
        )
    if date is not None and it.beta == "v2" and date.date() < V2_LAUNCH:
        return (
            f"Date header {it.response_headers['date']!r} predates the v2 API the request"
            " asks for: headers copied from another recording"
        )
    return None


# -- replay ------------------------------------------------------------------------------


def check(paths: Sequence[str], *, profile: str | None = None) -> ConformanceReport:
    """Replay every session of ``paths`` (files, directories, ``PATH?selector``)."""
    interactions = load(paths, profile=profile)
    recorded = Recorded(interactions)
    report = ConformanceReport()
    for session in sessions(interactions):
        report.sessions += 1
        report.results += SessionReplay(session, recorded).run()
    return report


# -- pytest helpers ------------------------------------------------------------------------


def failure_lines(report: ConformanceReport) -> list[str]:
    if not report.compared:
        reasons = ", ".join(sorted(report.reasons())) or "no interactions"
        return [f"nothing comparable in the recording ({reasons})"]
    head = f"{len(report.mismatches)} of {len(report.compared)} compared interactions differ"
    return [head, *report.mismatch_lines()]


def assert_conforms(cassette_path: object, *, profile: str | None = None) -> ConformanceReport:
    """Fail the test with a readable first difference unless the fake reproduces the
    recording (a cassette, JSONL or directory); returns the report when it does."""
    report = check([str(cassette_path)], profile=profile)
    if report != CONFORMS:
        raise AssertionError("\n".join(failure_lines(report)))
    return report


def assertrepr(left: object, right: object) -> list[str] | None:
    """``pytest_assertrepr_compare`` for ``report == CONFORMS``."""
    report = left if isinstance(left, ConformanceReport) else right
    if not isinstance(report, ConformanceReport):
        return None
    return ["recording conforms to the fake: no", *failure_lines(report)]


# -- command line --------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="recording in any supported format, or a directory; PATH?key=value&... keeps only"
        f" some interactions (keys: {', '.join(SELECTOR_KEYS)}; dates as YYYY-MM-DD)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--profile", default=None, help="replay everything with this profile")


def run_cli(args: argparse.Namespace) -> int:
    from pytest_assistants.evidence.recordings import RecordingError
    from pytest_assistants.service.profiles import PROFILES

    if args.profile is not None and args.profile not in PROFILES:
        known = ", ".join(sorted(PROFILES))
        print(f"pytest-assistants conformance: --profile {args.profile!r} is unknown; use {known}")
        return 2
    try:
        report = check(args.paths, profile=args.profile)
    except RecordingError as error:
        print(f"pytest-assistants conformance: {error}")
        return 2
    print(json.dumps(report.as_dict(), indent=2) if args.json else report.render())
    return 0 if report.ok else 1
