"""``pytest-assistants serve`` as a user runs it: a subprocess on a free port, stopped by
signals, and restarted on the same ``--state`` file (``kill -9`` included)."""

from __future__ import annotations

import signal
import subprocess
import threading
from typing import TYPE_CHECKING, Any

import pytest

from pytest_assistants.service.store import IdFactory
from tests.expected import not_found
from tests.server.served import SERVE, Served

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytest.importorskip("uvicorn")


@pytest.fixture
def serve() -> Iterator[Any]:
    started: list[Served] = []

    def start(*options: str) -> Served:
        started.append(Served(*options))
        return started[-1]

    yield start
    for served in started:
        served.close()


def everything(served: Served) -> list[dict[str, Any]]:
    answer = served.client.get("/v1/assistants", params={"limit": 100, "order": "asc"})
    assert answer.status_code == 200
    assert not answer.json()["has_more"]
    return list(answer.json()["data"])


def nth_id(seed: int, n: int) -> str:
    ids = IdFactory(seed)
    return [ids.new("asst_") for _ in range(n)][-1]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serves_then_stops_cleanly_on_signal(serve: Any, sig: signal.Signals) -> None:
    served = serve("--seed", "5")
    assert "profile openai-v2@2025-08" in served.banner
    assert "in memory" in served.banner
    created = served.client.post("/v1/assistants", json={"model": "gpt-4o"})
    assert created.status_code == 200
    assert created.json()["id"] == nth_id(5, 1)
    assert served.stop(sig) == 0
    rest = served.output()
    assert rest[-1] == f"pytest-assistants stopped on {sig.name} (1 assistant(s))"
    assert served.process.stderr is not None
    assert "Traceback" not in served.process.stderr.read()


def test_all_dialects_share_one_port_and_one_store(serve: Any) -> None:
    served = serve()
    root = served.root
    assert f"{root}/portkey/v1" in served.lines.get(timeout=5)
    created = served.client.post("/v1/assistants", json={"model": "gpt-4o"}).json()
    item = f"/v1/assistants/{created['id']}"
    assert served.client.get(f"/openai{item}").json() == created
    portkey = {"x-portkey-api-key": "pk-test", "x-portkey-virtual-key": "vk-test"}
    through_gateway = served.client.get(f"/portkey{item}", headers=portkey)
    assert through_gateway.json() == created
    assert through_gateway.headers["x-portkey-provider"] == "openai"  # Portkey's rules
    renamed = served.client.patch(f"/zerobot{item}", json={"name": "zb"})  # Zerobot's verb
    assert renamed.status_code == 200
    assert served.client.get(item).json()["name"] == "zb"
    assert served.client.patch(item, json={"name": "x"}).status_code == 404  # not OpenAI's


def test_dialect_option_sets_the_rules_of_unprefixed_paths(serve: Any) -> None:
    served = serve("--dialect", "zerobot")
    assert "dialect zerobot" in served.banner
    created = served.client.post("/v1/assistants", json={"model": "gpt-4o"}).json()
    item = f"/v1/assistants/{created['id']}"
    assert served.client.patch(item, json={"name": "zb"}).status_code == 200
    assert served.client.patch(f"/openai{item}", json={"name": "x"}).status_code == 404


def test_bad_options_say_how_to_fix_them(serve: Any, tmp_path: Path) -> None:
    def run(*options: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*SERVE, *options], capture_output=True, text=True, timeout=60)

    profile = run("--profile", "openai-v9@2031-01")
    assert profile.returncode == 2
    assert "--profile 'openai-v9@2031-01' is not a profile: use one of" in profile.stderr
    assert "--assistants-profile" not in profile.stderr
    assert "openai-v2@2025-08" in profile.stderr  # lists the profiles that exist
    state = run("--state", str(tmp_path))  # a directory, not a file
    assert state.returncode == 2
    assert "--state" in state.stderr
    assert str(tmp_path) in state.stderr
    busy = serve()
    port = busy.root.rsplit(":", 1)[1]
    taken = subprocess.run(
        [*SERVE[:-1], port], capture_output=True, text=True, timeout=60
    )  # same port again
    assert taken.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in taken.stderr
    assert "--port" in taken.stderr


