"""Scrubbing: what a recorded interaction loses before it is written to a cassette.

Headers and query parameters keep their value only when their name is on an allow-list of
names known to carry no secret (a new credential header, Azure's ``api-key`` or a gateway's
``x-...-secret`` is scrubbed without anyone listing it). Bodies keep everything except
secrets, found by shape wherever they are: after a JSON escape (``"\\nsk-..."``), inside
percent-encoding, after ``_`` or any separator. The shapes are detect-secrets' detectors
(JWT, AWS, GitHub, Slack, Stripe...) plus the few key formats it lacks (OpenAI ``sk-proj-``,
Hugging Face, bearer tokens). A key must look random (mixed case and a digit, 20+ characters)
so words like ``sk-learn`` or ``pk-catalog-helper`` survive, and replay sees what recording
saw. Each replacement says what it replaced: ``<scrubbed:openai-key>``.

Compressed response bodies are stored decoded so a reviewer (and ``cassettes lint``, which
uses :func:`find_secrets` too) can read them.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from pytest_assistants.evidence.recordings import decompress

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

SAFE_HEADERS = frozenset(
    {
        "accept",
        "accept-encoding",
        "accept-language",
        "alt-svc",
        "apim-request-id",
        "cache-control",
        "cf-cache-status",
        "cf-ray",
        "connection",
        "content-encoding",
        "content-length",
        "content-type",
        "date",
        "host",
        "keep-alive",
        "openai-beta",
        "openai-model",
        "openai-processing-ms",
        "openai-version",
        "retry-after",
        "retry-after-ms",
        "server",
        "strict-transport-security",
        "traceparent",
        "transfer-encoding",
        "user-agent",
        "vary",
        "www-authenticate",
        "x-content-type-options",
        "x-envoy-upstream-service-time",
        "x-ms-client-request-id",
        "x-ms-middleware-request-id",
        "x-ms-region",
        "x-ms-return-client-request-id",
        "x-ms-useragent",
        "x-openai-proxy-wasm",
        "x-portkey-cache-status",
        "x-portkey-last-used-option-index",
        "x-portkey-package-version",
        "x-portkey-provider",
        "x-portkey-retry-attempt-count",
        "x-portkey-runtime",
        "x-portkey-runtime-version",
        "x-portkey-strict-open-ai-compliance",
        "x-portkey-trace-id",
        "x-request-id",
    }
)
SAFE_HEADER_PREFIXES = ("x-stainless-", "x-ratelimit-", "access-control-")
SAFE_QUERY = frozenset({"limit", "order", "after", "before", "api-version", "include"})
HEADER_MARK = "<scrubbed:header-value>"
QUERY_MARK = "<scrubbed:query-value>"
# What counts as already scrubbed: ours, and the ``REDACTED`` of older cassettes.
SCRUBBED_VALUE = re.compile(
    r"(?i)((bearer|basic|token)\s+)?(redacted|<scrubbed:[a-z0-9-]+>)", re.ASCII
)
AUTH_SCHEME = re.compile(r"(?i)(bearer|basic|token)\s+")

# Key formats detect-secrets lacks. The look-behind only refuses a letter or digit: the
# text is also searched after JSON and percent decoding, so "\nsk-" and "%3Dsk-" match.
KEY_CHARS = r"[A-Za-z0-9_\-]"
RANDOM = r"(?=[A-Za-z0-9_\-]*[0-9])(?=[A-Za-z0-9_\-]*[a-z])(?=[A-Za-z0-9_\-]*[A-Z])"
OWN_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("openai-key", re.compile(rf"(?<![A-Za-z0-9])sk-{RANDOM}{KEY_CHARS}{{20,}}")),
    ("openai-key", re.compile(rf"(?<![A-Za-z0-9])sk-{KEY_CHARS}*\*{{3,}}[A-Za-z0-9_*\-]*")),
    ("pk-key", re.compile(rf"(?<![A-Za-z0-9])pk-{RANDOM}{KEY_CHARS}{{20,}}")),
    ("huggingface-token", re.compile(r"(?<![A-Za-z0-9])hf_[A-Za-z0-9]{30,}")),
    # the whole PEM block: detect-secrets reports only its BEGIN line
    (
        "private-key",
        re.compile(
            r"-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----[A-Za-z0-9+/=\s\\]*"
            r"(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----)?"
        ),
    ),
    # a bearer token must hold a digit: "Bearer YOUR_KEY", "bearer REDACTED" are prose
    ("bearer-token", re.compile(r"(?i)\bbearer\s+((?=[\w.~+/=\-]*\d)[\w.~+/=\-]{8,})")),
)
# detect-secrets plugins left out: entropy and keyword guesses (ids and prose), public IPs.
SKIPPED_PLUGINS = frozenset(
    {"Base64HighEntropyString", "HexHighEntropyString", "KeywordDetector", "IPPublicDetector"}
)
KIND_NAMES = {"OpenAI Token": "openai-key", "JSON Web Token": "jwt"}


@dataclass(frozen=True)
class Finding:
    kind: str  # e.g. "openai-key", "jwt", "aws-access-key"
    secret: str

    @property
    def mark(self) -> str:
        return f"<scrubbed:{self.kind}>"


@functools.cache
def detectors() -> tuple[tuple[str, Callable[[str], Iterator[str]]], ...]:
    """(kind, finder) for every pattern: ours first, then detect-secrets' plugins."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    found: list[tuple[str, Callable[[str], Iterator[str]]]] = [
        (kind, functools.partial(_matches, pattern)) for kind, pattern in OWN_PATTERNS
    ]
    mapping: dict[str, type[Any]] = get_mapping_from_secret_type_to_class()
    for secret_type, plugin_class in sorted(mapping.items()):
        if plugin_class.__name__ in SKIPPED_PLUGINS:
            continue
        kind = KIND_NAMES.get(secret_type) or re.sub(r"[^a-z0-9]+", "-", secret_type.lower())
        found.append((kind.strip("-"), functools.partial(_plugin_matches, plugin_class())))
    return tuple(found)


