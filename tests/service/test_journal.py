"""``fake.calls``: what each request sent and what the fake answered, in order.

The expected entries are the requests these tests send, written out; the journal's own
rules (oversize bodies not kept, ``max_calls`` keeps the newest) are the documented ones.
"""

from __future__ import annotations

import gc
import threading
import tracemalloc
from typing import TYPE_CHECKING, Any

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.reach.fake import FakeInternalError, NotServedError
from pytest_assistants.service.http import Call

if TYPE_CHECKING:
    from pytest_assistants.service.store import Store

BETA = {"OpenAI-Beta": "assistants=v2", "Authorization": "Bearer sk-test"}


@pytest.mark.assistants(max_body_bytes=100)
def test_a_body_up_to_the_limit_is_kept_as_sent(assistants_fake: Any) -> None:
    """A body of exactly max_body_bytes is served and journalled as sent, with its method
    and headers; one byte more is refused (413) and never kept."""
    http = assistants_fake.http_client()
    at_limit = b'{"model": "gpt-4o"}'.ljust(100)
    http.post("/assistants", headers=BETA, content=at_limit)
    http.post("/assistants", headers=BETA, content=at_limit + b" ")
    kept, refused = assistants_fake.calls
    assert (kept.method, kept.status, kept.body) == ("POST", 200, at_limit)
    assert kept.headers["openai-beta"] == "assistants=v2"
    assert (refused.status, refused.body) == (413, b"")


def test_max_calls_keeps_the_newest_calls() -> None:
    fake = FakeAssistants(max_calls=2)
    http = fake.http_client()
    for name in ("a", "b", "c"):
        http.post("/assistants", headers=BETA, json={"model": "gpt-4o", "name": name})
    assert [call.json["name"] for call in fake.calls] == ["b", "c"]


def test_a_dropped_connection_is_journalled_with_its_dialect(assistants_fake: Any) -> None:
    """The journal keeps which dialect routed a request even when no answer was sent."""
    httpx = pytest.importorskip("httpx")
    assistants_fake.fail(kind="disconnect")
    client = assistants_fake.http_client("api.zerobot.ai", library="httpx")
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/assistants", headers={"Authorization": "Bearer zb-test"})
    call = assistants_fake.calls[-1]
    assert (call.status, call.response_body, call.dialect) == (0, b"", "zerobot")


class FullDisk:
    """A persistence hook whose every write fails: the fake's own 500."""

    def attach(self, store: Store) -> int:
        store.on_commit = self.write
        return 0

    def write(self, *_: Any) -> None:
        raise OSError("disk full")


def test_the_fakes_own_bug_is_a_500_of_no_operation_with_its_traceback() -> None:
    """A request the fake failed to serve ran no operation (the journal says None), and
    ``check()`` fails the test with the traceback of what raised."""

    fake = FakeAssistants()
    fake.persist(FullDisk())
    response = fake.http_client().post("/assistants", headers=BETA, json={"model": "gpt-4o"})
    assert response.status_code == 500
    assert [(call.status, call.operation) for call in fake.calls] == [(500, None)]
    with pytest.raises(FakeInternalError) as raised:
        fake.check()
    assert "Traceback (most recent call last):\n  File " in str(raised.value)
    assert str(raised.value).endswith("OSError: disk full\n")


def test_a_journalled_call_holds_little_memory() -> None:
    """The journal keeps every call, so what one keeps adds up over a long suite or a
    server's life: each update's entry holds about 1.5 KiB (its own bodies, the shared
    header texts). Past 2 KiB something keeps more than the entry: orjson's bytes with its
    whole write buffer (8 KiB each) or a private copy of every header text (+2 KiB)."""
    fake = FakeAssistants()
    http = fake.http_client()
    assistant_id = http.post("/assistants", headers=BETA, json={"model": "gpt-4o"}).json()["id"]

    def updates(count: int) -> None:
        for _ in range(count):
            patch = {"name": "x", "metadata": {"k": "v"}}
            http.post(f"/assistants/{assistant_id}", headers=BETA, json=patch)

    updates(20)  # caches and free lists settled
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        updates(200)
        gc.collect()
        per_call = (tracemalloc.get_traced_memory()[0] - before) / 200
    finally:
        tracemalloc.stop()
    assert len(fake.calls) == 221
    assert per_call < 2048, f"{per_call:.0f} bytes kept per call"


def test_an_entry_is_the_same_object_on_every_read() -> None:
    """Entries are built when the journal is first read: a later read (after more calls)
    hands out the very same objects, so a test may keep one and compare it later."""
    fake = FakeAssistants()
    http = fake.http_client()
    http.post("/assistants", headers=BETA, json={"model": "gpt-4o"})
    first = fake.calls
    http.get("/assistants", headers=BETA)
    second = fake.calls
    assert second[0] is first[0]
    assert [(call.method, call.operation) for call in second] == [
        ("POST", "assistants.create"),
        ("GET", "assistants.list"),
    ]


