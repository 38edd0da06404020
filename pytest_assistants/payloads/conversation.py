"""Payloads of the conversation around an assistant: threads, messages and runs (§14).

Valid bodies are random but always accepted; the labelled cases put each rule of the
request schemas at its edge and past it, with the outcome the provider gives (§14.4 texts,
§2 vocabulary): a metadata boolean is ``invalid_type`` in v2 (recorded) and kept as text
in v1; a message's role is ``user`` or ``assistant``; a run needs ``assistant_id``, an id
that begins with ``asst``, and takes ``max_prompt_tokens`` of at least 256 (the spec) and
``max_completion_tokens`` as small as 16 (recorded).

A case's ``operation`` names where it is sent: ``threads.create``,
``threads.messages.create`` (to an existing thread) or ``threads.runs.create`` (on a thread
with a user message, for an assistant with instructions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytest_assistants.payloads.factories import OK, Case, Expect, JsonBody, rejected

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytest_assistants.payloads.faker_provider import AssistantsProvider
    from pytest_assistants.service.profiles import Profile

THREAD, MESSAGE, RUN = "threads.create", "threads.messages.create", "threads.runs.create"
PLACEHOLDER_ASSISTANT = "asst_PAYLOADFACTORY000000000"  # replaced by the sender's own id
Entry = tuple[str, str, JsonBody, Expect]  # id, operation, JSON body, outcome


def message_json(provider: AssistantsProvider, profile: Profile) -> JsonBody:
    """A user message the era accepts: text, sometimes parts and metadata."""
    random = provider.generator.random
    body: JsonBody = {"role": "user", "content": provider.script_text(200)}
    if random.random() < 0.3:
        body["content"] = [
            {"type": "text", "text": provider.script_text(80)},
            {"type": "image_url", "image_url": {"url": "https://example.com/picture.png"}},
        ]
    if random.random() < 0.4:
        body["metadata"] = provider.metadata_map(random.randint(0, 4))
    return body


def thread_json(provider: AssistantsProvider, profile: Profile) -> JsonBody:
    random = provider.generator.random
    body: JsonBody = {}
    if random.random() < 0.6:
        body["messages"] = [message_json(provider, profile) for _ in range(random.randint(1, 3))]
    if random.random() < 0.4:
        body["metadata"] = provider.metadata_map(random.randint(0, 4))
    return body


def run_json(provider: AssistantsProvider, profile: Profile, assistant_id: str) -> JsonBody:
    """A run of ``assistant_id`` with some of the options its era takes."""
    random = provider.generator.random
    sampling = profile.default.assistants.sampling
    body: JsonBody = {"assistant_id": assistant_id}
    if random.random() < 0.3:
        body["additional_instructions"] = provider.script_text(120)
    if random.random() < 0.3:
        body["metadata"] = provider.metadata_map(random.randint(0, 4))
    if sampling and random.random() < 0.4:
        body["temperature"] = round(random.uniform(0, 2), 2)
    if sampling and random.random() < 0.3:
        body["max_completion_tokens"] = random.randint(256, 4096)
    return body


def catalogue(provider: AssistantsProvider, profile: Profile) -> Iterator[Entry]:
    """The labelled cases of threads, messages and runs for ``profile``."""
    v1 = profile.default.messages.metadata_any_scalar
    boolean = OK if v1 else rejected("metadata.flag", "invalid_type")  # §14.4, recorded
    yield "thread-empty", THREAD, {}, OK
    yield "thread-metadata-boolean", THREAD, {"metadata": {"flag": True}}, boolean
    yield "thread-unknown-field", THREAD, {"colour": "red"}, rejected("colour", "unknown_parameter")
    text = provider.script_text(40)
    yield "message-text", MESSAGE, {"role": "user", "content": text}, OK
    yield "message-as-assistant", MESSAGE, {"role": "assistant", "content": text}, OK
    yield (
        "message-role-system",
        MESSAGE,
        {"role": "system", "content": text},
        rejected("role", "invalid_value"),
    )
    yield (
        "message-no-content",
        MESSAGE,
        {"role": "user"},
        rejected("content", "missing_required_parameter"),
    )
    yield (
        "message-content-number",
        MESSAGE,
        {"role": "user", "content": 7},
        rejected("content", "invalid_type"),
    )
    yield (
        "message-metadata-16-pairs",
        MESSAGE,
        {"role": "user", "content": text, "metadata": provider.metadata_map(16)},
        OK,
    )
    yield (
        "message-metadata-17-pairs",
        MESSAGE,
        {"role": "user", "content": text, "metadata": {f"k{n}": "v" for n in range(17)}},
        rejected("metadata", "object_above_max_properties"),
    )
    yield (
        "message-metadata-boolean",
        MESSAGE,
        {"role": "user", "content": text, "metadata": {"flag": True}},
        boolean,
    )
    other = "attachments" if v1 else "file_ids"  # the other era's member
    yield (
        f"message-{other.replace('_', '-')}-of-the-other-era",
        MESSAGE,
        {"role": "user", "content": text, other: []},
        rejected(other, "unknown_parameter"),
    )
    yield "run-assistant-only", RUN, {"assistant_id": PLACEHOLDER_ASSISTANT}, OK
    yield "run-no-assistant", RUN, {}, rejected("assistant_id", "missing_required_parameter")
    yield (
        "run-assistant-id-of-another-kind",
        RUN,
        {"assistant_id": "thread_abc"},
        rejected("assistant_id", "invalid_value"),
    )
    yield (
        "run-metadata-boolean",
        RUN,
        {"assistant_id": PLACEHOLDER_ASSISTANT, "metadata": {"flag": True}},
        boolean,
    )
    if profile.default.assistants.sampling:
        yield from _run_options()


def _run_options() -> Iterator[Entry]:
    for name, value, expect in (
        ("temperature", 2, OK),
        ("temperature", 2.5, rejected("temperature", "decimal_above_max_value")),
        ("max_completion_tokens", 16, OK),  # recorded (2024)
        ("max_completion_tokens", 0, rejected("max_completion_tokens", "integer_below_min_value")),
        ("max_prompt_tokens", 256, OK),  # recorded
        ("max_prompt_tokens", 255, rejected("max_prompt_tokens", "integer_below_min_value")),
    ):
        body: dict[str, Any] = {"assistant_id": PLACEHOLDER_ASSISTANT, name: value}
        yield f"run-{name.replace('_', '-')}-{value}", RUN, body, expect


def cases(provider: AssistantsProvider, profile: Profile) -> list[Case]:
    return [
        Case(case_id, dict(body), expect, dict(body), profile.name, operation=operation)
        for case_id, operation, body, expect in catalogue(provider, profile)
    ]
