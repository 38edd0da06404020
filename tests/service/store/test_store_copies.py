"""Copy discipline: nothing a test holds shares mutable state with the store.

One test per guarantee; each names the copy whose removal makes it fail. The expected
objects are literals: the served defaults of PROVIDER_BEHAVIOUR §5.1 and the values sent.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.reach.clients import TEST_API_KEY
from pytest_assistants.service.http import HttpRequest
from pytest_assistants.service.resources.assistants.semantics import preloaded
from tests.expected import served_v2

if TYPE_CHECKING:
    from pytest_assistants.service.store import Change, Store

openai = pytest.importorskip("openai")

HEADERS = {"authorization": f"Bearer {TEST_API_KEY}", "openai-beta": "assistants=v2"}
T0 = 1_700_000_000


def served(assistant_id: str, **fields: Any) -> dict[str, Any]:
    return served_v2(assistant_id, T0, **fields)


CODE_TOOL = {
    "tools": [{"type": "code_interpreter"}],
    "tool_resources": {"code_interpreter": {"file_ids": []}},
}

# Preloaded as stored (the backend's add, no normalisation): a code_interpreter tool whose
# resource block is missing, so the next modify has to add one.
BARE = {"id": "asst_bare", "model": "gpt-4o", "created_at": T0, "tools": [CODE_TOOL["tools"][0]]}


def vandalise(value: Any) -> None:
    """Change every mutable thing reachable from ``value`` in place."""
    if isinstance(value, dict):
        for key in list(value):
            vandalise(value[key])
        if "metadata" in value and isinstance(value["metadata"], dict):
            value["metadata"]["vandal"] = "x"
        value["name"] = "vandalised"
        value.pop("id", None)
    elif isinstance(value, list):
        for item in value:
            vandalise(item)
        value.append({"type": "vandal"})


@pytest.fixture
def fake() -> FakeAssistants:
    return FakeAssistants(clock_start=T0)


def make(fake: FakeAssistants) -> str:
    client = fake.openai(max_retries=0)
    made = client.beta.assistants.create(
        model="gpt-4o", name="kept", metadata={"k": "v"}, tools=[{"type": "code_interpreter"}]
    )
    return str(made.id)


def test_changing_an_sdk_object_changes_nothing_stored(fake: FakeAssistants) -> None:
    assistant_id = make(fake)
    made = fake.openai(max_retries=0).beta.assistants.retrieve(assistant_id)
    made.metadata["k"] = "changed"  # type: ignore[index]
    made.tools.append(made.tools[0])
    made.name = "changed"
    assert fake.assistants[assistant_id] == served(
        assistant_id, name="kept", metadata={"k": "v"}, **CODE_TOOL
    )


def test_changing_a_journal_answer_changes_neither_the_store_nor_the_entry(
    fake: FakeAssistants,
) -> None:
    # Fails if the journal keeps the answer dict: its lists and dicts are the stored record's.
    assistant_id = make(fake)
    fake.openai(max_retries=0).beta.assistants.retrieve(assistant_id)
    expected = served(assistant_id, name="kept", metadata={"k": "v"}, **CODE_TOOL)
    vandalise(fake.calls[1].response_json)
    assert fake.calls[1].response_json == expected
    assert fake.assistants[assistant_id] == expected


def test_changing_a_journal_request_changes_nothing(fake: FakeAssistants) -> None:
    # Fails if Call caches the parsed body or hands out its header dict.
    make(fake)
    call = fake.calls[0]
    vandalise(call.json)
    call.headers["authorization"] = "Bearer changed"
    assert fake.calls[0].json == {
        "model": "gpt-4o",
        "name": "kept",
        "metadata": {"k": "v"},
        "tools": [{"type": "code_interpreter"}],
    }
    assert fake.calls[0].headers["authorization"] == f"Bearer {TEST_API_KEY}"
    with pytest.raises(AttributeError):
        call.status = 500  # type: ignore[misc]


def test_the_journal_keeps_its_own_read_only_headers(fake: FakeAssistants) -> None:
    # Fails if the entry keeps the request's header dict (a way in that reuses it would
    # rewrite the journal), or keeps a dict a test can change in place.
    sent = dict(HEADERS)
    request = HttpRequest("GET", "api.openai.com", "/v1/assistants", headers=sent)
    fake.handle(request)
    sent["authorization"] = "Bearer changed"
    entry = fake.calls[0]
    assert entry.headers == {
        "authorization": f"Bearer {TEST_API_KEY}",
        "openai-beta": "assistants=v2",
    }
    with pytest.raises(TypeError):
        entry.sent_headers["authorization"] = "Bearer changed"  # type: ignore[index]


def test_changing_the_journal_list_changes_nothing(fake: FakeAssistants) -> None:
    # Fails if ``calls`` returns the router's own list.
    make(fake)
    fake.calls.clear()
    fake.calls.append(fake.calls[0] if fake.calls else None)  # type: ignore[arg-type]
    assert [(c.method, c.operation, c.status) for c in fake.calls] == [
        ("POST", "assistants.create", 200)
    ]


def test_a_later_request_never_changes_an_earlier_entry(fake: FakeAssistants) -> None:
    # The first modify of BARE adds the resource block. Fails if that is done in the stored
    # dict (normalise_resources) while an entry still shares it, or if entries are live.
    fake.add(BARE)
    with fake.http_client(headers=HEADERS) as http:
        http.get("/assistants/asst_bare")
        http.post("/assistants/asst_bare", json={"name": "second"})
        http.post("/assistants/asst_bare", json={"metadata": {"a": "b"}})
    first, second, third = (call.response_json for call in fake.calls)
    assert first == served("asst_bare", tools=[{"type": "code_interpreter"}])
    assert second == served("asst_bare", name="second", **CODE_TOOL)
    assert third == served("asst_bare", name="second", metadata={"a": "b"}, **CODE_TOOL)


def test_changing_the_assistants_view_changes_nothing(fake: FakeAssistants) -> None:
    # Fails if FakeAssistants.wire stops deep-copying (Router.wire shares nested values).
    assistant_id = make(fake)
    vandalise(fake.assistants[assistant_id])
    for value in fake.assistants.values():
        vandalise(value)
    assert fake.assistants[assistant_id] == served(
        assistant_id, name="kept", metadata={"k": "v"}, **CODE_TOOL
    )


def test_changing_what_add_was_given_or_returned_changes_nothing(fake: FakeAssistants) -> None:
    given = {
        "id": "asst_given",
        "model": "gpt-4o",
        "created_at": T0,
        "metadata": {"k": "v"},
        "tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}],
        "tool_resources": {"code_interpreter": {"file_ids": ["file_1"]}},
    }
    kept = copy.deepcopy(given)
    returned = fake.add(given)
    vandalise(given)
    vandalise(returned)
    assert fake.assistants["asst_given"] == served(
        "asst_given",
        metadata=kept["metadata"],
        tools=kept["tools"],
        tool_resources=kept["tool_resources"],
    )


def test_changing_an_added_sdk_object_changes_nothing(fake: FakeAssistants) -> None:
    source = FakeAssistants(clock_start=T0)
    sdk_object = source.openai(max_retries=0).beta.assistants.create(
        model="gpt-4o", metadata={"k": "v"}
    )
    fake.add(sdk_object)
    sdk_object.metadata["k"] = "changed"  # type: ignore[index]
    assert fake.assistants[sdk_object.id] == served(sdk_object.id, metadata={"k": "v"})


def test_a_refused_create_gives_back_the_ids_it_drew(fake: FakeAssistants) -> None:
    # The vector_stores helper draws vs_ ids before the model check refuses the create.
    # Fails without the backend's id checkpoint: the twin's next id would differ.
    twin = FakeAssistants(clock_start=T0)
    helper = {"file_search": {"vector_stores": [{"file_ids": []}]}}
    with fake.http_client(headers=HEADERS) as http:
        refused = http.post(
            "/assistants", json={"model": "gpt-nonexistent", "tool_resources": helper}
        )
        assert refused.status_code == 400
        assert refused.json()["error"]["code"] == "model_not_found"
        made = http.post("/assistants", json={"model": "gpt-4o"}).json()
    with twin.http_client(headers=HEADERS) as http:
        expected = http.post("/assistants", json={"model": "gpt-4o"}).json()
    assert made == expected
    assert fake.snapshot() == twin.snapshot()


class FlakyState:
    """A persistence layer whose writes fail while ``broken`` (a full disk, a closed file)."""

    def __init__(self) -> None:
        self.broken = False

    def attach(self, store: Store) -> int:
        store.on_commit = self.write
        return 0

    def write(self, changes: list[Change]) -> None:
        if self.broken:
            raise OSError("disk full")


def test_a_failed_state_write_leaves_memory_and_the_id_sequence_as_they_were(
    fake: FakeAssistants,
) -> None:
    twin = FakeAssistants(clock_start=T0)
    state = FlakyState()
    fake.persist(state)
    fake.add(BARE)
    twin.add(BARE)
    before = fake.snapshot()
    state.broken = True
    with fake.http_client(headers=HEADERS) as http:
        assert http.post("/assistants", json={"model": "gpt-4o"}).status_code == 500
        renamed = http.post("/assistants/asst_bare", json={"name": "not acknowledged"})
        assert renamed.status_code == 500
        assert http.delete("/assistants/asst_bare").status_code == 500
    # Fails if normalise_resources fills the stored record's own tool_resources dict.
    assert fake.snapshot() == before
    assert fake.assistants["asst_bare"]["tool_resources"] == {}
    state.broken = False  # the next create must get the twin's next id
    with fake.http_client(headers=HEADERS) as http, twin.http_client(headers=HEADERS) as other:
        made = http.post("/assistants", json={"model": "gpt-4o"}).json()["id"]
        expected = other.post("/assistants", json={"model": "gpt-4o"}).json()["id"]
    assert made == expected
    assert [call.status for call in fake.calls] == [500, 500, 500, 200]


def test_a_preloaded_record_is_its_own_copy_of_what_it_is_given() -> None:
    # Fails without the deep copy of ``preloaded`` (the facade parses into new objects
    # first; --state loading does not). The tool dict sits two levels down: a shallow copy
    # of each field would share it.
    given = {"id": "asst_given", "model": "gpt-4o", "created_at": T0, "metadata": {"k": "v"}}
    given["tools"] = [{"type": "code_interpreter"}]
    record = preloaded(given, T0)
    vandalise(given)
    assert (record["metadata"], record["tools"]) == ({"k": "v"}, [{"type": "code_interpreter"}])


def next_zerobot_id(*, refuse_a_modify: bool) -> str:
    """The id of the second create, after a modify that draws vs_ ids and is refused."""
    auth = {"Authorization": "Bearer zb-token"}
    helper = {"file_search": {"vector_stores": [{"file_ids": []}]}}
    fake = FakeAssistants("zerobot", clock_start=T0)
    with fake.http_client("api.zerobot.ai", library="httpx") as http:
        made = http.post("/assistants", json={"model": "gpt-4o"}, headers=auth).json()
        if refuse_a_modify:
            patch = {"model": "o3-mini", "temperature": 0.5, "tool_resources": helper}
            answer = http.patch(f"/assistants/{made['id']}", json=patch, headers=auth)
            assert answer.json()["error"]["code"] == "unsupported_model"  # §4.2 o-series
        return str(http.post("/assistants", json={"model": "gpt-4o"}, headers=auth).json()["id"])


def test_a_refused_zerobot_modify_gives_back_the_ids_it_drew() -> None:
    # Zerobot's vector_stores helper on modify draws vs_ ids before the merged-object check
    # refuses the patch. Fails without the modify's id checkpoint: the next id would differ.
    assert next_zerobot_id(refuse_a_modify=True) == next_zerobot_id(refuse_a_modify=False)


def test_a_failed_state_write_of_add_gives_back_the_id_it_drew(fake: FakeAssistants) -> None:
    # An added object without an id draws one; a write that fails must give it back.
    twin = FakeAssistants(clock_start=T0)
    state = FlakyState()
    fake.persist(state)
    state.broken = True
    with pytest.raises(OSError, match="disk full"):
        fake.add({"model": "gpt-4o"})
    state.broken = False
    assert fake.add({"model": "gpt-4o"})["id"] == twin.add({"model": "gpt-4o"})["id"]
