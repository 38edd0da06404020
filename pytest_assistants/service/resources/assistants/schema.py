"""The assistant's create and modify request schemas, derived from its rules (§2).

Built once per rules (they are frozen data) and cached; the schema language and the one
error it reports are :mod:`pytest_assistants.service.validation`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytest_assistants.service.profiles import LIMITS, NAME_PATTERN
from pytest_assistants.service.resources.vector_stores.schema import chunking_node
from pytest_assistants.service.validation import (
    AnyObj,
    Arr,
    Bool,
    Enum,
    Metadata,
    Node,
    Obj,
    Str,
    StrOrTagged,
    Tagged,
    per_rules,
    within,
)

if TYPE_CHECKING:
    from pytest_assistants.service.profiles import AssistantRules


def _tool_variants(rules: AssistantRules) -> dict[str, Obj]:
    type_field = {"type": Str()}
    file_search_fields: dict[str, Obj] = {}
    if rules.file_search_options:
        file_search_options: dict[str, Node] = {
            "max_num_results": within(LIMITS.max_num_results, integer=True)
        }
        ranking = Obj(
            fields={
                "ranker": Enum(values=("auto", "default_2024_08_21")),
                "score_threshold": within(LIMITS.score_threshold),
            },
            required=("score_threshold",),
        )
        if rules.ranking_options:
            file_search_options["ranking_options"] = ranking
        file_search_fields["file_search"] = Obj(fields=file_search_options)
    function_fields: dict[str, Node] = {
        "name": Str(max_len=LIMITS.function_name, pattern=NAME_PATTERN),
        "description": Str(),
        "parameters": AnyObj(),
    }
    if rules.function_strict:
        function_fields["strict"] = Bool(nullable=True)
    function = Obj(fields=function_fields, required=("name",))
    variants = {
        "code_interpreter": Obj(fields=type_field),
        "file_search": Obj(fields={**type_field, **file_search_fields}),
        "retrieval": Obj(fields=type_field),
        "function": Obj(fields={**type_field, "function": function}, required=("function",)),
    }
    return {name: variants[name] for name in rules.tool_types}


def fields_of(rules: AssistantRules, *, create: bool) -> dict[str, Node]:
    """The body members of a create (or modify) under ``rules``: runs reuse some of them."""
    fields: dict[str, Node] = {
        "model": Str(),
        "name": Str(max_len=LIMITS.name, nullable=True),
        "description": Str(max_len=LIMITS.description, nullable=True),
        "instructions": Str(max_len=rules.instructions_max, nullable=True),
        "tools": Arr(item=Tagged(variants=_tool_variants(rules)), max_items=LIMITS.tools),
        "metadata": Metadata(nullable=True),
    }
    if rules.file_ids:
        fields["file_ids"] = Arr(
            item=Str(prefix=rules.file_id_prefix), max_items=LIMITS.v1_file_ids
        )
    else:
        helper = create or rules.vector_stores_on_modify
        fields["tool_resources"] = tool_resources(rules.file_id_prefix, helper=helper)
    if rules.sampling:
        fields["temperature"] = within(LIMITS.temperature, nullable=True)
        fields["top_p"] = within(LIMITS.top_p, nullable=True)
        formats = {
            "text": Obj(fields={"type": Str()}),
            "json_object": Obj(fields={"type": Str()}),
            "json_schema": Obj(
                fields={
                    "type": Str(),
                    "json_schema": Obj(
                        fields={
                            "name": Str(max_len=LIMITS.json_schema_name, pattern=NAME_PATTERN),
                            "description": Str(),
                            "schema": AnyObj(),
                            "strict": Bool(nullable=True),
                        },
                        required=("name",),
                    ),
                },
                required=("json_schema",),
            ),
        }
        fields["response_format"] = StrOrTagged(
            strings=rules.response_format_strings,
            tagged=Tagged(variants={t: formats[t] for t in rules.response_format_types}),
            nullable=True,
        )
    if rules.reasoning_efforts is not None:
        fields["reasoning_effort"] = Enum(values=rules.reasoning_efforts, nullable=True)
    return fields


def tool_resources(file_id_prefix: str | None, *, helper: bool) -> Obj:
    """``tool_resources`` of an assistant or a thread (v2, §2): code interpreter files, one
    vector store; ``helper`` accepts the ``vector_stores`` helper that makes one (create)."""
    file_search: dict[str, Node] = {
        "vector_store_ids": Arr(item=Str(prefix="vs"), max_items=LIMITS.vector_store_ids)
    }
    if helper:
        file_search["vector_stores"] = Arr(
            item=Obj(
                fields={
                    "file_ids": Arr(
                        item=Str(prefix=file_id_prefix),
                        max_items=LIMITS.vector_store_file_ids,
                    ),
                    "chunking_strategy": chunking_node(),
                    "metadata": Metadata(nullable=True),
                }
            ),
            max_items=LIMITS.vector_stores,
        )
    return Obj(
        fields={
            "code_interpreter": Obj(
                fields={
                    "file_ids": Arr(
                        item=Str(prefix=file_id_prefix),
                        max_items=LIMITS.code_interpreter_file_ids,
                    )
                }
            ),
            "file_search": Obj(fields=file_search),
        },
        nullable=True,
    )


@per_rules
def create_schema(rules: AssistantRules) -> Obj:
    """The create body's schema under ``rules`` (built once per rules: they are frozen)."""
    return Obj(fields=fields_of(rules, create=True), required=("model",))


@per_rules
def modify_schema(rules: AssistantRules) -> Obj:
    """The modify body's schema under ``rules``: nothing required, and ``vector_stores`` only
    where the rules accept it on modify."""
    return Obj(fields=fields_of(rules, create=False))
