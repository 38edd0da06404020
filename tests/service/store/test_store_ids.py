"""Ids are never reused: a create never takes a preloaded id, preloading never replaces."""

from __future__ import annotations

import re

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.service.profiles.rules import HEX
from pytest_assistants.service.store import IdFactory, Store

BETA = {"OpenAI-Beta": "assistants=v2", "Authorization": "Bearer sk-test"}


def test_a_create_skips_the_id_add_took_from_the_sequence() -> None:
    """``add`` of the very id the RNG draws next: the next create gets the one after."""
    sequence = IdFactory(0)
    first, second = sequence.new("asst_"), sequence.new("asst_")
    fake = FakeAssistants(seed=0)
    fake.add({"id": first, "model": "gpt-4o", "name": "preloaded"})
    made = fake.http_client().post("/assistants", headers=BETA, json={"model": "gpt-4o"}).json()
    assert made["id"] == second
    assert fake.assistants[first]["name"] == "preloaded"  # untouched
    assert len(fake.assistants) == 2


def test_add_never_replaces_an_object_and_says_how_to_change_one() -> None:
    fake = FakeAssistants()
    made = fake.openai(max_retries=0).beta.assistants.create(model="gpt-4o", name="created")
    with pytest.raises(ValueError, match=f"{made.id} is already stored") as refused:
        fake.add({"id": made.id, "name": "preloaded"})
    assert "reset() the fake first" in str(refused.value)
    assert fake.assistants[made.id]["name"] == "created"


def test_a_deleted_id_is_never_issued_again() -> None:
    """The store remembers every id it held: a sequence that comes round to one skips it."""
    store = Store(seed=3)
    with store.transaction() as tx:
        taken = tx.new_id("asst_")
        tx.put("assistant", {"id": taken, "created_at": 0})
    with store.transaction() as tx:
        tx.delete("assistant", taken)
    store.ids.give_back([taken.removeprefix("asst_")])  # the sequence offers it again
    with store.transaction() as tx:
        assert tx.new_id("asst_") != taken


def test_a_failed_transaction_gives_back_its_ids_in_order() -> None:
    store, twin = Store(seed=4), Store(seed=4)

    def refused_after_drawing() -> None:
        with store.transaction() as tx:
            tx.new_id("vs_")
            tx.new_id("asst_")
            raise RuntimeError("refused after drawing")

    with pytest.raises(RuntimeError):
        refused_after_drawing()
    with store.transaction() as tx, twin.transaction() as other:
        assert [tx.new_id("vs_"), tx.new_id("asst_")] == [
            other.new_id("vs_"),
            other.new_id("asst_"),
        ]
    assert store.ids.state() == twin.ids.state()


def test_an_id_has_the_shape_it_is_asked_for() -> None:
    """A resource may ask for another alphabet and length (§14.5: eras shaped ``vs_`` ids
    as 32 hex): the suffix is that long, of that alphabet only."""
    made = IdFactory(0).new("vs_", HEX, 32)
    assert re.fullmatch(r"vs_[0-9a-f]{32}", made)


def test_given_back_suffixes_are_drawn_again_first_given_first() -> None:
    """Suffixes given back are the sequence's next ones, each only to a draw of its own
    shape: a 24-base62 draw never gets a 32-hex suffix, nor the other way round."""
    ids = IdFactory(0)
    first, second, hexed = "a" * 24, "b" * 24, HEX * 2  # hexed: every character of HEX
    ids.give_back([first, second, hexed])
    assert ids.draw(HEX, 32) != first
    assert [ids.draw(), ids.draw()] == [first, second]
    assert ids.draw() != hexed
    assert ids.draw(HEX, 32) == hexed


def test_a_restored_sequence_resumes_with_its_given_back_suffixes() -> None:
    """``state()`` / ``restore()`` are how a persisted store resumes: the given-back
    suffixes come back with the generator, then the same draws follow."""
    ids = IdFactory(1)
    ids.give_back(["c" * 24])
    resumed = IdFactory(2)
    resumed.restore(ids.state())
    assert [resumed.draw() for _ in range(3)] == [ids.draw() for _ in range(3)]


def test_a_new_id_skips_one_staged_in_the_same_transaction() -> None:
    """An id put in this very transaction is taken though not yet committed: the next
    ``new_id`` is another one."""
    store = Store(seed=6)
    taken = IdFactory(6).new("asst_")  # what the store's sequence draws next
    with store.transaction() as tx:
        tx.put("assistant", {"id": taken, "created_at": 0})
        tx.delete("assistant", "asst_other")
        assert tx.new_id("asst_") != taken
