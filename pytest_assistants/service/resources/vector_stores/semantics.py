"""What vector stores, their files and batches are, and how they progress (§14.5, §14.6).

Recorded ([RB ruby 2024-04, .NET 2025-09]): a store made without files is ``completed`` at
once; with files, it and they answer ``in_progress`` with ``usage_bytes: 0`` and later reads
show ``completed``, a completed file's ``usage_bytes`` being its bytes + 1024 (12 -> 1036,
21 -> 1045) and the store's the sum of its files'. A batch answers ``in_progress`` with its
files' counts, later ``completed``; cancelling a completed batch answers it unchanged.
``expires_at`` is ``last_active_at`` + ``days`` x 86,400 (3 days: +259,200, recorded).

CHOICE (as for runs, §14.1): a file advances one step per read that shows it (retrieve,
list, its store's or batch's retrieve), never by wall time; ``processing_reads`` reads after
its create it is ``completed``. ``file_counts``, ``usage_bytes`` and the statuses are
recounted from the files in the transaction of every change, so they are always true.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytest_assistants.service import errors
from pytest_assistants.service.resources.files import handlers as files
from pytest_assistants.service.validation import json_type_name

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from pytest_assistants.service.profiles import ApiRules, Choices, VectorStoreRules
    from pytest_assistants.service.store import Record, Transaction

STORE = "vector_store"
FILE = "vector_store.file"
BATCH = "vector_store.file_batch"
DAY = 86_400
DEFAULT_CHUNK = {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400}  # "auto", as
# served [RB .NET 2025-09]
STATUSES = ("in_progress", "completed", "failed", "cancelled")
ATTRIBUTE_PAIRS, ATTRIBUTE_KEY, ATTRIBUTE_VALUE = 16, 64, 512  # [SDK] attributes
# Fields a record keeps for the fake alone: never rendered (the key orders leave them out).
READS_LEFT, BATCH_ID, FILE_BYTES, CANCELLED = "reads_left", "batch_id", "file_bytes", "cancelled"


def file_key(store_id: str, file_id: str) -> str:
    """A vector store file is filed under ``vs_id/file_id``: its id is the file's."""
    return f"{store_id}/{file_id}"


def no_counts() -> dict[str, int]:
    return {"in_progress": 0, "completed": 0, "failed": 0, "cancelled": 0, "total": 0}


def counts_of(records: Iterable[Record]) -> dict[str, int]:
    counts = no_counts()
    for record in records:
        counts[record["status"]] += 1
        counts["total"] += 1
    return counts


# -- texts -------------------------------------------------------------------------------


def store_not_found(store_id: str) -> errors.ApiError:
    """§4.2 [code#57492464150]."""
    return errors.openai_error(f"No vector store found with id '{store_id}'.", status=404)


def file_not_found(store_id: str, file_id: str) -> errors.ApiError:
    """[code#37939789734]."""
    return errors.openai_error(
        f"No file found with id '{file_id}' in vector store '{store_id}'.", status=404
    )


def batch_not_found(batch_id: str) -> errors.ApiError:
    """INFERRED from a clone's wording [code#52109595192], in OpenAI's 404 form."""
    return errors.openai_error(
        f"No vector store file batch found with id '{batch_id}'.", status=404
    )


def empty_array(path: str) -> errors.ApiError:
    """OpenAI's validator text for an empty required array (INFERRED for file_ids, Q1)."""
    return errors.openai_error(
        f"Invalid '{path}': empty array. Expected an array with minimum length 1, but got an"
        " empty array instead.",
        param=path,
        code="empty_array",
    )


# -- request details ---------------------------------------------------------------------


