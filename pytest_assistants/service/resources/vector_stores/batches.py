"""Vector store file batches: create, retrieve, cancel, list files (§14.5).

Recorded ([RB ruby 2024-04, .NET 2025-09]): a batch answers ``in_progress`` with one count
per file, a later retrieve ``completed``; its files list shows fewer keys than a store's;
cancelling a batch that has completed answers it unchanged (``completed``). A cancel is a
read (it advances the batch a step); one still in progress then cancels its files still in
progress and answers ``cancelled`` (INFERRED: the SDK's statuses are ``in_progress``,
``completed``, ``cancelled``, ``failed``).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from pytest_assistants.service.resources.common import given, list_page
from pytest_assistants.service.resources.vector_stores import semantics
from pytest_assistants.service.resources.vector_stores.files import render as render_file
from pytest_assistants.service.resources.vector_stores.files import status_filter
from pytest_assistants.service.resources.vector_stores.handlers import body_of, stored
from pytest_assistants.service.resources.vector_stores.schema import batch_schema
from pytest_assistants.service.store import require
from pytest_assistants.service.validation import validate

if TYPE_CHECKING:
    from pytest_assistants.service.profiles import ApiRules, VectorStoreRules
    from pytest_assistants.service.resources.common import Context
    from pytest_assistants.service.store import Record, Transaction

KIND = semantics.BATCH


def render(record: Record, rules: VectorStoreRules) -> dict[str, Any]:
    return {key: record[key] for key in rules.batch_key_order}


def render_for(record: Record, rules: ApiRules) -> dict[str, Any]:
    return render(record, rules.vector_stores)


TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "object": (str,),
    "created_at": (int,),
    "status": (str,),
    "vector_store_id": (str,),
    "file_counts": (dict,),
    semantics.CANCELLED: (bool,),
}


def preloaded(obj: Any, now: int) -> Record:
    fields = given(obj, KIND, TYPES)
    if not fields.get("vector_store_id"):
        raise TypeError(f"add() needs a {KIND} object with its 'vector_store_id'")
    record: Record = {
        "id": "",
        "object": KIND,
        "created_at": now,
        "status": "completed",
        "vector_store_id": "",
        "file_counts": semantics.no_counts(),
        semantics.CANCELLED: False,
    }
    record.update({key: value for key, value in fields.items() if key != "object"})
    record["file_counts"] = {**semantics.no_counts(), **record["file_counts"]}
    return record


def stored_batch(ctx: Context, tx: Transaction) -> Record:
    """The batch the path names, in the store the path names (each its own 404)."""
    store_id, batch_id = stored(ctx, tx)["id"], ctx.params["batch_id"]
    not_found = partial(semantics.batch_not_found, batch_id)
    return require(tx, KIND, batch_id, not_found, vector_store_id=store_id)


def create(ctx: Context) -> dict[str, Any]:
    rules, now = ctx.rules, ctx.store.clock.now()
    body = body_of(ctx)
    with ctx.store.transaction() as tx:
        store_id = stored(ctx, tx)["id"]
        validate(batch_schema(rules), body)
        if not body["file_ids"]:
            raise semantics.empty_array("file_ids")
        strategy = semantics.chunking(body)
        attributes = semantics.check_attributes(body.get("attributes"))
        semantics.check_references(tx, ctx.choices, file_ids=body["file_ids"])
        shape = rules.vector_stores.batch_id_shape
        batch = {
            "id": tx.new_id(shape.prefix, shape.alphabet, shape.length),
            "object": KIND,
            "created_at": now,
            "status": "in_progress",
            "vector_store_id": store_id,
            "file_counts": semantics.no_counts(),
            semantics.CANCELLED: False,
        }
        tx.put(KIND, batch)
        for file_id in dict.fromkeys(body["file_ids"]):
            record = semantics.attach(
                tx,
                store_id,
                file_id,
                now,
                ctx.choices,
                chunking_strategy=strategy,
                attributes=attributes,
                batch_id=batch["id"],
            )
            tx.put(
                semantics.FILE,
                semantics.settle(record, rules.vector_stores),
                semantics.file_key(store_id, file_id),
            )
        semantics.refresh(tx, store_id, now)
        batch = tx.get(KIND, batch["id"]) or batch
    return render(batch, rules.vector_stores)


def _read(ctx: Context, tx: Transaction) -> Record:
    """One read of the batch: its files in progress advance a step."""
    batch = stored_batch(ctx, tx)
    semantics.read(
        tx,
        batch["vector_store_id"],
        ctx.rules,
        ctx.store.clock.now(),
        only=lambda member: member[semantics.BATCH_ID] == batch["id"],
    )
    return stored_batch(ctx, tx)


def retrieve(ctx: Context) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        batch = _read(ctx, tx)
    return render(batch, ctx.rules.vector_stores)


def cancel(ctx: Context) -> dict[str, Any]:
    """A cancel shows the batch, so it is a read first: recorded (ruby 2024-04-30), a batch
    cancelled a second after its create, unread, answered ``completed``."""
    with ctx.store.transaction() as tx:
        batch = _read(ctx, tx)
        if batch["status"] == "in_progress":
            store_id = batch["vector_store_id"]
            for member in semantics.files_in(tx, store_id):
                if member[semantics.BATCH_ID] == batch["id"] and member["status"] == "in_progress":
                    cancelled = {**member, "status": "cancelled", semantics.READS_LEFT: 0}
                    tx.put(semantics.FILE, cancelled, semantics.file_key(store_id, member["id"]))
            tx.put(KIND, {**batch, semantics.CANCELLED: True})
            semantics.refresh(tx, store_id, ctx.store.clock.now())
            batch = stored_batch(ctx, tx)
    return render(batch, ctx.rules.vector_stores)


def list_files(ctx: Context) -> dict[str, Any]:
    rules = ctx.rules
    wanted = status_filter(ctx)
    with ctx.store.transaction() as tx:
        batch = _read(ctx, tx)

    def where(record: Record) -> bool:
        return record[semantics.BATCH_ID] == batch["id"] and wanted(record)

    page = list_page(
        ctx, semantics.FILE, lambda r: render_file(r, rules.vector_stores, in_batch=True), where
    )
    return page
