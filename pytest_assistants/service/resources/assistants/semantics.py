"""What an assistant is and what a create or modify does to one (§3, §5.1).

Records hold the union of every era's fields (:func:`new_record`); each era renders its own
keys (``handlers.render``). A modify merges a validated patch into a copy of the stored
record (:func:`apply_patch`: omitted unchanged, null clears, arrays replaced whole), the
server's normalisation runs on the result, and the merged object is checked as a whole
(:func:`check_merged`) before anything is stored.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from pytest_assistants.service import errors
from pytest_assistants.service.profiles import REASONING_PREFIXES

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pytest_assistants.service.profiles import AssistantRules, Choices
    from pytest_assistants.service.store import Record

RESOURCE_TOOLS = {"code_interpreter": "file_ids", "file_search": "vector_store_ids"}
DEFAULT_PARAMETERS: dict[str, Any] = {"type": "object", "properties": {}}
# Keys apply_patch does more with than store: any other key is set as given.
PATCHED_SPECIALLY = frozenset(
    ("tools", "metadata", "tool_resources", "temperature", "top_p", "response_format", "file_ids")
)


def new_record(assistant_id: str, created_at: int) -> Record:
    """An assistant with every field at its server default (§5.1 'Defaults')."""
    return {
        "id": assistant_id,
        "object": "assistant",
        "created_at": created_at,
        "name": None,
        "description": None,
        "model": None,
        "instructions": None,
        "tools": [],
        "top_p": 1.0,
        "temperature": 1.0,
        "reasoning_effort": None,
        "file_ids": [],
        "tool_resources": {},
        "metadata": {},
        "response_format": "auto",
    }


def normalise_tool(tool: dict[str, Any], rules: AssistantRules) -> dict[str, Any]:
    """The server-side shape real responses show for each tool type."""
    kind = tool["type"]
    if kind == "file_search" and rules.normalise_file_search:
        given = tool.get("file_search") or {}
        options: dict[str, Any] = {}
        if "max_num_results" in given:
            options["max_num_results"] = given["max_num_results"]
        ranking = dict(given.get("ranking_options") or {})
        ranking.setdefault("ranker", "default_2024_08_21")
        ranking["score_threshold"] = float(ranking.get("score_threshold", 0.0))
        ranking = {"ranker": ranking["ranker"], "score_threshold": ranking["score_threshold"]}
        if rules.hybrid_search:
            ranking["hybrid_search"] = None
        options["ranking_options"] = ranking
        return {"type": kind, "file_search": options}
    if kind == "function" and rules.normalise_function:
        given = tool["function"]
        parameters = given.get("parameters")
        return {
            "type": kind,
            "function": {
                "name": given["name"],
                "description": given.get("description"),
                "parameters": dict(DEFAULT_PARAMETERS) if parameters is None else parameters,
                "strict": bool(given.get("strict") or False),
            },
        }
    return tool


def as_float(value: Any) -> Any:
    return (
        float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    )


def apply_patch(
    stored: Record, patch: Mapping[str, Any], rules: AssistantRules, choices: Choices
) -> Record:
    """Modify semantics of §3: omitted unchanged, null clears, arrays replaced whole."""
    merged = dict(stored)
    for key, value in patch.items():
        if key not in PATCHED_SPECIALLY:
            merged[key] = value
        elif key == "tools":
            merged["tools"] = [normalise_tool(t, rules) for t in value]
        elif key == "metadata":
            if value is None:
                merged["metadata"] = {}
            elif choices.metadata_merge:
                merged["metadata"] = {**merged["metadata"], **value}
                if len(merged["metadata"]) > 16:
                    raise errors.too_many_properties("metadata", 16, len(merged["metadata"]))
            else:
                merged["metadata"] = dict(value)
        elif key == "tool_resources":
            if value is None:
                merged["tool_resources"] = {}
            else:
                resources = dict(merged["tool_resources"])
                resources.update(value)
                merged["tool_resources"] = resources
        elif key in ("temperature", "top_p"):
            merged[key] = 1.0 if value is None and choices.null_resets_defaults else as_float(value)
        elif key == "response_format":
            merged[key] = "auto" if value is None and choices.null_resets_defaults else value
        else:  # file_ids
            merged["file_ids"] = list(value)
    return merged


def normalise_resources(record: Record) -> None:
    """A resource-using tool always has its resource block (recordings, 2024-2026).

    Works on a copy of the block: after a modify that left ``tool_resources`` alone it is
    still the stored record's own dict, which must not change before the commit.
    """
    resources = dict(record["tool_resources"])
    for tool in record["tools"]:  # one pass, no set: the block order is settled below
        kind = tool["type"]
        member = RESOURCE_TOOLS.get(kind)
        if member is not None and kind not in resources:
            resources[kind] = {member: []}
    record["tool_resources"] = {k: resources[k] for k in sorted(resources, key=_resource_rank)}


_RESOURCE_RANKS = {kind: rank for rank, kind in enumerate(RESOURCE_TOOLS)}  # built once


def _resource_rank(kind: str) -> int:
    return _RESOURCE_RANKS.get(kind, len(RESOURCE_TOOLS))


def check_merged(
    record: Record, patch: Mapping[str, Any], rules: AssistantRules, choices: Choices
) -> None:
    """Cross-field checks on the merged object, then model existence (§11.1 order)."""
    model = record["model"]
    if isinstance(model, str) and model.startswith(REASONING_PREFIXES):  # o-series (§2)
        for parameter in ("temperature", "top_p"):
            value = record.get(parameter)
            if value is not None and value != 1.0:
                raise errors.unsupported_with_model(parameter)
    if "model" in patch:
        if rules.any_model:
            return
        if model in rules.models or model in choices.extra_models or _is_fine_tune(model, rules):
            return
        if model in rules.refused_models:
            raise errors.model_not_supported(model, v1=rules.version == "v1")
        raise errors.model_not_found(model)


def _is_fine_tune(model: str, rules: AssistantRules) -> bool:
    return model.startswith("ft:") and model.split(":")[1] in rules.models


def uses_vector_stores(body: Mapping[str, Any]) -> bool:
    resources = body.get("tool_resources")
    file_search = resources.get("file_search") if isinstance(resources, dict) else None
    return isinstance(file_search, dict) and "vector_stores" in file_search


def preloaded(obj: Mapping[str, Any], now: int) -> Record:
    """An assistant to store as given (``fake.add``): the known fields of ``obj`` over the
    server defaults, numbers as the server keeps them; the id is the caller's to set."""
    record = new_record("", int(obj.get("created_at", now)))
    for key, value in obj.items():
        if key in record and key != "id":
            record[key] = copy.deepcopy(value)
    for key in ("temperature", "top_p"):
        record[key] = as_float(record[key])
    return record
