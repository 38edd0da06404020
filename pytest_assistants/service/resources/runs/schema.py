"""The run's request schemas (API reference of each era; texts in §2's vocabulary).

A run takes the assistant's own fields it can override (``model``, ``instructions``,
``tools``, sampling, ``response_format``, ``reasoning_effort``: the same checks as on the
assistant) and its own options. Which exist follows the era's rules: the v1 runs of 2023
take no sampling options; ``parallel_tool_calls`` exists from 2024-06.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytest_assistants.service.profiles import LIMITS
from pytest_assistants.service.resources.assistants.schema import fields_of, tool_resources
from pytest_assistants.service.validation import (
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
    from pytest_assistants.service.profiles import ApiRules

OVERRIDES = ("model", "instructions", "tools", "temperature", "top_p", "response_format")
OVERRIDES_2025 = (*OVERRIDES, "reasoning_effort")
# max_prompt_tokens: at least 256 (the spec; 256 recorded accepted); max_completion_tokens:
# 16 recorded accepted (14 runs, 2024), so no 256 there: at least 1 (INFERRED), an int32.
PROMPT_TOKENS = (256, 2_147_483_647)
COMPLETION_TOKENS = (1, 2_147_483_647)


def _run_fields(rules: ApiRules) -> dict[str, Node]:
    from pytest_assistants.service.resources.messages.handlers import create_schema as message

    assistant = fields_of(rules.assistants, create=False)
    fields: dict[str, Node] = {
        "assistant_id": Str(prefix="asst"),
        **{name: assistant[name] for name in OVERRIDES_2025 if name in assistant},
        "additional_instructions": Str(nullable=True),
        "metadata": Metadata(nullable=True, scalars=rules.runs.metadata_any_scalar),
        "stream": Bool(nullable=True),
    }
    fields["instructions"] = Str(nullable=True)  # no length limit stated for a run
    if rules.assistants.sampling:  # the run options of 2024 (§14.5)
        fields["additional_messages"] = Arr(item=message(rules), nullable=True)
        fields["max_prompt_tokens"] = within(PROMPT_TOKENS, integer=True, nullable=True)
        fields["max_completion_tokens"] = within(COMPLETION_TOKENS, integer=True, nullable=True)
        fields["truncation_strategy"] = Obj(
            fields={
                "type": Enum(values=("auto", "last_messages")),
                "last_messages": within((1, 2_147_483_647), integer=True, nullable=True),
            },
            required=("type",),
            nullable=True,
        )
        fields["tool_choice"] = StrOrTagged(
            strings=("none", "auto", "required"),
            tagged=Tagged(
                variants={
                    "function": Obj(
                        fields={"type": Str(), "function": Obj(fields={"name": Str()})},
                        required=("function",),
                    ),
                    "code_interpreter": Obj(fields={"type": Str()}),
                    "file_search": Obj(fields={"type": Str()}),
                }
            ),
            nullable=True,
        )
    if rules.runs.parallel_tool_calls:
        fields["parallel_tool_calls"] = Bool(nullable=True)
    return fields


@per_rules
def create_schema(rules: ApiRules) -> Obj:
    return Obj(fields=_run_fields(rules), required=("assistant_id",))


@per_rules
def create_and_run_schema(rules: ApiRules) -> Obj:
    """``POST /threads/runs``: a run's members, the new ``thread`` and ``tool_resources``."""
    from pytest_assistants.service.resources.threads.handlers import schema as thread

    fields = _run_fields(rules)
    fields.pop("additional_messages", None)
    fields["thread"] = thread(rules, create=True)
    if rules.threads.tool_resources:
        fields["tool_resources"] = tool_resources(rules.assistants.file_id_prefix, helper=False)
    return Obj(fields=fields, required=("assistant_id",))


@per_rules
def modify_schema(rules: ApiRules) -> Obj:
    return Obj(fields={"metadata": Metadata(nullable=True, scalars=rules.runs.metadata_any_scalar)})


@per_rules
def outputs_schema(rules: ApiRules) -> Obj:
    output = Obj(fields={"tool_call_id": Str(), "output": Str()})
    return Obj(
        fields={
            "tool_outputs": Arr(item=output, max_items=LIMITS.tools),
            "stream": Bool(nullable=True),
        },
        required=("tool_outputs",),
    )
