"""The store's own contract (``service/store.py``), through the facade and the store itself.

What the persistence hook is told, what ``reset`` restarts, what ``add`` keeps, what the clock
gives: the expected values are the documented contract and the literals these tests send.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.service.errors import ApiError
from pytest_assistants.service.http import HttpRequest
from pytest_assistants.service.profiles import get_profile
from pytest_assistants.service.resources.assistants import handlers, semantics
from pytest_assistants.service.resources.common import Context
from pytest_assistants.service.resources.runs.script import Script
from pytest_assistants.service.store import Change, KeyTakenError, Store
from tests.expected import not_found

T0 = 1_700_000_000
BETA = {"OpenAI-Beta": "assistants=v2", "Authorization": "Bearer sk-test"}


def test_created_at_is_the_clock_as_set_and_advanced() -> None:
    fake = FakeAssistants()
    fake.clock.set(T0)
    http = fake.http_client()
    first = http.post("/assistants", headers=BETA, json={"model": "gpt-4o"}).json()
    assert fake.clock.advance() == T0 + 1  # one second unless told otherwise
    second = http.post("/assistants", headers=BETA, json={"model": "gpt-4o"}).json()
    assert (first["created_at"], second["created_at"]) == (T0, T0 + 1)


def test_the_store_iterates_oldest_first() -> None:
    fake = FakeAssistants(clock_start=T0)
    made = [fake.add({"id": f"asst_{n}", "created_at": T0 + 5 - n})["id"] for n in range(3)]
    assert list(fake.assistants) == made[::-1]  # oldest created_at first


def test_a_seed_fixes_the_request_ids_too() -> None:
    """Ids come from seeded generators: two fakes of one seed answer the same x-request-id."""
    ids = []
    for _ in range(2):
        answer = FakeAssistants(seed=5).http_client().get("/assistants", headers=BETA)
        ids.append(answer.headers["x-request-id"])
    assert ids[0] == ids[1]


def test_a_stored_record_holds_every_eras_fields_once() -> None:
    """One store serves every era: the union of §5.1's v1 and v2 keys, nothing else."""
    fake = FakeAssistants()
    made = fake.http_client().post("/assistants", headers=BETA, json={"model": "gpt-4o"}).json()
    assert sorted(fake.snapshot()["assistant"][made["id"]]) == sorted(
        ["id", "object", "created_at", "name", "description", "model", "instructions", "tools",
         "top_p", "temperature", "reasoning_effort", "file_ids", "tool_resources", "metadata",
         "response_format"]
    )  # fmt: skip


def test_a_snapshot_is_the_store_and_shares_nothing_with_it() -> None:
    fake = FakeAssistants(clock_start=T0)
    fake.add({"id": "asst_1", "model": "gpt-4o", "metadata": {"k": "v"}})
    snapshot = fake.snapshot()
    assert list(snapshot) == ["assistant"]
    assert list(snapshot["assistant"]) == ["asst_1"]
    snapshot["assistant"]["asst_1"]["metadata"]["k"] = "changed"
    assert fake.snapshot()["assistant"]["asst_1"]["metadata"] == {"k": "v"}


def test_added_objects_get_defaults_and_drop_unknown_fields() -> None:
    """add: missing fields get the server defaults (§5.1), created_at the clock's time and
    the id a new ``asst_`` + 24 base62 (§5.1 'id'); fields no assistant has are not kept."""
    fake = FakeAssistants(clock_start=T0)
    record = fake.add({"model": "gpt-4o", "colour": "red"})
    assert re.fullmatch(r"asst_[A-Za-z0-9]{24}", record["id"])
    assert record["created_at"] == T0
    assert "colour" not in fake.snapshot()["assistant"][record["id"]]


def test_a_preloaded_created_at_that_is_no_number_is_refused() -> None:
    """``--state`` loading reports a damaged record (a ValueError) instead of storing it."""
    with pytest.raises(ValueError, match="soon"):
        semantics.preloaded({"id": "asst_1", "created_at": "soon"}, T0)


def test_resource_blocks_follow_the_schemas_order_not_the_tools() -> None:
    """Each resource tool gets its block; the blocks are in the order the spec's
    ``tool_resources`` lists them (code_interpreter, file_search), whatever the tools' order."""
    fake = FakeAssistants()
    tools = [{"type": "file_search"}, {"type": "code_interpreter"}]
    answer = fake.http_client().post(
        "/assistants", headers=BETA, json={"model": "gpt-4o", "tools": tools}
    )
    assert list(answer.json()["tool_resources"]) == ["code_interpreter", "file_search"]


def test_a_preloaded_unknown_resource_block_stays_after_the_known_ones() -> None:
    """``add`` keeps a block no schema knows (an object from elsewhere); a later modify
    keeps it too, after the blocks of the spec's order."""
    fake = FakeAssistants()
    resources = {"browser": {"ids": []}, "code_interpreter": {"file_ids": []}}
    fake.add({"id": "asst_1", "model": "gpt-4o", "tool_resources": resources})
    answer = fake.http_client().post("/assistants/asst_1", headers=BETA, json={"name": "x"})
    assert list(answer.json()["tool_resources"]) == ["code_interpreter", "browser"]


