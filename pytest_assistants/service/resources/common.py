"""What every resource's handlers share: the request context, bodies, list pages.

A handler is a function of a :class:`Context` returning the JSON it answers with (status
200) or raising an :class:`~pytest_assistants.service.errors.ApiError`; the router renders
both. Handlers never see the dialect: the router resolved it into ``rules``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from pytest_assistants.service import errors
from pytest_assistants.service.validation import scalar_text

if TYPE_CHECKING:
    from pytest_assistants.service.http import HttpRequest
    from pytest_assistants.service.profiles import ApiRules, Choices
    from pytest_assistants.service.resources.runs.script import Script
    from pytest_assistants.service.store import Record, Store


@dataclass(slots=True)
class Context:
    """One request as a handler sees it: the path's ids, the rules of its API version."""

    request: HttpRequest
    params: Mapping[str, str]
    rules: ApiRules
    choices: Choices
    store: Store
    script: Script  # the model's next steps (runs take them)

    def query(self) -> dict[str, str]:
        return dict(parse_qsl(self.request.query, keep_blank_values=True))


@dataclass(slots=True)
class Answer:
    """A handler's answer when its JSON alone does not say it all: extra ``headers``, or
    ``raw`` bytes served as ``content_type`` instead of JSON (a file's content)."""

    payload: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = "application/octet-stream"


Handler = Callable[[Context], Any]


def query_int(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within [low, high], with OpenAI's texts when it is not."""
    raw = query.get(name)
    if raw is None:
        return default
    # ASCII digits only, as OpenAI parses it: int() would also take "1_0", "+5", " 1 ", "٣".
    if not (raw.isascii() and raw.removeprefix("-").isdigit()):
        raise errors.invalid_type(name, "an integer", "a string")
    value = int(raw)
    if value > high:
        raise errors.above_maximum(name, high, value, integer=True)
    if value < low:
        raise errors.below_minimum(name, low, value, integer=True)
    return value


def list_page(
    ctx: Context,
    kind: str,
    render: Callable[[Record], dict[str, Any]],
    where: Callable[[Record], bool] | None = None,
    *,
    limits: tuple[int, int] = (20, 100),
) -> dict[str, Any]:
    """A list answer (§14.5 "Lists everywhere"): limit 1..100 (default 20; ``limits`` gives
    another default and maximum), order desc (default) or asc, ``after`` / ``before``."""
    query = ctx.query()
    limit = query_int(query, "limit", limits[0], 1, limits[1])
    order = query.get("order", "desc")
    if order not in ("asc", "desc"):
        raise errors.invalid_value("order", order, ("asc", "desc"))
    page = ctx.store.page(
        kind,
        limit=limit,
        order=order,
        after=query.get("after"),
        before=query.get("before"),
        where=where,
    )
    data = [render(record) for record in page.data]
    return {
        "object": "list",
        "data": data,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
        "has_more": page.has_more,
    }


def metadata_of(given: Mapping[str, Any] | None) -> dict[str, str]:
    """Metadata as stored: null clears it; a v1 boolean or number (validated as allowed)
    is kept as its text (§14.4)."""
    if given is None:
        return {}
    return {k: v if isinstance(v, str) else scalar_text(v) for k, v in given.items()}


def deleted(object_id: str, kind: str) -> dict[str, Any]:
    """The answer to a delete: ``{"id", "object": "<kind>.deleted", "deleted": true}``."""
    return {"id": object_id, "object": f"{kind}.deleted", "deleted": True}


def given(obj: Any, kind: str, types: Mapping[str, tuple[type, ...]]) -> dict[str, Any]:
    """An object a user gives ``add()`` whole (a dict or an SDK model): a copy of the keys
    ``types`` knows, each of one of its types (a TypeError names the first that is not)."""
    if hasattr(obj, "model_dump"):
        obj = obj.model_dump(mode="json", exclude_unset=True)
    if not isinstance(obj, Mapping):
        raise TypeError(f"add() needs a {kind} object (a dict or an SDK model), not {obj!r}")
    out: dict[str, Any] = {}
    for key, value in obj.items():
        allowed = types.get(key)
        if allowed is None:
            continue
        if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
            names = " or ".join("null" if t is type(None) else t.__name__ for t in allowed)
            raise TypeError(f"add() needs a {kind} object: {key!r} must be {names}, not {value!r}")
        out[key] = copy.deepcopy(value)
    return out
