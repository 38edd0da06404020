"""Wire bodies as PROVIDER_BEHAVIOUR §4 quotes them, for expected values in tests.

Written out here from the evidence, never built by the package's own ``errors`` module, so
a test that compares with them fails when the fake's text changes.
"""

from __future__ import annotations

from typing import Any

MALFORMED_JSON = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't"
    " using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was"
    " sent was not valid JSON. If you have trouble figuring out how to fix this, please"
    " contact us through our help center at help.openai.com.)"
)


def envelope(message: str, param: str | None = None, code: str | None = None) -> dict[str, Any]:
    """§4.1: OpenAI's envelope, all four keys present."""
    return {
        "error": {
            "message": message,
            "type": "invalid_request_error",
            "param": param,
            "code": code,
        }
    }


def not_found(assistant_id: str) -> dict[str, Any]:
    """§4.2 "Unknown assistant id": 404."""
    return envelope(f"No assistant found with id '{assistant_id}'.")


def invalid_url(route: str) -> dict[str, Any]:
    """§4.2 "Unknown route": 404 ``Invalid URL (METHOD /path)``."""
    return envelope(f"Invalid URL ({route})")


def malformed_json() -> dict[str, Any]:
    """§4.2 "Malformed JSON body": 400."""
    return envelope(MALFORMED_JSON)


def served_v2(assistant_id: str, created_at: int, **fields: Any) -> dict[str, Any]:
    """§5.1: a new `gpt-4o` assistant as the v2 API (2025) serves it, plus ``fields``."""
    return {
        "id": assistant_id,
        "object": "assistant",
        "created_at": created_at,
        "name": None,
        "description": None,
        "model": "gpt-4o",
        "instructions": None,
        "tools": [],
        "top_p": 1.0,
        "temperature": 1.0,
        "reasoning_effort": None,
        "tool_resources": {},
        "metadata": {},
        "response_format": "auto",
        **fields,
    }


# -- files and vector stores (§14.5; texts as public code quotes the provider) -------------

FILE_KEYS_2024 = [
    "object", "id", "purpose", "filename", "bytes", "created_at", "status", "status_details",
]  # fmt: skip  # ruby-openai 2024-04-30, lemur 2024-05-07
FILE_KEYS_2025 = [*FILE_KEYS_2024[:6], "expires_at", *FILE_KEYS_2024[6:]]  # .NET 2025-09-16
STORE_KEYS_2024 = [
    "id", "object", "name", "status", "usage_bytes", "created_at", "file_counts", "metadata",
    "expires_after", "expires_at", "last_active_at",
]  # fmt: skip  # ruby-openai 2024-04-30
STORE_KEYS_2025 = [
    "id", "object", "created_at", "name", "description", "usage_bytes", "file_counts",
    "status", "expires_after", "expires_at", "last_active_at", "metadata",
]  # fmt: skip  # .NET 2025-09-16
STORE_FILE_KEYS_2024 = [
    "id", "object", "usage_bytes", "created_at", "vector_store_id", "status", "last_error",
]  # fmt: skip
STORE_FILE_KEYS_2025 = [*STORE_FILE_KEYS_2024, "chunking_strategy", "attributes"]
BATCH_FILE_KEYS = ["id", "object", "created_at", "vector_store_id", "status", "last_error"]
BATCH_KEYS = ["id", "object", "created_at", "status", "vector_store_id", "file_counts"]
AUTO_CHUNKING = {
    "type": "static",
    "static": {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400},
}


def counts(in_progress: int = 0, completed: int = 0, cancelled: int = 0) -> dict[str, int]:
    """A ``file_counts`` object, in the recorded key order."""
    total = in_progress + completed + cancelled
    return {"in_progress": in_progress, "completed": completed, "failed": 0,
            "cancelled": cancelled, "total": total}  # fmt: skip


def no_such_file(file_id: str) -> dict[str, Any]:
    """openai-dotnet's own test: ``HTTP 404 (invalid_request_error: ) Parameter: id``."""
    return envelope(f"No such File object: {file_id}", param="id")


def no_vector_store(store_id: str) -> dict[str, Any]:
    return envelope(f"No vector store found with id '{store_id}'.")


def no_store_file(store_id: str, file_id: str) -> dict[str, Any]:
    return envelope(f"No file found with id '{file_id}' in vector store '{store_id}'.")


def not_downloadable(purpose: str) -> dict[str, Any]:
    return envelope(f"Not allowed to download files of purpose: {purpose}")
