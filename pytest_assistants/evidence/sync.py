"""Runs kept in step with the recording, and the model scripted when a run acts.

Timing is not behaviour (§14.1): the provider moves a run when its workers get to it, the
fake one status per read. So before each interaction, every run it shows or names is
brought to the status the recording shows there: statuses the recording skipped (it read
less often than the fake moves) are caught up with reads of the run that are not
compared, and a read the provider answered with the status of the read before (it had not
moved yet) is not sent, so the fake does not run ahead, and is reported as not comparable.

A run reaches the model when a read finds it ``in_progress`` (or a stream takes it there):
just before such a request the fake's script holds that run's remaining turns from the
recording (:mod:`.turns`), and the turns taken are counted per run.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pytest_assistants.evidence.objects import events_of, shown
from pytest_assistants.evidence.recordings import route_of
from pytest_assistants.service.resources.runs.records import TERMINAL

if TYPE_CHECKING:
    from collections.abc import Callable

    from pytest_assistants.evidence.recordings import Interaction
    from pytest_assistants.evidence.replay import SessionReplay

RUN = "thread.run"
# Where a read takes a run (lifecycle.py): each track in the order reads move along it.
TRACKS = (
    ("queued", "in_progress", ("requires_action", *sorted(TERMINAL - {"cancelled"}))),
    ("cancelling", ("cancelled",)),
)
ADVANCING = frozenset({"queued", "in_progress", "cancelling"})  # a read moves these on
ACTIVE = frozenset({"queued", "in_progress", "requires_action", "cancelling"})
MAX_CATCH_UP = 4
STATUS_IN_ERROR = re.compile(r"status ['\"](\w+)['\"]")


def _position(status: str, track: tuple[Any, ...]) -> int | None:
    for number, place in enumerate(track):
        if status == place or (isinstance(place, tuple) and status in place):
            return number
    return None


def reads_between(now: str, then: str) -> int | None:
    """How many reads take a run from ``now`` to ``then`` (None: reads never do)."""
    if then == "expired":
        return 1 if now in ACTIVE else None
    for track in TRACKS:
        start, end = _position(now, track), _position(then, track)
        if start is not None and end is not None and end >= start:
            return end - start
    return None


class RunSync:
    """The runs of one replayed session: where each stands, and the turns each has taken."""

    def __init__(self, replay: SessionReplay) -> None:
        self.replay = replay
        self.taken: dict[str, int] = {}  # recorded run id -> model turns the fake's took
        self.acted: set[str] = set()  # runs the fake took to the model in this session

    # -- what a run has done -------------------------------------------------------------

    def preloaded(self, run_id: str, obj: dict[str, Any]) -> None:
        """A run preloaded in a recorded state has taken the turns that state implies."""
        if obj.get("object") != RUN:
            return
        turns = self.replay.recorded.turns(run_id).turns
        calls = [t for t in turns if t.kind == "call_tools"]
        status = obj.get("status")
        if status in TERMINAL:
            self.taken[run_id] = len(turns)
        elif status == "requires_action":
            asked = (obj.get("required_action") or {}).get("submit_tool_outputs") or {}
            names = tuple(
                (c.get("function") or {}).get("name") for c in asked.get("tool_calls") or []
            )
            found = [n for n, t in enumerate(calls) if tuple(c[0] for c in t.calls) == names]
            self.taken[run_id] = found[0] + 1 if found else len(calls)
        elif obj.get("started_at") is not None and status == "queued":
            self.taken[run_id] = len(calls)  # queued again: its outputs were submitted

    def unscriptable_shown(self, it: Interaction) -> tuple[str, str] | None:
        """(reason, detail) when the answer shows what no script reproduces: a step or a
        message of a run the model took where no script can (:mod:`.turns`), or a stream
        of such a run."""
        for obj in shown(it):
            run_id = obj.get("id") if obj.get("object") == RUN and it.streamed else None
            run_id = run_id or (obj.get("run_id") if obj.get("object") != RUN else None)
            if not isinstance(run_id, str):
                continue
            cannot = self.replay.recorded.turns(run_id).unscriptable
            if cannot:
                return cannot[0], f"run {run_id}: {cannot[1]}"
        return None

    # -- keeping in step -----------------------------------------------------------------

    def status(self, run_id: str) -> str | None:
        """The fake's run's status now (a view: reading it does not move it)."""
        fake_id = self.replay.ids.to_fake.get(run_id)
        view = self.replay.fake.runs
        return str(view[fake_id]["status"]) if fake_id is not None and fake_id in view else None

    def targets(self, it: Interaction) -> dict[str, str]:
        """Recorded run id -> the status the recording shows it in when ``it`` is sent."""
        _, params = route_of(it.method, it.path)
        out: dict[str, str] = {}
        if not it.streamed:
            for obj in shown(it):
                if obj.get("object") == RUN:
                    out[obj["id"]] = str(obj.get("status"))
                elif isinstance(obj.get("run_id"), str) and obj["run_id"] not in out:
                    out.update(self._maker(obj["run_id"], it))
        run_id = params.get("run_id")
        if run_id is None:
            return out
        body = it.response_json
        error = body.get("error") if isinstance(body, dict) else None
        said = (
            STATUS_IN_ERROR.search(str(error.get("message"))) if isinstance(error, dict) else None
        )
        operation = it.operation
        if said:
            out[run_id] = said.group(1)
        elif operation == "threads.runs.cancel" and isinstance(body, dict):
            out[run_id] = "in_progress" if body.get("started_at") is not None else "queued"
        elif operation == "threads.runs.submit_tool_outputs":
            out[run_id] = "requires_action"
        elif run_id not in out:
            seen = self.replay.recorded.sightings.latest(run_id, it)
            if seen is not None and seen.obj.get("object") == RUN:
                out[run_id] = str(seen.obj.get("status"))
        return out

    def _maker(self, run_id: str, it: Interaction) -> dict[str, str]:
        """The status of the run that wrote a message or step the answer shows: as last
        seen, or, when last seen before the model acted (the provider writes the message
        a moment before the run's status says so), the status it reached next."""
        seen = self.replay.recorded.sightings.latest(run_id, it)
        if seen is None or seen.obj.get("object") != RUN:
            return {}
        status = str(seen.obj.get("status"))
        if status in ("queued", "in_progress"):
            for later in self.replay.recorded.sightings.of(run_id):
                after = later.interaction.source == it.source and later.interaction.index > it.index
                if after and later.obj.get("status") not in ("queued", "in_progress"):
                    return {run_id: str(later.obj.get("status"))}
        return {run_id: status}

    def before(self, it: Interaction) -> tuple[str, str] | None:
        """Catch the fake's runs up with the recording; (reason, detail) when ``it`` is a
        read the provider answered before it had moved (then it is not sent)."""
        _, params = route_of(it.method, it.path)
        reads = it.operation == "threads.runs.retrieve"
        for run_id, target in self.targets(it).items():
            now = self.status(run_id)
            if now is None:
                continue
            distance = reads_between(now, target)
            if distance is None:
                continue
            this_read = reads and params.get("run_id") == run_id
            if this_read and distance == 0 and now in ADVANCING:
                return (
                    "no progress yet (timing)",
                    f"the provider answered {target!r} as the read before: it had not moved"
                    " yet; not sent, so the fake (one status per read, §14.1) stays in step",
                )
            if target == "expired":
                self._expire(run_id)
            for _ in range(min(distance - this_read, MAX_CATCH_UP)):
                self.catch_up(it, run_id)
        return None

    def _expire(self, run_id: str) -> None:
        fake = self.replay.fake
        expires = fake.runs[self.replay.ids.fake(run_id)].get("expires_at")
        if isinstance(expires, int) and fake.clock.now() < expires:
            fake.clock.set(expires)

    def catch_up(self, it: Interaction, run_id: str) -> None:
        """One read of the run, not compared: the fake takes the status the provider
        took between two recorded reads."""
        fake_id = self.replay.ids.fake(run_id)
        thread_id = self.replay.fake.runs[fake_id]["thread_id"]
        root = it.path[: it.path.index("/threads")] if "/threads" in it.path else "/v1"
        path = f"{root}/threads/{thread_id}/runs/{fake_id}"
        self.scripted(run_id, lambda: self.replay.send(it, "GET", path))

    # -- the model -----------------------------------------------------------------------

    def acting(self, it: Interaction, send: Callable[[], Any]) -> Any:
        """``send()`` with the script set for the run the request may take to the model."""
        return self.scripted(self._acting_run(it), send)

    def _acting_run(self, it: Interaction) -> str | None:
        _, params = route_of(it.method, it.path)
        if it.operation == "threads.runs.retrieve":
            return params.get("run_id")
        if not it.streamed:
            return None
        if params.get("run_id"):
            return params["run_id"]
        for _, data in events_of(it):
            if isinstance(data, dict) and data.get("object") == RUN:
                return str(data.get("id"))
        return None

    def scripted(self, run_id: str | None, send: Callable[[], Any]) -> Any:
        """``send()`` with the run's remaining turns scripted; counts the turns it took."""
        script = self.replay.fake.script
        script.clear()
        taken = self.taken.get(run_id, 0) if run_id else 0
        if run_id:
            for turn in self.replay.recorded.turns(run_id).turns[taken:]:
                turn.script(script)
        try:
            return send()
        finally:
            if run_id and script.taken:
                self.taken[run_id] = taken + script.taken
                self.acted.add(run_id)
            script.clear()
