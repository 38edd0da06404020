"""Profiles: a dialect at a date, as frozen data (DESIGN.md "Profiles").

A :class:`Profile` names the era whose behaviour it reproduces and maps each accepted
``OpenAI-Beta`` value to the :class:`ApiRules` that serve it. Where the evidence is
silent, the behaviour is a named field of :class:`Choices`, never a silent guess
(PROVIDER_BEHAVIOUR.md §11, §12); ``Choices`` can be overridden per test.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import cached_property

from .validation import (
    AnyObj,
    Arr,
    Bool,
    Enum,
    Metadata,
    Node,
    Num,
    Obj,
    Str,
    StrOrTagged,
    Tagged,
)

NAME_PATTERN = "^[a-zA-Z0-9_-]+$"
PORTKEY_DEFAULT_MODEL_CHOICES = ("ignore", "model_not_found")

# [S1] model enum (snapshot Apr-Jul 2025): the models the frozen v2 API accepted.
V2_MODELS = frozenset([
    "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4.1-2025-04-14", "gpt-4.1-mini-2025-04-14",
    "gpt-4.1-nano-2025-04-14", "o3-mini", "o3-mini-2025-01-31", "o1", "o1-2024-12-17", "gpt-4o",
    "gpt-4o-2024-11-20", "gpt-4o-2024-08-06", "gpt-4o-2024-05-13", "gpt-4o-mini",
    "gpt-4o-mini-2024-07-18", "gpt-4.5-preview", "gpt-4.5-preview-2025-02-27", "gpt-4-turbo",
    "gpt-4-turbo-2024-04-09", "gpt-4-0125-preview", "gpt-4-turbo-preview", "gpt-4-1106-preview",
    "gpt-4-vision-preview", "gpt-4", "gpt-4-0314", "gpt-4-0613", "gpt-4-32k", "gpt-4-32k-0314",
    "gpt-4-32k-0613", "gpt-3.5-turbo", "gpt-3.5-turbo-16k", "gpt-3.5-turbo-0613",
    "gpt-3.5-turbo-1106", "gpt-3.5-turbo-0125", "gpt-3.5-turbo-16k-0613",
])  # fmt: skip

# Known to OpenAI but refused by Assistants: gpt-5.1 observed [code#54323319359]; the rest
# of the family INFERRED by analogy (released after the API froze on 2025-08-26).
V2_REFUSED_MODELS = frozenset([
    "gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-5.1", "gpt-5.1-mini", "o3", "o3-pro", "o4-mini",
    "o1-pro",
])  # fmt: skip

V2_KEY_ORDER_2024 = [
    "id", "object", "created_at", "name", "description", "model", "instructions", "tools",
    "top_p", "temperature", "tool_resources", "metadata", "response_format",
]  # fmt: skip
V2_KEY_ORDER_2025 = [
    "id", "object", "created_at", "name", "description", "model", "instructions", "tools",
    "top_p", "temperature", "reasoning_effort", "tool_resources", "metadata", "response_format",
]  # fmt: skip


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
    file_ids: bool = False  # v1: file_ids instead of tool_resources
    ranking_options: bool = True  # file_search.ranking_options accepted (from 2024-08)
    function_strict: bool = True  # function.strict accepted (structured outputs, 2024-08)
    vector_stores_on_modify: bool = False  # the create-only helper also on modify (Zerobot)
    any_model: bool = False  # every model id accepted (providers with their own lists)

    def _tool_variants(self) -> dict[str, Obj]:
        type_field = {"type": Str()}
        file_search_fields: dict[str, Obj] = {}
        if self.file_search_options:
            file_search_options: dict[str, Node] = {
                "max_num_results": Num(minimum=1, maximum=50, integer=True)
            }
            ranking = Obj(
                fields={
                    "ranker": Enum(values=("auto", "default_2024_08_21")),
                    "score_threshold": Num(minimum=0, maximum=1),
                },
                required=("score_threshold",),
            )
            if self.ranking_options:
                file_search_options["ranking_options"] = ranking
            file_search_fields["file_search"] = Obj(fields=file_search_options)
        function_fields: dict[str, Node] = {
            "name": Str(max_len=64, pattern=NAME_PATTERN),
            "description": Str(),
            "parameters": AnyObj(),
        }
        if self.function_strict:
            function_fields["strict"] = Bool(nullable=True)
        function = Obj(fields=function_fields, required=("name",))
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
            if create or self.vector_stores_on_modify:
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
    - ``portkey_default_model`` (Q6): ``"ignore"`` drops the ``"model": "portkey-default"``
      the portkey-ai SDK puts in every update (as if no model was given);
      ``"model_not_found"`` forwards it, so OpenAI's 400 ``model_not_found`` comes back.
    - ``strict_schema``: Portkey enforces its OpenAPI document [S2] (unknown top-level
      fields such as ``reasoning_effort``, ``json_schema`` formats rejected with OpenAI's
      validator wording). Off by default: the real gateway passes bodies through (§10).
    - ``portkey_api_keys`` / ``portkey_virtual_keys``: when set, only these Portkey keys /
      virtual keys are valid (others get the 401 ``Error Code: 03`` / the 400 ``Following
      keys are not valid``); by default any non-empty value is accepted.
    - ``portkey_trace_id``: Portkey answers carry a generated ``x-portkey-trace-id`` when
      the caller sent none (the hosted gateway, as the SDK's retry rule implies). False: the
      open-source gateway, which echoes the caller's or sends it empty, so the portkey-ai
      SDK retries a 5xx once (§9.5).
    """

    null_resets_defaults: bool = True
    metadata_merge: bool = False
    api_keys: frozenset[str] | None = None
    organization: str = "user-fake0organization00000"
    sunset: bool = False
    extra_models: frozenset[str] = frozenset()
    max_body_bytes: int = 8 * 1024 * 1024
    pretty_json: bool = True
    portkey_default_model: str = "ignore"
    strict_schema: bool = False
    portkey_api_keys: frozenset[str] | None = None
    portkey_virtual_keys: frozenset[str] | None = None
    portkey_trace_id: bool = True
    extras: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.portkey_default_model not in PORTKEY_DEFAULT_MODEL_CHOICES:
            raise ValueError(
                f"portkey_default_model={self.portkey_default_model!r} is not a choice:"
                f" use {' or '.join(map(repr, PORTKEY_DEFAULT_MODEL_CHOICES))}"
            )

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

