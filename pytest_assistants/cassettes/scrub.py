"""Scrubbing: what a recorded interaction loses before it is written to a cassette.

Auth and cookie headers become ``REDACTED``, key-shaped strings and bearer tokens are masked
wherever they appear (headers, URI, bodies), and compressed response bodies are stored
decoded so a reviewer (and ``cassettes lint``) can read them. It is kept apart from
:mod:`.replay`, which wires these functions into vcrpy, because the patterns are also what
:mod:`.lint` checks for.
"""

from __future__ import annotations

import re
from typing import Any

from pytest_assistants.evidence.recordings import decompress

REDACTED = "REDACTED"
SCRUBBED_VALUES = frozenset({REDACTED, f"Bearer {REDACTED}"})
SCRUBBED_REQUEST_HEADERS = frozenset(
    {
        "authorization",
        "api-key",  # Azure OpenAI
        "x-portkey-api-key",
        "x-portkey-virtual-key",
        "x-portkey-config",
        "openai-organization",
        "openai-project",
        "cookie",
    }
)
SCRUBBED_RESPONSE_HEADERS = frozenset({"openai-organization", "openai-project", "set-cookie"})
# sk-/pk- keys (also masked ones: OpenAI echoes "sk-abc***wxyz" in 401 bodies) and bearer
# tokens. A bearer token must hold a digit, so the provider's own prose ("Bearer auth",
# "Bearer YOUR_KEY", "Bearer <token>") is kept verbatim.
KEY_PATTERN = re.compile(r"(?<![A-Za-z0-9_])(sk|pk)-(?!REDACTED\b)[A-Za-z0-9_*\-]{3,}")
BEARER_PATTERN = re.compile(r"\bBearer\s+(?=[A-Za-z0-9._~+/=\-]*\d)[A-Za-z0-9._~+/=\-]{8,}")

# -- scrubbing -------------------------------------------------------------------------------


def scrub_text(text: str) -> str:
    if "k-" not in text and "Bearer" not in text:  # the common case, without a regex
        return text
    text = KEY_PATTERN.sub(lambda m: f"{m.group(1)}-{REDACTED}", text)
    return BEARER_PATTERN.sub(f"Bearer {REDACTED}", text)


def scrub_bytes(body: bytes) -> bytes:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body
    scrubbed = scrub_text(text)
    return body if scrubbed == text else scrubbed.encode("utf-8")


def redacted(value: Any) -> str:
    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return f"Bearer {REDACTED}" if text.lower().startswith("bearer ") else REDACTED


def scrub_request(request: Any) -> Any:
    """vcrpy ``before_record_request``: runs on recorded *and* incoming requests alike."""
    for name in list(request.headers):
        value = request.headers[name]
        if name.lower() in SCRUBBED_REQUEST_HEADERS:
            request.headers[name] = redacted(value)
        elif isinstance(value, str):
            request.headers[name] = scrub_text(value)
    body = request.body
    if isinstance(body, bytes | str) and body:
        request.body = scrub_bytes(body.encode("utf-8") if isinstance(body, str) else body)
    request.uri = scrub_text(request.uri)
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """vcrpy ``before_record_response``: secrets out, compressed bodies stored decoded."""
    headers: dict[str, list[Any]] = {}
    for name, values in response.get("headers", {}).items():
        if name.lower() in SCRUBBED_RESPONSE_HEADERS:
            headers[name] = [REDACTED for _ in values]
        else:
            headers[name] = [scrub_text(v) if isinstance(v, str) else v for v in values]
    body = response.get("body", {}).get("string", b"")
    if isinstance(body, str):
        body = body.encode("utf-8")
    lowered = {name.lower(): name for name in headers}
    encoding_name = lowered.get("content-encoding")
    if encoding_name is not None and body:
        encodings = [str(v).strip().lower() for v in headers[encoding_name]]
        decoded = decompress(encodings[-1], body) if len(encodings) == 1 else None
        if decoded is not None:
            body = decoded
            del headers[encoding_name]
    body = scrub_bytes(body)
    if "content-length" in lowered:
        headers[lowered["content-length"]] = [str(len(body))]
    response["headers"] = headers
    response["body"] = {"string": body}
    return response
