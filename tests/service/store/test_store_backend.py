"""The store's own contract (``service/backend.py``), through ``fake.backend`` and ``fake.clock``.

What the persistence hook is told, what ``reset`` restarts, what ``add`` keeps, what the clock
gives: the expected values are the documented contract and the literals these tests send.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.service.errors import ApiError
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


def test_the_backend_iterates_oldest_first() -> None:
    fake = FakeAssistants(clock_start=T0)
    made = [fake.backend.add({"id": f"asst_{n}", "created_at": T0 + 5 - n})["id"] for n in range(3)]
    assert list(fake.backend) == made[::-1]  # oldest created_at first


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
    assert sorted(fake.backend.snapshot()[made["id"]]) == sorted(
        ["id", "object", "created_at", "name", "description", "model", "instructions", "tools",
         "top_p", "temperature", "reasoning_effort", "file_ids", "tool_resources", "metadata",
         "response_format"]
    )  # fmt: skip


def test_a_snapshot_is_the_store_and_shares_nothing_with_it() -> None:
    fake = FakeAssistants(clock_start=T0)
    fake.backend.add({"id": "asst_1", "model": "gpt-4o", "metadata": {"k": "v"}})
    snapshot = fake.backend.snapshot()
    assert list(snapshot) == ["asst_1"]
    snapshot["asst_1"]["metadata"]["k"] = "changed"
    assert fake.backend.snapshot()["asst_1"]["metadata"] == {"k": "v"}


def test_added_objects_get_defaults_and_drop_unknown_fields() -> None:
    """add: missing fields get the server defaults (§5.1), created_at the clock's time and
    the id a new ``asst_`` + 24 base62 (§5.1 'id'); fields no assistant has are not kept."""
    fake = FakeAssistants(clock_start=T0)
    record = fake.backend.add({"model": "gpt-4o", "colour": "red"})
    assert re.fullmatch(r"asst_[A-Za-z0-9]{24}", record["id"])
    assert record["created_at"] == T0
    assert "colour" not in fake.backend.snapshot()[record["id"]]


def test_an_added_created_at_that_is_no_number_is_refused() -> None:
    """``--state`` loading reports a damaged record (a ValueError) instead of storing it."""
    with pytest.raises(ValueError, match="soon"):
        FakeAssistants().backend.add({"id": "asst_1", "created_at": "soon"})


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


def test_the_persistence_hook_hears_every_change_by_kind() -> None:
    """``on_change`` gets ("put", id, record), ("delete", id, None) or ("reset", None, None)."""
    fake = FakeAssistants(clock_start=T0)
    heard: list[tuple[str, str | None, Any]] = []
    fake.backend.on_change = lambda kind, assistant_id, record: heard.append(
        (kind, assistant_id, record and record["name"])
    )
    http = fake.http_client()
    made = http.post("/assistants", headers=BETA, json={"model": "gpt-4o", "name": "a"}).json()
    http.post(f"/assistants/{made['id']}", headers=BETA, json={"name": "b"})
    http.delete(f"/assistants/{made['id']}", headers=BETA)
    fake.backend.reset()
    assert heard == [
        ("put", made["id"], "a"),
        ("put", made["id"], "b"),
        ("delete", made["id"], None),
        ("reset", None, None),
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
    fake = FakeAssistants()
    rules = fake.profile.served["v2"]
    with pytest.raises(ApiError) as raised:
        fake.backend.modify("asst_gone", {"name": "x"}, rules, fake.profile.choices)
    assert (raised.value.status, raised.value.body) == (404, not_found("asst_gone"))