def test_reading_while_requests_are_answered_sees_whole_entries_in_order() -> None:
    """Four threads send while the main thread reads: every read is a prefix of the final
    journal, made of whole calls (never a half-built entry), each call once."""
    fake = FakeAssistants()
    names = [f"t{thread}-{number}" for thread in range(4) for number in range(50)]

    def send(thread: int) -> None:
        http = fake.http_client()
        for number in range(50):
            http.post(
                "/assistants", headers=BETA, json={"model": "gpt-4o", "name": f"t{thread}-{number}"}
            )

    workers = [threading.Thread(target=send, args=(thread,)) for thread in range(4)]
    for worker in workers:
        worker.start()
    reads = []
    while any(worker.is_alive() for worker in workers):
        reads.append(fake.calls)
    for worker in workers:
        worker.join()
    final = fake.calls
    assert sorted(call.json["name"] for call in final) == sorted(names)
    for read in reads:
        assert all(type(call) is Call for call in read)
        assert all(a is b for a, b in zip(read, final, strict=False))


def test_max_calls_trims_built_and_unbuilt_entries_alike() -> None:
    """Trimming after a read (some entries built, some not) keeps the newest, in order."""
    fake = FakeAssistants(max_calls=3)
    http = fake.http_client()
    for name in ("a", "b"):
        http.post("/assistants", headers=BETA, json={"model": "gpt-4o", "name": name})
    assert [call.json["name"] for call in fake.calls] == ["a", "b"]
    for name in ("c", "d", "e"):
        http.post("/assistants", headers=BETA, json={"model": "gpt-4o", "name": name})
    assert [call.json["name"] for call in fake.calls] == ["c", "d", "e"]


def replayed(name: str) -> Call:
    """A call as a cassette replays it: built outside the fake, kept as it is."""
    body = b'{"model": "gpt-4o", "name": "%s"}' % name.encode()
    return Call("POST", "https://api.openai.com/v1/assistants", {}, body, 200, b"{}", "openai",
                "assistants.create", replayed=True)  # fmt: skip


def test_replayed_calls_are_kept_as_given_in_order() -> None:
    """A replayed call joins the journal as the very object given, after the answered ones."""
    fake = FakeAssistants()
    fake.http_client().get("/assistants", headers=BETA)
    calls = [replayed("a"), replayed("b")]
    for call in calls:
        fake.journal(call)
    kept = fake.calls
    assert kept[0].operation == "assistants.list"
    assert kept[1:] == calls
    assert all(got is given for got, given in zip(kept[1:], calls, strict=True))


def test_max_calls_keeps_the_newest_replayed_calls_too() -> None:
    fake = FakeAssistants(max_calls=2)
    for name in ("a", "b", "c"):
        fake.journal(replayed(name))
    assert [call.json["name"] for call in fake.calls] == ["b", "c"]


def test_after_reset_the_journal_holds_only_the_calls_answered_since() -> None:
    """``reset()`` forgets every call, read or not; the calls answered after it are
    journalled and read like any others."""
    fake = FakeAssistants()
    http = fake.http_client()
    http.post("/assistants", headers=BETA, json={"model": "gpt-4o", "name": "before"})
    assert len(fake.calls) == 1
    http.get("/assistants", headers=BETA)  # answered, never read
    fake.reset()
    http.post("/assistants", headers=BETA, json={"model": "gpt-4o", "name": "after"})
    http.get("/assistants", headers=BETA)
    calls = fake.calls  # the first read since the reset
    assert all(type(call) is Call for call in calls)
    assert [(call.method, call.operation, call.status) for call in calls] == [
        ("POST", "assistants.create", 200),
        ("GET", "assistants.list", 200),
    ]
    assert calls[0].json["name"] == "after"
    fake.reset()
    assert fake.calls == []


def test_after_reset_the_fake_still_notes_what_check_reports() -> None:
    """``reset()`` forgets the notes ``check()`` reports (a bug of the fake's own, a not
    served endpoint, a failing route handler), and the fake notes new ones after it."""

    def broken(request: Any) -> Any:
        raise KeyError("no such thing")

    fake = FakeAssistants()
    fake.route("GET", "/v1/models", broken)
    fake.persist(FullDisk())  # stays through reset(), like routes
    http = fake.http_client()
    fake.reset()
    assert http.post("/assistants", headers=BETA, json={"model": "gpt-4o"}).status_code == 500
    with pytest.raises(FakeInternalError, match="OSError: disk full"):
        fake.check()
    fake.reset()
    assert http.get("/models", headers=BETA).status_code == 500
    with pytest.raises(AssertionError, match=r"a handler given to fake\.route"):
        fake.check()
    fake.reset()
    assert http.post("/chat/completions", headers=BETA, json={}).status_code == 501
    with pytest.raises(NotServedError):
        fake.check()
    fake.reset()
    fake.check()  # forgotten
