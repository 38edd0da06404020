"""``fail(...)`` against the real SDKs: attempts counted at the fake match PROVIDER_BEHAVIOUR
§9.5 for openai 2.x and 3.x (sync and async) and portkey-ai; retries stay fast because
injected answers the SDKs retry carry ``retry-after-ms: 1``.
"""

from __future__ import annotations

from typing import Any

import pytest

openai = pytest.importorskip("openai")

from pytest_assistants.reach.fake import FakeAssistants  # noqa: E402

# status, extra headers, attempts the SDK makes (max_retries=2 by default), exception class
OPENAI_RETRIES: list[tuple[int, dict[str, str], int, str]] = [
    (400, {}, 1, "BadRequestError"),
    (401, {}, 1, "AuthenticationError"),
    (404, {}, 1, "NotFoundError"),
    (422, {}, 1, "UnprocessableEntityError"),
    (409, {}, 3, "ConflictError"),
    (429, {}, 3, "RateLimitError"),
    (500, {}, 3, "InternalServerError"),
    (503, {}, 3, "InternalServerError"),
    (429, {"x-should-retry": "false"}, 1, "RateLimitError"),
    (500, {"retry-after": "121"}, 1, "InternalServerError"),
    (400, {"x-should-retry": "true"}, 3, "BadRequestError"),
]  # fmt: skip
IDS = [f"{status}-{'-'.join(f'{k}={v}' for k, v in headers.items()) or 'plain'}"
       for status, headers, _, _ in OPENAI_RETRIES]  # fmt: skip


def attempts(fake: FakeAssistants, operation: str) -> int:
    return sum(1 for call in fake.calls if call.operation == operation)


def armed(status: int, headers: dict[str, str]) -> tuple[FakeAssistants, str]:
    """A fake with one assistant and enough faults for every attempt the SDK may make."""
    fake = FakeAssistants()
    assistant_id = fake.add({"model": "gpt-4o"})["id"]
    fake.fail(status, headers=headers, count=3, operation="modify")
    return fake, assistant_id


def check_error(error: Any, status: int, exception: str) -> None:
    assert type(error).__name__ == exception
    assert error.status_code == status
    assert set(error.body) == {"message", "type", "param", "code"}  # the OpenAI envelope


@pytest.mark.parametrize(("status", "headers", "expected", "exception"), OPENAI_RETRIES, ids=IDS)
def test_openai_sync_retries_as_recorded(
    status: int, headers: dict[str, str], expected: int, exception: str
) -> None:
    fake, assistant_id = armed(status, headers)
    with pytest.raises(openai.APIStatusError) as info:
        fake.openai().beta.assistants.update(assistant_id, name="x")
    check_error(info.value, status, exception)
    assert attempts(fake, "assistants.modify") == expected
    assert fake.assistants[assistant_id]["name"] is None  # no attempt reached the store


@pytest.mark.anyio
@pytest.mark.parametrize(("status", "headers", "expected", "exception"), OPENAI_RETRIES, ids=IDS)
async def test_openai_async_retries_as_recorded(
    status: int, headers: dict[str, str], expected: int, exception: str
) -> None:
    fake, assistant_id = armed(status, headers)
    async with fake.async_openai() as client:
        with pytest.raises(openai.APIStatusError) as info:
            await client.beta.assistants.update(assistant_id, name="x")
    check_error(info.value, status, exception)
    assert attempts(fake, "assistants.modify") == expected


def test_retried_answers_carry_a_tiny_retry_after() -> None:
    fake, assistant_id = armed(503, {})
    raw = fake.http_client().post(
        f"/assistants/{assistant_id}",
        headers={"authorization": "Bearer sk-x", "openai-beta": "assistants=v2"},
        json={"name": "x"},
    )
    assert (raw.status_code, raw.headers["retry-after-ms"]) == (503, "1")
    fake, assistant_id = armed(500, {"retry-after": "121"})
    raw = fake.http_client().post(
        f"/assistants/{assistant_id}",
        headers={"authorization": "Bearer sk-x", "openai-beta": "assistants=v2"},
        json={"name": "x"},
    )
    assert "retry-after-ms" not in raw.headers  # the caller's own retry-after reaches the SDK


