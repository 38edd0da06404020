"""Conformance: replay recorded sessions against a fresh fake and report what matches.

Each session (one cassette, or one ``file`` of the reference JSONL, per profile) is replayed
in order against a new :class:`FakeAssistants` of the profile its recording belongs to
(:mod:`.eras`). Recorded ids are mapped to the fake's; an assistant the session uses but did
not create is preloaded with its exact id and fields: from its creation in another cassette
of the same test run (a Ruby ``*_setup`` cassette, at most 10 minutes before), else from the
recorded answer itself (then only rendering, key order, formats and headers are checked).
Assistants a list shows are preloaded the same way when the page is the whole account. The
clock is set to each recorded ``created_at`` so lists order as they did. An assistant
changed by a call the fake does not serve (v1 assistant files) is resynchronised from the
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
from typing import TYPE_CHECKING, Any

from pytest_assistants.evidence.comparison import (
    Difference,
    IdMap,
    first_difference,
    scrubbed_value,
)
from pytest_assistants.evidence.recordings import (
    SELECTOR_KEYS,
    Interaction,
    load,
    sessions,
)
from pytest_assistants.evidence.report import CONFORMS, ConformanceReport, Result
from pytest_assistants.service.routes import OPERATIONS

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterable, Sequence

CLI_HELP = (
    "replay recordings (vcrpy, Ruby / R VCR, Azure test-proxy, .NET SessionRecords, ExVCR,"
    " reference JSONL) against the fake"
)
REPLAY_KEY = "sk-conformance-replay"
SAME_RUN_SECONDS = 600
PLACEHOLDER = re.compile(r'"<(string|integer|number|boolean|object|array)>"')


# -- why an interaction cannot be compared -------------------------------------------------


def why_not_comparable(it: Interaction, known_profiles: Iterable[str]) -> tuple[str, str] | None:
    """(reason, detail) when the recording cannot say what the fake should answer; a
    cassette's own ``not_comparable`` metadata (documentation examples) comes first."""
    if it.declared_not_comparable:
        return it.declared_not_comparable
    operation = it.operation
    if operation.startswith("assistant_sub:"):
        name = operation.partition(":")[2]
        return "endpoint not served", f"/v1/assistants/{{id}}/{name} (v1 assistant {name})"
    if operation not in OPERATIONS:
        return "endpoint not served", f"{it.method} {it.path} is not an assistants route"
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
    stale = _stale_date(it) or _other_object(it)
    if stale:
        return "inconsistent recording", stale
    if PLACEHOLDER.search(it.request_body.decode("utf-8", "replace")):
        return "documentation template", 'the request holds placeholders such as "<string>"'
    return None


def _other_object(it: Interaction) -> str | None:
    """A 2xx answer about another object than the one the path names."""
    _, assistant_id = it.route
    body = it.response_json
    answered = body.get("id") if isinstance(body, dict) else None
    if assistant_id and 200 <= it.status < 300 and answered not in (None, assistant_id):
        return f"the request names {assistant_id} but the answer is {answered}"
    return None


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
    return None


# -- replay --------------------------------------------------------------------------------


def _creations(interactions: Iterable[Interaction]) -> dict[str, Interaction]:
    """Recorded id -> the interaction that created it, from any session of the input."""
    out: dict[str, Interaction] = {}
    for it in interactions:
        body = it.response_json
        if it.operation == "assistants.create" and it.status == 200 and isinstance(body, dict):
            out.setdefault(str(body.get("id")), it)
    return out


def _same_run(creation: Interaction, later: Interaction) -> bool:
    """Recorded by the same test run: only then is the created state still current."""
    if creation.recorded_at is None or later.recorded_at is None:
        return False
    gap = (later.recorded_at - creation.recorded_at).total_seconds()
    return 0 <= gap <= SAME_RUN_SECONDS


