"""Scrubbing: what a recorded interaction loses before it is written to a cassette.

Three layers, so that no secret depends on someone having listed its vendor:

- every credential the test *sent* (Authorization, ``api-key``, ``x-api-key``,
  ``x-portkey-*``, AWS headers, query values, URL userinfo) is learned from the request and
  replaced wherever it appears in the cassette, request or response, as written or behind
  JSON escapes and percent-encoding (:class:`Scrubber`);
- header and query values keep their value only when their name is on an allow-list of
  names known to carry no secret;
- bodies, paths and allowed headers keep everything except secrets found by shape
  (:mod:`pytest_assistants.cassettes.secrets`), in the text and in its decoded views
  (:mod:`pytest_assistants.cassettes.views`), replaced in place: the escaped characters
  themselves become ``<scrubbed:kind>``, every other byte stays as recorded.

Compressed response bodies are stored decoded so a reviewer (and ``cassettes lint``, which
uses :func:`find_secrets` too) can read them.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pytest_assistants.cassettes.secrets import SCRUBBED_VALUE, Finding, Span, spans
from pytest_assistants.cassettes.views import views
from pytest_assistants.evidence.recordings import decompress

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["SCRUBBED_VALUE", "Finding", "Scrubber", "find_secrets", "scrub_text"]

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
AUTH_SCHEME = re.compile(r"(?i)(bearer|basic|token)\s+")
KNOWN_MARK = "credential"  # the kind of a value the test sent as a credential
# Credentials shorter than this are not searched for elsewhere: too likely ordinary text.
MIN_KNOWN = 8
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "api-key", "x-api-key"})
CREDENTIAL_NAME = re.compile(r"(?i)key|secret|token|auth|passw|signature|credential|session")


def raw_spans(text: str, known: Iterable[str] = ()) -> list[Span]:
    """The spans of ``text`` to replace: secrets found by shape or sent as credentials, in
    the text or in a decoded view (mapped back to the characters that encode them), merged
    where they overlap; the first rule's kind names a merged span."""
    found: list[Span] = []
    for view in views(text):
        located = spans(view.text)
        for value in known:
            position = view.text.find(value)
            while position >= 0:
                located.append((position, position + len(value), KNOWN_MARK))
                position = view.text.find(value, position + len(value))
        for start, end, kind in located:
            found.append((*view.raw_span(start, end), kind))
    found.sort(key=lambda span: (span[0], -span[1]))
    merged: list[Span] = []
    for start, end, kind in found:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
        else:
            merged.append((start, end, kind))
    return merged


def find_secrets(text: str, known: Iterable[str] = ()) -> list[Finding]:
    """Every secret of ``text``, once each, as it is written there (escapes included)."""
    findings: dict[str, Finding] = {}
    for start, end, kind in raw_spans(text, known):
        findings.setdefault(text[start:end], Finding(kind, text[start:end]))
    return list(findings.values())


def scrub_text(text: str, known: Iterable[str] = ()) -> str:
    """``text`` with every span :func:`raw_spans` finds replaced by ``<scrubbed:kind>``."""
    found = raw_spans(text, known)
    if not found:
        return text
    pieces, last = [], 0
    for start, end, kind in found:
        pieces += [text[last:start], f"<scrubbed:{kind}>"]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def scrub_bytes(body: bytes, known: Iterable[str] = ()) -> bytes:
    """A body with its secrets replaced; bytes that are not UTF-8 are kept byte for byte
    (read as Latin-1, which maps each byte to one character: the ASCII marks fit)."""
    try:
        text, encoding = body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = body.decode("latin-1"), "latin-1"
    scrubbed = scrub_text(text, known)
    return body if scrubbed == text else scrubbed.encode(encoding)


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


def credential_header(name: str) -> bool:
    """Whether a request header carries a credential whose value is searched for elsewhere."""
    lowered = name.lower()
    if safe_header(lowered):
        return False
    return (
        lowered in CREDENTIAL_HEADERS
        or lowered.startswith("x-portkey-")
        or bool(CREDENTIAL_NAME.search(lowered))
    )


