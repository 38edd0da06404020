"""The assistant's files (``/assistants/{id}/files``): v1's attach, retrieve, list, detach.

Recorded ([RB lemur 2024-05], [RB ruby 2023-11]): ``{"id": file_id, "object":
"assistant.file", "created_at", "assistant_id"}``; after an attach the v1 assistant's
``file_ids`` holds the file; a detach answers ``assistant.file.deleted``. The endpoints also
answered under ``OpenAI-Beta: assistants=v2`` while v1 lived (lemur, May 2024): attaching a
file to a v2 assistant put it in a vector store on the assistant's ``file_search`` (one made
for it when it had none). A v1 modify's ``file_ids`` attaches and detaches the same records
("a file ... that does not show up in the list ... will be deleted from the assistant",
§3 [S0]). Gone with v1 (``AssistantRules.assistant_files``). An assistant file is filed
under ``asst_id/file_id``.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from pytest_assistants.service import errors
from pytest_assistants.service.profiles import LIMITS
from pytest_assistants.service.resources.common import given, list_page
from pytest_assistants.service.resources.vector_stores import semantics as vector_stores
from pytest_assistants.service.store import require
from pytest_assistants.service.validation import Obj, Str, validate
from pytest_assistants.service.wire import read_json

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pytest_assistants.service.profiles import ApiRules
    from pytest_assistants.service.resources.common import Context
    from pytest_assistants.service.store import Record, Store, Transaction

KIND = "assistant.file"
ASSISTANT = "assistant"


def not_found(file_id: str) -> errors.ApiError:
    """INFERRED from the recorded ``No message file found with id '...'.`` (§4.2 form)."""
    return errors.openai_error(f"No assistant file found with id '{file_id}'.", status=404)


def key(assistant_id: str, file_id: str) -> str:
    return f"{assistant_id}/{file_id}"


def render(record: Record) -> dict[str, Any]:
    return {key: record[key] for key in ("id", "object", "created_at", "assistant_id")}


def render_for(record: Record, rules: ApiRules) -> dict[str, Any]:
    return render(record)


TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "object": (str,),
    "created_at": (int,),
    "assistant_id": (str,),
}


def preloaded(obj: Any, now: int) -> Record:
    fields = given(obj, KIND, TYPES)
    if not fields.get("id") or not fields.get("assistant_id"):
        raise TypeError(f"add() needs a {KIND} object with its 'id' and 'assistant_id'")
    return {"object": KIND, "created_at": now, **fields}


def key_of(record: Record) -> str:
    return key(record["assistant_id"], record["id"])


def sync(
    tx: Transaction, assistant_id: str, before: Iterable[str], after: Iterable[str], now: int
) -> None:
    """A v1 ``file_ids`` write: records for the files it adds, none for those it drops."""
    old, new = dict.fromkeys(before), dict.fromkeys(after)
    for file_id in old:
        if file_id not in new:
            tx.delete(KIND, key(assistant_id, file_id))
    for file_id in new:
        if file_id not in old or tx.get(KIND, key(assistant_id, file_id)) is None:
            record = {
                "id": file_id,
                "object": KIND,
                "created_at": now,
                "assistant_id": assistant_id,
            }
            tx.put(KIND, record, key(assistant_id, file_id))


def forget(tx: Transaction, assistant: Record) -> None:
    """A deleted assistant's files go with it."""
    for file_id in assistant["file_ids"]:
        if tx.get(KIND, key(assistant["id"], file_id)) is not None:
            tx.delete(KIND, key(assistant["id"], file_id))


def assistant_of(ctx: Context, tx: Transaction | None = None) -> Record:
    assistant_id = ctx.params["assistant_id"]
    missing = partial(errors.assistant_not_found, assistant_id)
    return require(tx or ctx.store, ASSISTANT, assistant_id, missing)


def stored_file(source: Store | Transaction, assistant: Record, file_id: str) -> Record:
    """The assistant file of ``assistant`` named ``file_id``, or its 404."""
    return require(source, KIND, key(assistant["id"], file_id), partial(not_found, file_id))


def create(ctx: Context) -> dict[str, Any]:
    """Attach ``file_id``: to ``file_ids`` (at most 20, §2 [S0]; the text INFERRED), and
    under v2 to the assistant's vector store too. Attaching it again changes nothing."""
    rules, request, now = ctx.rules, ctx.request, ctx.store.clock.now()
    body = read_json(request.body, request.headers, ctx.choices.max_body_bytes)
    with ctx.store.transaction() as tx:
        assistant = assistant_of(ctx, tx)
        schema = Obj(
            fields={"file_id": Str(prefix=rules.assistants.file_id_prefix)}, required=("file_id",)
        )
        validate(schema, body)
        file_id = body["file_id"]
        vector_stores.check_references(tx, ctx.choices, file_ids=[file_id])
        existing = tx.get(KIND, key(assistant["id"], file_id))
        if existing is not None:
            return render(existing)
        attached = [*assistant["file_ids"], file_id]
        if len(attached) > LIMITS.v1_file_ids:
            raise errors.array_too_long("file_ids", LIMITS.v1_file_ids, len(attached))
        assistant = {**assistant, "file_ids": attached}
        if not rules.assistants.file_ids:
            assistant = _into_vector_store(tx, ctx, assistant, file_id)
        tx.put(ASSISTANT, assistant)
        record = {"id": file_id, "object": KIND, "created_at": now, "assistant_id": assistant["id"]}
        tx.put(KIND, record, key_of(record))
    return render(record)


def _into_vector_store(tx: Transaction, ctx: Context, assistant: Record, file_id: str) -> Record:
    """v2: the file joins the assistant's first vector store, or a new one (lemur, 2024)."""
    now = ctx.store.clock.now()
    resources = dict(assistant["tool_resources"])
    ids = list((resources.get("file_search") or {}).get("vector_store_ids") or [])
    if ids and tx.get(vector_stores.STORE, ids[0]) is not None:
        vector_stores.attach(tx, ids[0], file_id, now, ctx.choices)
        vector_stores.refresh(tx, ids[0], now)
        return assistant
    store = vector_stores.make_store(tx, ctx.rules, ctx.choices, now, {"file_ids": [file_id]})
    resources["file_search"] = {"vector_store_ids": [store["id"], *ids][:1]}
    return {**assistant, "tool_resources": resources}


def retrieve(ctx: Context) -> dict[str, Any]:
    return render(stored_file(ctx.store, assistant_of(ctx), ctx.params["file_id"]))


def list_(ctx: Context) -> dict[str, Any]:
    assistant_id = assistant_of(ctx)["id"]
    return list_page(ctx, KIND, render, lambda record: record["assistant_id"] == assistant_id)


def delete(ctx: Context) -> dict[str, Any]:
    """Detach: the file leaves ``file_ids`` (the file itself stays, §3 INFERRED)."""
    with ctx.store.transaction() as tx:
        assistant = assistant_of(ctx, tx)
        file_id = ctx.params["file_id"]
        tx.delete(KIND, key_of(stored_file(tx, assistant, file_id)))
        remaining = [kept for kept in assistant["file_ids"] if kept != file_id]
        tx.put(ASSISTANT, {**assistant, "file_ids": remaining})
    return {"id": file_id, "object": f"{KIND}.deleted", "deleted": True}