class Listener:
    """A persistence layer that writes down what it is told (``fake.persist``)."""

    def __init__(self) -> None:
        self.heard: list[tuple[str, str, str, Any]] = []

    def attach(self, store: Store) -> int:
        store.on_commit = self.commit
        store.on_reset = lambda: self.heard.append(("reset", "", "", None))
        return 0

    def commit(self, changes: list[Change]) -> None:
        for change in changes:
            name = change.record and change.record["name"]
            self.heard.append((change.op, change.kind, change.key, name))


def test_the_persistence_hook_hears_every_change_by_kind() -> None:
    """``on_commit`` gets each transaction's changes: ("put", kind, key, record) or
    ("delete", kind, key, None); ``on_reset`` a reset."""
    fake = FakeAssistants(clock_start=T0)
    listener = Listener()
    assert fake.persist(listener) == 0
    http = fake.http_client()
    made = http.post("/assistants", headers=BETA, json={"model": "gpt-4o", "name": "a"}).json()
    http.post(f"/assistants/{made['id']}", headers=BETA, json={"name": "b"})
    http.delete(f"/assistants/{made['id']}", headers=BETA)
    fake.reset()
    assert listener.heard == [
        ("put", "assistant", made["id"], "a"),
        ("put", "assistant", made["id"], "b"),
        ("delete", "assistant", made["id"], None),
        ("reset", "", "", None),
    ]


def test_reset_restarts_the_id_sequence_from_the_seed() -> None:
    fake = FakeAssistants(seed=7)
    http = fake.http_client()
    first = http.post("/assistants", headers=BETA, json={"model": "gpt-4o"}).json()["id"]
    fake.reset()
    again = http.post("/assistants", headers=BETA, json={"model": "gpt-4o"}).json()["id"]
    assert again == first


def test_modifying_an_assistant_deleted_meanwhile_is_the_404() -> None:
    """The route checks the id first; a delete in between still gets §4.2's 404 text."""
    profile = get_profile("openai-v2@2025-08")
    request = HttpRequest("POST", "api.openai.com", "/v1/assistants/asst_gone", body=b"{}")
    params = {"assistant_id": "asst_gone"}
    ctx = Context(request, params, profile.default, profile.choices, Store(), Script())
    with pytest.raises(ApiError) as raised:
        handlers.modify(ctx)
    assert (raised.value.status, raised.value.body) == (404, not_found("asst_gone"))


def test_the_store_itself_never_replaces_a_preloaded_key() -> None:
    """``Store.add`` files a record under a key no record of its kind holds; a second
    ``add`` of the key is refused and the first record stays."""
    store = Store()
    store.add("assistant", {"id": "asst_1", "created_at": T0, "name": "first"})
    with pytest.raises(KeyTakenError):
        store.add("assistant", {"id": "asst_1", "created_at": T0, "name": "second"})
    assert store.get("assistant", "asst_1") == {"id": "asst_1", "created_at": T0, "name": "first"}


def test_a_transaction_reads_its_own_changes_in_creation_order() -> None:
    """What a handler reads inside a transaction is the store as the transaction leaves
    it: a changed record in its place, a deleted one gone, a new one last; the store
    itself unchanged until the commit."""
    store = Store()
    for n in (1, 2, 3):
        store.add("assistant", {"id": f"asst_{n}", "created_at": T0 + n, "name": "old"})
    changed = {"id": "asst_2", "created_at": T0 + 2, "name": "new"}
    added = {"id": "asst_4", "created_at": T0 + 4, "name": "new"}
    with store.transaction() as tx:
        tx.delete("assistant", "asst_1")
        tx.put("assistant", changed)
        tx.put("assistant", added)
        assert [(r["id"], r["name"]) for r in tx.records("assistant")] == [
            ("asst_2", "new"),
            ("asst_3", "old"),
            ("asst_4", "new"),
        ]
        assert store.keys("assistant") == ["asst_1", "asst_2", "asst_3"]
    assert store.keys("assistant") == ["asst_2", "asst_3", "asst_4"]


@pytest.mark.assistants(profile="openai-v1@2024-04")
def test_a_v1_modify_dropping_a_preloaded_assistants_file_is_served(
    assistants_fake: Any,
) -> None:
    """A v1 ``file_ids`` write deletes the assistant-file records of the files it drops
    (§3 [S0]); an assistant preloaded with ``file_ids`` has none, so the store deletes a key
    it does not hold: nothing to do, and the modify is answered like any other."""
    assistants_fake.add({"id": "asst_1", "model": "gpt-4", "file_ids": ["file-a"]})
    v1 = {"OpenAI-Beta": "assistants=v1", "Authorization": "Bearer sk-test"}
    answer = assistants_fake.http_client().post(
        "/assistants/asst_1", headers=v1, json={"file_ids": []}
    )
    assert (answer.status_code, answer.json()["file_ids"]) == (200, [])