# -- v1 (OpenAI-Beta: assistants=v1) ----------------------------------------------------

# The v1 server knew the GPT-4 / GPT-3.5 families; later models got the v1 unsupported_model
# text of §2 [code#38861576046] (the text names gpt-4o; the rest of the family INFERRED).
V1_MODELS = frozenset(m for m in V2_MODELS if m.startswith(("gpt-4-", "gpt-3.5")) or m == "gpt-4")
V1_REFUSED_MODELS = frozenset((V2_MODELS - V1_MODELS) | V2_REFUSED_MODELS)

V1_KEY_ORDER_2023 = [
    "id", "object", "created_at", "name", "description", "model", "instructions", "tools",
    "file_ids", "metadata",
]  # fmt: skip
# v1 answers recorded from 2024-04-27 on (ruby-openai, lemur) carry the sampling fields.
V1_KEY_ORDER_2024 = [*V1_KEY_ORDER_2023[:8], "top_p", "temperature", "file_ids", "metadata"]
V1_KEY_ORDER_2024.append("response_format")

# Tool order of the "Supported values" text: v2's observed order is code_interpreter,
# function, file_search; v1's is INFERRED as the same list with retrieval in file_search's place.
V1_TOOLS = ("code_interpreter", "function", "retrieval")
V2_TOOLS = ("code_interpreter", "function", "file_search")

V1_2023 = ApiRules(
    version="v1",
    instructions_max=32_768,  # raised to 256,000 by spec commit 5fd86c83 (2024-04-09)
    tool_types=V1_TOOLS,
    key_order=tuple(V1_KEY_ORDER_2023),
    models=V1_MODELS,
    refused_models=V1_REFUSED_MODELS,
    sampling=False,
    file_ids=True,
    normalise_file_search=False,
    normalise_function=False,
    function_strict=False,
)
V1_2024 = dataclasses.replace(
    V1_2023,
    instructions_max=256_000,
    key_order=tuple(V1_KEY_ORDER_2024),
    sampling=True,
    response_format_strings=("none", "auto"),  # v1 spec enum [SPEC@2024-04-12]
    response_format_types=("text", "json_object"),
)

# -- v2 in 2024 ---------------------------------------------------------------------------

