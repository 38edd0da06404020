"""Payloads of files and vector stores: valid uploads and store bodies, and labelled cases.

Outcomes come from the evidence of §14.5 as the era's rules state it: the purposes an era
accepted and the invalid-purpose text's ``param``, the ``.jsonl`` rule of batch and
fine-tune uploads, the limits of a store's ``expires_after`` (1..365 days) and static
chunking (100..4096 tokens, an overlap of at most half), metadata's 16 pairs, ids by
prefix. ``PayloadFactory`` offers them (``upload()``, ``vector_store()``, ``store_cases()``,
``upload_cases()``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytest_assistants.payloads.factories import OK, Expect, JsonBody, rejected

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytest_assistants.payloads.faker_provider import AssistantsProvider
    from pytest_assistants.service.profiles import ApiRules

# Keyword arguments of ``vector_stores.create`` (openai 2.x and 3.x).
STORE_PARAMS = frozenset(
    {"chunking_strategy", "description", "expires_after", "file_ids", "metadata", "name"}
)
StoreEntry = tuple[str, JsonBody, Expect, bool]  # id, JSON body, outcome, is an edge case
UploadEntry = tuple[str, str, bytes, str, Expect]  # id, filename, content, purpose, outcome


def _static(size: int, overlap: int) -> JsonBody:
    return {
        "type": "static",
        "static": {"max_chunk_size_tokens": size, "chunk_overlap_tokens": overlap},
    }


def store_json(p: AssistantsProvider, api: ApiRules) -> JsonBody:
    """A valid ``POST /vector_stores`` body of the era (no files: name them yourself)."""
    body: JsonBody = {"name": p.script_text(64), "metadata": p.metadata_map(3)}
    days = p.generator.random.randint(1, 365)
    body["expires_after"] = {"anchor": "last_active_at", "days": days}
    if api.vector_stores.chunking_strategy:
        body["chunking_strategy"] = {"type": "auto"}
    return body


def store_kwargs(body: JsonBody) -> JsonBody:
    """The body as ``client.vector_stores.create(**...)`` keyword arguments."""
    kwargs = {key: value for key, value in body.items() if key in STORE_PARAMS}
    extra = {key: value for key, value in body.items() if key not in STORE_PARAMS}
    if extra:
        kwargs["extra_body"] = extra
    return kwargs


def store_catalogue(p: AssistantsProvider, api: ApiRules) -> Iterator[StoreEntry]:
    """Edge and invalid ``POST /vector_stores`` bodies with their outcomes."""
    days = "expires_after.days"
    yield "expires 1 day", {"expires_after": {"anchor": "last_active_at", "days": 1}}, OK, True
    yield "expires 365 days", {"expires_after": {"anchor": "last_active_at", "days": 365}}, OK, True
    yield "no expiry", {"expires_after": None}, OK, True
    yield (
        "expires 0 days",
        {"expires_after": {"anchor": "last_active_at", "days": 0}},
        rejected(days, "integer_below_min_value"),
        True,
    )
    yield (
        "expires 366 days",
        {"expires_after": {"anchor": "last_active_at", "days": 366}},
        rejected(days, "integer_above_max_value"),
        True,
    )
    yield (
        "expiry anchored at created_at",
        {"expires_after": {"anchor": "created_at", "days": 1}},
        rejected("expires_after.anchor", "invalid_value"),
        False,
    )
    yield (
        "expiry without days",
        {"expires_after": {"anchor": "last_active_at"}},
        rejected(days, "missing_required_parameter"),
        False,
    )
    yield "metadata of 16 pairs", {"metadata": p.metadata_map(16)}, OK, True
    yield (
        "metadata of 17 pairs",
        {"metadata": p.metadata_map(17)},
        rejected("metadata", "object_above_max_properties"),
        True,
    )
    yield "null name", {"name": None}, OK, True
    yield "name not a string", {"name": 7}, rejected("name", "invalid_type"), False
    yield (
        "file id without its prefix",
        {"file_ids": ["doc-1"]},
        rejected("file_ids[0]", "invalid_value") if api.assistants.file_id_prefix else OK,
        False,
    )
    yield "unknown parameter", {"files": []}, rejected("files", "unknown_parameter"), False
    if not api.vector_stores.chunking_strategy:
        yield (
            "chunking strategy before its era",
            {"chunking_strategy": {"type": "auto"}},
            rejected("chunking_strategy", "unknown_parameter"),
            False,
        )
        return
    param = "chunking_strategy.static"
    yield "chunks of 100 tokens", {"chunking_strategy": _static(100, 50)}, OK, True
    yield "chunks of 4096 tokens", {"chunking_strategy": _static(4096, 2048)}, OK, True
    yield (
        "chunks of 99 tokens",
        {"chunking_strategy": _static(99, 0)},
        rejected(f"{param}.max_chunk_size_tokens", "integer_below_min_value"),
        True,
    )
    yield (
        "chunks of 4097 tokens",
        {"chunking_strategy": _static(4097, 0)},
        rejected(f"{param}.max_chunk_size_tokens", "integer_above_max_value"),
        True,
    )
    yield (
        "overlap above half the chunk",
        {"chunking_strategy": _static(800, 401)},
        rejected(f"{param}.chunk_overlap_tokens", "integer_above_max_value"),
        True,
    )
    yield (
        "chunking of an unknown type",
        {"chunking_strategy": {"type": "semantic"}},
        rejected("chunking_strategy.type", "invalid_value"),
        False,
    )


def upload_catalogue(p: AssistantsProvider, api: ApiRules) -> Iterator[UploadEntry]:
    """Uploads with their outcomes: every purpose of the era, the refused ones."""
    text = p.script_text(200).encode("utf-8")
    for purpose in api.files.purposes:
        jsonl = purpose in dict(api.files.jsonl_purposes)
        name = f"{purpose}.jsonl" if jsonl else f"{purpose}.txt"
        yield f"purpose {purpose}", name, b'{"a": 1}\n' if jsonl else text, purpose, OK
    yield "empty file", "empty.txt", b"", "assistants", OK
    yield "unknown purpose", "a.txt", text, "vector_store", Expect(400, "purpose", None)
    for purpose, _ in api.files.jsonl_purposes:
        if purpose in api.files.purposes:
            yield f"{purpose} file not .jsonl", "rows.csv", text, purpose, Expect(400)
