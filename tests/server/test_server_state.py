"""``--state``: the SQLite store under the backend, tested in process (the subprocess
restarts, ``kill -9`` included, are in test_server_cli.py)."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

import pytest

from pytest_assistants import FakeAssistants, FakeInternalError
from pytest_assistants.reach.clients import TEST_API_KEY
from pytest_assistants.server.state import SqliteState
from pytest_assistants.service.resources.assistants.semantics import new_record
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


def old_layout(path: Path, records: list[dict[str, object]], ids_state: object) -> None:
    """A state file as written before objects had kinds: one ``assistants`` table."""
    db = sqlite3.connect(path)
    with db:
        db.execute(
            "CREATE TABLE assistants (position INTEGER PRIMARY KEY AUTOINCREMENT,"
            " id TEXT NOT NULL UNIQUE, record TEXT NOT NULL)"
        )
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        for record in records:
            db.execute(
                "INSERT INTO assistants (id, record) VALUES (?, ?)",
                (record["id"], json.dumps(record)),
            )
        db.execute("INSERT INTO meta VALUES ('object_id_state', ?)", (json.dumps(ids_state),))
    db.close()


def test_a_file_of_the_old_layout_is_read_and_rewritten_by_kind(tmp_path: Path) -> None:
    """A file written before rows had kinds (assistants only, the RNG state alone as the id
    sequence) loads as assistants, and the next id is the one the old server would issue."""
    path = tmp_path / "old.sqlite"
    sequence = IdFactory(5)
    made = [sequence.new("asst_") for _ in range(2)]
    records = [
        {**new_record(assistant_id, 1_700_000_000 + n), "name": f"a{n}"}
        for n, assistant_id in enumerate(made)
    ]
    old_layout(path, records, sequence.state()[0])
    fake = restarted(path, seed=5)
    assert [fake.assistants[i]["name"] for i in made] == ["a0", "a1"]
    assert fake.spend_id() == sequence.new("asst_")
    db = sqlite3.connect(path)
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    kinds = [row[0] for row in db.execute("SELECT kind FROM objects ORDER BY position")]
    db.close()
    assert "assistants" not in tables
    assert kinds == ["assistant", "assistant"]


@pytest.mark.parametrize(
    "state",
    [
        [[3, [0] * 625, None], []],  # all zero: the generator would repeat one value
        [[3, [1] * 624 + [700], None], []],  # position past the end
        [[2, [1] * 625, None], []],  # another generator version
        [[3, [1] * 625, None], ["short"]],  # a given-back suffix of the wrong length
        [[3, [1] * 600, None], []],
    ],
)
def test_a_damaged_id_sequence_is_refused(state: object) -> None:
    from pytest_assistants.server.state import id_state

    with pytest.raises(ValueError, match="not a Mersenne Twister state"):
        id_state(state)


def test_threads_messages_and_runs_survive_a_restart(tmp_path: Path) -> None:
    """Every kind is a row: a restarted server finds the conversation where it was, and a
    run goes on from its status."""
    path = tmp_path / "store.sqlite"
    fake = restarted(path, seed=4)
    with fake.http_client(headers=HEADERS) as client:
        helper = client.post("/assistants", json={"model": "gpt-4o", "instructions": "x"}).json()
        thread = client.post(
            "/threads", json={"messages": [{"role": "user", "content": "hi"}]}
        ).json()
        run = client.post(f"/threads/{thread['id']}/runs", json={"assistant_id": helper["id"]})
        run_path = f"/threads/{thread['id']}/runs/{run.json()['id']}"
        assert client.get(run_path).json()["status"] == "in_progress"
    again = restarted(path, seed=4)
    assert list(again.threads) == [thread["id"]]
    with again.http_client(headers=HEADERS) as client:
        assert client.get(run_path).json()["status"] == "completed"
        listed = client.get(f"/threads/{thread['id']}/messages", params={"order": "asc"}).json()
    assert [m["role"] for m in listed["data"]] == ["user", "assistant"]