def chunking(body: Mapping[str, Any], path: str = "chunking_strategy") -> dict[str, Any]:
    """The strategy a file is served with: ``auto`` or none is the static 800 / 400; an
    overlap above half the chunk size is refused ([SDK] docs; text in §2's vocabulary)."""
    given = body.get("chunking_strategy")
    if not given or given["type"] == "auto":
        return {"type": "static", "static": dict(DEFAULT_CHUNK)}
    static = given["static"]
    size, overlap = static["max_chunk_size_tokens"], static["chunk_overlap_tokens"]
    if overlap > size // 2:
        param = f"{path}.static.chunk_overlap_tokens"
        raise errors.above_maximum(param, size // 2, overlap, integer=True)
    return {
        "type": "static",
        "static": {"max_chunk_size_tokens": size, "chunk_overlap_tokens": overlap},
    }


def check_attributes(value: Any, path: str = "attributes") -> dict[str, Any]:
    """Up to 16 pairs; keys up to 64, values strings up to 512, numbers or booleans."""
    if value is None:
        return {}
    for key, item in value.items():
        if len(key) > ATTRIBUTE_KEY:
            raise errors.property_name_too_long(path, key, ATTRIBUTE_KEY)
        if isinstance(item, str):
            if len(item) > ATTRIBUTE_VALUE:
                raise errors.string_too_long(f"{path}.{key}", ATTRIBUTE_VALUE, len(item))
        elif not isinstance(item, (int, float)):
            kind = json_type_name(item)
            raise errors.invalid_type(f"{path}.{key}", "a string, number or boolean", kind)
    if len(value) > ATTRIBUTE_PAIRS:
        raise errors.too_many_properties(path, ATTRIBUTE_PAIRS, len(value))
    return dict(value)


def check_references(
    tx: Transaction, choices: Choices, file_ids: Iterable[str] = (), store_ids: Iterable[str] = ()
) -> None:
    """Q5: with ``reference_check="exists"`` a named file or store must be stored; by default
    only its prefix was checked (the schema)."""
    if choices.reference_check != "exists":
        return
    for file_id in file_ids:
        if tx.get(files.KIND, file_id) is None:
            raise files.file_not_found(file_id)
    for store_id in store_ids:
        if tx.get(STORE, store_id) is None:
            raise store_not_found(store_id)


# -- records -----------------------------------------------------------------------------


def expiry(expires_after: Mapping[str, Any] | None, last_active_at: int) -> int | None:
    return None if expires_after is None else last_active_at + int(expires_after["days"]) * DAY


def new_store(store_id: str, now: int, body: Mapping[str, Any]) -> Record:
    expires_after = body.get("expires_after")
    return {
        "id": store_id,
        "object": STORE,
        "created_at": now,
        "name": body.get("name"),
        "description": body.get("description"),
        "usage_bytes": 0,
        "file_counts": no_counts(),
        "status": "completed",
        "expires_after": None if expires_after is None else dict(expires_after),
        "expires_at": expiry(expires_after, now),
        "last_active_at": now,
        "metadata": dict(body.get("metadata") or {}),
    }


def attach(
    tx: Transaction,
    store_id: str,
    file_id: str,
    now: int,
    choices: Choices,
    *,
    chunking_strategy: dict[str, Any] | None = None,
    attributes: dict[str, Any] | None = None,
    batch_id: str | None = None,
) -> Record:
    """A file put in a store (again: it starts over), ``in_progress`` for the reads the
    ``processing_reads`` choice gives it."""
    source = tx.get(files.KIND, file_id)
    record = {
        "id": file_id,
        "object": FILE,
        "usage_bytes": 0,
        "created_at": now,
        "vector_store_id": store_id,
        "status": "in_progress",
        "last_error": None,
        "chunking_strategy": chunking_strategy or chunking({}),
        "attributes": dict(attributes or {}),
        READS_LEFT: choices.processing_reads,
        BATCH_ID: batch_id,
        FILE_BYTES: 0 if source is None else source["bytes"],
    }
    tx.put(FILE, record, file_key(store_id, file_id))
    return record


def advanced(record: Record, rules: VectorStoreRules) -> Record:
    """A file one read further: ``in_progress`` until its reads are spent, then
    ``completed`` with its usage (a new record; the stored one is never changed)."""
    if record["status"] != "in_progress":
        return record
    left = record[READS_LEFT] - 1
    if left > 0:
        return {**record, READS_LEFT: left}
    usage = record[FILE_BYTES] + rules.usage_overhead
    return {**record, READS_LEFT: 0, "status": "completed", "usage_bytes": usage}


def settle(record: Record, rules: VectorStoreRules) -> Record:
    """A file created with ``processing_reads=0`` is completed in its own create."""
    return advanced(record, rules) if record[READS_LEFT] <= 0 else record


def files_in(tx: Transaction, store_id: str) -> list[Record]:
    """The store's files as this transaction leaves them, in creation order."""
    prefix = f"{store_id}/"
    keys = [key for key in tx.store.keys(FILE) if key.startswith(prefix)]
    keys += [c.key for c in tx.changes if c.kind == FILE and c.key.startswith(prefix)]
    found = (tx.get(FILE, key) for key in dict.fromkeys(keys))
    return [record for record in found if record is not None]


def refresh(tx: Transaction, store_id: str, now: int) -> Record:
    """Recount the store (and its batches) from its files; a store past ``expires_at`` is
    ``expired`` for good. Returns the store as it now stands."""
    store = tx.get(STORE, store_id)
    assert store is not None  # every caller looked it up first
    members = files_in(tx, store_id)
    status = store["status"]
    if status != "expired":
        expired = store["expires_at"] is not None and now >= store["expires_at"]
        busy = any(member["status"] == "in_progress" for member in members)
        status = "expired" if expired else "in_progress" if busy else "completed"
    updated = {
        **store,
        "file_counts": counts_of(members),
        "usage_bytes": sum(member["usage_bytes"] for member in members),
        "status": status,
    }
    if updated != store:
        tx.put(STORE, updated)
    for batch_id in {member[BATCH_ID] for member in members if member[BATCH_ID]}:
        refresh_batch(tx, batch_id, [m for m in members if m[BATCH_ID] == batch_id])
    return updated


def refresh_batch(tx: Transaction, batch_id: str, members: list[Record]) -> None:
    batch = tx.get(BATCH, batch_id)
    if batch is None:
        return
    busy = any(member["status"] == "in_progress" for member in members)
    status = "cancelled" if batch[CANCELLED] else "in_progress" if busy else "completed"
    updated = {**batch, "file_counts": counts_of(members), "status": status}
    if updated != batch:
        tx.put(BATCH, updated)


def read(
    tx: Transaction,
    store_id: str,
    rules: ApiRules,
    now: int,
    only: Callable[[Record], bool] | None = None,
) -> Record:
    """One read of a store's files (``only`` those a read shows): each in progress
    advances one step; then the store is recounted."""
    for member in files_in(tx, store_id):
        if member["status"] == "in_progress" and (only is None or only(member)):
            tx.put(FILE, advanced(member, rules.vector_stores), file_key(store_id, member["id"]))
    return refresh(tx, store_id, now)


def make_store(
    tx: Transaction,
    rules: ApiRules,
    choices: Choices,
    now: int,
    body: Mapping[str, Any],
    path: str = "",
) -> Record:
    """A new store with its files (``POST /vector_stores``, the assistant's and a thread's
    ``vector_stores`` helper, whose body is at ``path``): returns it counted."""
    strategy = chunking(body, f"{path}chunking_strategy")
    shape = rules.vector_stores.id_shape
    store = new_store(tx.new_id(shape.prefix, shape.alphabet, shape.length), now, body)
    tx.put(STORE, store)
    for file_id in dict.fromkeys(body.get("file_ids") or ()):
        record = attach(tx, store["id"], file_id, now, choices, chunking_strategy=strategy)
        tx.put(FILE, settle(record, rules.vector_stores), file_key(store["id"], file_id))
    return refresh(tx, store["id"], now)


def apply_patch(store: Record, patch: Mapping[str, Any], choices: Choices) -> Record:
    """§3's semantics, as for the assistant (§14.6, INFERRED: the one recorded modify sets
    metadata): omitted unchanged, null clears (metadata to ``{}``), metadata replaced whole
    unless the ``metadata_merge`` choice (Q3); a new ``expires_after`` counts from
    ``last_active_at``."""
    merged = dict(store)
    for key, value in patch.items():
        if key == "metadata":
            current = merged["metadata"] if choices.metadata_merge else {}
            merged["metadata"] = {} if value is None else {**current, **value}
            if len(merged["metadata"]) > ATTRIBUTE_PAIRS:
                raise errors.too_many_properties("metadata", 16, len(merged["metadata"]))
        elif key == "expires_after":
            merged["expires_after"] = None if value is None else dict(value)
            merged["expires_at"] = expiry(value, merged["last_active_at"])
        else:
            merged[key] = value
    return merged
