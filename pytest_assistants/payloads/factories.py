"""Seeded payload factories: valid bodies, edge cases and invalid bodies, each labelled.

``PayloadFactory(seed=..., profile=...)`` owns a private ``Faker`` seeded from its seed (no
global Faker is shared or reseeded, ``hash()`` is never used), so one seed gives the same
payloads in every process and on every machine (for one Faker version).

Bodies come in two forms:

- ``create()`` / ``modify()`` / ``Case.body``: keyword arguments for the profile's client,
  so ``client.beta.assistants.update(assistant_id, **factory.modify())`` works. For the
  openai SDK, fields it has no argument for (v1 ``file_ids``, unknown parameters) go in
  ``extra_body``, and a v1 era adds ``extra_headers={"OpenAI-Beta": "assistants=v1"}``;
  for Portkey (whose SDK turns any extra keyword into a body field) and Zerobot (raw
  ``PATCH``), the keyword arguments are the JSON body itself.
- ``*_json()`` / ``Case.json``: the JSON body on the wire.

Every case's ``expect`` holds when the body is sent as a modify to a freshly created
assistant whose model is :func:`base_model` (``gpt-4o``; ``gpt-4-1106-preview`` for v1
eras, which predate gpt-4o). The sunset profile (every route 404) has no cases.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from faker import Faker

from pytest_assistants.payloads.faker_provider import AssistantsProvider
from pytest_assistants.service.profiles import (
    DEFAULT_PROFILE,
    AssistantRules,
    Profile,
    get_profile,
    is_reasoning_model,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

JsonBody = dict[str, Any]

# Keyword arguments of openai's ``beta.assistants.update`` / ``create`` (2.x and 3.x).
SDK_PARAMS = frozenset({
    "description", "instructions", "metadata", "model", "name", "reasoning_effort",
    "response_format", "temperature", "tool_resources", "tools", "top_p",
})  # fmt: skip
SDK_EXTRAS = ("extra_headers", "extra_query", "extra_body", "timeout")
BASE_MODELS = ("gpt-4o", "gpt-4-1106-preview")


class _Omit:
    def __repr__(self) -> str:
        return "OMIT"


OMIT: Any = _Omit()
"""Override value that removes a field: ``factory.modify(name=OMIT)``."""


@dataclass(frozen=True)
class Expect:
    """The outcome of a modify: 200, or the error's status, ``param`` and ``code``."""

    status: int = 200
    param: str | None = None
    code: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200


OK = Expect()


def rejected(param: str, code: str, status: int = 400) -> Expect:
    return Expect(status, param, code)


@dataclass(frozen=True)
class Case:
    """One labelled payload.

    ``id`` is readable and stable (use it as a pytest id); ``body`` holds the keyword
    arguments for the profile's client, ``json`` the JSON body on the wire (send that one
    with a raw HTTP client, e.g. Zerobot's ``PATCH``); ``expect`` is the outcome.
    """

    id: str
    body: JsonBody = field(repr=False)
    expect: Expect
    json: JsonBody = field(default_factory=dict, repr=False, compare=False)
    profile: str = DEFAULT_PROFILE
    operation: str = "assistants.modify"  # where the body is sent (threads.runs.create...)


def _profile(profile: str | Profile) -> Profile:
    return get_profile(profile) if isinstance(profile, str) else profile


def rules_for(profile: str | Profile) -> AssistantRules:
    """The rules a modify meets through the profile's own client (its dialect's default)."""
    prof = _profile(profile)
    return prof.default.assistants


def base_model(profile: str | Profile) -> str:
    """The model of the fresh assistant every case is sent to."""
    rules = rules_for(profile)
    for model in BASE_MODELS:
        if rules.any_model or model in rules.models:
            return model
    return sorted(rules.models)[0]


def has_cases(profile: str | Profile) -> bool:
    """False for profiles that serve nothing (the post-shutdown one)."""
    return not _profile(profile).choices.sunset


