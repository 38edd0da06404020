"""Profiles: a dialect at a date, as frozen data (DESIGN.md "Profiles").

A :class:`Profile` names the era whose behaviour it reproduces and maps each accepted
``OpenAI-Beta`` value to the :class:`ApiRules` that serve it. Where the evidence is
silent, the behaviour is a named field of :class:`Choices`, never a silent guess
(PROVIDER_BEHAVIOUR.md §11, §12); ``Choices`` can be overridden per test.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .validation import (
    AnyObj,
    Arr,
    Bool,
    Enum,
    Metadata,
    Num,
    Obj,
    Str,
    StrOrTagged,
    Tagged,
)

NAME_PATTERN = "^[a-zA-Z0-9_-]+$"

# [S1] model enum (snapshot Apr-Jul 2025): the models the frozen v2 API accepted.
V2_MODELS = frozenset(
    [
        "gpt-4.1",
        "gpt-4.1-mini",
        "gpt-4.1-nano",
        "gpt-4.1-2025-04-14",
        "gpt-4.1-mini-2025-04-14",
        "gpt-4.1-nano-2025-04-14",
        "o3-mini",
        "o3-mini-2025-01-31",
        "o1",
        "o1-2024-12-17",
        "gpt-4o",
        "gpt-4o-2024-11-20",
        "gpt-4o-2024-08-06",
        "gpt-4o-2024-05-13",
        "gpt-4o-mini",
        "gpt-4o-mini-2024-07-18",
        "gpt-4.5-preview",
        "gpt-4.5-preview-2025-02-27",
        "gpt-4-turbo",
        "gpt-4-turbo-2024-04-09",
        "gpt-4-0125-preview",
        "gpt-4-turbo-preview",
        "gpt-4-1106-preview",
        "gpt-4-vision-preview",
        "gpt-4",
        "gpt-4-0314",
        "gpt-4-0613",
        "gpt-4-32k",
        "gpt-4-32k-0314",
        "gpt-4-32k-0613",
        "gpt-3.5-turbo",
        "gpt-3.5-turbo-16k",
        "gpt-3.5-turbo-0613",
        "gpt-3.5-turbo-1106",
        "gpt-3.5-turbo-0125",
        "gpt-3.5-turbo-16k-0613",
    ]
)

# Known to OpenAI but refused by Assistants: gpt-5.1 observed [code#54323319359]; the rest
# of the family INFERRED by analogy (released after the API froze on 2025-08-26).
V2_REFUSED_MODELS = frozenset(
    [
        "gpt-5",
        "gpt-5-mini",
        "gpt-5-nano",
        "gpt-5.1",
        "gpt-5.1-mini",
        "o3",
        "o3-pro",
        "o4-mini",
        "o1-pro",
    ]
)

V2_KEY_ORDER_2024 = [
    "id",
    "object",
    "created_at",
    "name",
    "description",
    "model",
    "instructions",
    "tools",
    "top_p",
    "temperature",
    "tool_resources",
    "metadata",
    "response_format",
]
V2_KEY_ORDER_2025 = [
    "id",
    "object",
    "created_at",
    "name",
    "description",
    "model",
    "instructions",
    "tools",
    "top_p",
    "temperature",
    "reasoning_effort",
    "tool_resources",
    "metadata",
    "response_format",
]


@dataclass(frozen=True)
class ApiRules:
    """What one ``OpenAI-Beta`` version accepted and served at one date."""

    version: str
    instructions_max: int
    tool_types: tuple[str, ...]
    key_order: tuple[str, ...]
    models: frozenset[str]
    refused_models: frozenset[str] = frozenset()
    sampling: bool = True
    reasoning_efforts: tuple[str, ...] | None = None
    response_format_strings: tuple[str, ...] = ("auto",)
    response_format_types: tuple[str, ...] = ("text", "json_object", "json_schema")
    file_search_options: bool = True
    normalise_file_search: bool = True
    hybrid_search: bool = True
    normalise_function: bool = True
    file_ids: bool = False

    def _tool_variants(self) -> dict[str, Obj]:
        type_field = {"type": Str()}
        file_search_fields: dict[str, Obj] = {}
        if self.file_search_options:
            ranking = Obj(
                fields={
                    "ranker": Enum(values=("auto", "default_2024_08_21")),
                    "score_threshold": Num(minimum=0, maximum=1),
                },
                required=("score_threshold",),
            )
            file_search_fields["file_search"] = Obj(
                fields={
                    "max_num_results": Num(minimum=1, maximum=50, integer=True),
                    "ranking_options": ranking,
                }
            )
        function = Obj(
            fields={
                "name": Str(max_len=64, pattern=NAME_PATTERN),
                "description": Str(),
                "parameters": AnyObj(),
                "strict": Bool(nullable=True),
            },
            required=("name",),
        )
        variants = {
            "code_interpreter": Obj(fields=type_field),
            "file_search": Obj(fields={**type_field, **file_search_fields}),
            "retrieval": Obj(fields=type_field),
            "function": Obj(fields={**type_field, "function": function}, required=("function",)),
        }
        return {name: variants[name] for name in self.tool_types}

    def _fields(self, *, create: bool) -> dict[str, object]:
        fields: dict[str, object] = {
            "model": Str(),
            "name": Str(max_len=256, nullable=True),
            "description": Str(max_len=512, nullable=True),
            "instructions": Str(max_len=self.instructions_max, nullable=True),
            "tools": Arr(item=Tagged(variants=self._tool_variants()), max_items=128),
            "metadata": Metadata(nullable=True),
        }
        if self.file_ids:
            fields["file_ids"] = Arr(item=Str(prefix="file"), max_items=20)
        else:
            file_search: dict[str, object] = {
                "vector_store_ids": Arr(item=Str(prefix="vs"), max_items=1)
            }
            if create:
                file_search["vector_stores"] = Arr(
                    item=Obj(
                        fields={
                            "file_ids": Arr(item=Str(prefix="file"), max_items=10000),
                            "chunking_strategy": AnyObj(),
                            "metadata": Metadata(nullable=True),
                        }
                    ),
                    max_items=1,
                )
            fields["tool_resources"] = Obj(
                fields={
                    "code_interpreter": Obj(
                        fields={"file_ids": Arr(item=Str(prefix="file"), max_items=20)}
                    ),
                    "file_search": Obj(fields=file_search),  # type: ignore[arg-type]
                },
                nullable=True,
            )
        if self.sampling:
            fields["temperature"] = Num(minimum=0, maximum=2, nullable=True)
            fields["top_p"] = Num(minimum=0, maximum=1, nullable=True)
            formats = {
                "text": Obj(fields={"type": Str()}),
                "json_object": Obj(fields={"type": Str()}),
                "json_schema": Obj(
                    fields={
                        "type": Str(),
                        "json_schema": Obj(
                            fields={
                                "name": Str(max_len=64, pattern=NAME_PATTERN),
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
                strings=self.response_format_strings,
                tagged=Tagged(variants={t: formats[t] for t in self.response_format_types}),
                nullable=True,
            )
        if self.reasoning_efforts is not None:
            fields["reasoning_effort"] = Enum(values=self.reasoning_efforts, nullable=True)
        return fields

    @cached_property
    def create_schema(self) -> Obj:
        return Obj(fields=self._fields(create=True), required=("model",))  # type: ignore[arg-type]

    @cached_property
    def modify_schema(self) -> Obj:
        return Obj(fields=self._fields(create=False))  # type: ignore[arg-type]

    def is_reasoning_model(self, model: str) -> bool:
        """o-series models refuse temperature / top_p (§2 cross-field row)."""
        return model.startswith(("o1", "o3", "o4"))


@dataclass(frozen=True)
class Choices:
    """Documented, switchable behaviour where the evidence is silent (§11, §12).

    - ``null_resets_defaults`` (Q2): explicit null on temperature / top_p / response_format
      stores the default (1.0 / "auto") rather than null. Default True: served objects in
      every recording always carry numbers there.
    - ``metadata_merge`` (Q3): modify merges metadata keys instead of replacing the map.
    - ``api_keys``: when set, only these bearer keys are accepted (others get 401
      ``invalid_api_key``); by default any non-empty key is accepted.
    - ``organization``: value of the ``openai-organization`` response header.
    - ``sunset``: answer every assistants route as after the 2026-08-26 shutdown (404).
    - ``extra_models``: more model ids to accept (fine-tunes, private deployments).
    - ``max_body_bytes``: larger request bodies get a 413 (our limit: no evidence).
    """

    null_resets_defaults: bool = True
    metadata_merge: bool = False
    api_keys: frozenset[str] | None = None
    organization: str = "user-fake0organization00000"
    sunset: bool = False
    extra_models: frozenset[str] = frozenset()
    max_body_bytes: int = 8 * 1024 * 1024
    pretty_json: bool = True
    extras: Mapping[str, object] = field(default_factory=dict)

    def replace(self, **changes: object) -> Choices:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Profile:
    """A dialect at a date: which beta versions it serves, and how."""

    name: str
    dialect: str
    era: str
    served: Mapping[str, ApiRules]
    missing_beta_version: str
    deprecated_betas: Mapping[str, str] = field(default_factory=dict)
    choices: Choices = field(default_factory=Choices)
    description: str = ""

    def with_choices(self, **changes: object) -> Profile:
        return dataclasses.replace(self, choices=self.choices.replace(**changes))


V2_2025 = ApiRules(
    version="v2",
    instructions_max=256_000,
    tool_types=("code_interpreter", "function", "file_search"),
    key_order=tuple(V2_KEY_ORDER_2025),
    models=V2_MODELS,
    refused_models=V2_REFUSED_MODELS,
    reasoning_efforts=("low", "medium", "high"),
)

OPENAI_V2_2025_08 = Profile(
    name="openai-v2@2025-08",
    dialect="openai",
    era="2025-08",
    served={"v2": V2_2025},
    missing_beta_version="v2",
    deprecated_betas={"v1": "v1_deprecated"},
    description="OpenAI Assistants v2 as frozen on 2025-08-26 (the final API).",
)

DEFAULT_PROFILE = OPENAI_V2_2025_08.name

PROFILES: dict[str, Profile] = {OPENAI_V2_2025_08.name: OPENAI_V2_2025_08}


class UnknownProfileError(ValueError):
    """A profile name that does not exist; the message lists the ones that do."""


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise UnknownProfileError(
            f"unknown assistants profile {name!r}: use one of {known}"
            " (set it with --assistants-profile, the assistants_profile ini option,"
            " or @pytest.mark.assistants(profile=...))"
        ) from None
