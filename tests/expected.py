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
