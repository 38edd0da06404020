"""What a secret looks like: the rules scrubbing and ``cassettes lint`` share.

Three kinds of rule, each a bounded regular expression scanned in linear time:

- prefixed key formats of the providers people call next to this API (the shapes of the
  gitleaks ruleset: OpenAI and the ``sk-`` family, OpenRouter, Anthropic, Google ``AIza``,
  GitHub ``github_pat_``, Groq ``gsk_``, xAI ``xai-``, Hugging Face, Perplexity, Replicate,
  LangSmith, Pinecone), JWTs, PEM private keys, bearer tokens;
- detect-secrets' detectors whose patterns are linear (AWS, GitHub ``ghp_``, GitLab,
  Slack, Stripe, SendGrid, Twilio, basic-auth passwords in URLs...). Left out: the entropy
  and keyword guesses (ids and prose), public IPs, and the detectors whose patterns take
  quadratic time on crafted text (JWT, OpenAI, npm, and the Cloudant / IBM / SoftLayer
  keyword forms, whose nested space runs backtrack): rules of our own cover those;
- a value after a key-ish name (``api_key=``, ``"apiKey":``, ``AZURE_OPENAI_API_KEY=``,
  ``aws_secret_access_key``), whatever its alphabet.

Where the line is (docs/how-to/scrubbing.md): an ``sk-`` / ``pk-`` key must hold a
run without ``-`` or ``_`` of 16 or more characters mixing letters and digits, or of 12 or
more mixing digits and both cases; so ``sk-learn``, ``pk-catalog-helper`` and product codes
such as ``sk-Winter2024-Jacket-Navy-XL`` (words of up to 11 characters) survive, while
every real ``sk-`` format (32 hex, 48 base62, the project and OpenRouter forms) has such a
run. A bare 32-hex or 40-character value with no
prefix and no key-ish name next to it cannot be told from an id or a hash: it is scrubbed
when the test sent it as a credential (scrub.py), never by guessing.

Linear time: every quantifier is bounded (``MAX_KEY``), a match is continued to the end of
its run of key characters and the scan resumes after that run, so no character is read
more than ``MAX_KEY`` times whatever the input (bench/bench_scrub.py measures it).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

MAX_KEY = 256  # the longest run one rule reads before its match is continued by hand
KEY_RUN = re.compile(r"[A-Za-z0-9_\-]*")
TOKEN_TAIL = re.compile(r"[A-Za-z0-9_\-+/=.]*")
# A value after a key-ish name: up to the next quote, space or structural character.
VALUE_RUN = re.compile(r"[^\s\"'`\\&,;<>{}\[\]()|$]*")
# A key body has a run between separators of RANDOM_LENGTH or more characters with a letter
# and a digit, or of MIXED_LENGTH or more with a digit and both cases; a word or a product
# code (words of up to 11 characters between hyphens) has not.
SEPARATORS = re.compile(r"[-_]")
RANDOM_LENGTH = 16
MIXED_LENGTH = 12
DIGIT = re.compile(r"[0-9]")
LETTER = re.compile(r"[A-Za-z]")
LOWER = re.compile(r"[a-z]")
UPPER = re.compile(r"[A-Z]")
SCRUBBED_VALUE = re.compile(
    r"(?i)((bearer|basic|token)\s+)?(redacted|<scrubbed:[a-z0-9-]+>)", re.ASCII
)
# Values after a key-ish name that name a key instead of being one.
PLACEHOLDER = re.compile(
    r"[A-Z][A-Z0-9_]*|(?i:(os\.environ|process\.env|env\.|settings\.|config\.|none|null"
    r"|true|false|redacted|your[-_]).*)|[0-9.]+"
)


@dataclass(frozen=True)
class Rule:
    """One pattern; the secret is its ``key`` group (else the whole match)."""

    kind: str
    pattern: re.Pattern[str]
    tail: re.Pattern[str] | None = KEY_RUN  # how the match is continued to its run's end
    random: bool = False  # the secret must pass looks_random()
    placeholders: bool = False  # refuse PLACEHOLDER values (key-ish names)


def _prefixed(kind: str, prefix: str, body: str, *, random: bool = False) -> Rule:
    """A key not glued to a word before it (``task-``, ``risk-``); ``_`` or ``-`` may come
    before it (``my_sk-...``), since the text is also read after JSON and percent decoding."""
    return Rule(kind, re.compile(rf"(?<![A-Za-z0-9])(?:{prefix}){body}"), random=random)


_B = f"{{20,{MAX_KEY}}}"
KEYISH = (
    r"api[_-]?key|access[_-]?key(?:[_-]?id)?|secret(?:[_-]?access)?(?:[_-]?key)?"
    r"|client[_-]?secret|(?:access|auth|session|refresh|bearer|id|api)[_-]?token"
    r"|passw(?:or)?d|private[_-]?key"
)
OWN_RULES: tuple[Rule, ...] = (
    _prefixed("openrouter-key", r"sk-or-v1-", r"[0-9a-f]{64}"),
    _prefixed("anthropic-key", r"sk-ant-", rf"[A-Za-z0-9_\-]{_B}"),
    # OpenAI's project, service-account and admin prefixes name a key whatever follows
    _prefixed("openai-key", r"sk-(?:proj|svcacct|admin)-", rf"[A-Za-z0-9_\-]{{8,{MAX_KEY}}}"),
    _prefixed("openai-key", r"sk-", rf"[A-Za-z0-9_\-]{_B}", random=True),
    _prefixed("openai-key", r"sk-", rf"[A-Za-z0-9_\-]{{0,32}}\*{{3,{MAX_KEY}}}[\w*\-]*"),
    _prefixed("pk-key", r"pk-", rf"[A-Za-z0-9_\-]{_B}", random=True),
    _prefixed("google-api-key", r"AIza", r"[A-Za-z0-9_\-]{35}"),
    _prefixed("github-token", r"github_pat_", rf"[A-Za-z0-9_]{{22,{MAX_KEY}}}"),
    _prefixed("groq-key", r"gsk_", r"[A-Za-z0-9]{40,100}"),
    _prefixed("xai-key", r"xai-", r"[A-Za-z0-9]{40,120}"),
    _prefixed("huggingface-token", r"hf_", r"[A-Za-z0-9]{30,100}"),
    _prefixed("perplexity-key", r"pplx-", r"[A-Za-z0-9]{40,100}"),
    _prefixed("replicate-token", r"r8_", r"[A-Za-z0-9]{37}"),
    _prefixed("langsmith-key", r"lsv2_(?:pt|sk)_", r"[0-9a-f]{32}_[0-9a-f]{10}"),
    _prefixed("pinecone-key", r"pcsk_", rf"[A-Za-z0-9_]{_B}"),
    Rule(
        "jwt",
        re.compile(
            rf"(?<![A-Za-z0-9_\-])eyJ[A-Za-z0-9_\-]{{8,{MAX_KEY}}}\.eyJ[A-Za-z0-9_\-=]{{8,}}"
        ),
        TOKEN_TAIL,
    ),
    # the whole PEM block: detect-secrets reports only its BEGIN line
    Rule(
        "private-key",
        re.compile(
            r"-----BEGIN [A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----[A-Za-z0-9+/=\s\\]*"
            r"(?:-----END [A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----)?"
        ),
        None,
    ),
    # a bearer token must hold a digit: "Bearer YOUR_KEY", "bearer REDACTED" are prose
    Rule(
        "bearer-token",
        re.compile(
            rf"(?i)(?<![a-z])bearer\s{{1,8}}(?P<key>(?=[\w.~+/=\-]{{0,{MAX_KEY}}}\d)"
            rf"[\w.~+/=\-]{{8,{MAX_KEY}}})"
        ),
        TOKEN_TAIL,
    ),
    Rule(
        "keyed-secret",
        re.compile(
            rf"(?i)(?<![a-z])(?:{KEYISH})(?![a-z0-9])[\"'\\]{{0,2}}\s{{0,4}}(?:[:=]|=>)\s{{0,4}}"
            rf"(?:\\?[\"'`]){{0,2}}(?P<key>[^\s\"'`\\&,;<>{{}}\[\]()|$]{{8,{MAX_KEY}}})"
        ),
        VALUE_RUN,
        placeholders=True,
    ),
)

# detect-secrets detectors used, by class name: each pattern is linear (bounded, or a class
# that stops at the character the next match needs).
DETECT_SECRETS_USED = frozenset(
    {
        "AWSKeyDetector",
        "ArtifactoryDetector",
        "AzureStorageKeyDetector",
        "BasicAuthDetector",
        "DiscordBotTokenDetector",
        "GitHubTokenDetector",
        "GitLabTokenDetector",
        "MailchimpDetector",
        "PrivateKeyDetector",
        "PypiTokenDetector",
        "SendGridDetector",
        "SlackDetector",
        "SquareOAuthDetector",
        "StripeDetector",
        "TelegramBotTokenDetector",
        "TwilioKeyDetector",
    }
)


@dataclass(frozen=True)
class Finding:
    kind: str  # e.g. "openai-key", "jwt", "aws-access-key"
    secret: str

    @property
    def mark(self) -> str:
        return f"<scrubbed:{self.kind}>"


Span = tuple[int, int, str]  # start, end, kind


def looks_random(secret: str) -> bool:
    """Whether a run of ``secret`` between separators is as long and mixed as a key's."""
    for part in SEPARATORS.split(secret):
        if len(part) < MIXED_LENGTH or not DIGIT.search(part):
            continue
        if len(part) >= RANDOM_LENGTH and LETTER.search(part):
            return True
        if LOWER.search(part) and UPPER.search(part):
            return True
    return False