def credential_pieces(value: str) -> set[str]:
    """A credential and the parts of it that may travel alone: the token after an auth
    scheme, a basic-auth password, each ``name=value`` of an AWS signature header."""
    value = value.strip()
    pieces = {value}
    scheme, _, rest = value.partition(" ")
    if rest and re.fullmatch(r"[A-Za-z0-9-]+", scheme):
        pieces.add(rest.strip())
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(rest.strip(), validate=True).decode("utf-8")
            except (binascii.Error, ValueError):
                decoded = ""
            pieces.update({decoded, decoded.partition(":")[2]})
    for part in re.split(r"[\s,;]+", value):
        name, equals, item = part.partition("=")
        if equals and name:
            pieces.update({item, item.partition("/")[0]})
    return {piece for piece in pieces if len(piece) >= MIN_KNOWN}


class Scrubber:
    """The scrubbing of one cassette: it learns every credential its requests send, and
    replaces each wherever it appears, in this interaction and every other one."""

    def __init__(self) -> None:
        self.known: set[str] = set()

    def learn(self, request: Any) -> None:
        for name in list(request.headers):
            value = request.headers[name]
            text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
            if credential_header(name) and not SCRUBBED_VALUE.fullmatch(text.strip()):
                self.known |= credential_pieces(text)
        parts = urlsplit(str(request.uri))
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            if name.lower() not in SAFE_QUERY and not SCRUBBED_VALUE.fullmatch(value):
                self.known |= credential_pieces(value)
        for userinfo in (parts.username, parts.password):
            if userinfo:
                self.known |= credential_pieces(userinfo)

    def ordered(self) -> list[str]:
        """Known values, longest first: a value inside another is replaced as part of it."""
        return sorted(self.known, key=lambda value: (-len(value), value))

    def text(self, text: str) -> str:
        return scrub_text(text, self.ordered())

    def bytes(self, body: bytes) -> bytes:
        return scrub_bytes(body, self.ordered())

    def uri(self, uri: str) -> str:
        """Query values kept only for parameters on the allow-list; secrets masked in the rest."""
        parts = urlsplit(uri)
        if not parts.query:
            return self.text(uri)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        kept = [
            (name, value if name.lower() in SAFE_QUERY or not value else QUERY_MARK)
            for name, value in pairs
        ]
        query = urlencode(kept, safe="<>:-") if kept != pairs else parts.query
        return self.text(urlunsplit(parts._replace(query=query)))

    def request(self, request: Any) -> Any:
        """vcrpy ``before_record_request``: runs on recorded *and* incoming requests alike."""
        self.learn(request)
        for name in list(request.headers):
            value = request.headers[name]
            if not safe_header(name):
                request.headers[name] = scrubbed_header_value(value)
            elif isinstance(value, str):
                request.headers[name] = self.text(value)
        body = request.body
        if isinstance(body, dict | list):  # vcrpy's aiohttp stub keeps ``json=`` as given
            body = json.dumps(body).encode("utf-8")
        if isinstance(body, bytes | str) and body:
            request.body = self.bytes(body.encode("utf-8") if isinstance(body, str) else body)
        request.uri = self.uri(request.uri)
        return request

    def response(self, response: dict[str, Any]) -> dict[str, Any]:
        """vcrpy ``before_record_response``: secrets out, compressed bodies stored decoded."""
        headers: dict[str, list[Any]] = {}
        for name, values in response.get("headers", {}).items():
            if not safe_header(name):
                headers[name] = [scrubbed_header_value(v) for v in values]
            else:
                headers[name] = [self.text(v) if isinstance(v, str) else v for v in values]
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
        body = self.bytes(body)
        if "content-length" in lowered:
            headers[lowered["content-length"]] = [str(len(body))]
        response["headers"] = headers
        response["body"] = {"string": body}
        return response

    def data(self, value: Any) -> Any:
        """The last pass before a cassette is written: every string of it scrubbed again
        with every credential learned since (a key sent by a later request, echoed by an
        earlier answer, goes too)."""
        if isinstance(value, dict):
            return {key: self.data(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.data(item) for item in value]
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, bytes):
            return self.bytes(value)
        return value


def scrub_request(request: Any) -> Any:
    """A request scrubbed on its own (no credentials learned from other requests)."""
    return Scrubber().request(request)


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    return Scrubber().response(response)
