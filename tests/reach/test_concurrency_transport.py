"""Threads and asyncio against one in-process fake (client transports, no server).

Whole-object modifies racing on one assistant must leave it equal to exactly one submitted
state, never a field-wise mix; rejected modifies change nothing; ids stay unique; the
journal holds every request once.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
from typing import TYPE_CHECKING, Any

import pytest

openai = pytest.importorskip("openai")

from pytest_assistants.reach.fake import FakeAssistants  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

THREADS = 8
ROUNDS = 30


@pytest.fixture(autouse=True)
def _switch_often() -> Iterator[None]:
    """Make the interpreter switch threads far more often, so races actually interleave."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def state_of(writer: int, n: int) -> dict[str, Any]:
    """A full set of fields, every one tagged with the same writer and round."""
    tag = f"{writer}-{n}"
    return {
        "name": f"name {tag}",
        "description": f"description {tag}",
        "instructions": f"instructions {tag}",
        "metadata": {"writer": str(writer), "round": str(n)},
        "temperature": round(writer / 10 + n / 1000, 4),
        "tools": [{"type": "function", "function": {"name": f"tool_{writer}_{n}"}}],
    }


def projection(served: dict[str, Any]) -> dict[str, Any]:
    keys = ("name", "description", "instructions", "metadata", "temperature")
    out = {key: served[key] for key in keys}
    out["tools"] = [tool["function"]["name"] for tool in served["tools"]]
    return out


def expected(writer: int, n: int) -> dict[str, Any]:
    state = state_of(writer, n)
    state["tools"] = [tool["function"]["name"] for tool in state["tools"]]
    return state


def run_threads(count: int, target: Callable[[int], None]) -> None:
    failures: list[BaseException] = []

    def guarded(index: int) -> None:
        try:
            target(index)
        except BaseException as error:  # re-raised below in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not failures, failures[0]


def test_racing_whole_object_modifies_end_in_one_submitted_state() -> None:
    fake = FakeAssistants()
    shared = fake.openai(max_retries=0).beta.assistants.create(model="gpt-4o").id
    submitted = {(w, n): expected(w, n) for w in range(THREADS) for n in range(ROUNDS)}
    start = threading.Barrier(THREADS)
    statuses: list[int] = []

    def writer(index: int) -> None:
        client = fake.openai(max_retries=0)
        start.wait()
        for n in range(ROUNDS):
            raw = client.beta.assistants.with_raw_response.update(shared, **state_of(index, n))
            statuses.append(raw.status_code)
            served = projection(json.loads(raw.http_response.content))
            assert served == submitted[index, n]  # each answer is its own request's state

    run_threads(THREADS, writer)
    final = projection(fake.assistants[shared])
    assert final in submitted.values(), f"a mix of writers: {final}"
    assert statuses == [200] * (THREADS * ROUNDS)
    modifies = [call for call in fake.calls if call.operation == "assistants.modify"]
    assert len(modifies) == THREADS * ROUNDS
    assert final in [projection(call.response_json) for call in modifies]


def test_rejected_modifies_racing_with_valid_ones_change_nothing() -> None:
    fake = FakeAssistants()
    http = fake.http_client()
    headers = {"authorization": "Bearer sk-race", "openai-beta": "assistants=v2"}
    shared = http.post("/assistants", headers=headers, json={"model": "gpt-4o"}).json()["id"]
    valid = {n: expected(0, n) for n in range(ROUNDS)}
    start = threading.Barrier(THREADS)
    answers: list[tuple[int, int]] = []

    def worker(index: int) -> None:
        client = fake.http_client()
        start.wait()
        for n in range(ROUNDS):
            body: dict[str, Any] = state_of(0, n)
            if index % 2:  # every field valid but one: nothing of it may be stored
                body["temperature"] = 2.5
            response = client.post(f"/assistants/{shared}", headers=headers, json=body)
            answers.append((index % 2, response.status_code))

    run_threads(THREADS, worker)
    assert {status for odd, status in answers if odd} == {400}
    assert {status for odd, status in answers if not odd} == {200}
    assert projection(fake.assistants[shared]) in valid.values()
    assert len(fake.calls) == 1 + THREADS * ROUNDS
    fake.check()  # no bug of the fake's own


