"""The assistant's operations (create, retrieve, modify, list, delete) and its rendering.

Each handler takes the request :class:`~..common.Context` and returns the JSON it answers
with; the order of checks is §11.1's: body, id lookup (404), schema (one error), then the
merged object. Rendering shows a stored record in one era's keys and order (§5.1).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from pytest_assistants.service import errors
from pytest_assistants.service.resources.assistants import files
from pytest_assistants.service.resources.assistants.schema import create_schema, modify_schema
from pytest_assistants.service.resources.assistants.semantics import (
    apply_patch,
    check_merged,
    new_record,
    normalise_resources,
    preloaded,
    uses_vector_stores,
)
from pytest_assistants.service.resources.common import deleted, list_page
from pytest_assistants.service.resources.vector_stores import semantics as vector_stores
from pytest_assistants.service.store import require
from pytest_assistants.service.validation import validate
from pytest_assistants.service.wire import read_json

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pytest_assistants.service.profiles import ApiRules, AssistantRules
    from pytest_assistants.service.resources.common import Context
    from pytest_assistants.service.store import Record, Transaction

KIND = "assistant"
ID_PREFIX = "asst_"


def render(record: Record, rules: AssistantRules) -> dict[str, Any]:
    """The record as ``rules``' era serves it: its keys, in its order.

    One store serves v1 and v2 (2024): each version shows the other's file tool as its own
    (retrieval <-> file_search, INFERRED from the v2 migration guide, §5.1).
    """
    out = {key: record[key] for key in rules.key_order}
    foreign = "file_search" if rules.file_ids else "retrieval"
    for tool in out["tools"]:
        if tool["type"] != foreign:
            continue
        own = "retrieval" if rules.file_ids else "file_search"
        out["tools"] = [{"type": own} if tool["type"] == foreign else tool for tool in out["tools"]]
        resources = out.get("tool_resources")
        if resources is not None and "file_search" not in resources:
            out["tool_resources"] = {**resources, "file_search": {"vector_store_ids": []}}
        break
    return out


def render_for(record: Record, rules: ApiRules) -> dict[str, Any]:
    """:func:`render` with an API version's rules (the store's views render by kind)."""
    return render(record, rules.assistants)


def parse(obj: Any, now: int) -> Record:
    """An assistant a user gives whole (a dict or an SDK ``Assistant``): checked field by
    field (a TypeError names the bad one), missing fields at their defaults."""
    from pytest_assistants.service.resources.assistants.model import parse_assistant

    parsed = parse_assistant(obj)
    record = preloaded(parsed, now)
    record["id"] = str(parsed["id"]) if parsed.get("id") else ""
    return record


def stored(ctx: Context) -> Record:
    """The assistant the path names, or the 404 (§4.2)."""
    assistant_id = ctx.params["assistant_id"]
    return require(ctx.store, KIND, assistant_id, partial(errors.assistant_not_found, assistant_id))


def _make_vector_stores(ctx: Context, tx: Transaction, body: Mapping[str, Any]) -> dict[str, Any]:
    """The ``vector_stores`` helper makes real stores with their files (retrievable, §5.2)
    and attaches their ids; the request's other references are checked as the
    ``reference_check`` choice says (Q5)."""
    resources = body.get("tool_resources") or {}
    file_search = resources.get("file_search") or {}
    specs = file_search.get("vector_stores") or []
    path = "tool_resources.file_search.vector_stores"
    vector_stores.check_references(
        tx,
        ctx.choices,
        file_ids=[
            *body.get("file_ids", ()),
            *(resources.get("code_interpreter") or {}).get("file_ids", ()),
            *(file_id for spec in specs for file_id in spec.get("file_ids") or ()),
        ],
        store_ids=file_search.get("vector_store_ids") or (),
    )
    if "vector_stores" not in file_search:
        return dict(body)
    now = ctx.store.clock.now()
    made = [
        vector_stores.make_store(tx, ctx.rules, ctx.choices, now, spec, f"{path}[{index}].")["id"]
        for index, spec in enumerate(specs)
    ]
    return {**body, "tool_resources": {**resources, "file_search": {"vector_store_ids": made}}}


def create(ctx: Context) -> dict[str, Any]:
    rules, request = ctx.rules.assistants, ctx.request
    body = read_json(request.body, request.headers, ctx.choices.max_body_bytes)
    validate(create_schema(rules), body)
    with ctx.store.transaction() as tx:
        body = _make_vector_stores(ctx, tx, body)
        record = apply_patch(new_record("", ctx.store.clock.now()), body, rules, ctx.choices)
        check_merged(record, body, rules, ctx.choices)
        normalise_resources(record)
        record["id"] = tx.new_id(ID_PREFIX)
        tx.put(KIND, record)
        if rules.file_ids:  # v1: each attached file is an assistant file (files.py)
            files.sync(tx, record["id"], (), record["file_ids"], record["created_at"])
    return render(record, rules)


def retrieve(ctx: Context) -> dict[str, Any]:
    return render(stored(ctx), ctx.rules.assistants)


def modify(ctx: Context) -> dict[str, Any]:
    rules, request = ctx.rules.assistants, ctx.request
    patch = read_json(request.body, request.headers, ctx.choices.max_body_bytes)
    with ctx.store.transaction() as tx:
        record = stored(ctx)  # §11.1: an unknown id is 404 before the body is validated
        validate(modify_schema(rules), patch)
        if ctx.choices.reference_check == "exists" or (
            rules.vector_stores_on_modify and uses_vector_stores(patch)
        ):
            patch = _make_vector_stores(ctx, tx, patch)  # Q5; the helper: Zerobot's modify
        merged = apply_patch(record, patch, rules, ctx.choices)
        check_merged(merged, patch, rules, ctx.choices)
        normalise_resources(merged)
        tx.put(KIND, merged)
        if rules.file_ids and "file_ids" in patch:  # v1: attach and detach (§3 [S0])
            now = ctx.store.clock.now()
            files.sync(tx, merged["id"], record["file_ids"], merged["file_ids"], now)
    return render(merged, rules)


def list_(ctx: Context) -> dict[str, Any]:
    rules = ctx.rules.assistants
    return list_page(ctx, KIND, lambda record: render(record, rules))


def delete(ctx: Context) -> dict[str, Any]:
    assistant_id = stored(ctx)["id"]
    with ctx.store.transaction() as tx:
        files.forget(tx, stored(ctx))
        tx.delete(KIND, assistant_id)
    return deleted(assistant_id, KIND)
