"""What a profile is made of: limits, rules per resource per API version, choices, profiles.

A :class:`Profile` is a dialect at a date. Its key spaces are kept apart: ``betas`` maps
``OpenAI-Beta: assistants=<v>`` values, ``api_versions`` Azure's ``api-version`` values, and
``dialects`` the rules a gateway applies on its own host (Zerobot); ``default`` names the
rules the profile serves its own clients, which the fake's views render with. Each key
leads to an :class:`ApiRules`: one API version at one date, with rules per resource, so
threads or runs can get their own beside the assistant's. Where the evidence is silent the
behaviour is a named field of :class:`Choices` (``docs/behaviour.md`` "Choices").
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

NAME_PATTERN = "^[a-zA-Z0-9_-]+$"  # function and json_schema names (§2, [SPEC@HEAD])
BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"  # no 0 O I l
HEX = "0123456789abcdef"
REFERENCE_CHECKS = ("prefix", "exists")
REASONING_PREFIXES = ("o1", "o3", "o4")  # the o-series: no temperature / top_p (§2)
PORTKEY_DEFAULT_MODEL_CHOICES = ("ignore", "model_not_found")


@dataclass(frozen=True)
class Limits:
    """The request limits every era shares (§2, the validation matrix); the one that
    changed, ``instructions``, is :attr:`AssistantRules.instructions_max`."""

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
class AssistantRules:
    """What one API version accepted and served of the assistant resource at one date."""

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
    assistant_files: bool = True  # /assistants/{id}/files served (v1's; gone with v1, §14.5)


@dataclass(frozen=True)
class IdShape:
    """How an era's ids of one kind look: ``prefix`` + ``length`` characters of ``alphabet``."""

    prefix: str
    alphabet: str = BASE62
    length: int = 24


@dataclass(frozen=True)
class FileRules:
    """The Files API at one date (uploads, §14.5): object keys, ids, purposes, limits."""

    key_order: tuple[str, ...] = (
        "object", "id", "purpose", "filename", "bytes", "created_at", "expires_at", "status",
        "status_details",
    )  # fmt: skip
    id_shape: IdShape = IdShape("file-", BASE58, 22)
    purposes: tuple[str, ...] = ("fine-tune", "assistants", "batch", "user_data", "vision", "evals")
    list_cursors: bool = True  # a list answer names first_id / last_id
    expires_after: bool = True  # uploads take expires_after (objects carry expires_at)
    no_download: tuple[str, ...] = ("assistants", "user_data")  # content refused (400)
    jsonl_purposes: tuple[tuple[str, str], ...] = (("batch", "Batch"), ("fine-tune", "Fine-Tuning"))


@dataclass(frozen=True)
class VectorStoreRules:
    """Vector stores, their files and file batches at one date (§14.5, §14.6)."""

    served: bool = True  # vector stores came with v2 (2024-04-17)
    key_order: tuple[str, ...] = (
        "id", "object", "created_at", "name", "description", "usage_bytes", "file_counts",
        "status", "expires_after", "expires_at", "last_active_at", "metadata",
    )  # fmt: skip
    file_key_order: tuple[str, ...] = (
        "id", "object", "usage_bytes", "created_at", "vector_store_id", "status", "last_error",
        "chunking_strategy", "attributes",
    )  # fmt: skip
    batch_file_key_order: tuple[str, ...] = (
        "id", "object", "created_at", "vector_store_id", "status", "last_error",
    )  # fmt: skip
    batch_key_order: tuple[str, ...] = (
        "id", "object", "created_at", "status", "vector_store_id", "file_counts",
    )  # fmt: skip
    id_shape: IdShape = IdShape("vs_", HEX, 32)
    batch_id_shape: IdShape = IdShape("vsfb_", HEX, 32)
    chunking_strategy: bool = True  # create / file create / batch take chunking_strategy
    usage_overhead: int = 1024  # a completed file's usage_bytes beyond its own bytes


def is_reasoning_model(model: str) -> bool:
    """o-series models refuse temperature / top_p (§2 cross-field row)."""
    return model.startswith(REASONING_PREFIXES)


