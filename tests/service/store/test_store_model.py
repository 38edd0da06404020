"""The store against a plain model, under Hypothesis' rule-based state machine.

Rules create, modify (valid and refused), delete, list, retrieve and add through the fake's
real openai client and raw httpx through ``fake.transport()``; every value handed out (SDK
objects, response JSON, journal entries, the ``assistants`` view, ``add()``'s input and
output) is kept and later vandalised. After every step the store must equal the model (a
dict of expected wire objects in creation order) and every journal entry must read as it
did when it was written. Expected objects are built from the §5.1 defaults, not by the fake.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    precondition,
    rule,
)

from pytest_assistants import FakeAssistants
from pytest_assistants.reach.clients import TEST_API_KEY
from tests.expected import served_v2

openai = pytest.importorskip("openai")

T0 = 1_700_000_000
HEADERS = {"authorization": f"Bearer {TEST_API_KEY}", "openai-beta": "assistants=v2"}
CODE = {"type": "code_interpreter"}

texts = st.none() | st.text(max_size=8)
metadata = st.none() | st.dictionaries(st.sampled_from("abc"), st.text(max_size=4), max_size=3)
tools = st.sampled_from([[], [CODE]])


def served(assistant_id: str, **fields: Any) -> dict[str, Any]:
    return served_v2(assistant_id, T0, **fields)


def patched(expected: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Modify semantics (§3): null clears, metadata and tools replaced whole; a
    code_interpreter tool brings its empty resource block."""
    out = copy.deepcopy(expected)
    for key, value in patch.items():
        out[key] = {} if key == "metadata" and value is None else copy.deepcopy(value)
    if CODE in out["tools"] and "code_interpreter" not in out["tool_resources"]:
        out["tool_resources"] = {"code_interpreter": {"file_ids": []}, **out["tool_resources"]}
    return out


def vandalise(value: Any) -> None:
    """Change whatever ``value`` lets us change, in place (dicts, lists, SDK objects)."""
    if isinstance(value, dict):
        for item in list(value.values()):
            vandalise(item)
        value["name"] = "vandalised"
        value.pop("id", None)
        if isinstance(value.get("metadata"), dict):
            value["metadata"]["vandal"] = "x"
    elif isinstance(value, list):
        for item in value:
            vandalise(item)
        value.append({"type": "vandal"})
    elif hasattr(value, "model_dump"):  # an SDK object: pydantic, mutable
        if isinstance(getattr(value, "metadata", None), dict):
            value.metadata["vandal"] = "x"
        if isinstance(getattr(value, "tools", None), list):
            value.tools.clear()
        if hasattr(value, "name"):
            value.name = "vandalised"


def entry(call: Any) -> tuple[Any, ...]:
    return (
        call.method,
        call.url,
        call.status,
        call.operation,
        call.json,
        call.response_json,
        call.headers,
    )


