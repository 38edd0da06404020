"""The store's lock, shown to matter: races forced by a hook, not left to luck.

The store calls its persistence hooks (``on_commit``, ``on_reset``) inside every change,
under its lock, after the request has read the stored state and before the change is
applied. There the first request of a race stops until the second one either waits for the
lock (seen by a probe around the store's own lock) or, with no lock, has been served
completely. So with the lock the second request always runs after the first; without it,
always in the middle of it. Each scenario runs both ways: the locked run must be correct,
the lock-free one must show the damage (lost update, a deleted assistant brought back, a
reset undone). The probe is attached the way persistence is, through ``fake.persist``.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Any, Protocol

import pytest

from pytest_assistants import FakeAssistants

if TYPE_CHECKING:
    from collections.abc import Callable

    from pytest_assistants.service.store import Store

openai = pytest.importorskip("openai")

WAIT = 60.0  # a safety net against a hang only: each wait ends on an event, never on time


class Lock(Protocol):
    def acquire(self, blocking: bool = ...) -> bool: ...
    def release(self) -> None: ...


class ProbedLock(contextlib.AbstractContextManager["ProbedLock"]):
    """The backend's own lock; a thread that finds it held sets ``contended``, then waits.

    Fails (AttributeError) if the backend's lock is not a lock: removing it fails the test.
    """

    def __init__(self, inner: Any, contended: threading.Event) -> None:
        self.inner: Lock = inner
        self.inner.acquire  # noqa: B018 - a null context has no acquire: fail here, clearly
        self.contended = contended

    def __enter__(self) -> ProbedLock:
        if not self.inner.acquire(blocking=False):
            self.contended.set()
            self.inner.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.inner.release()


class HoldFirst:
    """Persistence hook: the first change waits inside the critical section for ``go``."""

    def __init__(self, go: threading.Event) -> None:
        self.go = go
        self.first_inside = threading.Event()
        self._guard = threading.Lock()
        self._entered = 0

    def __call__(self, *change: Any) -> None:
        with self._guard:
            self._entered += 1
            first = self._entered == 1
        if first:
            self.first_inside.set()
            if not self.go.wait(WAIT):
                raise AssertionError("the second request neither waited nor ran")


class Probe:
    """Attached as the fake's persistence: it probes (or removes) the store's lock and
    holds the first change at the hooks."""

    def __init__(self, hook: HoldFirst, go: threading.Event, locked: bool) -> None:
        self.hook, self.go, self.locked = hook, go, locked
        self.store: Store | None = None

    def attach(self, store: Store) -> int:
        self.store = store
        store.lock = ProbedLock(store.lock, self.go) if self.locked else contextlib.nullcontext()
        store.on_commit = self.hook
        store.on_reset = self.hook
        return 0

    def detach(self) -> None:
        assert self.store is not None
        self.store.on_commit = self.store.on_reset = None


def race(
    fake: FakeAssistants, locked: bool, first: Callable[[], Any], second: Callable[[], Any]
) -> dict[str, Any]:
    """Run ``first`` until it is inside its mutation, then ``second``; return both results."""
    go = threading.Event()
    hook = HoldFirst(go)
    probe = Probe(hook, go, locked)
    fake.persist(probe)
    results: dict[str, Any] = {}

    def run(name: str, action: Callable[[], Any], done: threading.Event | None) -> None:
        try:
            results[name] = action()
        except Exception as error:  # reported as a result: the lock-free runs expect some
            results[name] = error
        finally:
            if done is not None:
                done.set()

    one = threading.Thread(target=run, args=("first", first, None))
    one.start()
    assert hook.first_inside.wait(WAIT), "the first request never reached the store"
    two = threading.Thread(target=run, args=("second", second, go))
    two.start()
    for thread in (one, two):
        thread.join(WAIT)
        assert not thread.is_alive()
    probe.detach()
    return results


@pytest.fixture
def fake() -> FakeAssistants:
    return FakeAssistants()


def client(fake: FakeAssistants) -> Any:
    return fake.openai(max_retries=0)


def lost_update(fake: FakeAssistants, locked: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    made = client(fake).beta.assistants.create(model="gpt-4o").id
    results = race(
        fake,
        locked,
        lambda: client(fake).beta.assistants.update(made, name="from first"),
        lambda: client(fake).beta.assistants.update(made, description="from second"),
    )
    return results, fake.assistants[made]


def test_modifies_of_different_fields_both_survive() -> None:
    fake = FakeAssistants()
    results, final = lost_update(fake, locked=True)
    assert (results["first"].name, results["first"].description) == ("from first", None)
    assert (results["second"].name, results["second"].description) == ("from first", "from second")
    assert (final["name"], final["description"]) == ("from first", "from second")


def test_without_the_lock_one_modify_is_lost() -> None:
    fake = FakeAssistants()
    results, final = lost_update(fake, locked=False)
    assert (results["second"].name, results["second"].description) == (None, "from second")
    assert (final["name"], final["description"]) == ("from first", None)  # "from second" lost


def modify_during_delete(fake: FakeAssistants, locked: bool) -> tuple[dict[str, Any], Any, Any]:
    made = client(fake).beta.assistants.create(model="gpt-4o").id
    results = race(
        fake,
        locked,
        lambda: client(fake).beta.assistants.update(made, name="late"),
        lambda: client(fake).beta.assistants.delete(made),
    )
    try:
        listed: Any = [a.id for a in client(fake).beta.assistants.list()]
    except openai.APIStatusError as error:
        listed = error.status_code
    try:
        retrieved: Any = client(fake).beta.assistants.retrieve(made).name
    except openai.APIStatusError as error:
        retrieved = error.status_code
    return results, listed, retrieved


def test_a_delete_racing_a_modify_stays_deleted() -> None:
    fake = FakeAssistants()
    results, listed, retrieved = modify_during_delete(fake, locked=True)
    assert results["first"].name == "late"
    assert results["second"].deleted is True
    assert (listed, retrieved) == ([], 404)
    fake.check()


def test_without_the_lock_a_deleted_assistant_comes_back() -> None:
    fake = FakeAssistants()
    results, listed, retrieved = modify_during_delete(fake, locked=False)
    assert results["second"].deleted is True
    assert (listed, retrieved) == ([results["second"].id], "late")  # deleted, yet there


def reset_during_create(fake: FakeAssistants, locked: bool) -> list[str]:
    race(
        fake,
        locked,
        lambda: client(fake).beta.assistants.create(model="gpt-4o", name="before reset"),
        fake.reset,
    )
    return [assistant["name"] for assistant in fake.assistants.values()]


def test_a_reset_racing_a_create_leaves_an_empty_store() -> None:
    assert reset_during_create(FakeAssistants(), locked=True) == []


def test_without_the_lock_a_create_survives_the_reset() -> None:
    assert reset_during_create(FakeAssistants(), locked=False) == ["before reset"]


def test_removing_the_lock_fails_the_locked_scenarios() -> None:
    fake = FakeAssistants()

    class NoLock:
        def attach(self, store: Store) -> int:
            store.lock = contextlib.nullcontext()
            return 0

    fake.persist(NoLock())
    with pytest.raises(AttributeError):
        lost_update(fake, locked=True)
