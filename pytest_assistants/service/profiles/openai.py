"""OpenAI's eras: the dated v1 and v2 rules and the profiles of api.openai.com.

Evidence transcribed as data: the recordings, spec commits and provider pages are cited
beside each table (``docs/behaviour.md`` defines the tags). The era boundaries live here,
the one place: evidence.eras reads them, hence the fake's users, conformance, drift and the
factories.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from pytest_assistants.service.profiles.rules import (
    BASE62,
    MESSAGE_KEYS_V1_2023,
    MESSAGE_KEYS_V1_2024,
    RUN_KEYS_V1_2023,
    RUN_KEYS_V1_2024,
    RUN_KEYS_V1_2024_02,
    RUN_KEYS_V2_2024,
    RUN_KEYS_V2_2024_10,
    STEP_KEYS_V1_2023,
    THREAD_KEYS_V1,
    ApiRules,
    AssistantRules,
    Choices,
    FileRules,
    IdShape,
    MessageRules,
    Profile,
    RunRules,
    ThreadRules,
    VectorStoreRules,
)

# -- era boundaries -----------------------------------------------------------------

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

V2_2025 = AssistantRules(
    version="v2",
    instructions_max=256_000,
    tool_types=("code_interpreter", "function", "file_search"),
    key_order=tuple(V2_KEY_ORDER_2025),
    models=V2_MODELS,
    refused_models=V2_REFUSED_MODELS,
    reasoning_efforts=("low", "medium", "high"),
    assistant_files=False,  # v1's endpoints, gone with v1 on 2024-12-18 (INFERRED, §8)
)

# -- files and vector stores (§14.5) ---------------------------------------------------

# [RB .NET 2025-09]: files "file-" + 22 base58 with expires_at; vector stores "vs_" + 32 hex
# with description, chunking_strategy and attributes on their files; batch lists without
# usage_bytes. Purposes: the 2025 invalid-purpose text [code#41866393988]. These are the
# defaults of FileRules / VectorStoreRules.
FILES_2025 = FileRules()
VECTOR_STORES_2025 = VectorStoreRules()
# [RB ruby 2024-04, lemur 2024-05]: "file-" + 24 base62, no expires_at, lists without
# first_id / last_id; "vs_" + 24 base62, the 2024 key order, files without chunking_strategy.
FILE_KEYS_2024 = (
    "object", "id", "purpose", "filename", "bytes", "created_at", "status", "status_details",
)  # fmt: skip
STORE_KEYS_2024 = (
    "id", "object", "name", "status", "usage_bytes", "created_at", "file_counts", "metadata",
    "expires_after", "expires_at", "last_active_at",
)  # fmt: skip
STORE_FILE_KEYS_2024 = (
    "id", "object", "usage_bytes", "created_at", "vector_store_id", "status", "last_error",
)  # fmt: skip
FILES_2024 = FileRules(
    key_order=FILE_KEYS_2024,
    id_shape=IdShape("file-", BASE62, 24),
    purposes=("fine-tune", "assistants", "batch"),  # the Batch API, 2024-04-15 (INFERRED)
    list_cursors=False,
    expires_after=False,
)
# The 2023 invalid-purpose text names two purposes [code#40028246736].
FILES_2023 = dataclasses.replace(FILES_2024, purposes=("fine-tune", "assistants"))
FILES_2024_10 = dataclasses.replace(FILES_2024, purposes=(*FILES_2024.purposes, "vision"))
VECTOR_STORES_2024_05 = VectorStoreRules(
    key_order=STORE_KEYS_2024,
    file_key_order=STORE_FILE_KEYS_2024,
    id_shape=IdShape("vs_", BASE62, 24),
    chunking_strategy=False,  # chunking_strategy came in June 2024 [SPEC] (INFERRED date)
)
VECTOR_STORES_2024_10 = dataclasses.replace(VECTOR_STORES_2024_05, chunking_strategy=True)
NO_VECTOR_STORES = dataclasses.replace(VECTOR_STORES_2024_05, served=False)

API_V2_2025 = ApiRules(assistants=V2_2025, files=FILES_2025, vector_stores=VECTOR_STORES_2025)

OPENAI_V2_2025_08 = Profile(
    name="openai-v2@2025-08",
    dialect="openai",
    era="2025-08",
    default=API_V2_2025,
    betas={"v2": API_V2_2025},
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

V1_2023 = AssistantRules(
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

# Threads, messages and runs of v1 (interactions_threads.jsonl, ruby-openai and lemur): no
# tool_resources, file_ids on messages and runs, boolean metadata stored as "True" (§14.4),
# a run modify refused while the run is active, no invalid_thread check; the 2023 shapes
# (recorded 2023-11 .. 2024-01) lack the run's sampling fields and required_action (§14.5).
V1_THREADS = ThreadRules(key_order=THREAD_KEYS_V1, tool_resources=False, metadata_any_scalar=True)
V1_RUNS_2024 = RunRules(
    key_order=RUN_KEYS_V1_2024,
    invalid_thread=False,
    modify_while_active=False,
    incomplete_status=False,  # v1 (2024-04-27): completed, with incomplete_details (§14.3)
    usage_details=False,
    metadata_any_scalar=True,
    parallel_tool_calls=False,
    file_ids=True,
)
API_V1_2023 = ApiRules(
    assistants=V1_2023,
    threads=V1_THREADS,
    messages=MessageRules(
        key_order=MESSAGE_KEYS_V1_2023,
        modify_key_order=MESSAGE_KEYS_V1_2023,
        attachments=False,
        metadata_any_scalar=True,
    ),
    runs=dataclasses.replace(
        V1_RUNS_2024, key_order=RUN_KEYS_V1_2023, step_key_order=STEP_KEYS_V1_2023
    ),
    files=FILES_2023,
    vector_stores=NO_VECTOR_STORES,
)
# 2024-02-15 .. 2024-04-08 (openllmetry, 2024-03-24): messages in the 2024 key order, runs
# with required_action and usage; the boundary with the 2023 shapes (last recorded
# 2024-01-22) is the era's, INFERRED; steps with usage, as the runs (INFERRED).
API_V1_2024_02 = ApiRules(
    assistants=V1_2023,
    threads=V1_THREADS,
    messages=MessageRules(
        key_order=MESSAGE_KEYS_V1_2024,
        modify_key_order=MESSAGE_KEYS_V1_2024,
        attachments=False,
        metadata_any_scalar=True,
    ),
    runs=dataclasses.replace(V1_RUNS_2024, key_order=RUN_KEYS_V1_2024_02),
)
API_V1_2024 = ApiRules(
    assistants=V1_2024,
    threads=V1_THREADS,
    messages=MessageRules(
        key_order=MESSAGE_KEYS_V1_2024,
        modify_key_order=MESSAGE_KEYS_V1_2024,
        attachments=False,
        metadata_any_scalar=True,
    ),
    runs=V1_RUNS_2024,
    files=FILES_2024,
    vector_stores=NO_VECTOR_STORES,
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
V2_2024_05 = AssistantRules(
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

# v2 in 2024 (recorded 2024-04-29 .. 2024-10-08): runs without reasoning_effort and usage
# details; parallel_tool_calls from 2024-06-08 (first recorded 2024-10-08).
V2_RUNS_2024_05 = RunRules(
    key_order=RUN_KEYS_V2_2024,
    usage_details=False,
    parallel_tool_calls=False,
    incomplete_event="thread.run.completed",  # recorded 2024-04-29 (§14.3)
)
API_V2_2024_05 = ApiRules(
    assistants=V2_2024_05,
    runs=V2_RUNS_2024_05,
    files=FILES_2024,
    vector_stores=VECTOR_STORES_2024_05,
)
API_V2_2024_10 = ApiRules(
    assistants=V2_2024_10,
    runs=dataclasses.replace(
        V2_RUNS_2024_05,
        key_order=RUN_KEYS_V2_2024_10,
        parallel_tool_calls=True,
        incomplete_event="thread.run.incomplete",
    ),
    files=FILES_2024_10,
    vector_stores=VECTOR_STORES_2024_10,
)

OPENAI_V1_2023_11 = Profile(
    name="openai-v1@2023-11",
    dialect="openai",
    era="2023-11",
    default=API_V1_2023,
    betas={"v1": API_V1_2023},
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
    default=API_V1_2024_02,
    betas={"v1": API_V1_2024_02},
    choices=Choices(compact_methods=COMPACT_METHODS_2024_01),
    description=(
        "OpenAI Assistants v1 from 2024-02-15 to 2024-04-08: as openai-v1@2023-11 with req_"
        " request ids (recorded 2024-02-27 on) and the messages and runs recorded 2024-03-24"
        " (2024 message key order; runs with required_action and usage); compact GET/DELETE"
        " as in early Feb 2024 (INFERRED)."
    ),
)
OPENAI_V1_2024_04 = Profile(
    name="openai-v1@2024-04",
    dialect="openai",
    era="2024-04",
    default=API_V1_2024,
    betas={"v1": API_V1_2024},
    missing_beta_version="v1",
    description="OpenAI Assistants v1 after 2024-04-09 (sampling fields, 256k instructions).",
)
OPENAI_V2_2024_05 = Profile(
    name="openai-v2@2024-05",
    dialect="openai",
    era="2024-05",
    default=API_V2_2024_05,
    betas={"v2": API_V2_2024_05, "v1": API_V1_2024},
    missing_beta_version="v2",
    description="OpenAI Assistants v2 at launch; v1 still served over the same store.",
)
OPENAI_V2_2024_10 = Profile(
    name="openai-v2@2024-10",
    dialect="openai",
    era="2024-10",
    default=API_V2_2024_10,
    betas={"v2": API_V2_2024_10, "v1": API_V1_2024},
    missing_beta_version="v2",
    description="OpenAI Assistants v2 after structured outputs and file_search ranking.",
)
OPENAI_SUNSET = Profile(
    name="openai@2026-08-26",
    dialect="openai",
    era="2026-08-26",
    default=API_V2_2025,
    betas={"v2": API_V2_2025},
    missing_beta_version="v2",
    deprecated_betas={"v1": "v1_deprecated"},
    choices=Choices(sunset=True),
    description="After the shutdown: every assistants route answers 404.",
)

OPENAI_PROFILES = (
    OPENAI_V1_2023_11,
    OPENAI_V1_2024_02,
    OPENAI_V1_2024_04,
    OPENAI_V2_2024_05,
    OPENAI_V2_2024_10,
    OPENAI_V2_2025_08,
    OPENAI_SUNSET,
)
