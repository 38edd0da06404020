"""A thread's messages (§14.5): v1 ``file_ids``, v2 ``attachments``; a modify answers the
legacy shape (``file_ids``, no ``attachments``) even under v2, as recorded three times.

Content given as a string becomes one text part with no annotations; parts given as an
array keep their order (text, ``image_url`` and ``image_file`` with ``detail`` "auto"
unless given, after the url or file id, as recorded for image_url).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from pytest_assistants.service import errors
from pytest_assistants.service.resources.common import deleted, list_page, metadata_of
from pytest_assistants.service.store import require
from pytest_assistants.service.validation import (
    Arr,
    Enum,
    Metadata,
    Node,
    Obj,
    Str,
    StrOrArray,
    Tagged,
    per_rules,
    validate,
)
from pytest_assistants.service.wire import read_json

if TYPE_CHECKING:
    from pytest_assistants.service.profiles import ApiRules, MessageRules
    from pytest_assistants.service.resources.common import Context
    from pytest_assistants.service.store import Record, Transaction

KIND = "thread.message"
ID_PREFIX = "msg_"
V1_FILE_IDS = 10  # v1 message file_ids maxItems (API reference of the period)
ATTACHMENTS = 10  # INFERRED: the same bound for v2 attachments


def _content_schema(file_id_prefix: str | None) -> StrOrArray:
    detail = Enum(values=("auto", "low", "high"))
    return StrOrArray(
        item=Tagged(
            variants={
                "text": Obj(fields={"type": Str(), "text": Str()}, required=("text",)),
                "image_url": Obj(
                    fields={
                        "type": Str(),
                        "image_url": Obj(
                            fields={"url": Str(), "detail": detail}, required=("url",)
                        ),
                    },
                    required=("image_url",),
                ),
                "image_file": Obj(
                    fields={
                        "type": Str(),
                        "image_file": Obj(
                            fields={"file_id": Str(prefix=file_id_prefix), "detail": detail},
                            required=("file_id",),
                        ),
                    },
                    required=("image_file",),
                ),
            }
        )
    )


@per_rules
def create_schema(rules: ApiRules) -> Obj:
    """A message to create (also a thread's initial messages and a run's additional ones)."""
    prefix = rules.assistants.file_id_prefix
    fields: dict[str, Node] = {
        "role": Enum(values=("user", "assistant")),
        "content": _content_schema(prefix),
        "metadata": Metadata(nullable=True, scalars=rules.messages.metadata_any_scalar),
    }
    if rules.messages.attachments:
        tool = Tagged(
            variants={t: Obj(fields={"type": Str()}) for t in ("code_interpreter", "file_search")}
        )
        fields["attachments"] = Arr(
            item=Obj(
                fields={"file_id": Str(prefix=prefix), "tools": Arr(item=tool)},
                required=("file_id",),
            ),
            max_items=ATTACHMENTS,
            nullable=True,
        )
    else:
        fields["file_ids"] = Arr(item=Str(prefix=prefix), max_items=V1_FILE_IDS)
    return Obj(fields=fields, required=("role", "content"))


@per_rules
def modify_schema(rules: ApiRules) -> Obj:
    return Obj(
        fields={"metadata": Metadata(nullable=True, scalars=rules.messages.metadata_any_scalar)}
    )


def render(
    record: Record, rules: MessageRules, keys: tuple[str, ...] | None = None
) -> dict[str, Any]:
    return {key: record[key] for key in (keys or rules.key_order)}


def render_for(record: Record, rules: ApiRules) -> dict[str, Any]:
    return render(record, rules.messages)


def text_part(value: str) -> dict[str, Any]:
    return {"type": "text", "text": {"value": value, "annotations": []}}


def content_of(given: str | list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored content parts of a message as given."""
    if isinstance(given, str):
        return [text_part(given)]
    parts = []
    for part in given:
        kind = part["type"]
        if kind == "text":
            parts.append(text_part(part["text"]))
        else:  # the reference first, then detail: url, detail as recorded [RB] (4 of 4)
            image_of = part[kind]
            source = "url" if kind == "image_url" else "file_id"
            image = {source: image_of[source], "detail": image_of.get("detail", "auto")}
            parts.append({"type": kind, kind: image})
    return parts


def new_record(message_id: str, thread_id: str, created_at: int) -> Record:
    """Every field of every era, at its value for a user message; ``status`` and the
    ``*_at`` fields are shown in streamed events only (§14.3)."""
    return {
        "id": message_id,
        "object": KIND,
        "created_at": created_at,
        "assistant_id": None,
        "thread_id": thread_id,
        "run_id": None,
        "role": "user",
        "content": [],
        "attachments": [],
        "file_ids": [],
        "metadata": {},
        "status": "completed",
        "incomplete_details": None,
        "completed_at": created_at,
        "incomplete_at": None,
    }


def preloaded(obj: Any, now: int) -> Record:
    record = new_record(str(obj.get("id") or ""), str(obj.get("thread_id") or ""), now)
    record["created_at"] = int(obj.get("created_at", now))
    record.update({k: v for k, v in obj.items() if k in record and k != "id"})
    return record


def add_message(ctx: Context, tx: Transaction, thread_id: str, body: dict[str, Any]) -> Record:
    """A message a caller adds (validated already) to a thread."""
    record = new_record(tx.new_id(ID_PREFIX), thread_id, ctx.store.clock.now())
    record["role"] = body["role"]
    record["content"] = content_of(body["content"])
    record["metadata"] = metadata_of(body.get("metadata"))
    record["attachments"] = list(body.get("attachments") or [])
    record["file_ids"] = list(body.get("file_ids") or [])
    tx.put(KIND, record)
    return record


def _thread(ctx: Context) -> Record:
    from pytest_assistants.service.resources.threads.handlers import stored

    return stored(ctx)


def stored(ctx: Context) -> Record:
    _thread(ctx)
    message_id = ctx.params["message_id"]
    not_found = partial(errors.object_not_found, "message", message_id)
    return require(ctx.store, KIND, message_id, not_found, thread_id=ctx.params["thread_id"])


def create(ctx: Context) -> dict[str, Any]:
    request = ctx.request
    body = read_json(request.body, request.headers, ctx.choices.max_body_bytes)
    with ctx.store.transaction() as tx:
        thread = _thread(ctx)
        validate(create_schema(ctx.rules), body)
        record = add_message(ctx, tx, thread["id"], body)
    return render(record, ctx.rules.messages)


def retrieve(ctx: Context) -> dict[str, Any]:
    return render(stored(ctx), ctx.rules.messages)


def list_(ctx: Context) -> dict[str, Any]:
    thread_id = _thread(ctx)["id"]
    run_id = ctx.query().get("run_id")
    rules = ctx.rules.messages

    def mine(record: Record) -> bool:
        return record["thread_id"] == thread_id and run_id in (None, record["run_id"])

    return list_page(ctx, KIND, lambda record: render(record, rules), where=mine)


def modify(ctx: Context) -> dict[str, Any]:
    """Metadata replaced whole; answered in the legacy shape (§14.5)."""
    request = ctx.request
    patch = read_json(request.body, request.headers, ctx.choices.max_body_bytes)
    with ctx.store.transaction() as tx:
        record = dict(stored(ctx))
        validate(modify_schema(ctx.rules), patch)
        if "metadata" in patch:
            record["metadata"] = metadata_of(patch["metadata"])
        tx.put(KIND, record)
    rules = ctx.rules.messages
    return render(record, rules, rules.modify_key_order)


def delete(ctx: Context) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        message_id = stored(ctx)["id"]
        tx.delete(KIND, message_id)
    return deleted(message_id, KIND)