def test_transient_faults_then_success() -> None:
    """The usual user story: two 429s, then the SDK's third attempt gets through."""
    fake = FakeAssistants()
    assistant_id = fake.add({"model": "gpt-4o"})["id"]
    fake.fail(429, count=2, operation="modify")
    updated = fake.openai().beta.assistants.update(assistant_id, name="after retries")
    assert updated.name == "after retries"
    assert [call.status for call in fake.calls] == [429, 429, 200]
    assert [(f.used, f.count) for f in fake.faults] == [(2, 2)]  # used up


@pytest.mark.parametrize(
    ("kind", "exception"),
    [("disconnect", "APIConnectionError"), ("timeout", "APITimeoutError")],
)
def test_dropped_connection_three_attempts_then_connection_error(kind: str, exception: str) -> None:
    """§9.5: a connection dropped before any answer: 3 attempts, then APIConnectionError."""
    fake = FakeAssistants()
    fake.fail(kind=kind, count=3, operation="list")
    with pytest.raises(openai.APIConnectionError) as info:
        fake.openai().beta.assistants.list()
    assert type(info.value).__name__ == exception
    assert attempts(fake, "assistants.list") == 3
    assert [call.status for call in fake.calls] == [0, 0, 0]  # journalled, never answered


@pytest.mark.anyio
async def test_async_dropped_connection_three_attempts() -> None:
    fake = FakeAssistants()
    fake.fail(kind="disconnect", count=3, operation="create")
    async with fake.async_openai() as client:
        with pytest.raises(openai.APIConnectionError):
            await client.beta.assistants.create(model="gpt-4o")
    assert attempts(fake, "assistants.create") == 3
    assert len(fake.assistants) == 0


def test_faults_only_hit_their_operation() -> None:
    fake = FakeAssistants()
    client = fake.openai(max_retries=0)
    fake.fail(500, operation="delete")
    made = client.beta.assistants.create(model="gpt-4o")
    assert client.beta.assistants.retrieve(made.id).id == made.id
    with pytest.raises(openai.InternalServerError):
        client.beta.assistants.delete(made.id)
    assert made.id in fake.assistants  # the failed delete deleted nothing


# -- portkey-ai (vendored openai 2.30, max_retries=1) ---------------------------------------

PORTKEY_RETRIES: list[tuple[int, dict[str, str], bool, int]] = [
    (404, {}, False, 1),
    (429, {}, False, 1),
    (500, {}, False, 2),
    (503, {}, False, 2),
    (500, {}, True, 1),  # the gateway's own x-portkey-trace-id stops the retry
    (500, {"x-portkey-request-id": "r-1"}, False, 1),
    (503, {"x-portkey-gateway-exception": "true"}, False, 1),
]  # fmt: skip


@pytest.mark.parametrize(("status", "headers", "trace_id", "expected"), PORTKEY_RETRIES)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_portkey_retry_rule(
    status: int, headers: dict[str, str], trace_id: bool, expected: int, mode: str
) -> None:
    pytest.importorskip("portkey_ai")
    import asyncio

    fake = FakeAssistants(portkey_trace_id=trace_id)
    assistant_id = fake.add({"model": "gpt-4o"})["id"]
    fake.fail(status, headers=headers, count=3, operation="modify")
    if mode == "sync":
        with pytest.raises(Exception) as info:  # the vendored openai's APIStatusError
            fake.portkey().beta.assistants.update(assistant_id, name="x")
    else:

        async def update() -> None:
            await fake.async_portkey().beta.assistants.update(assistant_id, name="x")

        with pytest.raises(Exception) as info:
            asyncio.run(update())
    assert getattr(info.value, "status_code", None) == status, info.value
    assert attempts(fake, "assistants.modify") == expected


