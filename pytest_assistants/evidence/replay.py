"""One recorded session replayed against one fresh fake (:class:`SessionReplay`).

Generic over the route table and the object kinds (``routes.KINDS``): every recorded id in
the path, the query and the request body is written as the fake's id for the same object;
an object the session uses but did not create is preloaded (``fake.put``) as last seen
before (:mod:`.objects`: another session of the same test run), else from the answer
itself; what a run's model did is scripted from the recording (:mod:`.turns`) just before
the request that makes the run act; and runs are kept in step with the recording
(:mod:`.sync`: a read the provider answered before it had moved is not sent, statuses the
fake takes one read each are caught up). What is compared of an answer is
:func:`.comparison.first_difference`'s business.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pytest_assistants.evidence import pace, uploads
from pytest_assistants.evidence.comparison import ID_PATTERN, IdMap, first_difference
from pytest_assistants.evidence.objects import Sightings, events_of
from pytest_assistants.evidence.preload import Preloader, map_ids
from pytest_assistants.evidence.report import Result
from pytest_assistants.evidence.streams import parse_events
from pytest_assistants.evidence.sync import RunSync
from pytest_assistants.evidence.turns import RunTurns, run_turns

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pytest_assistants.evidence.recordings import Interaction

REPLAY_KEY = "sk-conformance-replay"


class Recorded:
    """What the whole input shows, shared by its sessions: every object's states and each
    run's model turns (computed once)."""

    def __init__(self, interactions: Iterable[Interaction]) -> None:
        self.sightings = Sightings(interactions)
        self._turns: dict[str, RunTurns] = {}

    def turns(self, run_id: str) -> RunTurns:
        if run_id not in self._turns:
            self._turns[run_id] = run_turns(self.sightings, run_id)
        return self._turns[run_id]


def link_new_ids(recorded: Any, fake: Any, ids: IdMap) -> None:
    """Pair the ids two answers hold at the same place (same kind, both new): the fake's
    object stands for the recorded one from then on, even past a difference."""
    if isinstance(recorded, dict) and isinstance(fake, dict):
        for key, value in recorded.items():
            if key in fake:
                link_new_ids(value, fake[key], ids)
    elif isinstance(recorded, list) and isinstance(fake, list):
        for left, right in zip(recorded, fake, strict=False):
            link_new_ids(left, right, ids)
    elif isinstance(recorded, str) and isinstance(fake, str):
        left, right = ID_PATTERN.match(recorded), ID_PATTERN.match(fake)
        if (
            left
            and right
            and left.group(1) == right.group(1)
            and recorded not in ids.to_fake
            and fake not in ids.to_recorded
        ):
            ids.link(recorded, fake)


