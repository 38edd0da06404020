"""Request schemas of vector stores, their files and file batches, derived from the rules.

Fields and limits from the API reference of the period ([SPEC@HEAD], [SDK]): ``expires_after``
is ``{anchor: "last_active_at", days: 1..365}``, a static chunking strategy takes
``max_chunk_size_tokens`` 100..4096 and ``chunk_overlap_tokens`` (at most half of it,
checked in ``semantics``). Texts are the validator's (§2); ids are checked by prefix (Q5:
existence is the ``reference_check`` choice).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytest_assistants.service.validation import (
    AnyObj,
    Arr,
    Enum,
    Metadata,
    Node,
    Num,
    Obj,
    Str,
    Tagged,
    per_rules,
)

if TYPE_CHECKING:
    from pytest_assistants.service.profiles import ApiRules

CHUNK_TOKENS = (100, 4096)  # [SDK] StaticFileChunkingStrategy
EXPIRY_DAYS = (1, 365)  # [SPEC@HEAD] VectorStoreExpirationAfter
ANCHORS = ("last_active_at",)
FILTERS = ("in_progress", "completed", "failed", "cancelled")
DESCRIPTION_MAX = 512  # [SPEC@HEAD] CreateVectorStoreRequest.description


def _file_id(rules: ApiRules) -> Str:
    return Str(prefix=rules.assistants.file_id_prefix)


def chunking_node() -> Tagged:
    """``chunking_strategy``: ``{type: auto}`` or ``{type: static, static: {...}}``."""
    return _chunking()


def _chunking() -> Tagged:
    static = Obj(
        fields={
            "max_chunk_size_tokens": Num(
                minimum=CHUNK_TOKENS[0], maximum=CHUNK_TOKENS[1], integer=True
            ),
            "chunk_overlap_tokens": Num(minimum=0, integer=True),
        },
        required=("max_chunk_size_tokens", "chunk_overlap_tokens"),
    )
    return Tagged(
        variants={
            "auto": Obj(fields={"type": Str()}),
            "static": Obj(fields={"type": Str(), "static": static}, required=("static",)),
        }
    )


def _expires_after() -> Obj:
    return Obj(
        fields={
            "anchor": Enum(values=ANCHORS),
            "days": Num(minimum=EXPIRY_DAYS[0], maximum=EXPIRY_DAYS[1], integer=True),
        },
        required=("anchor", "days"),
        nullable=True,
    )


@per_rules
def create_schema(rules: ApiRules) -> Obj:
    """``POST /vector_stores``: every field optional."""
    fields: dict[str, Node] = {
        "file_ids": Arr(item=_file_id(rules)),
        "name": Str(nullable=True),
        "expires_after": _expires_after(),
        "metadata": Metadata(nullable=True),
    }
    if "description" in rules.vector_stores.key_order:
        fields["description"] = Str(max_len=DESCRIPTION_MAX, nullable=True)
    if rules.vector_stores.chunking_strategy:
        fields["chunking_strategy"] = _chunking()
    return Obj(fields=fields)


@per_rules
def modify_schema(rules: ApiRules) -> Obj:
    """``POST /vector_stores/{id}``: name, expires_after, metadata (§14.6)."""
    return Obj(
        fields={
            "name": Str(nullable=True),
            "expires_after": _expires_after(),
            "metadata": Metadata(nullable=True),
        }
    )


def _attachment(rules: ApiRules, fields: dict[str, Node]) -> dict[str, Node]:
    if rules.vector_stores.chunking_strategy:
        fields["chunking_strategy"] = _chunking()
    if "attributes" in rules.vector_stores.file_key_order:
        fields["attributes"] = AnyObj(nullable=True)  # its pairs: semantics.check_attributes
    return fields


@per_rules
def file_schema(rules: ApiRules) -> Obj:
    """``POST /vector_stores/{id}/files``: ``file_id`` required."""
    return Obj(fields=_attachment(rules, {"file_id": _file_id(rules)}), required=("file_id",))


@per_rules
def file_update_schema(rules: ApiRules) -> Obj:
    """``POST /vector_stores/{id}/files/{file_id}``: ``attributes`` required."""
    return Obj(fields={"attributes": AnyObj(nullable=True)}, required=("attributes",))


@per_rules
def batch_schema(rules: ApiRules) -> Obj:
    """``POST /vector_stores/{id}/file_batches``: ``file_ids`` required (non-empty)."""
    fields = _attachment(rules, {"file_ids": Arr(item=_file_id(rules))})
    return Obj(fields=fields, required=("file_ids",))


def modify_fields(rules: ApiRules) -> tuple[str, ...]:
    return tuple(modify_schema(rules).fields)