def test_state_survives_a_clean_restart(serve: Any, tmp_path: Path) -> None:
    state = str(tmp_path / "assistants.sqlite")
    first = serve("--state", state, "--seed", "3")
    ids = []
    for n in range(6):
        body = {"model": "gpt-4o", "name": f"n{n}", "tools": [{"type": "file_search"}]}
        ids.append(first.client.post("/v1/assistants", json=body).json()["id"])
    first.client.post(f"/v1/assistants/{ids[1]}", json={"metadata": {"kept": "yes"}})
    first.client.post(f"/v1/assistants/{ids[2]}", json={"temperature": 9})  # rejected: no change
    first.client.delete(f"/v1/assistants/{ids[3]}")
    before = everything(first)
    assert first.stop() == 0

    second = serve("--state", state, "--seed", "3")
    assert "5 assistant(s) loaded" in second.banner
    assert everything(second) == before
    new = second.client.post("/v1/assistants", json={"model": "gpt-4o"}).json()
    assert new["id"] == nth_id(3, 7)  # the id sequence resumes; no id is issued twice
    missing = second.client.get(f"/v1/assistants/{ids[3]}")
    assert missing.json() == not_found(ids[3])


def test_nothing_acknowledged_is_lost_on_kill_9(serve: Any, tmp_path: Path) -> None:
    state = str(tmp_path / "assistants.sqlite")
    first = serve("--state", state)
    acknowledged: dict[str, str | None] = {}  # id -> the name the server last said 200 to
    deleted: set[str] = set()
    pending: list[tuple[str, str | None, str | None]] = []  # the one request in flight
    stop = threading.Event()

    def write() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            try:
                if n % 3 == 1 or not acknowledged:
                    pending[:] = [("create", None, None)]
                    answer = first.client.post("/v1/assistants", json={"model": "gpt-4o"})
                    assert answer.status_code == 200
                    acknowledged[answer.json()["id"]] = answer.json()["name"]
                elif n % 7 == 0:
                    victim = next(iter(acknowledged))
                    pending[:] = [("delete", victim, None)]
                    assert first.client.delete(f"/v1/assistants/{victim}").status_code == 200
                    del acknowledged[victim]
                    deleted.add(victim)
                else:
                    target = next(reversed(acknowledged))
                    pending[:] = [("modify", target, f"v{n}")]
                    url = f"/v1/assistants/{target}"
                    assert first.client.post(url, json={"name": f"v{n}"}).status_code == 200
                    acknowledged[target] = f"v{n}"
                pending.clear()
            except Exception:  # the kill: the request in flight is not acknowledged
                return

    writer = threading.Thread(target=write)
    writer.start()
    while len(acknowledged) + len(deleted) < 40 and writer.is_alive():
        threading.Event().wait(0.01)
    first.process.kill()  # SIGKILL: no shutdown code runs
    first.process.wait(timeout=30)
    stop.set()
    writer.join(30)
    assert first.process.returncode == -signal.SIGKILL

    second = serve("--state", state)
    after = {a["id"]: a["name"] for a in everything(second)}
    kind, target, value = pending[0] if pending else (None, None, None)
    for assistant_id, name in acknowledged.items():
        if kind == "delete" and assistant_id == target and assistant_id not in after:
            continue  # the delete in flight at the kill landed before its answer
        assert assistant_id in after, f"acknowledged {assistant_id} lost"
        landed = {name, value} if assistant_id == target else {name}
        assert after[assistant_id] in landed
    assert not deleted & set(after)
    extra = set(after) - set(acknowledged)
    assert len(extra) <= (1 if kind == "create" else 0)


def test_id_sequence_resumes_after_kill_9(serve: Any, tmp_path: Path) -> None:
    state = str(tmp_path / "assistants.sqlite")
    first = serve("--state", state, "--seed", "11")
    for name in ("a", "b"):
        first.client.post("/v1/assistants", json={"model": "gpt-4o", "name": name})
    first.process.kill()
    first.process.wait(timeout=30)
    second = serve("--state", state, "--seed", "11")
    third = second.client.post("/v1/assistants", json={"model": "o1"}).json()
    assert third["id"] == nth_id(11, 3)
    assert [a["name"] for a in everything(second)] == ["a", "b", None]