V2_MODELS_2024_05 = V1_MODELS | {"gpt-4o", "gpt-4o-2024-05-13"}
V2_MODELS_2024_10 = V2_MODELS_2024_05 | {
    "gpt-4o-2024-08-06",
    "gpt-4o-mini",
    "gpt-4o-mini-2024-07-18",
}

# May 2024 (lemur, ruby-openai, azure recordings): a file_search tool is echoed as
# {"type": "file_search"}, functions as given; no json_schema, no strict, no ranking options.
V2_2024_05 = ApiRules(
    version="v2",
    instructions_max=256_000,
    tool_types=V2_TOOLS,
    key_order=tuple(V2_KEY_ORDER_2024),
    models=V2_MODELS_2024_05,
    response_format_strings=("none", "auto"),
    response_format_types=("text", "json_object"),
    ranking_options=False,
    normalise_file_search=False,
    hybrid_search=False,
    normalise_function=False,
    function_strict=False,
)
# October 2024 (ruby-openai 2024-10-11): file_search gains ranking_options without
# hybrid_search; structured outputs (json_schema, strict) exist since 2024-08-06. Function
# echo: no recording of the era, kept "as given" like the 2024-06 one (INFERRED).
V2_2024_10 = dataclasses.replace(
    V2_2024_05,
    models=V2_MODELS_2024_10,
    response_format_types=("text", "json_object", "json_schema"),
    ranking_options=True,
    normalise_file_search=True,
    function_strict=True,
)

OPENAI_V1_2023_11 = Profile(
    name="openai-v1@2023-11",
    dialect="openai",
    era="2023-11",
    served={"v1": V1_2023},
    missing_beta_version="v1",
    description="OpenAI Assistants v1 from launch (2023-11-06) to 2024-04-08.",
)
OPENAI_V1_2024_04 = Profile(
    name="openai-v1@2024-04",
    dialect="openai",
    era="2024-04",
    served={"v1": V1_2024},
    missing_beta_version="v1",
    description="OpenAI Assistants v1 after 2024-04-09 (sampling fields, 256k instructions).",
)
OPENAI_V2_2024_05 = Profile(
    name="openai-v2@2024-05",
    dialect="openai",
    era="2024-05",
    served={"v2": V2_2024_05, "v1": V1_2024},
    missing_beta_version="v2",
    description="OpenAI Assistants v2 at launch; v1 still served over the same store.",
)
OPENAI_V2_2024_10 = Profile(
    name="openai-v2@2024-10",
    dialect="openai",
    era="2024-10",
    served={"v2": V2_2024_10, "v1": V1_2024},
    missing_beta_version="v2",
    description="OpenAI Assistants v2 after structured outputs and file_search ranking.",
)
OPENAI_SUNSET = Profile(
    name="openai@2026-08-26",
    dialect="openai",
    era="2026-08-26",
    served={"v2": V2_2025},
    missing_beta_version="v2",
    deprecated_betas={"v1": "v1_deprecated"},
    choices=Choices(sunset=True),
    description="After the shutdown: every assistants route answers 404.",
)

# -- gateways and other providers --------------------------------------------------------

# The Portkey OpenAPI page [S2]: OpenAI's v2 schema of about Apr-Jul 2024 with
# additionalProperties false at the top (enum response_format none/auto/text/json_object, no
# reasoning_effort; function.strict documented). Enforced only with the strict_schema choice;
# nested objects, which [S2] leaves open, get the same unknown-key check as everywhere.
PORTKEY_DOCUMENTED = dataclasses.replace(
    V2_2024_05,
    version="portkey",
    models=V2_MODELS,
    any_model=True,
    ranking_options=True,
    function_strict=True,
)

# Zerobot [S4] (PATCH modify). Documented: no beta header, no reasoning_effort, no file_ids,
# vector_stores accepted on modify. INFERRED (no evidence beyond [S4]): OpenAI's error
# envelopes and texts, OpenAI's 2024 object key order, any model id accepted, tools echoed
# as given, the schema details of OpenAI's CreateAssistantRequest of Apr-May 2024.
ZEROBOT_RULES = dataclasses.replace(
    V2_2024_05,
    version="zerobot",
    models=V2_MODELS,
    any_model=True,
    vector_stores_on_modify=True,
)