class SessionReplay:
    """One session against one fresh fake."""

    def __init__(self, session: list[Interaction], recorded: Recorded | None = None) -> None:
        from pytest_assistants.reach.fake import FakeAssistants
        from pytest_assistants.service.profiles import DEFAULT_PROFILE, PROFILES

        self.session = session
        self.recorded = recorded or Recorded(session)
        name = session[0].profile
        self.fake = FakeAssistants(
            name if name in PROFILES else DEFAULT_PROFILE,
            clock_start=0,
            api_keys=frozenset({REPLAY_KEY}),  # a recorded 401's own key is refused
        )
        self.ids = IdMap()
        self.sync = RunSync(self)
        self.preloader = Preloader(self)

    def run(self) -> list[Result]:
        from pytest_assistants.evidence.conformance import why_not_comparable
        from pytest_assistants.service.profiles import PROFILES

        results = []
        for it in self.session:
            problem = why_not_comparable(it, PROFILES)
            if problem:
                self.preloader.note_unserved_change(it)
                results.append(Result(it, "not comparable", reason=problem[0], detail=problem[1]))
                continue
            results.append(self.replay(it))
        return results

    # -- replaying -----------------------------------------------------------------------

    def replay(self, it: Interaction) -> Result:
        unscriptable = self.sync.unscriptable_shown(it)
        if unscriptable:
            return Result(it, "not comparable", reason=unscriptable[0], detail=unscriptable[1])
        prepared = self.preloader.prepare(it)
        if prepared and prepared[0]:
            return Result(it, "not comparable", reason=prepared[0], detail=prepared[1])
        paced = pace.processing_pace(it, self.session) or pace.list_lag(it, self)
        if paced:
            return Result(it, "not comparable", reason=paced[0], detail=paced[1])
        stalled = self.sync.before(it)
        if stalled:
            return Result(it, "not comparable", reason=stalled[0], detail=stalled[1])
        self._set_clock(it)
        status, headers, fake_body, fake_bytes = self.sync.acting(it, lambda: self.send(it))
        recorded_events = parse_events(it.response_text or "") if it.streamed else None
        fake_events = None
        if recorded_events is not None and headers.get("content-type", "").startswith(
            "text/event-stream"
        ):
            fake_events = parse_events(fake_bytes.decode("utf-8", "replace"))
        body = it.response_json
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
            events=(recorded_events, fake_events or []) if recorded_events is not None else None,
        )
        if recorded_events is not None and fake_events is not None:
            link_new_ids([d for _, d in recorded_events], [d for _, d in fake_events], self.ids)
        elif 200 <= status < 300 and it.status == status:
            link_new_ids(body, fake_body, self.ids)
        unknown = _account_state_unknown(difference, len(self.fake.assistants))
        if unknown:
            return Result(it, "not comparable", reason=unknown[0], detail=unknown[1])
        note = prepared[2] if prepared else ""
        if uploads.rebuildable(it):
            note = "; ".join(n for n in (note, uploads.REBUILT) if n)
        shown_fake = fake_events if fake_events is not None else fake_body
        return Result(
            it,
            "mismatch" if difference else "reproduced",
            difference=difference,
            note=note,
            fake_body=self.ids.recorded_value(shown_fake) if difference else None,
        )

    def _set_clock(self, it: Interaction) -> None:
        """A create happens at its recorded second, so lists order as they did."""
        if not (it.operation.endswith(".create") or it.operation.endswith("create_and_run")):
            return
        made = [it.response_json, *(d for _, d in events_of(it))]
        for obj in made:
            if isinstance(obj, dict) and isinstance(obj.get("created_at"), int):
                self.fake.clock.set(obj["created_at"])
                return

    def send(self, it: Interaction, method: str | None = None, path: str | None = None) -> Any:
        """The recorded request (or a read of ``path``), ids mapped, with the one key the
        fake accepts (a recorded 401 keeps its own key, which the fake then refuses)."""
        from pytest_assistants.service.http import HttpRequest

        path = path or "/".join(self.ids.fake(part) for part in it.path.split("/"))
        pairs = [part.partition("=") for part in it.query.split("&") if part] if not method else []
        query = "&".join(f"{k}{eq}{self.ids.fake(v)}" for k, eq, v in pairs)
        skip = ("host", "content-length")
        headers = {k: v for k, v in it.request_headers.items() if k not in skip}
        if it.status != 401 or method:  # the fake accepts REPLAY_KEY only
            headers["authorization"] = f"Bearer {REPLAY_KEY}"
        body = b"" if method else self._body(it)
        if not method and uploads.rebuildable(it):
            body, headers["content-type"] = uploads.rebuilt(it)
        request = HttpRequest(
            method or it.method, it.host or "api.openai.com", path, query, headers
        )
        request.body = body
        response = self.fake.handle(request)
        try:
            parsed = json.loads(response.body) if response.body else None
        except ValueError:
            parsed = None  # a stream
        return response.status, response.headers, parsed, response.body

    def _body(self, it: Interaction) -> bytes:
        """The request body with its recorded ids written as the fake's."""
        if not it.request_body:
            return it.request_body
        try:
            sent = json.loads(it.request_body)
        except (ValueError, RecursionError):
            return it.request_body
        mapped = map_ids(sent, self.ids)
        if mapped == sent:
            return it.request_body
        return json.dumps(mapped, ensure_ascii=False).encode()


def _account_state_unknown(difference: Any, held: int) -> tuple[str, str] | None:
    """A page the recording says continues (``has_more: true``) where the fake, holding all
    the recording shows, has no more: the account held assistants made outside it."""
    if difference is None or difference.where != "body.has_more" or difference.recorded is not True:
        return None
    return (
        "account state unknown",
        f"has_more is true, but the fake holds all {held} assistants the recording shows and"
        " has no more: the rest of the account was made outside the recording",
    )