# -- the same faults over real HTTP (assistants_server shares the FakeAssistants) ------------

SERVER_RETRIES = [(r[0], r[1], r[2]) for r in OPENAI_RETRIES if r[0] in (404, 429, 503)] + [
    (500, {"retry-after": "121"}, 1),
    (400, {"x-should-retry": "true"}, 3),
]


@pytest.mark.parametrize(("status", "headers", "expected"), SERVER_RETRIES)
def test_server_fail_retries_as_recorded(
    assistants_server: Any, status: int, headers: dict[str, str], expected: int
) -> None:
    fake = assistants_server.fake
    assistant_id = fake.add({"model": "gpt-4o"})["id"]
    fake.fail(status, headers=headers, count=expected, operation="modify")
    with pytest.raises(openai.APIStatusError) as info:
        assistants_server.openai().beta.assistants.update(assistant_id, name="x")
    assert info.value.status_code == status
    assert attempts(fake, "assistants.modify") == expected


def test_server_dropped_connection_three_attempts(assistants_server: Any) -> None:
    fake = assistants_server.fake
    fake.fail(kind="disconnect", count=3, operation="list")
    with pytest.raises(openai.APIConnectionError):
        assistants_server.openai().beta.assistants.list()
    assert attempts(fake, "assistants.list") == 3


def fault_answer(status: int, **fail: Any) -> Any:
    """The raw answer to one list request under ``fail(status, **fail)``."""
    fake = FakeAssistants()
    fake.fail(status, **fail)
    headers = {"Authorization": "Bearer sk-test", "OpenAI-Beta": "assistants=v2"}
    with fake.http_client(library="httpx", base_url="https://api.openai.com") as http:
        return http.get("/v1/assistants", headers=headers)


@pytest.mark.parametrize(
    ("status", "headers", "fast"),
    [
        (408, {}, True), (409, {}, True), (429, {}, True), (500, {}, True), (501, {}, True),
        (400, {}, False), (410, {}, False), (499, {}, False),
        (400, {"X-Should-Retry": "true"}, True),  # the caller's name, any case
    ],
)  # fmt: skip
def test_retry_after_ms_goes_exactly_on_what_the_sdks_retry(
    status: int, headers: dict[str, str], fast: bool
) -> None:
    """408, 409, 429 and every 5xx, or an explicit ``x-should-retry: true`` (§9.5)."""
    answer = fault_answer(status, headers=headers)
    assert answer.status_code == status
    assert answer.headers.get_list("retry-after-ms") == (["1"] if fast else [])


def test_a_retry_after_ms_of_the_callers_stands_alone() -> None:
    """Whatever its case, the caller's own retry-after-ms is the only one sent."""
    answer = fault_answer(503, headers={"Retry-After-Ms": "50"})
    assert answer.headers.get_list("retry-after-ms") == ["50"]


def test_a_given_body_is_answered_as_given() -> None:
    body = {"error": {"message": "custom", "type": "x", "param": None, "code": "c"}}
    answer = fault_answer(418, body=body, headers={"x-custom": "1"})
    assert (answer.status_code, answer.json(), answer.headers["x-custom"]) == (418, body, "1")


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (418, {"message": "Injected error 418.", "type": "invalid_request_error", "param": None, "code": None}),
        (429, {"message": "Rate limit reached for requests. Please try again later.", "type": "requests",
               "param": None, "code": "rate_limit_exceeded"}),
    ],
)  # fmt: skip
def test_default_fault_bodies_are_openai_envelopes(status: int, error: dict[str, Any]) -> None:
    """§4.1 envelope; 429 with OpenAI's rate-limit type and code, others a plain text."""
    answer = fault_answer(status)
    assert (answer.status_code, answer.json()) == (status, {"error": error})
