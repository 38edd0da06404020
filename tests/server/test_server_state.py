"""``--state``: the SQLite store under the backend, tested in process (the subprocess
restarts, ``kill -9`` included, are in test_server_cli.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pytest_assistants import FakeAssistants, FakeInternalError
from pytest_assistants.reach.clients import TEST_API_KEY
from pytest_assistants.server.state import SqliteState
from pytest_assistants.service.store import IdFactory

if TYPE_CHECKING:
    from pathlib import Path

HEADERS = {"authorization": f"Bearer {TEST_API_KEY}", "openai-beta": "assistants=v2"}


def ids(seed: int, n: int) -> list[str]:
    factory = IdFactory(seed)
    return [factory.new("asst_") for _ in range(n)]


def restarted(path: Path, seed: int) -> FakeAssistants:
    fake = FakeAssistants(seed=seed)
    fake.persist(SqliteState(path))
    return fake


def test_a_failed_state_write_answers_500_and_changes_nothing(tmp_path: Path) -> None:
    fake = FakeAssistants()
    state = SqliteState(tmp_path / "store.sqlite")
    fake.persist(state)
    with fake.http_client(headers=HEADERS) as client:
        created = client.post("/assistants", json={"model": "gpt-4o", "name": "kept"})
        assert created.status_code == 200
        before = dict(fake.assistants)
        state.close()  # every later write fails
        item = f"/assistants/{created.json()['id']}"
        assert client.post(item, json={"name": "not acknowledged"}).status_code == 500
        assert client.delete(item).status_code == 500
        assert client.post("/assistants", json={"model": "gpt-4o"}).status_code == 500
    assert dict(fake.assistants) == before
    with pytest.raises(FakeInternalError) as failed:
        fake.check()
    assert str(failed.value).count("Traceback (most recent call last)") == 3


def test_reset_empties_the_file_and_restarts_the_id_sequence(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    fake = restarted(path, seed=9)
    with fake.http_client(headers=HEADERS) as client:
        for _ in range(3):
            client.post("/assistants", json={"model": "gpt-4o"})
        fake.reset()
        again = client.post("/assistants", json={"model": "gpt-4o"}).json()
    assert again["id"] == ids(9, 1)[0]
    after = restarted(path, seed=9)
    assert list(after.assistants) == [again["id"]]
    assert after.spend_id() == ids(9, 2)[1]


def test_modifies_keep_creation_order_and_the_latest_fields(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    fake = restarted(path, seed=1)
    fake.clock.set(1_700_000_000)
    with fake.http_client(headers=HEADERS) as client:
        made = [
            client.post("/assistants", json={"model": "gpt-4o", "name": n}).json()["id"]
            for n in "abc"
        ]
        client.post(f"/assistants/{made[0]}", json={"name": "a2", "metadata": {"x": "y"}})
    after = restarted(path, seed=1)
    assert list(after.assistants) == made
    assert after.assistants[made[0]] == fake.assistants[made[0]]
    assert after.assistants[made[0]]["name"] == "a2"


def test_attach_needs_an_empty_backend(tmp_path: Path) -> None:
    fake = FakeAssistants()
    fake.add({"model": "gpt-4o"})
    with pytest.raises(ValueError, match="empty store"):
        fake.persist(SqliteState(tmp_path / "store.sqlite"))