THREAD_KEYS_V1 = ("id", "object", "created_at", "metadata")
THREAD_KEYS_V2 = (*THREAD_KEYS_V1, "tool_resources")
MESSAGE_KEYS_V1_2023 = (
    "id", "object", "created_at", "thread_id", "role", "content", "file_ids", "assistant_id",
    "run_id", "metadata",
)  # fmt: skip
MESSAGE_KEYS_V1_2024 = (
    "id", "object", "created_at", "assistant_id", "thread_id", "run_id", "role", "content",
    "file_ids", "metadata",
)  # fmt: skip
MESSAGE_KEYS_V2 = (*MESSAGE_KEYS_V1_2024[:8], "attachments", "metadata")
RUN_KEYS_V1_2023 = (
    "id", "object", "created_at", "assistant_id", "thread_id", "status", "started_at",
    "expires_at", "cancelled_at", "failed_at", "completed_at", "last_error", "model",
    "instructions", "tools", "file_ids", "metadata",
)  # fmt: skip
# 2024-03-24 (openllmetry, v1): required_action and usage added to the 2023 keys.
RUN_KEYS_V1_2024_02 = (*RUN_KEYS_V1_2023[:11], "required_action", *RUN_KEYS_V1_2023[11:], "usage")
RUN_KEYS_V1_2024 = (
    *RUN_KEYS_V1_2023[:11], "required_action", *RUN_KEYS_V1_2023[11:], "temperature", "top_p",
    "max_completion_tokens", "max_prompt_tokens", "truncation_strategy", "incomplete_details",
    "usage", "response_format", "tool_choice",
)  # fmt: skip
RUN_KEYS_V2_2024 = tuple("tool_resources" if k == "file_ids" else k for k in RUN_KEYS_V1_2024)
RUN_KEYS_V2_2024_10 = (*RUN_KEYS_V2_2024, "parallel_tool_calls")
RUN_KEYS_V2_2025 = tuple(
    key for k in RUN_KEYS_V2_2024_10 for key in ((k, "reasoning_effort") if k == "top_p" else (k,))
)
STEP_KEYS_V1_2023 = (
    "id", "object", "created_at", "run_id", "assistant_id", "thread_id", "type", "status",
    "cancelled_at", "completed_at", "expires_at", "failed_at", "last_error", "step_details",
)  # fmt: skip
STEP_KEYS = (*STEP_KEYS_V1_2023, "usage")


@dataclass(frozen=True)
class ThreadRules:
    """Threads of one era (§14.5): their keys, and what a metadata value may be (§14.4)."""

    key_order: tuple[str, ...] = THREAD_KEYS_V2
    tool_resources: bool = True  # v2: tool_resources on create and modify
    metadata_any_scalar: bool = False  # v1 stored a boolean as its string ("True")


@dataclass(frozen=True)
class MessageRules:
    """Messages of one era: v1 ``file_ids`` or v2 ``attachments``; a modify answers the
    legacy shape even under v2 (§14.5)."""

    key_order: tuple[str, ...] = MESSAGE_KEYS_V2
    modify_key_order: tuple[str, ...] = MESSAGE_KEYS_V1_2024
    attachments: bool = True
    metadata_any_scalar: bool = False


@dataclass(frozen=True)
class RunRules:
    """Runs and run steps of one era (§14.1 - §14.5)."""

    key_order: tuple[str, ...] = RUN_KEYS_V2_2025
    step_key_order: tuple[str, ...] = STEP_KEYS
    invalid_thread: bool = True  # v2 refuses a run with no user message and no instructions
    modify_while_active: bool = True  # v1: "Cannot update run with status 'in_progress'."
    incomplete_status: bool = True  # v2: a run cut by max_completion_tokens ends incomplete
    # The event that streams an incomplete v2 run's end: thread.run.completed on 2024-04-29
    # (recorded, §14.3), thread.run.incomplete later ([I:openai/openai-node#1439], 2025).
    incomplete_event: str = "thread.run.incomplete"
    usage_details: bool = True  # 2025: prompt_token_details / completion_tokens_details
    metadata_any_scalar: bool = False
    parallel_tool_calls: bool = True  # the run option exists (from 2024-06)
    file_ids: bool = False  # v1: the run shows the assistant's file_ids


