"""A Faker provider of Assistants-API domain values, registered on request, never globally.

``faker.add_provider(AssistantsProvider)`` on your own ``Faker`` instance gives
``fake.assistant_id()``, ``fake.file_id()``, ``fake.model_id(rules)``, ``fake.script_text(
max_len, script)``, ``fake.function_tool()``, ``fake.metadata_map()``, ``fake.response_format(
rules)`` and friends. Every draw comes from the instance's own ``random`` (seed it with
``seed_instance``), so values are the same on every machine for one Faker version.

Lengths are counted in Unicode code points: OpenAI's schema is an OpenAPI document, whose
``maxLength`` is JSON Schema's (code points), and the fake's validator counts the same way.
An emoji ZWJ sequence or a letter with combining marks is therefore several "characters".
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Any

from faker.providers import BaseProvider

from pytest_assistants.service.profiles import is_reasoning_model

if TYPE_CHECKING:
    from pytest_assistants.service.profiles import AssistantRules

BASE62 = string.ascii_letters + string.digits
# Every real id in the reference recordings (2023-11 .. 2026-03: 601 asst_, 71 file-,
# 27 vs_) is its prefix plus 24 base62 characters; Zerobot's ids are unknown (Q12) and
# drawn the same way.
ID_PREFIXES = {"assistant": "asst_", "file": "file-", "vector_store": "vs_"}
ID_BODY_LENGTH = 24

# Words per script. Arabic and Hebrew are right-to-left; the emoji list holds single code
# points, a flag (2 code points), a skin-tone ZWJ sequence (5) and a keycap (3); the
# combining list spells letters with combining diacritics (decomposed, NFD).
SCRIPT_WORDS: dict[str, tuple[str, ...]] = {
    "cjk": ("助手", "天気予報", "顧客サポート", "人工智能", "数据分析", "도우미", "번역", "検索"),
    "arabic": ("مساعد", "الطقس", "خدمة", "العملاء", "بحث", "ملفات", "ترجمة"),
    "hebrew": ("עוזר", "מזג", "אוויר", "שירות", "לקוחות", "חיפוש", "קבצים"),
    "emoji": ("🤖", "📎", "🧪", "🇯🇵", "👩🏽\u200d💻", "1\ufe0f\u20e3", "✨", "🛰️"),
    "combining": ("e\u0301te\u0301", "man\u0303ana", "Z\u0324\u0354\u0367", "sahayak\u094d"),
}
SCRIPTS = ("latin", *SCRIPT_WORDS)
# One code point each, to pad a text to an exact length whatever the script.
SCRIPT_PAD = {
    "latin": "x",
    "cjk": "字",
    "arabic": "ب",
    "hebrew": "ש",
    "emoji": "😀",
    "combining": "\u0301",
}

LONG_TEXT = 2048
FUNCTION_VERBS = ("get", "list", "create", "update", "lookup", "search", "send", "cancel")
FUNCTION_NOUNS = ("weather", "order", "invoice", "ticket", "customer", "flight", "file", "note")
PROPERTY_TYPES = ("string", "integer", "number", "boolean")


class AssistantsProvider(BaseProvider):
    """Domain values of the Assistants API; see the module docstring."""

    # -- ids -----------------------------------------------------------------------------

    def _id(self, kind: str) -> str:
        body = "".join(self.generator.random.choice(BASE62) for _ in range(ID_BODY_LENGTH))
        return ID_PREFIXES[kind] + body

    def assistant_id(self) -> str:
        return self._id("assistant")

    def file_id(self) -> str:
        return self._id("file")

    def vector_store_id(self) -> str:
        return self._id("vector_store")

    # -- models --------------------------------------------------------------------------

    def model_id(self, rules: AssistantRules, *, reasoning: bool | None = None) -> str:
        """A model the rules accept; sorted first, so the draw ignores set order."""
        models = sorted(rules.models)
        if reasoning is not None:
            models = [m for m in models if is_reasoning_model(m) is reasoning]
        return str(self.generator.random.choice(models))

    # -- text ----------------------------------------------------------------------------

    def script(self) -> str:
        return str(self.generator.random.choice(SCRIPTS))

    def _word(self, script: str) -> str:
        words = SCRIPT_WORDS.get(script) or self._latin_words()
        return str(self.generator.random.choice(words))

    def _latin_words(self) -> tuple[str, ...]:
        """Faker's lorem words of the generator's locale, read once (``word()`` is slow)."""
        words: tuple[str, ...] | None = getattr(self, "_latin", None)
        if words is None:
            words = self._latin = tuple(self.generator.get_words_list())
        return words

    def script_text(self, max_len: int, script: str | None = None, *, min_len: int = 1) -> str:
        """Words of one script, at most ``max_len`` code points (and at least ``min_len``)."""
        script = script or self.script()
        random = self.generator.random
        target = random.randint(min(min_len, max_len), max_len)
        pool, choice = SCRIPT_WORDS.get(script) or self._latin_words(), random.choice
        words: list[str] = []
        size = 0
        while size < target:
            word = choice(pool)  # local: Faker's proxy makes each attribute read costly
            extra = len(word) + (1 if words else 0)
            if size + extra > target:
                break
            words.append(word)
            size += extra
        text = " ".join(words)
        return text + SCRIPT_PAD[script] * (min(min_len, max_len) - len(text))

    def text_of_length(self, length: int, script: str | None = None) -> str:
        """Exactly ``length`` code points of one script (for the limits of §2)."""
        script = script or self.script()
        if length > LONG_TEXT:  # a drawn passage repeated: 256,000 code points stay cheap
            passage = self.script_text(LONG_TEXT, script, min_len=LONG_TEXT) + " "
            text = (passage * (length // len(passage) + 1))[: length - 1]
            return text + SCRIPT_PAD[script]
        return self.script_text(length, script, min_len=length)

    # -- tools ---------------------------------------------------------------------------

    def function_name(self, max_len: int = 64) -> str:
        """Matches ``^[a-zA-Z0-9_-]{1,64}$``, the server's function-name rule."""
        random = self.generator.random
        name = (
            f"{random.choice(FUNCTION_VERBS)}{random.choice('_-')}{random.choice(FUNCTION_NOUNS)}"
        )
        if random.random() < 0.3:
            name += f"_v{random.randint(1, 99)}"
        return name[:max_len]

    def json_schema(self, properties: int | None = None) -> dict[str, Any]:
        """A JSON-Schema object with a few typed, described properties."""
        random = self.generator.random
        count = random.randint(0, 4) if properties is None else properties
        props: dict[str, Any] = {}
        for index in range(count):
            key = f"{self._word('latin')}_{index}"
            prop: dict[str, Any] = {"type": random.choice(PROPERTY_TYPES)}
            if random.random() < 0.5:
                prop["description"] = self.script_text(60)
            props[key] = prop
        schema: dict[str, Any] = {"type": "object", "properties": props}
        if props:
            schema["required"] = sorted(random.sample(sorted(props), random.randint(0, count)))
        return schema

    def function_tool(self, *, strict: bool = True, name: str | None = None) -> dict[str, Any]:
        random = self.generator.random
        function: dict[str, Any] = {"name": name or self.function_name()}
        if random.random() < 0.7:
            function["description"] = self.script_text(120)
        if random.random() < 0.8:
            function["parameters"] = self.json_schema()
        if strict and random.random() < 0.3:
            function["strict"] = random.choice((True, False, None))
        return {"type": "function", "function": function}

    def tool(self, rules: AssistantRules, kind: str | None = None) -> dict[str, Any]:
        random = self.generator.random
        kind = kind or random.choice(rules.tool_types)
        if kind == "function":
            return self.function_tool(strict=rules.function_strict)
        tool: dict[str, Any] = {"type": kind}
        if kind == "file_search" and rules.file_search_options and random.random() < 0.5:
            options: dict[str, Any] = {"max_num_results": random.randint(1, 50)}
            if rules.ranking_options and random.random() < 0.5:
                options["ranking_options"] = {
                    "ranker": random.choice(("auto", "default_2024_08_21")),
                    "score_threshold": round(random.random(), 2),
                }
            tool["file_search"] = options
        return tool

    # -- maps and formats ----------------------------------------------------------------

    def metadata_map(self, pairs: int | None = None) -> dict[str, str]:
        """Up to 16 string pairs; keys <= 64 and values <= 512 code points."""
        random = self.generator.random
        count = random.randint(0, 16) if pairs is None else pairs
        out: dict[str, str] = {}
        while len(out) < count:
            key = f"{self.script_text(40)}_{len(out)}"
            out[key] = self.script_text(random.choice((8, 40, 512)))
        return out

    def response_format(self, rules: AssistantRules) -> str | dict[str, Any]:
        random = self.generator.random
        choices: list[str | dict[str, Any]] = list(rules.response_format_strings)
        choices += [{"type": t} for t in rules.response_format_types if t != "json_schema"]
        if "json_schema" in rules.response_format_types:
            json_schema: dict[str, Any] = {
                "name": self.function_name(),
                "schema": self.json_schema(),
            }
            if random.random() < 0.5:
                json_schema["description"] = self.script_text(80)
            if random.random() < 0.5:
                json_schema["strict"] = random.choice((True, False, None))
            choices.append({"type": "json_schema", "json_schema": json_schema})
        chosen: str | dict[str, Any] = random.choice(choices)
        return chosen
