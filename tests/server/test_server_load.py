"""Load on one ``assistants_server``: concurrent threads and a thousand async requests.

No lost update (partial modifies of different fields of one assistant all survive), no 5xx,
and a journal that holds exactly the requests sent.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

THREADS = 8
ROUNDS = 40

# One field per thread: each thread only ever writes its own field of the shared assistant.
FIELD_VALUES: dict[str, Callable[[int], Any]] = {
    "name": lambda n: f"name-{n}",
    "description": lambda n: f"description {n}",
    "instructions": lambda n: f"Answer in {n} words.",
    "metadata": lambda n: {"round": str(n)},
    "temperature": lambda n: n / 50,
    "top_p": lambda n: n / 100,
    "tools": lambda n: [{"type": "function", "function": {"name": f"tool_{n}"}}],
    "model": lambda n: ("gpt-4o", "gpt-4o-mini")[n % 2],
}


def test_threads_modifying_one_assistant_lose_no_update(assistants_server: Any) -> None:
    assert len(FIELD_VALUES) == THREADS
    setup = assistants_server.openai(max_retries=0)
    shared = setup.beta.assistants.create(model="gpt-4o").id
    last_served: dict[str, Any] = {}
    statuses: list[int] = []
    failures: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def hammer(field: str) -> None:
        try:
            client = assistants_server.openai(max_retries=0)
            start.wait()
            for n in range(1, ROUNDS + 1):
                raw = client.beta.assistants.with_raw_response.update(
                    shared, **{field: FIELD_VALUES[field](n)}
                )
                statuses.append(raw.status_code)
                last_served[field] = json.loads(raw.http_response.content)[field]
        except BaseException as error:  # reported below, with the thread's field
            failures.append(error)

    threads = [threading.Thread(target=hammer, args=(field,)) for field in FIELD_VALUES]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not failures
    assert statuses == [200] * (THREADS * ROUNDS)
    served = setup.beta.assistants.with_raw_response.retrieve(shared)
    final = json.loads(served.http_response.content)
    for field, value in last_served.items():
        assert final[field] == value, f"lost update on {field}"
    calls = assistants_server.fake.calls
    assert len(calls) == 1 + THREADS * ROUNDS + 1  # create, the modifies, the retrieve
    assert all(call.status == 200 for call in calls)
    assert assistants_server.fake.assistants[shared] == final


@pytest.mark.anyio
async def test_a_thousand_async_requests(assistants_server: Any) -> None:
    creates, fields = 200, ("name", "description", "instructions", "metadata")
    gate = asyncio.Semaphore(16)  # requests in flight at once (16 connections)
    async with assistants_server.async_openai(max_retries=0) as client:

        async def send(call: Callable[[], Any]) -> Any:
            async with gate:
                raw = await call()
                assert raw.status_code == 200
                return raw.parse()

        made = await asyncio.gather(
            *(
                send(lambda n=n: client.beta.assistants.with_raw_response.create(
                    model="gpt-4o", name=f"create-{n}"))
                for n in range(creates)
            )
        )  # fmt: skip
        ids = [assistant.id for assistant in made]
        assert len(set(ids)) == creates
        await asyncio.gather(
            *(
                send(lambda a=a, f=f: client.beta.assistants.with_raw_response.update(
                    a, **{f: FIELD_VALUES[f](int(a == ids[0]))}))
                for a in ids
                for f in fields
            )
        )  # fmt: skip

    fake = assistants_server.fake
    assert len(fake.calls) == creates * (1 + len(fields)) == 1000
    assert {call.status for call in fake.calls} == {200}
    assert list(fake.assistants) == ids or sorted(fake.assistants) == sorted(ids)
    for assistant_id in ids:
        stored = fake.assistants[assistant_id]
        n = int(assistant_id == ids[0])
        assert {f: stored[f] for f in fields} == {f: FIELD_VALUES[f](n) for f in fields}