@dataclass(frozen=True)
class ApiRules:
    """One API version at one date: the rules of each resource it serves."""

    assistants: AssistantRules
    threads: ThreadRules = field(default_factory=ThreadRules)
    messages: MessageRules = field(default_factory=MessageRules)
    runs: RunRules = field(default_factory=RunRules)
    files: FileRules = field(default_factory=FileRules)
    vector_stores: VectorStoreRules = field(default_factory=VectorStoreRules)

    @property
    def version(self) -> str:
        """``v1``, ``v2`` or a gateway's own name (``zerobot``, ``portkey``)."""
        return self.assistants.version

    served: frozenset[str] = field(init=False, compare=False, repr=False)
    """What this version has of the parts that came or went (``Route.needs``): a route
    needing one it lacks is answered as an unknown route."""

    def __post_init__(self) -> None:
        parts = {"assistant_files"} if self.assistants.assistant_files else set()
        if self.vector_stores.served:  # vector stores came with v2 (2024-04-17)
            parts.add("vector_stores")
            if "attributes" in self.vector_stores.file_key_order:  # 2025
                parts.add("file_attributes")
        object.__setattr__(self, "served", frozenset(parts))


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
    - ``reference_check`` (Q5): what a file id or vector store id named in a body must be.
      ``"prefix"`` (default): only its prefix is checked, as the validator does; an unknown
      id is accepted. ``"exists"``: the id must name a stored object, else the 404 of its
      resource. No recording shows the provider's answer to an unknown id.
    - ``processing_reads``: how many reads a vector store file (and so its store and batch)
      stays ``in_progress`` after its create; each read advances it one step, never wall
      time (§14.5). 1 (default): the first read after the create shows ``completed``.
    - ``poll_after_ms``: the ``openai-poll-after-ms`` header on the answers to the SDKs'
      poll helpers (``x-stainless-poll-helper: true``: runs, vector stores, their files and
      batches), which they sleep by (their own default: 1000). Other answers carry none
      (none in 189 recorded vector store answers, §14.5).
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
    reference_check: str = "prefix"
    processing_reads: int = 1
    poll_after_ms: int = 1

    def __post_init__(self) -> None:
        if self.portkey_default_model not in PORTKEY_DEFAULT_MODEL_CHOICES:
            raise ValueError(
                f"portkey_default_model={self.portkey_default_model!r} is not a choice:"
                f" use {' or '.join(map(repr, PORTKEY_DEFAULT_MODEL_CHOICES))}"
            )
        if self.reference_check not in REFERENCE_CHECKS:
            raise ValueError(
                f"reference_check={self.reference_check!r} is not a choice:"
                f" use {' or '.join(map(repr, REFERENCE_CHECKS))}"
            )
        if isinstance(self.processing_reads, bool) or not (
            isinstance(self.processing_reads, int) and self.processing_reads >= 0
        ):
            raise ValueError(f"processing_reads={self.processing_reads!r}: use 0 or more reads")

    def replace(self, **changes: object) -> Choices:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Profile:
    """A dialect at a date: which API versions it serves, and how.

    - ``default``: the rules of the profile's own clients (the beta version it names when
      the header is missing, Azure's recorded ``api-version``, Zerobot's own rules); the
      fake's views (``fake.assistants``) render stored objects with them.
    - ``betas``: ``OpenAI-Beta: assistants=<key>`` -> rules (OpenAI, Portkey upstream).
    - ``api_versions``: Azure ``api-version`` -> rules.
    - ``dialects``: a gateway's own rules on its own host, by dialect name (``zerobot``).
    - ``missing_beta_version``: the version the missing-header 400 asks for.
    - ``deprecated_betas``: beta versions answered with a deprecation 400 instead.
    """

    name: str
    dialect: str
    era: str
    default: ApiRules
    betas: Mapping[str, ApiRules] = field(default_factory=dict)
    api_versions: Mapping[str, ApiRules] = field(default_factory=dict)
    dialects: Mapping[str, ApiRules] = field(default_factory=dict)
    missing_beta_version: str = "v2"
    deprecated_betas: Mapping[str, str] = field(default_factory=dict)
    choices: Choices = field(default_factory=Choices)
    description: str = ""

    def with_choices(self, **changes: object) -> Profile:
        return dataclasses.replace(self, choices=self.choices.replace(**changes))

    def every_rules(self) -> list[ApiRules]:
        """Every distinct rules object the profile can serve, default first."""
        found = [self.default]
        for space in (self.betas, self.api_versions, self.dialects):
            found += [rules for rules in space.values() if rules not in found]
        return found