class StoreModel(RuleBasedStateMachine):
    assistants = Bundle("assistants")

    def __init__(self) -> None:
        super().__init__()
        self.fake = FakeAssistants(clock_start=T0)
        self.sdk = self.fake.openai(max_retries=0)
        self.http = self.fake.http_client(headers=HEADERS)
        self.model: dict[str, dict[str, Any]] = {}  # insertion order = creation order
        self.journal: list[tuple[Any, ...]] = []
        self.held: list[Any] = []
        self.added = 0

    def teardown(self) -> None:
        self.http.close()
        self.sdk.close()

    def hold(self, *values: Any) -> None:
        self.held.extend(values)
        for call in self.fake.calls[len(self.journal) :]:
            self.journal.append(entry(call))
            self.held.extend([call.json, call.response_json, call.headers])

    # -- requests ----------------------------------------------------------------------

    @rule(target=assistants, name=texts, meta=metadata, kit=tools, raw=st.booleans())
    def create(self, name: str | None, meta: Any, kit: list[Any], raw: bool) -> str:
        body: dict[str, Any] = {"model": "gpt-4o", "name": name, "tools": kit}
        if meta is not None:
            body["metadata"] = meta
        if raw:
            made: Any = self.http.post("/assistants", json=body).json()
            assistant_id = made["id"]
        else:
            made = self.sdk.beta.assistants.create(**body)
            assistant_id = made.id
        self.model[assistant_id] = patched(served(assistant_id), body)
        self.hold(made)
        return str(assistant_id)

    @rule(
        assistant_id=assistants,
        name=texts,
        description=texts,
        meta=metadata,
        kit=st.none() | tools,
        raw=st.booleans(),
    )
    def modify(
        self,
        assistant_id: str,
        name: str | None,
        description: str | None,
        meta: Any,
        kit: list[Any] | None,
        raw: bool,
    ) -> None:
        patch: dict[str, Any] = {"name": name, "description": description, "metadata": meta}
        if kit is not None:
            patch["tools"] = kit
        if assistant_id not in self.model:
            response = self.http.post(f"/assistants/{assistant_id}", json=patch)
            assert response.status_code == 404
            self.hold(response.json())
            return
        self.model[assistant_id] = patched(self.model[assistant_id], patch)
        if raw:
            answer: Any = self.http.post(f"/assistants/{assistant_id}", json=patch).json()
            assert answer == self.model[assistant_id]
        else:
            answer = self.sdk.beta.assistants.update(assistant_id, **patch)
            assert answer.model_dump(mode="json", exclude_unset=True) == self.model[assistant_id]
        self.hold(answer)

    @rule(assistant_id=assistants, name=st.text(max_size=4))
    def refused_modify(self, assistant_id: str, name: str) -> None:
        """Valid fields but one: nothing of it may be stored."""
        patch = {"name": name, "metadata": {"k": "v"}, "temperature": 2.5}
        response = self.http.post(f"/assistants/{assistant_id}", json=patch)
        assert response.status_code == (400 if assistant_id in self.model else 404)
        self.hold(response.json())

    @rule(assistant_id=consumes(assistants), raw=st.booleans())
    def delete(self, assistant_id: str, raw: bool) -> None:
        if assistant_id not in self.model:  # added assistants are deleted here too
            return
        del self.model[assistant_id]
        if raw:
            answer: Any = self.http.delete(f"/assistants/{assistant_id}").json()
        else:
            answer = self.sdk.beta.assistants.delete(assistant_id)
        self.hold(answer)

    @rule(assistant_id=assistants)
    def retrieve(self, assistant_id: str) -> None:
        response = self.http.get(f"/assistants/{assistant_id}")
        answer = response.json()
        if assistant_id in self.model:
            assert answer == self.model[assistant_id]
        else:
            assert response.status_code == 404
        self.hold(answer)

    @rule(raw=st.booleans())
    def list_all(self, raw: bool) -> None:
        if raw:
            page = self.http.get("/assistants", params={"order": "asc", "limit": 100}).json()
            data = page["data"]
        else:
            sdk_page = self.sdk.beta.assistants.list(order="asc", limit=100)
            data = [item.model_dump(mode="json", exclude_unset=True) for item in sdk_page.data]
            page = sdk_page
        assert data == list(self.model.values())
        self.hold(page)

    @rule(target=assistants, name=texts, meta=metadata, kit=tools)
    def add(self, name: str | None, meta: Any, kit: list[Any]) -> str:
        self.added += 1
        assistant_id = f"asst_added{self.added:014d}"
        given: dict[str, Any] = {
            "id": assistant_id,
            "created_at": T0,
            "model": "gpt-4o",
            "name": name,
            "tools": copy.deepcopy(kit),
            "metadata": {} if meta is None else dict(meta),
        }
        returned = self.fake.add(given)
        expected = served(assistant_id)
        expected.update(copy.deepcopy(given))  # add stores as given: no normalisation
        assert returned == expected
        self.model[assistant_id] = expected
        self.hold(given, returned)
        return assistant_id

    # -- handed-out values -------------------------------------------------------------

    @precondition(lambda self: bool(self.held))
    @rule(pick=st.integers(min_value=0))
    def vandalise_one(self, pick: int) -> None:
        vandalise(self.held[pick % len(self.held)])

    @precondition(lambda self: bool(self.model))
    @rule(pick=st.integers(min_value=0))
    def vandalise_the_view(self, pick: int) -> None:
        assistant_id = list(self.model)[pick % len(self.model)]
        vandalise(self.fake.assistants[assistant_id])
        for value in self.fake.assistants.values():
            vandalise(value)
        vandalise(self.fake.calls)

    @rule()
    def vandalise_everything_held(self) -> None:
        for value in self.held:
            vandalise(value)

    # -- invariants --------------------------------------------------------------------

    @invariant()
    def store_equals_model(self) -> None:
        assert list(self.fake.assistants) == list(self.model)
        assert dict(self.fake.assistants) == self.model

    @invariant()
    def journal_entries_never_change(self) -> None:
        assert [entry(call) for call in self.fake.calls] == self.journal


StoreModel.TestCase.settings = settings(
    max_examples=12,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_store_against_a_plain_model = StoreModel.TestCase