def client_kwargs(body: Mapping[str, Any], profile: str | Profile) -> JsonBody:
    """The JSON body as keyword arguments for the profile's client (module docstring)."""
    prof = _profile(profile)
    if prof.dialect not in ("openai", "azure"):  # openai.AzureOpenAI for Azure
        return dict(body)
    kwargs = {key: value for key, value in body.items() if key in SDK_PARAMS}
    extra = {key: value for key, value in body.items() if key not in SDK_PARAMS}
    if extra:
        kwargs["extra_body"] = extra
    version = rules_for(prof).version
    if version != "v2" and prof.dialect == "openai":  # Azure reads api-version instead
        kwargs["extra_headers"] = {"OpenAI-Beta": f"assistants={version}"}
    return kwargs


def wire_json(kwargs: Mapping[str, Any]) -> JsonBody:
    """Keyword arguments back to the JSON body (``extra_body`` merged, the rest dropped)."""
    body = {key: value for key, value in kwargs.items() if key not in SDK_EXTRAS}
    body.update(kwargs.get("extra_body") or {})
    return body


def derive_seed(*parts: object) -> int:
    """A stable 64-bit seed from any labels (sha256; never ``hash()``, which is salted)."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def new_faker(seed: int) -> tuple[Faker, AssistantsProvider]:
    """A private, seeded Faker with the provider registered on it (and only on it)."""
    fake = Faker("en_US", providers=["faker.providers.lorem"])  # 0.2 ms, not 6 ms
    fake.seed_instance(seed)
    provider = AssistantsProvider(fake)
    fake.add_provider(provider)
    return fake, provider


def valid_json(
    provider: AssistantsProvider, rules: AssistantRules, *, create: bool, base: str = "gpt-4o"
) -> JsonBody:
    """A random body the rules accept; a modify is valid whatever the assistant holds.

    The one cross-field rule (§2): o-series models refuse temperature / top_p, so a switch
    to one clears them (null), and sampling values come with a model that accepts them.
    """
    random = provider.generator.random
    body: JsonBody = {}

    def want(chance: float = 0.5) -> bool:
        return bool(random.random() < chance)

    if create or want(0.3):
        reasoning = not create and rules.sampling and want(0.3)
        models = [m for m in rules.models if is_reasoning_model(m) is reasoning]
        body["model"] = provider.model_id(rules, reasoning=reasoning) if models else base
    if want():
        body["name"] = provider.script_text(random.choice((24, 80, 256)))
    if want():
        body["description"] = provider.script_text(random.choice((60, 512)))
    if want():
        body["instructions"] = provider.script_text(random.choice((200, 2000)))
    if want():
        kinds = [provider.tool(rules) for _ in range(random.randint(0, 4))]
        seen: set[str] = set()
        body["tools"] = [t for t in kinds if t["type"] == "function" or not _seen(t, seen)]
    if want():
        body["metadata"] = provider.metadata_map()
    if rules.file_ids and want():
        body["file_ids"] = [provider.file_id() for _ in range(random.randint(0, 20))]
    if not rules.file_ids and want(0.4):
        body["tool_resources"] = _tool_resources(provider, rules, create=create)
    if rules.sampling:
        if "model" in body and is_reasoning_model(body["model"]):
            body["temperature"] = body["top_p"] = None  # o-series refuse stored sampling
        else:
            if want(0.4):
                body["temperature"] = round(random.uniform(0, 2), 2)
            if want(0.4):
                body["top_p"] = round(random.uniform(0, 1), 2)
        sampled = any(body.get(k) is not None for k in ("temperature", "top_p"))
        has_reasoning = any(is_reasoning_model(m) for m in rules.models)
        if sampled and "model" not in body and has_reasoning:  # the stored one may be o1
            body["model"] = provider.model_id(rules, reasoning=False)
        if want(0.4):
            body["response_format"] = provider.response_format(rules)
    if rules.reasoning_efforts is not None and want(0.3):
        body["reasoning_effort"] = random.choice((*rules.reasoning_efforts, None))
    if not body and not create:
        body["name"] = provider.script_text(64)
    return body


def _seen(tool: Mapping[str, Any], seen: set[str]) -> bool:
    kind = str(tool["type"])
    found = kind in seen
    seen.add(kind)
    return found


def _tool_resources(
    provider: AssistantsProvider, rules: AssistantRules, *, create: bool
) -> JsonBody:
    random = provider.generator.random
    resources: JsonBody = {}
    if random.random() < 0.6:
        count = random.randint(0, 20)
        resources["code_interpreter"] = {"file_ids": [provider.file_id() for _ in range(count)]}
    if random.random() < 0.6:
        if (create or rules.vector_stores_on_modify) and random.random() < 0.5:
            files = [provider.file_id() for _ in range(random.randint(0, 3))]
            resources["file_search"] = {"vector_stores": [{"file_ids": files}]}
        else:
            ids = [provider.vector_store_id() for _ in range(random.randint(0, 1))]
            resources["file_search"] = {"vector_store_ids": ids}
    return resources


class PayloadFactory:
    """Seeded payloads for one profile (any method takes ``profile=`` to use another)."""

    def __init__(self, seed: int = 0, profile: str | Profile = DEFAULT_PROFILE) -> None:
        self.seed = int(seed)
        self.profile = _profile(profile)
        self.faker, self.provider = new_faker(derive_seed("payloads", self.seed))

    def __repr__(self) -> str:
        return f"PayloadFactory(seed={self.seed}, profile={self.profile.name!r})"

    def _resolve(self, profile: str | Profile | None) -> Profile:
        return self.profile if profile is None else _profile(profile)

    # -- valid bodies --------------------------------------------------------------------

    def create_json(self, profile: str | Profile | None = None, **overrides: Any) -> JsonBody:
        prof = self._resolve(profile)
        body = valid_json(self.provider, rules_for(prof), create=True, base=base_model(prof))
        return _override(body, overrides)

    def modify_json(self, profile: str | Profile | None = None, **overrides: Any) -> JsonBody:
        prof = self._resolve(profile)
        body = valid_json(self.provider, rules_for(prof), create=False, base=base_model(prof))
        return _override(body, overrides)

    def create(self, profile: str | Profile | None = None, **overrides: Any) -> JsonBody:
        """Keyword arguments for ``client.beta.assistants.create(**...)``."""
        prof = self._resolve(profile)
        return client_kwargs(self.create_json(prof, **overrides), prof)

    def modify(self, profile: str | Profile | None = None, **overrides: Any) -> JsonBody:
        """Keyword arguments for ``client.beta.assistants.update(assistant_id, **...)``."""
        prof = self._resolve(profile)
        return client_kwargs(self.modify_json(prof, **overrides), prof)

    # -- labelled cases ------------------------------------------------------------------

    def _cases(self, profile: str | Profile | None, kind: str) -> list[Case]:
        from pytest_assistants.payloads.cases import catalogue

        prof = self._resolve(profile)
        if not has_cases(prof):
            return []
        _, provider = new_faker(derive_seed("cases", self.seed, prof.name))
        out = []
        for case_id, body, expect, at_boundary in catalogue(provider, rules_for(prof)):
            is_edge = at_boundary or expect.ok  # every accepted case is an edge case
            if (kind == "edge" and is_edge) or (kind == "invalid" and not expect.ok) or not kind:
                out.append(Case(case_id, client_kwargs(body, prof), expect, body, prof.name))
        return out

    def edge_cases(self, profile: str | Profile | None = None) -> list[Case]:
        """Every limit at and one past it, nulls, empties, multi-byte text (mixed outcomes).

        Holds every accepted case of the catalogue, and the rejected ones at a boundary.
        """
        return self._cases(profile, "edge")

    def invalid(self, profile: str | Profile | None = None) -> list[Case]:
        """Every rejected case: past the limits, wrong types, unknown or foreign fields."""
        return self._cases(profile, "invalid")

    def cases(self, profile: str | Profile | None = None) -> list[Case]:
        """The whole catalogue: edge cases and invalid ones, each once."""
        return self._cases(profile, "")

    # -- the conversation (threads, messages, runs) --------------------------------------

    def thread(self, profile: str | Profile | None = None) -> JsonBody:
        """A ``POST /threads`` body (``client.beta.threads.create(**...)``)."""
        from pytest_assistants.payloads.conversation import thread_json

        return thread_json(self.provider, self._resolve(profile))

    def message(self, profile: str | Profile | None = None) -> JsonBody:
        """A message to add (``client.beta.threads.messages.create(thread_id, **...)``)."""
        from pytest_assistants.payloads.conversation import message_json

        return message_json(self.provider, self._resolve(profile))

    def run(self, assistant_id: str, profile: str | Profile | None = None) -> JsonBody:
        """A run of ``assistant_id`` (``client.beta.threads.runs.create(thread_id, **...)``)."""
        from pytest_assistants.payloads.conversation import run_json

        return run_json(self.provider, self._resolve(profile), assistant_id)

    def conversation_cases(self, profile: str | Profile | None = None) -> list[Case]:
        """Labelled thread, message and run bodies (``Case.operation`` says which)."""
        from pytest_assistants.payloads.conversation import cases

        prof = self._resolve(profile)
        if not has_cases(prof):
            return []
        _, provider = new_faker(derive_seed("conversation", self.seed, prof.name))
        return cases(provider, prof)

    # -- files and vector stores (payloads/stores.py) -----------------------------------

    def vector_store(self, profile: str | Profile | None = None, **overrides: Any) -> JsonBody:
        """Keyword arguments for ``client.vector_stores.create(**...)``."""
        from pytest_assistants.payloads.stores import store_json, store_kwargs

        prof = self._resolve(profile)
        return store_kwargs(_override(store_json(self.provider, prof.default), overrides))

    def upload(self, profile: str | Profile | None = None) -> JsonBody:
        """Keyword arguments for ``client.files.create(**...)``: a text file for assistants."""
        name = f"notes_{self.faker.random_int(0, 9999)}.txt"
        return {"file": (name, self.provider.script_text(400).encode()), "purpose": "assistants"}

    def store_cases(self, profile: str | Profile | None = None) -> list[Case]:
        """Vector store create bodies at and past their limits, with their outcomes."""
        from pytest_assistants.payloads.stores import store_catalogue, store_kwargs

        prof = self._resolve(profile)
        if not has_cases(prof) or not prof.default.vector_stores.served:
            return []
        _, provider = new_faker(derive_seed("store cases", self.seed, prof.name))
        return [
            Case(case_id, store_kwargs(body), expect, body, prof.name)
            for case_id, body, expect, _ in store_catalogue(provider, prof.default)
        ]

    def upload_cases(self, profile: str | Profile | None = None) -> list[Case]:
        """Uploads of every purpose of the era and refused ones (``body``: ``files.create``
        keyword arguments; ``json``: the form's fields and the file's name and size)."""
        from pytest_assistants.payloads.stores import upload_catalogue

        prof = self._resolve(profile)
        if not has_cases(prof):
            return []
        _, provider = new_faker(derive_seed("upload cases", self.seed, prof.name))
        return [
            Case(
                case_id,
                {"file": (name, content), "purpose": purpose},
                expect,
                {"purpose": purpose, "filename": name, "bytes": len(content)},
                prof.name,
            )
            for case_id, name, content, purpose, expect in upload_catalogue(provider, prof.default)
        ]


def _override(body: JsonBody, overrides: Mapping[str, Any]) -> JsonBody:
    for key, value in overrides.items():
        if value is OMIT:
            body.pop(key, None)
        else:
            body[key] = value
    return body
