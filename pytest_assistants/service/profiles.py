"""Profiles: a dialect at a date, as frozen data (DESIGN.md "Profiles").

A :class:`Profile` names the era whose behaviour it reproduces and maps each accepted
``OpenAI-Beta`` value to the :class:`ApiRules` that serve it. Where the evidence is
silent, the behaviour is a named field of :class:`Choices`, never a silent guess
(PROVIDER_BEHAVIOUR.md §11, §12); ``Choices`` can be overridden per test.

This is the one catalogue module: the dataclasses, every dated profile and era boundary
(evidence transcribed as data: the recordings, spec commits and provider pages are cited
beside each table), and the lookups :func:`get_profile` and :func:`azure_profile_for`.
It is over 400 lines on purpose: DESIGN.md "Layers and layout" keeps the catalogue one
table of data. The request schemas the rules imply are derived in :mod:`.validation`;
choosing the profile of a recording is era choice, in :mod:`pytest_assistants.evidence.eras`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

# -- what a profile is made of -----------------------------------------------------------

NAME_PATTERN = "^[a-zA-Z0-9_-]+$"  # function and json_schema names (§2, [SPEC@HEAD])
PORTKEY_DEFAULT_MODEL_CHOICES = ("ignore", "model_not_found")


@dataclass(frozen=True)
class Limits:
    """The request limits every era shares (PROVIDER_BEHAVIOUR §2, the validation matrix);
    the one that changed, ``instructions``, is :attr:`ApiRules.instructions_max`."""

    name: int = 256  # [S0][S1][SPEC@HEAD] maxLength 256
    description: int = 512  # [S0][S1]
    tools: int = 128  # [S0][S1]; the 400's text: §4.2 "Array too long"
    function_name: int = 64  # [SPEC@HEAD] FunctionObject.name maxLength 64
    json_schema_name: int = 64  # [SPEC@HEAD] ResponseFormatJsonSchema.name maxLength 64
    max_num_results: tuple[int, int] = (1, 50)  # [S1][SPEC@HEAD] file_search
    score_threshold: tuple[float, float] = (0, 1)  # [S1][SPEC@HEAD] ranking_options
    temperature: tuple[float, float] = (0, 2)  # [S0][S1][SPEC@HEAD]
    top_p: tuple[float, float] = (0, 1)  # [S0][S1][SPEC@HEAD]
    metadata_pairs: int = 16  # [S0][S1]; texts in §2 "metadata"
    metadata_key: int = 64  # [S0][S1]
    metadata_value: int = 512  # [S0][S1]
    v1_file_ids: int = 20  # [S0] file_ids of v1
    code_interpreter_file_ids: int = 20  # [S1][SPEC@HEAD] tool_resources.code_interpreter
    vector_store_ids: int = 1  # [S1][SPEC@HEAD] tool_resources.file_search
    vector_stores: int = 1  # [SPEC@HEAD] the create-only vector_stores helper
    vector_store_file_ids: int = 100_000_000  # [SPEC@HEAD] vector_stores[].file_ids maxItems


LIMITS = Limits()


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
    file_id_prefix: str | None = "file"  # None: any file id (Azure's are "assistant-...")

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
    - ``pretty_json`` / ``compact_methods``: answers are indented by 2 spaces, except those
      to the HTTP methods named in ``compact_methods`` (the byte format of an era, §13).
    - ``request_id_prefix``: ``x-request-id`` is this + 32 hex (none in the recordings up
      to 2024-02-06, ``req_`` from 2024-02-27 on, §5.3).
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
    compact_methods: frozenset[str] = frozenset()
    request_id_prefix: str = "req_"
    portkey_default_model: str = "ignore"
    strict_schema: bool = False
    portkey_api_keys: frozenset[str] | None = None
    portkey_virtual_keys: frozenset[str] | None = None
    portkey_trace_id: bool = True

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


# -- era boundaries: the one place the dates that split the profiles live ----------------
# (read by evidence.eras.profile_for, hence by the fake's users, conformance, drift and
# factories)

# x-request-id: 32 hex up to the 2024-02-06 recordings, ``req_`` + 32 hex from 2024-02-27.
V1_REQUEST_PREFIX_SINCE = date(2024, 2, 15)  # a choice between those dates
V1_SAMPLING_SINCE = date(2024, 4, 9)  # spec 5fd86c83; v1 answers gained top_p & co.
V2_LAUNCH = date(2024, 4, 17)
V2_RANKING_SINCE = date(2024, 8, 21)  # the ranker "default_2024_08_21"
# A real v2 recording of 2025-01-14 answers without ``reasoning_effort``; from 2025-03-14 on
# it is there (o3-mini, the first reasoning model served, launched 2025-01-31) (§13).
V2_REASONING_SINCE = date(2025, 1, 15)
V1_SHUTDOWN = date(2024, 12, 18)
SUNSET = date(2026, 8, 26)
# Jan-Feb 2024: OpenAI pretty-printed POST answers but answered GET and DELETE compactly (the
# recorded Content-Lengths prove it, §13); from June 2024 on every answer was pretty.
COMPACT_METHODS_2024_01 = frozenset({"GET", "DELETE"})

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
    choices=Choices(compact_methods=COMPACT_METHODS_2024_01, request_id_prefix=""),
    description=(
        "OpenAI Assistants v1 from launch (2023-11-06) to 2024-04-08; x-request-id of 32 hex"
        " without req_ (recorded 2023-04..2024-02); GET and DELETE answered compactly as"
        " recorded in Jan-Feb 2024 (INFERRED for the rest of the era)."
    ),
)
OPENAI_V1_2024_02 = dataclasses.replace(
    OPENAI_V1_2023_11,
    name="openai-v1@2024-02",
    era="2024-02",
    choices=Choices(compact_methods=COMPACT_METHODS_2024_01),
    description=(
        "OpenAI Assistants v1 from 2024-02-15 to 2024-04-08: as openai-v1@2023-11 with req_"
        " request ids (recorded 2024-02-27 on); compact GET/DELETE as in early Feb 2024"
        " (INFERRED)."
    ),
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
        OPENAI_V1_2024_02,
        OPENAI_V1_2024_04,
        OPENAI_V2_2024_05,
        OPENAI_V2_2024_10,
        OPENAI_V2_2025_08,
        OPENAI_SUNSET,
        PORTKEY,
        ZEROBOT,
    )
}

# -- Azure OpenAI (§13) -----------------------------------------------------------------------
#
# [AZ-REC] interactions_azure.jsonl: 2024-02-15-preview (Feb 2024, v1 shape, 10 keys),
# 2024-05-01-preview (Jun 2024), 2024-08-01-preview (Sep 2024), 2025-03-01-preview (Mar 2025):
# v2 shape with the 2024 key order, no reasoning_effort even in 2025, file_search echoed as
# {"type": "file_search"}. [AZ-SPECS] the other preview versions are the folder names of
# Azure's REST API specs (inference/preview); no recording: which of them the fake accepts
# is a documented choice (every one of the period, with the rules of its recorded neighbour).
# `model` is a deployment name on Azure, so any model id is accepted and none is refused;
# Azure's file ids begin with "assistant-" [AZ-REC 2025-03] as well as "file-", so their
# prefix is not checked.
_AZURE = {"any_model": True, "refused_models": frozenset(), "file_id_prefix": None}
AZURE_V1_RULES = dataclasses.replace(V1_2023, **_AZURE)  # type: ignore[arg-type]
AZURE_V2_2024_05_RULES = dataclasses.replace(V2_2024_05, **_AZURE)  # type: ignore[arg-type]
AZURE_V2_2024_08_RULES = dataclasses.replace(
    V2_2024_10,
    normalise_file_search=False,
    **_AZURE,  # type: ignore[arg-type]
)
AZURE_V1_VERSIONS = {
    "2024-02-15-preview": AZURE_V1_RULES,  # [AZ-REC] java 2024-02-06, js 2024-02-03/05
    "2024-03-01-preview": AZURE_V1_RULES,  # [AZ-SPECS]
    "2024-04-01-preview": AZURE_V1_RULES,  # [AZ-SPECS]
}
AZURE_V2_2024_05_VERSIONS = {
    "2024-05-01-preview": AZURE_V2_2024_05_RULES,  # [AZ-REC] java 2024-06-03, .NET 2024-06-21/24
    "2024-07-01-preview": AZURE_V2_2024_05_RULES,  # [AZ-SPECS]
}
AZURE_V2_2024_08_VERSIONS = {
    "2024-08-01-preview": AZURE_V2_2024_08_RULES,  # [AZ-REC] .NET 2024-09-09
    "2024-09-01-preview": AZURE_V2_2024_08_RULES,  # [AZ-SPECS]
    "2024-10-01-preview": AZURE_V2_2024_08_RULES,  # [AZ-SPECS]
    "2024-12-01-preview": AZURE_V2_2024_08_RULES,  # [AZ-SPECS]
    "2025-01-01-preview": AZURE_V2_2024_08_RULES,  # [AZ-SPECS]
}
AZURE_V2_2025_03_VERSIONS = {
    "2025-02-01-preview": AZURE_V2_2024_08_RULES,  # [AZ-SPECS]
    "2025-03-01-preview": AZURE_V2_2024_08_RULES,  # [AZ-REC] .NET 2025-03-11/12
    "2025-04-01-preview": AZURE_V2_2024_08_RULES,  # [AZ-SPECS]
}
AZURE_API_VERSIONS: dict[str, ApiRules] = {
    **AZURE_V1_VERSIONS,
    **AZURE_V2_2024_05_VERSIONS,
    **AZURE_V2_2024_08_VERSIONS,
    **AZURE_V2_2025_03_VERSIONS,
}

_AZURE_NOTE = (
    " api-version picks the rules per request; missing or unknown api-version -> 404"
    " 'Resource not found', missing or wrong api-key / bearer -> Azure's 401 (§13, texts"
    " widely quoted, not recorded); OpenAI-Beta is ignored; any model (deployment) id."
)
AZURE_V1_2024_02 = Profile(
    name="azure-v1@2024-02",
    dialect="azure",
    era="2024-02",
    served={**AZURE_V1_VERSIONS, "azure": AZURE_V1_RULES, "v1": V1_2023},
    missing_beta_version="v1",
    description="Azure OpenAI Assistants at 2024-02-15-preview (v1: file_ids, retrieval)."
    + _AZURE_NOTE,
)
AZURE_V2_2024_05 = Profile(
    name="azure-v2@2024-05",
    dialect="azure",
    era="2024-05",
    served={
        **AZURE_V1_VERSIONS,
        **AZURE_V2_2024_05_VERSIONS,
        "azure": AZURE_V2_2024_05_RULES,
        "v2": V2_2024_05,
        "v1": V1_2024,
    },
    missing_beta_version="v2",
    description="Azure OpenAI Assistants v2 from 2024-05-01-preview." + _AZURE_NOTE,
)
AZURE_V2_2024_08 = Profile(
    name="azure-v2@2024-08",
    dialect="azure",
    era="2024-08",
    served={
        **AZURE_V1_VERSIONS,
        **AZURE_V2_2024_05_VERSIONS,
        **AZURE_V2_2024_08_VERSIONS,
        "azure": AZURE_V2_2024_08_RULES,
        "v2": V2_2024_10,
        "v1": V1_2024,
    },
    missing_beta_version="v2",
    description="Azure OpenAI Assistants v2 from 2024-08-01-preview (structured outputs)."
    + _AZURE_NOTE,
)
AZURE_V2_2025_03 = Profile(
    name="azure-v2@2025-03",
    dialect="azure",
    era="2025-03",
    served={**AZURE_API_VERSIONS, "azure": AZURE_V2_2024_08_RULES, "v2": V2_2025},
    missing_beta_version="v2",
    deprecated_betas={"v1": "v1_deprecated"},
    description="Azure OpenAI Assistants v2 from 2025-03-01-preview (openai-* headers)."
    + _AZURE_NOTE,
)
AZURE_PROFILES = (AZURE_V1_2024_02, AZURE_V2_2024_05, AZURE_V2_2024_08, AZURE_V2_2025_03)
# The recorded api-version of each era: what its clients send unless told otherwise
# (served["azure"] holds its rules, for the factories).
AZURE_PROFILE_VERSIONS = {
    AZURE_V1_2024_02.name: "2024-02-15-preview",
    AZURE_V2_2024_05.name: "2024-05-01-preview",
    AZURE_V2_2024_08.name: "2024-08-01-preview",
    AZURE_V2_2025_03.name: "2025-03-01-preview",
}
AZURE_DEFAULT_PROFILE = AZURE_V2_2025_03.name
PROFILES.update({profile.name: profile for profile in AZURE_PROFILES})


# -- lookups -----------------------------------------------------------------------------


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


# -- Azure OpenAI ------------------------------------------------------------------------

AZURE_HOST_SUFFIX = ".openai.azure.com"


def azure_profile_for(host: str, api_version: str | None) -> str | None:
    """The Azure profile of a request, or None when it is not an Azure one.

    A request is Azure's when its host is ``*.openai.azure.com`` or it carries an
    ``api-version`` (recordings redact the host). The profile is the first era that served
    the version (Azure pins behaviour to the version, not the date); an unknown or missing
    version gets the newest Azure profile, which answers it with Azure's 404.
    """
    if api_version is None and not host.lower().endswith(AZURE_HOST_SUFFIX):
        return None
    if api_version in AZURE_API_VERSIONS:
        return next(p.name for p in AZURE_PROFILES if api_version in p.served)
    return AZURE_DEFAULT_PROFILE
