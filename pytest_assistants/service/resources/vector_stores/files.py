"""Vector store files: create, retrieve, list (``filter`` by status), update, delete.

A vector store file's id is its file's; it is filed under ``vs_id/file_id`` (§14.5). Its
answers carry the era's keys ([RB ruby 2024-04]: no ``chunking_strategy`` / ``attributes``;
[RB .NET 2025-09]: with them) and the poll hint. ``update`` (``attributes``) came with
attributes, in 2025.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from pytest_assistants.service import errors
from pytest_assistants.service.resources.common import given, list_page
from pytest_assistants.service.resources.vector_stores import semantics
from pytest_assistants.service.resources.vector_stores.handlers import body_of, stored
from pytest_assistants.service.resources.vector_stores.schema import (
    FILTERS,
    file_schema,
    file_update_schema,
)
from pytest_assistants.service.store import require
from pytest_assistants.service.validation import validate

if TYPE_CHECKING:
    from collections.abc import Callable

    from pytest_assistants.service.profiles import ApiRules, VectorStoreRules
    from pytest_assistants.service.resources.common import Context
    from pytest_assistants.service.store import Record, Transaction

KIND = semantics.FILE


def render(record: Record, rules: VectorStoreRules, *, in_batch: bool = False) -> dict[str, Any]:
    """A batch's file list shows fewer keys: no usage, strategy or attributes [RB]."""
    keys = rules.batch_file_key_order if in_batch else rules.file_key_order
    return {key: record[key] for key in keys}


def render_for(record: Record, rules: ApiRules) -> dict[str, Any]:
    return render(record, rules.vector_stores)


TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "object": (str,),
    "usage_bytes": (int,),
    "created_at": (int,),
    "vector_store_id": (str,),
    "status": (str,),
    "last_error": (dict, type(None)),
    "chunking_strategy": (dict,),
    "attributes": (dict, type(None)),
    semantics.READS_LEFT: (int,),
    semantics.BATCH_ID: (str, type(None)),
    semantics.FILE_BYTES: (int,),
}


def preloaded(obj: Any, now: int) -> Record:
    """A vector store file as given; it needs its ``id`` and ``vector_store_id``."""
    fields = given(obj, KIND, TYPES)
    for required in ("id", "vector_store_id"):
        if not fields.get(required):
            raise TypeError(f"add() needs a {KIND} object with its {required!r}")
    record: Record = {
        "id": "",
        "object": KIND,
        "usage_bytes": 0,
        "created_at": now,
        "vector_store_id": "",
        "status": "completed",
        "last_error": None,
        "chunking_strategy": semantics.chunking({}),
        "attributes": {},
        semantics.READS_LEFT: 0,
        semantics.BATCH_ID: None,
        semantics.FILE_BYTES: 0,
    }
    record.update({key: value for key, value in fields.items() if key != "object"})
    record["attributes"] = record["attributes"] or {}
    return record


def key_of(record: Record) -> str:
    return semantics.file_key(record["vector_store_id"], record["id"])


def stored_file(ctx: Context, tx: Transaction) -> Record:
    store_id, file_id = stored(ctx, tx)["id"], ctx.params["file_id"]
    not_found = partial(semantics.file_not_found, store_id, file_id)
    return require(tx, KIND, semantics.file_key(store_id, file_id), not_found)


def status_filter(ctx: Context) -> Callable[[Record], bool]:
    """``filter``: one of the four statuses, in the validator's words otherwise (§2)."""
    wanted = ctx.query().get("filter")
    if wanted is not None and wanted not in FILTERS:
        raise errors.invalid_value("filter", wanted, FILTERS)
    return lambda record: wanted is None or record["status"] == wanted


def create(ctx: Context) -> dict[str, Any]:
    rules, now = ctx.rules, ctx.store.clock.now()
    body = body_of(ctx)
    with ctx.store.transaction() as tx:
        store_id = stored(ctx, tx)["id"]
        validate(file_schema(rules), body)
        strategy = semantics.chunking(body)
        attributes = semantics.check_attributes(body.get("attributes"))
        semantics.check_references(tx, ctx.choices, file_ids=[body["file_id"]])
        record = semantics.attach(
            tx,
            store_id,
            body["file_id"],
            now,
            ctx.choices,
            chunking_strategy=strategy,
            attributes=attributes,
        )
        record = semantics.settle(record, rules.vector_stores)
        tx.put(KIND, record, key_of(record))
        semantics.refresh(tx, store_id, now)
    return render(record, rules.vector_stores)


def retrieve(ctx: Context) -> dict[str, Any]:
    rules = ctx.rules
    with ctx.store.transaction() as tx:
        record = stored_file(ctx, tx)
        semantics.read(
            tx,
            record["vector_store_id"],
            rules,
            ctx.store.clock.now(),
            only=lambda member: member["id"] == record["id"],
        )
        record = stored_file(ctx, tx)
    return render(record, rules.vector_stores)


def list_(ctx: Context) -> dict[str, Any]:
    rules = ctx.rules
    wanted = status_filter(ctx)
    with ctx.store.transaction() as tx:
        store_id = stored(ctx, tx)["id"]
        semantics.read(tx, store_id, rules, ctx.store.clock.now())

    def where(record: Record) -> bool:
        return record["vector_store_id"] == store_id and wanted(record)

    page = list_page(ctx, KIND, lambda record: render(record, rules.vector_stores), where)
    return page


def update(ctx: Context) -> dict[str, Any]:
    """Replace the file's ``attributes`` (2025)."""
    body = body_of(ctx)
    with ctx.store.transaction() as tx:
        record = stored_file(ctx, tx)
        validate(file_update_schema(ctx.rules), body)
        record = {**record, "attributes": semantics.check_attributes(body["attributes"])}
        tx.put(KIND, record, key_of(record))
    return render(record, ctx.rules.vector_stores)


def delete(ctx: Context) -> dict[str, Any]:
    """The file leaves the store (the file itself stays, [RB]); the store is recounted."""
    with ctx.store.transaction() as tx:
        record = stored_file(ctx, tx)
        tx.delete(KIND, key_of(record))
        semantics.refresh(tx, record["vector_store_id"], ctx.store.clock.now())
    return {"id": record["id"], "object": f"{KIND}.deleted", "deleted": True}
