"""A tiny schema language that answers in OpenAI's validator vocabulary (§2).

Only one error is reported per request, chosen by rank: an unknown parameter beats a bad
type or enum, which beats a bad length or range (§2 "Validation order"); within a rank the
first one met in body order wins. Lengths count Unicode code points, as JSON Schema's
``maxLength`` does (the server is specified by an OpenAPI document).

Each resource derives its request schemas from its rules in its own ``schema`` module
(``resources/<name>/schema.py``), once per rules: the rules are frozen data.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from pytest_assistants.service import errors
from pytest_assistants.service.profiles import LIMITS

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from pytest_assistants.service.errors import ApiError

Rules = TypeVar("Rules")
Built = TypeVar("Built")
Options = ParamSpec("Options")

UNKNOWN, TYPE, RANGE = 0, 1, 2


class _Stop(Exception):
    """Raised to end the walk early once nothing can beat the error already found."""


class Findings:
    """Keeps the first error met at each rank."""

    def __init__(self) -> None:
        self.by_rank: dict[int, ApiError] = {}

    def add(self, rank: int, error: ApiError) -> None:
        if rank not in self.by_rank:
            self.by_rank[rank] = error
            if rank == UNKNOWN:
                raise _Stop


def json_type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


@dataclass(frozen=True)
class Node:
    nullable: bool = False

    expected = "a value"

    def check(self, value: Any, path: str, found: Findings) -> None:
        if value is None:
            if not self.nullable:
                found.add(TYPE, errors.invalid_type(path, self.expected, "null"))
            return
        self.check_value(value, path, found)

    def check_value(self, value: Any, path: str, found: Findings) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class Str(Node):
    max_len: int | None = None
    pattern: str | None = None
    prefix: str | None = None
    expected = "a string"

    def check_value(self, value: Any, path: str, found: Findings) -> None:
        if not isinstance(value, str):
            found.add(TYPE, errors.invalid_type(path, self.expected, json_type_name(value)))
            return
        if self.prefix is not None and not value.startswith(self.prefix):
            found.add(TYPE, errors.bad_id_prefix(path, value, self.prefix))
        if self.pattern is not None and re.fullmatch(self.pattern, value) is None:
            found.add(TYPE, errors.pattern_mismatch(path, self.pattern))
        if self.max_len is not None and len(value) > self.max_len:
            found.add(RANGE, errors.string_too_long(path, self.max_len, len(value)))


@dataclass(frozen=True)
class Enum(Node):
    values: tuple[str, ...] = ()
    expected = "a string"

    def check_value(self, value: Any, path: str, found: Findings) -> None:
        if not isinstance(value, str):
            found.add(TYPE, errors.invalid_type(path, self.expected, json_type_name(value)))
        elif value not in self.values:
            found.add(TYPE, errors.invalid_value(path, value, self.values))


@dataclass(frozen=True)
class Num(Node):
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "an integer" if self.integer else "a decimal"

    def check_value(self, value: Any, path: str, found: Findings) -> None:
        ok = isinstance(value, int) if self.integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok:
            found.add(TYPE, errors.invalid_type(path, self.expected, json_type_name(value)))
            return
        if self.maximum is not None and value > self.maximum:
            found.add(RANGE, errors.above_maximum(path, self.maximum, value, integer=self.integer))
        elif self.minimum is not None and value < self.minimum:
            found.add(RANGE, errors.below_minimum(path, self.minimum, value, integer=self.integer))


@dataclass(frozen=True)
class Bool(Node):
    expected = "a boolean"

    def check_value(self, value: Any, path: str, found: Findings) -> None:
        if not isinstance(value, bool):
            found.add(TYPE, errors.invalid_type(path, self.expected, json_type_name(value)))


@dataclass(frozen=True)
class AnyObj(Node):
    """Free-form JSON object (a JSON Schema, for instance)."""

    expected = "an object"

    def check_value(self, value: Any, path: str, found: Findings) -> None:
        if not isinstance(value, dict):
            found.add(TYPE, errors.invalid_type(path, self.expected, json_type_name(value)))


@dataclass(frozen=True)
class Arr(Node):
    item: Node = field(default_factory=Node)
    max_items: int | None = None
    expected = "an array"

    def check_value(self, value: Any, path: str, found: Findings) -> None:
        if not isinstance(value, list):
            found.add(TYPE, errors.invalid_type(path, self.expected, json_type_name(value)))
            return
        for index, item in enumerate(value):
            self.item.check(item, f"{path}[{index}]", found)
        if self.max_items is not None and len(value) > self.max_items:
            found.add(RANGE, errors.array_too_long(path, self.max_items, len(value)))


@dataclass(frozen=True)
class Obj(Node):
    fields: Mapping[str, Node] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    expected = "an object"

    def check_value(self, value: Any, path: str, found: Findings) -> None:
        if not isinstance(value, dict):
            found.add(TYPE, errors.invalid_type(path, self.expected, json_type_name(value)))
            return
        self.check_members(value, path, found)

    def check_members(self, value: dict[str, Any], path: str, found: Findings) -> None:
        prefix = f"{path}." if path else ""
        for key in value:
            if key not in self.fields:
                found.add(UNKNOWN, errors.unknown_parameter(prefix + key))
        for key, item in value.items():
            self.fields[key].check(item, prefix + key, found)
        for key in self.required:
            if key not in value:
                found.add(TYPE, errors.missing_parameter(prefix + key))


@dataclass(frozen=True)
class Tagged(Node):
    """An object discriminated by its ``type`` member (tools, response formats)."""

    variants: Mapping[str, Obj] = field(default_factory=dict)
    expected = "an object"

    def check_value(self, value: Any, path: str, found: Findings) -> None:
        if not isinstance(value, dict):
            found.add(TYPE, errors.invalid_type(path, self.expected, json_type_name(value)))
            return
        tag = value.get("type")
        if "type" not in value:
            found.add(TYPE, errors.missing_parameter(f"{path}.type"))
            return
        if not isinstance(tag, str):
            found.add(TYPE, errors.invalid_type(f"{path}.type", "a string", json_type_name(tag)))
            return
        variant = self.variants.get(tag)
        if variant is None:
            found.add(TYPE, errors.invalid_value(f"{path}.type", tag, tuple(self.variants)))
            return
        variant.check_members(value, path, found)


@dataclass(frozen=True)
class StrOrTagged(Node):
    """``"auto"`` or a typed object: the shape of ``response_format``."""

    strings: tuple[str, ...] = ()
    tagged: Tagged = field(default_factory=Tagged)
    expected = "an object"

    def check_value(self, value: Any, path: str, found: Findings) -> None:
        if isinstance(value, str):
            if value not in self.strings:
                found.add(TYPE, errors.invalid_value(path, value, self.strings))
            return
        self.tagged.check_value(value, path, found)


@dataclass(frozen=True)
class StrOrArray(Node):
    """A string, or an array of ``item`` (a message's ``content``)."""

    item: Node = field(default_factory=Node)
    expected = "one of a string or array of objects"

    def check_value(self, value: Any, path: str, found: Findings) -> None:
        if isinstance(value, str):
            return
        if not isinstance(value, list):
            found.add(TYPE, errors.invalid_type(path, self.expected, json_type_name(value)))
            return
        for index, item in enumerate(value):
            self.item.check(item, f"{path}[{index}]", found)


@dataclass(frozen=True)
class Metadata(Node):
    """Up to N string pairs with key and value length limits (§2 metadata row)."""

    max_pairs: int = LIMITS.metadata_pairs
    max_key: int = LIMITS.metadata_key
    max_value: int = LIMITS.metadata_value
    scalars: bool = False  # v1 threads, messages, runs: a boolean or number is stored as text
    expected = "an object"

    def check_value(self, value: Any, path: str, found: Findings) -> None:
        if not isinstance(value, dict):
            found.add(TYPE, errors.invalid_type(path, self.expected, json_type_name(value)))
            return
        for key, item in value.items():
            item_path = f"{path}.{key}"
            if self.scalars and isinstance(item, bool | int | float):
                item = scalar_text(item)
            if not isinstance(item, str):
                found.add(TYPE, errors.invalid_type(item_path, "a string", json_type_name(item)))
            elif len(item) > self.max_value:
                found.add(RANGE, errors.string_too_long(item_path, self.max_value, len(item)))
            if len(key) > self.max_key:
                found.add(RANGE, errors.property_name_too_long(path, key, self.max_key))
        if len(value) > self.max_pairs:
            found.add(RANGE, errors.too_many_properties(path, self.max_pairs, len(value)))


def scalar_text(value: bool | float) -> str:
    """How v1 stored a non-string metadata value: as Python writes it (``true`` -> "True",
    recorded §14.4; numbers INFERRED alike)."""
    return str(value)


def validate(schema: Obj, body: dict[str, Any]) -> None:
    """Raise the one error the provider reports for ``body``, or return if it is valid."""
    found = Findings()
    try:
        schema.check_members(body, "", found)
    except _Stop:  # an unknown parameter: nothing outranks it
        raise found.by_rank[UNKNOWN] from None
    if found.by_rank:
        raise found.by_rank[min(found.by_rank)]


def per_rules(
    build: Callable[Concatenate[Rules, Options], Built],
) -> Callable[Concatenate[Rules, Options], Built]:
    """Build a schema once per rules object (and options), found again by identity.

    Rules are frozen dataclasses: ``functools.cache`` would hash every field of them, nested
    rules included, on every request; the object itself is the key here (kept alive with
    its schema, so its id cannot be reused).
    """
    built: dict[Any, tuple[Rules, Built]] = {}

    @functools.wraps(build)
    def schema(rules: Rules, /, *args: Options.args, **kwargs: Options.kwargs) -> Built:
        key = (id(rules), *args, *kwargs.items()) if args or kwargs else id(rules)
        entry = built.get(key)
        if entry is None:
            entry = built[key] = (rules, build(rules, *args, **kwargs))
        return entry[1]

    schema.cache_clear = built.clear  # type: ignore[attr-defined]  # as functools.cache's
    return schema


def within(bounds: tuple[float, float], *, integer: bool = False, nullable: bool = False) -> Num:
    """A number between (low, high) bounds, such as those of :data:`~.profiles.LIMITS`."""
    return Num(minimum=bounds[0], maximum=bounds[1], integer=integer, nullable=nullable)
