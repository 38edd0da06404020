"""Vector stores: create, retrieve, list, modify, delete (§14.5, §14.6), and rendering.

Each answer is the store in its era's keys and order; no ``openai-poll-after-ms`` header
(none in 189 recorded answers, §14.5 [RB]) unless an SDK poll helper asks (the router's
``poll_after_ms`` choice, as for runs). Checks in §11.1's
order: body, id lookup (404), schema (one error), then the references (Q5) and semantics.
A read is a transaction: it advances the store's files one step (``semantics``).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from pytest_assistants.service.resources.common import deleted, given, list_page
from pytest_assistants.service.resources.vector_stores import semantics
from pytest_assistants.service.resources.vector_stores.schema import create_schema, modify_schema
from pytest_assistants.service.store import require
from pytest_assistants.service.validation import validate
from pytest_assistants.service.wire import read_json

if TYPE_CHECKING:
    from pytest_assistants.service.profiles import ApiRules, VectorStoreRules
    from pytest_assistants.service.resources.common import Context
    from pytest_assistants.service.store import Record, Transaction

KIND = semantics.STORE


def render(record: Record, rules: VectorStoreRules) -> dict[str, Any]:
    return {key: record[key] for key in rules.key_order}


def render_for(record: Record, rules: ApiRules) -> dict[str, Any]:
    return render(record, rules.vector_stores)


def body_of(ctx: Context) -> dict[str, Any]:
    return read_json(ctx.request.body, ctx.request.headers, ctx.choices.max_body_bytes)


def stored(ctx: Context, tx: Transaction | None = None) -> Record:
    """The store the path names (as ``tx`` leaves it), or the 404."""
    store_id = ctx.params["vector_store_id"]
    not_found = partial(semantics.store_not_found, store_id)
    return require(tx or ctx.store, KIND, store_id, not_found)


TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "object": (str,),
    "created_at": (int,),
    "name": (str, type(None)),
    "description": (str, type(None)),
    "usage_bytes": (int,),
    "file_counts": (dict,),
    "status": (str,),
    "expires_after": (dict, type(None)),
    "expires_at": (int, type(None)),
    "last_active_at": (int, type(None)),
    "metadata": (dict, type(None)),
}


def preloaded(obj: Any, now: int) -> Record:
    """A store as given (``add()``, a state file): its known fields over an empty store's.
    Its counts are the given ones until a change recounts them from its files."""
    fields = given(obj, KIND, TYPES)
    record = semantics.new_store(str(fields.get("id", "")), int(fields.get("created_at", now)), {})
    record.update({key: value for key, value in fields.items() if key != "object"})
    record["metadata"] = record["metadata"] or {}
    record["file_counts"] = {**semantics.no_counts(), **record["file_counts"]}
    return record


def create(ctx: Context) -> dict[str, Any]:
    rules = ctx.rules
    body = body_of(ctx)
    validate(create_schema(rules), body)
    with ctx.store.transaction() as tx:
        semantics.check_references(tx, ctx.choices, file_ids=body.get("file_ids") or ())
        store = semantics.make_store(tx, rules, ctx.choices, ctx.store.clock.now(), body)
    return render(store, rules.vector_stores)


def retrieve(ctx: Context) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        store = stored(ctx, tx)
        store = semantics.read(tx, store["id"], ctx.rules, ctx.store.clock.now())
    return render(store, ctx.rules.vector_stores)


def list_(ctx: Context) -> dict[str, Any]:
    """A list read advances every store still processing (or past its expiry) one step."""
    rules, now = ctx.rules, ctx.store.clock.now()
    with ctx.store.transaction() as tx:
        for store in list(ctx.store.records(KIND)):
            due = store["expires_at"] is not None and now >= store["expires_at"]
            if store["status"] == "in_progress" or (due and store["status"] != "expired"):
                semantics.read(tx, store["id"], rules, now)
    page = list_page(ctx, KIND, lambda record: render(record, rules.vector_stores))
    return page


def modify(ctx: Context) -> dict[str, Any]:
    patch = body_of(ctx)
    with ctx.store.transaction() as tx:
        store = stored(ctx, tx)
        validate(modify_schema(ctx.rules), patch)
        tx.put(KIND, semantics.apply_patch(store, patch, ctx.choices))
        store = semantics.refresh(tx, store["id"], ctx.store.clock.now())
    return render(store, ctx.rules.vector_stores)


def delete(ctx: Context) -> dict[str, Any]:
    """The store goes with its files and batches (INFERRED: nothing can reach them after)."""
    with ctx.store.transaction() as tx:
        store_id = stored(ctx, tx)["id"]
        for member in semantics.files_in(tx, store_id):
            tx.delete(semantics.FILE, semantics.file_key(store_id, member["id"]))
        for batch in list(ctx.store.records(semantics.BATCH)):
            if batch["vector_store_id"] == store_id:
                tx.delete(semantics.BATCH, batch["id"])
        tx.delete(KIND, store_id)
    return deleted(store_id, KIND)