def _matches(pattern: re.Pattern[str], text: str) -> Iterator[str]:
    for match in pattern.finditer(text):
        yield match.group(match.lastindex or 0)


_TOKEN_TAIL = re.compile(r"[A-Za-z0-9_\-+/=.]*")


def _plugin_matches(plugin: Any, text: str) -> Iterator[str]:
    """Whole secrets a detect-secrets plugin sees. Its ``analyze_string`` yields the regex
    groups (``ghp`` of a GitHub token, a JWT cut short by a lazy pattern), so each match of
    its denylist is continued to the end of its token; a group that is not that token's
    start (the password of ``://user:password@``) is the secret itself."""
    for pattern in plugin.denylist:
        for match in pattern.finditer(text):
            end = match.end()
            if _TOKEN_TAIL.fullmatch(match.group(0)[-1:]):
                tail = _TOKEN_TAIL.match(text, end)
                end += len(tail.group(0).rstrip(".")) if tail else 0
            candidate = text[match.start() : end]
            for secret in plugin.analyze_string(candidate):
                yield candidate if candidate.startswith(secret) else secret


_JSON_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code.startswith("u") and len(code) == 5:
        return chr(int(code[1:], 16))
    return _SIMPLE_ESCAPES.get(code, code)


def views(text: str) -> list[str]:
    """The text, and what it says once JSON escapes and percent-encoding are decoded."""
    seen = [text]
    if "\\" in text:
        seen.append(_JSON_ESCAPE.sub(_unescape, text))
    for view in list(seen):
        if "%" in view:
            seen.append(unquote(view, errors="replace"))
    return seen


def find_secrets(text: str) -> list[Finding]:
    """Every secret in ``text`` (first kind wins), in any of its decoded views."""
    findings: dict[str, Finding] = {}
    for view in views(text):
        for kind, finder in detectors():
            for secret in finder(view):
                if secret and not SCRUBBED_VALUE.fullmatch(secret):
                    findings.setdefault(secret, Finding(kind, secret))
    return list(findings.values())


# -- scrubbing -------------------------------------------------------------------------------


def scrub_text(text: str) -> str:
    """``text`` with every secret replaced by ``<scrubbed:kind>``; anything else untouched."""
    for _ in range(3):
        findings = find_secrets(text)
        if not findings:
            return text
        if any(finding.secret not in text for finding in findings):
            decoded = _decoded_form(text)  # hidden by escapes: found in a decoded view only
            if decoded != text:
                text = decoded
                continue
        for finding in sorted(findings, key=lambda f: -len(f.secret)):
            text = text.replace(finding.secret, finding.mark)
    return text


def _decoded_form(text: str) -> str:
    """JSON re-serialized (escapes decoded, still JSON), else the percent/escape-decoded text."""
    try:
        return json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        return views(text)[-1]


def scrub_bytes(body: bytes) -> bytes:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:  # binary: secrets are ASCII, so scan and replace bytewise
        loose = body.decode("latin-1")
        for finding in find_secrets(loose):
            if finding.secret in loose:
                body = body.replace(finding.secret.encode("latin-1"), finding.mark.encode())
        return body
    scrubbed = scrub_text(text)
    return body if scrubbed == text else scrubbed.encode("utf-8")


def safe_header(name: str) -> bool:
    lowered = name.lower()
    return lowered in SAFE_HEADERS or lowered.startswith(SAFE_HEADER_PREFIXES)


def scrubbed_header_value(value: Any) -> str:
    """The replacement of a header value: its auth scheme kept, the rest a mark."""
    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    if SCRUBBED_VALUE.fullmatch(text.strip()):
        return text
    scheme = AUTH_SCHEME.match(text)
    return f"{scheme.group(1)} {HEADER_MARK}" if scheme else HEADER_MARK


def scrub_uri(uri: str) -> str:
    """Query values kept only for parameters on the allow-list; secrets masked in the rest."""
    parts = urlsplit(uri)
    if not parts.query:
        return scrub_text(uri)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [
        (name, value if name.lower() in SAFE_QUERY or not value else QUERY_MARK)
        for name, value in pairs
    ]
    query = urlencode(kept, safe="<>:-") if kept != pairs else parts.query
    return scrub_text(urlunsplit(parts._replace(query=query)))


def scrub_request(request: Any) -> Any:
    """vcrpy ``before_record_request``: runs on recorded *and* incoming requests alike."""
    for name in list(request.headers):
        value = request.headers[name]
        if not safe_header(name):
            request.headers[name] = scrubbed_header_value(value)
        elif isinstance(value, str):
            request.headers[name] = scrub_text(value)
    body = request.body
    if isinstance(body, bytes | str) and body:
        request.body = scrub_bytes(body.encode("utf-8") if isinstance(body, str) else body)
    request.uri = scrub_uri(request.uri)
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """vcrpy ``before_record_response``: secrets out, compressed bodies stored decoded."""
    headers: dict[str, list[Any]] = {}
    for name, values in response.get("headers", {}).items():
        if not safe_header(name):
            headers[name] = [scrubbed_header_value(v) for v in values]
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