PORTKEY = Profile(
    name="portkey",
    dialect="portkey",
    era="2025-08",
    served={"v2": V2_2025},
    missing_beta_version="v2",
    deprecated_betas={"v1": "v1_deprecated"},
    description=(
        "Portkey gateway (api.portkey.ai) in front of the final OpenAI v2 API (§10). Choices"
        " where evidence is thin: portkey_default_model (Q6), portkey_trace_id (hosted"
        " header, Q13), strict_schema; INFERRED: a virtual key or config stands for a valid"
        " OpenAI key, x-portkey-provider is 'openai', only the openai provider is served."
    ),
)
ZEROBOT = Profile(
    name="zerobot",
    dialect="zerobot",
    era="2024-05",
    served={"zerobot": ZEROBOT_RULES, "v2": V2_2025},
    missing_beta_version="v2",
    deprecated_betas={"v1": "v1_deprecated"},
    description=(
        "Zerobot (api.zerobot.ai): PATCH modify, Bearer auth, no beta header, no"
        " reasoning_effort, vector_stores on modify [S4]. INFERRED (nothing else is public):"
        " OpenAI's error envelopes and texts, create/retrieve/list/delete on OpenAI's paths,"
        " POST on an assistant -> 404 Invalid URL, OpenAI's 2024 key order, any model id,"
        " tools echoed as given, top_p 0..1, no openai-* response headers, one store with"
        " the other hosts. served['v2'] answers direct api.openai.com calls."
    ),
)

PROFILES: dict[str, Profile] = {
    profile.name: profile
    for profile in (
        OPENAI_V1_2023_11,
        OPENAI_V1_2024_04,
        OPENAI_V2_2024_05,
        OPENAI_V2_2024_10,
        OPENAI_V2_2025_08,
        OPENAI_SUNSET,
        PORTKEY,
        ZEROBOT,
    )
}


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


# -- choosing the profile of a recording -------------------------------------------------

V1_SAMPLING_SINCE = date(2024, 4, 9)  # spec 5fd86c83; v1 answers gained top_p & co.
V2_LAUNCH = date(2024, 4, 17)
V2_RANKING_SINCE = date(2024, 8, 21)  # the ranker "default_2024_08_21"
V2_REASONING_SINCE = date(2025, 1, 1)  # between the 2024-10-11 and 2025-03-14 recordings
V1_SHUTDOWN = date(2024, 12, 18)
SUNSET = date(2026, 8, 26)
HOST_PROFILES = {"portkey": PORTKEY.name, "zerobot": ZEROBOT.name}


def _as_date(value: date | str | None) -> date | None:
    """A date from what recordings carry: RFC 2822 ``Date`` headers or ISO-ish strings."""
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    text = value.strip()
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match is None:
        raise ValueError(f"cannot read a date from {value!r} (use YYYY-MM-DD or an HTTP date)")
    return date(*map(int, match.groups()))


def profile_for(beta: str | None, host: str, recorded_at: date | str | None) -> str:
    """The profile that reproduces an interaction, by host, then beta version and date.

    A Portkey or Zerobot host picks that profile. Otherwise, from the date (undated: the
    default profile for v2, ``openai-v1@2023-11`` for v1, the era most v1 recordings are
    from): on or after 2026-08-26 the sunset profile; a v1 header before 2024-04-09 ->
    ``openai-v1@2023-11``, before the v1 shutdown (2024-12-18) -> ``openai-v1@2024-04``,
    after it the default (which answers v1 with the v1-deprecated 400); no header before
    the v2 launch (2024-04-17) -> the v1 profile of the date; v2 before 2024-08-21 ->
    ``openai-v2@2024-05``, before 2025 -> ``openai-v2@2024-10``, else the default.
    """
    host = host.lower()
    for marker, name in HOST_PROFILES.items():
        if marker in host:
            return name
    version = (beta or "").strip().rpartition("=")[2] or None
    when = _as_date(recorded_at)
    if when is None:
        return OPENAI_V1_2023_11.name if version == "v1" else DEFAULT_PROFILE
    if when >= SUNSET:
        return OPENAI_SUNSET.name
    if version == "v1" and when >= V1_SHUTDOWN:
        return DEFAULT_PROFILE  # the v1-deprecated 400 (no profile has a 2025 v1 without it)
    if version == "v1" or (version is None and when < V2_LAUNCH):
        return OPENAI_V1_2023_11.name if when < V1_SAMPLING_SINCE else OPENAI_V1_2024_04.name
    if when < V2_RANKING_SINCE:
        return OPENAI_V2_2024_05.name
    if when < V2_REASONING_SINCE:
        return OPENAI_V2_2024_10.name
    return DEFAULT_PROFILE
