"""The thread's operations and rendering (§14.5 shapes, §14.6 modify).

A thread is a container: its messages are ``thread.message`` records that name it, its
runs ``thread.run`` records. Deleting a thread deletes them with it (INFERRED: nothing of
a deleted thread is reachable afterwards, every path to them names the thread).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from pytest_assistants.service import errors
from pytest_assistants.service.resources.assistants.schema import tool_resources
from pytest_assistants.service.resources.common import deleted, metadata_of
from pytest_assistants.service.store import require
from pytest_assistants.service.validation import Arr, Metadata, Obj, per_rules, validate
from pytest_assistants.service.wire import read_json

if TYPE_CHECKING:
    from pytest_assistants.service.profiles import ApiRules, ThreadRules
    from pytest_assistants.service.resources.common import Context
    from pytest_assistants.service.store import Record, Transaction

KIND = "thread"
ID_PREFIX = "thread_"
MESSAGES_MAX = 32  # a thread create's initial messages (API reference, INFERRED limit)


def render(record: Record, rules: ThreadRules) -> dict[str, Any]:
    return {key: record[key] for key in rules.key_order}


def render_for(record: Record, rules: ApiRules) -> dict[str, Any]:
    return render_read(record, rules.threads)


def new_record(thread_id: str, created_at: int) -> Record:
    return {
        "id": thread_id,
        "object": KIND,
        "created_at": created_at,
        "metadata": {},
        "tool_resources": {},
    }


def preloaded(obj: Any, now: int) -> Record:
    """A thread given whole (``fake.add``, a state file): known fields over the defaults."""
    record = new_record(str(obj.get("id") or ""), int(obj.get("created_at", now)))
    record.update({k: v for k, v in obj.items() if k in record and k != "id"})
    return record


@per_rules
def schema(rules: ApiRules, *, create: bool) -> Obj:
    from pytest_assistants.service.resources.messages.handlers import create_schema

    fields: dict[str, Any] = {
        "metadata": Metadata(nullable=True, scalars=rules.threads.metadata_any_scalar)
    }
    if create:
        fields["messages"] = Arr(item=create_schema(rules), max_items=MESSAGES_MAX)
    if rules.threads.tool_resources:
        fields["tool_resources"] = tool_resources(rules.assistants.file_id_prefix, helper=create)
    return Obj(fields=fields)


def stored(ctx: Context, thread_id: str | None = None) -> Record:
    """The thread the path names, or its 404 (§14.4: the text echoes the id sent)."""
    thread_id = ctx.params["thread_id"] if thread_id is None else thread_id
    not_found = partial(errors.object_not_found, "thread", thread_id)
    return require(ctx.store, KIND, thread_id, not_found)


def make(ctx: Context, tx: Transaction, body: dict[str, Any]) -> Record:
    """A new thread and its initial messages (also create-and-run's ``thread``)."""
    from pytest_assistants.service.resources.messages.handlers import add_message

    now = ctx.store.clock.now()
    record = new_record(tx.new_id(ID_PREFIX), now)
    record["metadata"] = metadata_of(body.get("metadata"))
    resources = body.get("tool_resources")
    if resources:
        record["tool_resources"] = made_resources(tx, resources)
    tx.put(KIND, record)
    for message in body.get("messages") or []:
        add_message(ctx, tx, record["id"], message)
    return record


def made_resources(tx: Transaction, resources: dict[str, Any]) -> dict[str, Any]:
    """``tool_resources`` as stored; the ``vector_stores`` helper makes new store ids."""
    file_search = resources.get("file_search")
    if isinstance(file_search, dict) and "vector_stores" in file_search:
        made = [tx.new_id("vs_") for _ in file_search["vector_stores"]]
        resources = {**resources, "file_search": {"vector_store_ids": made}}
    return {kind: block for kind, block in resources.items() if block is not None}


def create(ctx: Context) -> dict[str, Any]:
    """An empty body makes an empty thread: the .NET SDK (2025) sends none and got 200
    (§14, [RB]: 19 recorded)."""
    request = ctx.request
    empty = not request.body
    body = {} if empty else read_json(request.body, request.headers, ctx.choices.max_body_bytes)
    validate(schema(ctx.rules, create=True), body)
    with ctx.store.transaction() as tx:
        record = make(ctx, tx, body)
    return render(record, ctx.rules.threads)


def render_read(record: Record, rules: ThreadRules) -> dict[str, Any]:
    """A thread as a read shows it (retrieve, a stream's ``thread.created``): in v2 an
    empty ``tool_resources`` reads ``{"code_interpreter": {"file_ids": []}}``, while the
    create and modify answers show ``{}`` (§14.5, [RB]: 8 of 8 v2 retrieves, 4 of 4
    streams; 2024-04 .. 2025-10). A thread with resources reads as stored (INFERRED)."""
    shown = render(record, rules)
    if shown.get("tool_resources") == {}:
        shown["tool_resources"] = {"code_interpreter": {"file_ids": []}}
    return shown


def retrieve(ctx: Context) -> dict[str, Any]:
    return render_read(stored(ctx), ctx.rules.threads)


def modify(ctx: Context) -> dict[str, Any]:
    """§14.6: metadata replaced whole (as the assistant's, §3), tool_resources per tool."""
    request = ctx.request
    patch = read_json(request.body, request.headers, ctx.choices.max_body_bytes)
    with ctx.store.transaction() as tx:
        record = dict(stored(ctx))
        validate(schema(ctx.rules, create=False), patch)
        if "metadata" in patch:
            record["metadata"] = metadata_of(patch["metadata"])
        if "tool_resources" in patch:
            given = patch["tool_resources"]
            record["tool_resources"] = (
                {} if given is None else {**record["tool_resources"], **made_resources(tx, given)}
            )
        tx.put(KIND, record)
    return render(record, ctx.rules.threads)


def delete(ctx: Context) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        thread_id = stored(ctx)["id"]
        tx.delete(KIND, thread_id)
        for kind in ("thread.message", "thread.run", "thread.run.step"):
            for record in list(ctx.store.records(kind)):
                if record["thread_id"] == thread_id:
                    tx.delete(kind, record["id"])
    return deleted(thread_id, KIND)