def _accepted(rule: Rule, secret: str) -> bool:
    if SCRUBBED_VALUE.fullmatch(secret):
        return False
    if rule.random and not looks_random(secret):
        return False
    return not (rule.placeholders and PLACEHOLDER.fullmatch(secret))


def rule_spans(rule: Rule, text: str) -> Iterator[Span]:
    """Every secret ``rule`` finds in ``text``; the scan resumes after each run it read."""
    position = 0
    while (match := rule.pattern.search(text, position)) is not None:
        start, end = match.span("key") if "key" in rule.pattern.groupindex else match.span()
        if rule.tail is not None:
            tail = rule.tail.match(text, end)
            end = tail.end() if tail else end
        if rule.tail is TOKEN_TAIL:
            end = start + len(text[start:end].rstrip("."))
        if _accepted(rule, text[start:end]):
            yield start, end, rule.kind
        position = max(end, match.start() + 1)


def plugin_spans(plugin: Any, kind: str, text: str) -> Iterator[Span]:
    """Whole secrets a detect-secrets plugin sees. Its ``analyze_string`` yields the regex
    groups (``ghp`` of a GitHub token), so each match of its denylist is continued to the
    end of its token; a group that is not that token's start (the password of
    ``://user:password@``) is the secret itself."""
    for pattern in plugin.denylist:
        position = 0
        while (match := pattern.search(text, position)) is not None:
            end = match.end()
            if TOKEN_TAIL.fullmatch(match.group(0)[-1:]):
                tail = TOKEN_TAIL.match(text, end)
                end += len(tail.group(0).rstrip(".")) if tail else 0
            candidate = text[match.start() : end]
            for secret in plugin.analyze_string(candidate):
                if not secret or SCRUBBED_VALUE.fullmatch(secret):
                    continue
                # the password of ``user:password@`` comes last, even when it is the user too
                offset = 0 if candidate.startswith(secret) else candidate.rfind(secret)
                if offset == 0:
                    yield match.start(), end, kind
                elif offset > 0:
                    yield match.start() + offset, match.start() + offset + len(secret), kind
            position = max(end, match.start() + 1)


@functools.cache
def finders() -> tuple[tuple[str, Callable[[str], Iterator[Span]]], ...]:
    """(kind, finder) for every rule: ours first, then detect-secrets' detectors."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    found: list[tuple[str, Callable[[str], Iterator[Span]]]] = [
        (rule.kind, functools.partial(rule_spans, rule)) for rule in OWN_RULES
    ]
    mapping: dict[str, type[Any]] = get_mapping_from_secret_type_to_class()
    for secret_type, plugin_class in sorted(mapping.items()):
        if plugin_class.__name__ not in DETECT_SECRETS_USED:
            continue
        kind = re.sub(r"[^a-z0-9]+", "-", secret_type.lower()).strip("-")
        found.append((kind, functools.partial(plugin_spans, plugin_class(), kind)))
    return tuple(found)


def spans(text: str) -> list[Span]:
    """Every secret span of ``text`` as written (no decoding), in the order of the rules."""
    found: list[Span] = []
    for _, finder in finders():
        found.extend(finder(text))
    return found