def test_racing_creates_get_unique_ids_and_a_complete_journal() -> None:
    fake = FakeAssistants()
    start = threading.Barrier(THREADS)
    made: list[str] = []
    request_ids: list[str] = []

    def creator(index: int) -> None:
        client = fake.openai(max_retries=0)
        start.wait()
        for n in range(ROUNDS):
            raw = client.beta.assistants.with_raw_response.create(
                model="gpt-4o", name=f"{index}-{n}"
            )
            made.append(raw.parse().id)
            request_ids.append(raw.headers["x-request-id"])

    run_threads(THREADS, creator)
    total = THREADS * ROUNDS
    assert len(set(made)) == len(made) == total
    assert len(set(request_ids)) == total
    assert sorted(fake.assistants) == sorted(made)
    names = sorted(call.json["name"] for call in fake.calls)
    assert names == sorted(f"{i}-{n}" for i in range(THREADS) for n in range(ROUNDS))


def test_modify_delete_retrieve_races_answer_200_or_404_only() -> None:
    fake = FakeAssistants()
    client = fake.openai(max_retries=0)
    ids = [client.beta.assistants.create(model="gpt-4o").id for _ in range(ROUNDS)]
    start = threading.Barrier(THREADS)
    statuses: list[int] = []

    def worker(index: int) -> None:
        own = fake.http_client()
        headers = {"authorization": "Bearer sk-race", "openai-beta": "assistants=v2"}
        start.wait()
        for assistant_id in ids:
            path = f"/assistants/{assistant_id}"
            if index == 0:
                response = own.delete(path, headers=headers)
            elif index % 2:
                response = own.post(path, headers=headers, json={"name": f"w{index}"})
            else:
                response = own.get(path, headers=headers)
            statuses.append(response.status_code)

    run_threads(THREADS, worker)
    assert set(statuses) <= {200, 404}
    assert statuses.count(200) >= ROUNDS  # every delete succeeded once
    assert len(fake.assistants) == 0
    assert len(fake.calls) == ROUNDS + THREADS * ROUNDS
    fake.check()  # no bug of the fake's own


def test_threads_through_global_interception() -> None:
    """Clients built with no transport of their own reach the fake via the patched pools."""
    with FakeAssistants() as fake:
        shared = openai.OpenAI(api_key="sk-x", max_retries=0).beta.assistants.create(model="gpt-4o")
        start = threading.Barrier(4)

        def writer(index: int) -> None:
            client = openai.OpenAI(api_key="sk-x", max_retries=0)
            start.wait()
            for n in range(10):
                client.beta.assistants.update(shared.id, **state_of(index, n))

        run_threads(4, writer)
        final = projection(fake.assistants[shared.id])
        assert final in [expected(w, n) for w in range(4) for n in range(10)]
        assert len(fake.calls) == 1 + 4 * 10


@pytest.mark.anyio
async def test_asyncio_gather_of_modifies_and_creates() -> None:
    fake = FakeAssistants()
    async with fake.async_openai(max_retries=0) as client:
        shared = (await client.beta.assistants.create(model="gpt-4o")).id
        updates = [
            client.beta.assistants.update(shared, **state_of(w, n))
            for w in range(THREADS)
            for n in range(ROUNDS)
        ]
        creates = [client.beta.assistants.create(model="gpt-4o", name=str(n)) for n in range(50)]
        results = await asyncio.gather(*updates, *creates)
    made = [result.id for result in results[len(updates) :]]
    assert len(set(made)) == 50
    final = projection(fake.assistants[shared])
    assert final in [expected(w, n) for w in range(THREADS) for n in range(ROUNDS)]
    assert len(fake.calls) == 1 + len(updates) + 50
    assert {call.status for call in fake.calls} == {200}