class SessionReplay:
    """One session against one fresh fake."""

    def __init__(self, session: list[Interaction], creations: dict[str, Interaction]) -> None:
        from pytest_assistants.reach.fake import FakeAssistants
        from pytest_assistants.service.profiles import DEFAULT_PROFILE, PROFILES

        self.session = session
        self.creations = creations
        name = session[0].profile
        self.fake = FakeAssistants(
            name if name in PROFILES else DEFAULT_PROFILE,
            clock_start=0,
            api_keys=frozenset({REPLAY_KEY}),  # a recorded 401's own key is refused
        )
        self.ids = IdMap()
        self.changed_by: dict[str, str] = {}  # recorded id -> unserved interaction that changed it

    def run(self) -> list[Result]:
        from pytest_assistants.service.profiles import PROFILES

        results = []
        for it in self.session:
            problem = why_not_comparable(it, PROFILES)
            if problem:
                self._note_unserved_change(it)
                results.append(Result(it, "not comparable", reason=problem[0], detail=problem[1]))
                continue
            results.append(self.replay(it))
        return results

    def _note_unserved_change(self, it: Interaction) -> None:
        _, assistant_id = it.route
        if assistant_id and it.method != "GET" and it.operation.startswith("assistant_sub:"):
            self.changed_by.setdefault(assistant_id, f"{it.method} {it.path} at #{it.index}")

    def _preload(self, obj: dict[str, Any]) -> None:
        self.fake.add(obj)
        self.ids.link(str(obj["id"]), str(obj["id"]))

    def _resync(self, recorded_id: str, body: Any) -> None:
        fake_id = self.ids.fake(recorded_id)
        self.fake.discard(fake_id)
        if isinstance(body, dict) and body.get("object") == "assistant":
            self.fake.add({**body, "id": fake_id})

    def _prepare(self, it: Interaction) -> tuple[str, str, str] | None:
        """Preload what the interaction needs; (reason, detail, note) if it cannot be."""
        operation, recorded_id = it.route
        body = it.response_json
        if recorded_id and recorded_id in self.changed_by and operation != "assistants.delete":
            cause = self.changed_by.pop(recorded_id)
            if 200 <= it.status < 300:
                self._resync(recorded_id, body)
            return ("state changed outside the fake", f"{cause} changed this assistant", "")
        if recorded_id and recorded_id not in self.ids.to_fake and 200 <= it.status < 300:
            creation = self.creations.get(recorded_id)
            if creation is not None and _same_run(creation, it):
                self._preload(creation.response_json)
                return ("", "", f"preloaded from its creation at {creation.where}")
            if isinstance(body, dict) and body.get("object") == "assistant":
                self._preload(body)
                return ("", "", "preloaded from this answer (checks rendering only)")
            self._preload({"id": recorded_id})
            return ("", "", "preloaded as a bare object")
        if (
            operation == "assistants.list"
            and isinstance(body, dict)
            and isinstance(body.get("data"), list)
        ):
            listed = [o for o in body["data"] if isinstance(o, dict) and "id" in o]
            outside = [o for o in listed if o["id"] not in self.ids.to_fake]
            if body.get("has_more") and len(self.fake.assistants) + len(outside) <= len(
                body["data"]
            ):
                return (
                    "account state unknown",
                    f"has_more is true, but the recording accounts for only"
                    f" {len(self.fake.assistants) + len(outside)} assistants: the rest of the"
                    " account was made outside the recording",
                    "",
                )
            for obj in reversed(outside):
                self._preload(obj)
            if outside:
                return ("", "", f"preloaded {len(outside)} listed assistants")
        return None

    def replay(self, it: Interaction) -> Result:
        prepared = self._prepare(it)
        if prepared and prepared[0]:
            return Result(it, "not comparable", reason=prepared[0], detail=prepared[1])
        body = it.response_json
        creates = it.operation == "assistants.create" and isinstance(body, dict)
        if creates and isinstance(body.get("created_at"), int):
            self.fake.clock.set(body["created_at"])
        status, headers, fake_body, fake_bytes = self._send(it)
        if creates and status == 200 and isinstance(fake_body, dict) and "id" in fake_body:
            self.ids.link(str(body.get("id")), str(fake_body["id"]))
        difference = first_difference(
            it.status,
            it.response_headers,
            body,
            status,
            headers,
            fake_body,
            self.ids,
            recorded_layout=it.response_layout,
            fake_bytes=fake_bytes,
        )
        unknown = _account_state_unknown(difference, len(self.fake.assistants))
        if unknown:
            return Result(it, "not comparable", reason=unknown[0], detail=unknown[1])
        return Result(
            it,
            "mismatch" if difference else "reproduced",
            difference=difference,
            note=prepared[2] if prepared else "",
            fake_body=self.ids.recorded_value(fake_body) if difference else None,
        )

    def _send(self, it: Interaction) -> tuple[int, dict[str, str], Any, bytes]:
        """The recorded request, ids mapped, with the one key the fake accepts (a recorded 401
        keeps its own key, which the fake then refuses as the provider did)."""
        from pytest_assistants.service.http import HttpRequest

        _, recorded_id = it.route
        path = it.path.replace(recorded_id, self.ids.fake(recorded_id)) if recorded_id else it.path
        pairs = [part.partition("=") for part in it.query.split("&") if part]
        query = "&".join(f"{k}{eq}{self.ids.fake(v)}" for k, eq, v in pairs)
        skip = ("host", "content-length")
        headers = {k: v for k, v in it.request_headers.items() if k not in skip}
        if it.status != 401:  # the fake accepts REPLAY_KEY only: a recorded 401 stays one
            headers["authorization"] = f"Bearer {REPLAY_KEY}"
        request = HttpRequest(it.method, it.host or "api.openai.com", path, query, headers)
        request.body = it.request_body
        response = self.fake.handle(request)
        return (
            response.status,
            response.headers,
            json.loads(response.body) if response.body else None,
            response.body,
        )


def _account_state_unknown(difference: Difference | None, held: int) -> tuple[str, str] | None:
    """A page the recording says continues (``has_more: true``) where the fake, holding all
    the recording shows, has no more: the account held assistants made outside it."""
    if difference is None or difference.where != "body.has_more" or difference.recorded is not True:
        return None
    return (
        "account state unknown",
        f"has_more is true, but the fake holds all {held} assistants the recording shows and"
        " has no more: the rest of the account was made outside the recording",
    )


def check(paths: Sequence[str], *, profile: str | None = None) -> ConformanceReport:
    """Replay every session of ``paths`` (files, directories, ``PATH?selector``)."""
    interactions = load(paths, profile=profile)
    creations = _creations(interactions)
    report = ConformanceReport()
    for session in sessions(interactions):
        report.sessions += 1
        report.results += SessionReplay(session, creations).run()
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
