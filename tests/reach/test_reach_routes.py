"""Endpoints the fake does not serve, and ``fake.route(method, path, handler)``.

Threads, runs, files, vector stores...: a 501 that says "not served by pytest-assistants"
(``x-should-retry: false``, so the SDK asks once), a journal entry, and a failed test that
points to ``fake.route``; never an imitation of the provider's ``Invalid URL`` 404, which
still answers a real typo. With a route, the user's handler answers, for sync and async
clients alike.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.reach.fake import NotServedError

if TYPE_CHECKING:
    from pytest_assistants.service.http import RouteRequest

openai = pytest.importorskip("openai")
pytestmark = pytest.mark.filterwarnings(
    "ignore:The Assistants API is deprecated:DeprecationWarning"
)

NOT_SERVED_MESSAGE = (
    "GET /v1/batches is not served by pytest-assistants: serve it in your test with"
    " fake.route('GET', '/v1/batches', handler), a function of the request returning"
    " (status, headers, json)"
)
BATCHES = {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}
THREAD = {
    "id": "thread_1",
    "object": "thread",
    "created_at": 1,
    "metadata": {},
    "tool_resources": {},
}


def test_a_not_served_endpoint_gets_a_501_once_and_fails_the_test() -> None:
    fake = FakeAssistants()
    client = fake.openai()
    with pytest.raises(openai.APIStatusError) as error:
        client.batches.list()
    assert error.value.status_code == 501
    assert error.value.body == {
        "message": NOT_SERVED_MESSAGE,
        "type": "not_served",
        "param": None,
        "code": "not_served_by_pytest_assistants",
    }
    assert error.value.response.headers["x-pytest-assistants"] == "not served by pytest-assistants"
    assert error.value.response.headers["x-should-retry"] == "false"
    assert [(c.method, c.url, c.status, c.operation) for c in fake.calls] == [
        ("GET", "https://api.openai.com/v1/batches", 501, "not_served")
    ]  # one attempt: the SDK did not retry
    with pytest.raises(NotServedError, match=r"fake\.route\('GET', '/v1/batches', handler\)"):
        fake.check()


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("POST", "/v1/embeddings", 501),
        ("GET", "/v1/batches/batch_1", 501),
        ("POST", "/v1/threads/thread_1/runs/run_1/steps", 404),  # no such route of a served family
        ("POST", "/v1/uploads", 501),
        ("POST", "/v1/vector_stores/vs_1/search", 501),  # a served family's unserved part
        ("GET", "/v1/vector_stores/vs_1/files/file-1/content", 501),
        ("GET", "/v1/vector_stores/vs_1", 404),  # served: the provider's own 404
        ("POST", "/v1/assistants/asst_1/files/file_1", 404),  # never an endpoint
        ("POST", "/v1/assistants/a/b", 404),  # a typo is still the provider's Invalid URL
        ("GET", "/v1/threadz", 404),
        ("GET", "/v1/filesX", 404),  # a family's name with a stray letter is a typo too
        ("GET", "/v1", 404),  # no family named
        ("GET", "/v2/threads", 404),  # not a provider version
    ],
)
def test_which_paths_are_not_served(method: str, path: str, status: int) -> None:
    with FakeAssistants().http_client(library="httpx", base_url="https://api.openai.com") as http:
        answer = http.request(method, path, headers={"Authorization": "Bearer sk-test"})
    assert answer.status_code == status


def test_a_route_serves_threads_to_the_sync_sdk() -> None:
    fake = FakeAssistants()
    seen: list[RouteRequest] = []

    def create_thread(request: RouteRequest) -> tuple[int, dict[str, str], Any]:
        seen.append(request)
        return 200, {"x-thread": "made"}, {**THREAD, "metadata": request.json["metadata"]}

    fake.route("POST", "/v1/threads", create_thread)
    fake.route("GET", "/v1/threads/{thread_id}", lambda r: {**THREAD, "id": r.params["thread_id"]})
    client = fake.openai()
    made = client.beta.threads.with_raw_response.create(metadata={"k": "v"})
    assert made.headers["x-thread"] == "made"
    assert made.parse().metadata == {"k": "v"}
    assert client.beta.threads.retrieve("thread_9").id == "thread_9"
    assert seen[0].headers["openai-beta"] == "assistants=v2"
    assert [(c.operation, c.status) for c in fake.calls] == [("route", 200), ("route", 200)]
    fake.check()  # served: nothing to complain about


def test_a_route_serves_the_async_sdk_and_other_clients() -> None:
    requests = pytest.importorskip("requests")
    with FakeAssistants() as fake:
        fake.route("DELETE", "/v1/threads/{thread_id}", lambda r: (200, {
            "id": r.params["thread_id"], "object": "thread.deleted", "deleted": True}))  # fmt: skip

        async def go() -> Any:
            async with fake.async_openai() as client:
                return await client.beta.threads.delete("thread_7")

        assert asyncio.run(go()).deleted is True
        answer = requests.delete("https://api.openai.com/v1/threads/thread_8")
        assert answer.json() == {"id": "thread_8", "object": "thread.deleted", "deleted": True}
    fake.check()


def test_a_raising_handler_fails_the_test_with_its_own_traceback() -> None:
    fake = FakeAssistants()
    fake.route("POST", "/v1/threads", lambda r: 1 / 0)
    with pytest.raises(openai.InternalServerError):
        fake.openai().beta.threads.create()
    assert len(fake.calls) == 1  # x-should-retry: false
    with pytest.raises(AssertionError, match=r"fake\.route.*raised:(.|\n)*ZeroDivisionError"):
        fake.check()


@pytest.mark.parametrize(
    ("method", "path", "error"),
    [
        ("FETCH", "/v1/threads", "not one of DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT$"),
        ("GET", "v1/threads", "start with '/'"),
    ],
)
def test_route_misuse_says_how(method: str, path: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        FakeAssistants().route(method, path, lambda r: {})


def test_the_handler_sees_the_request_as_sent() -> None:
    """Method, URL, path and query reach the handler unchanged."""
    fake = FakeAssistants()
    fake.route("GET", "/v1/threads/{thread_id}/runs", lambda r: [r.method, r.url, r.path, r.query])
    with fake.http_client(library="httpx", base_url="https://api.openai.com") as http:
        seen = http.get("/v1/threads/thread_4/runs", params={"limit": "2"}).json()
    url = "https://api.openai.com/v1/threads/thread_4/runs?limit=2"
    assert seen == ["GET", url, "/v1/threads/thread_4/runs", "limit=2"]


def test_a_raising_handler_answers_a_500_that_names_the_exception() -> None:
    """The 500 is OpenAI's server_error envelope, not retried, journalled as the route; the
    check shows the handler's whole traceback."""
    fake = FakeAssistants()

    def broken(request: RouteRequest) -> Any:
        raise ValueError("no thread store")

    fake.route("POST", "/v1/threads", broken)
    with fake.http_client(library="httpx", base_url="https://api.openai.com") as http:
        answer = http.post("/v1/threads", json={})
    assert answer.status_code == 500
    assert answer.json() == {
        "error": {
            "message": "The handler given to fake.route raised ValueError: no thread store",
            "type": "server_error",
            "param": None,
            "code": None,
        }
    }
    assert answer.headers["x-should-retry"] == "false"
    assert [(c.status, c.operation) for c in fake.calls] == [(500, "route")]
    traceback = r"Traceback \(most recent call last\):\n  File (.|\n)*ValueError: no thread store"
    with pytest.raises(AssertionError, match=traceback):
        fake.check()


def test_a_handler_that_is_not_a_function_is_refused_with_the_fix() -> None:
    """A dict passed where the handler goes fails at route(), saying what is wanted."""
    with pytest.raises(TypeError, match=r"^route handler must be a function of the request$"):
        FakeAssistants().route("GET", "/v1/threads", {"id": "thread_1"})  # type: ignore[arg-type]


def test_trailing_slashes_name_the_same_route() -> None:
    """A route written with a trailing slash answers the path without it, and back."""
    fake = FakeAssistants()
    fake.route("GET", "/v1/threads/", lambda r: {"listed": r.path})
    fake.route("GET", "/v1/threads/{thread_id}", lambda r: {"id": r.params["thread_id"]})
    with fake.http_client(library="httpx", base_url="https://api.openai.com") as http:
        assert http.get("/v1/threads").json() == {"listed": "/v1/threads"}
        assert http.get("/v1/threads//").json() == {"listed": "/v1/threads//"}
        assert http.get("/v1/threads/thread_3/").json() == {"id": "thread_3"}


def test_only_slashes_are_trimmed_from_a_route() -> None:
    """A path ending in other characters keeps them: ``/v1/files/X`` is not ``/v1/files/``."""
    fake = FakeAssistants()
    fake.route("GET", "/v1/files/X", lambda r: {"path": r.path})
    with fake.http_client(library="httpx", base_url="https://api.openai.com") as http:
        assert http.get("/v1/files/X").json() == {"path": "/v1/files/X"}


def test_a_route_answers_its_own_method_only() -> None:
    """A GET route leaves a POST to the same path not served (the 501)."""
    fake = FakeAssistants()
    fake.route("GET", "/v1/batches/{batch_id}", lambda r: {"id": r.params["batch_id"]})
    with fake.http_client(library="httpx", base_url="https://api.openai.com") as http:
        assert http.get("/v1/batches/batch_1").status_code == 200
        assert http.post("/v1/batches/batch_1", json={}).status_code == 501


def test_a_handlers_answer_is_sent_as_given() -> None:
    """A plain dict of any size is the 200 body; a handler's header replaces the fake's own
    of the same name, whatever its case (HTTP names are case-insensitive)."""
    fake = FakeAssistants()
    fake.route("GET", "/v1/threads/{thread_id}", lambda r: {"id": "thread_2", "object": "thread"})
    fake.route("POST", "/v1/threads", lambda r: (200, {"X-Request-Id": "req_mine"}, THREAD))
    with fake.http_client(library="httpx", base_url="https://api.openai.com") as http:
        got = http.get("/v1/threads/thread_2")
        made = http.post("/v1/threads", json={})
    assert (got.status_code, got.json()) == (200, {"id": "thread_2", "object": "thread"})
    assert made.headers.get_list("x-request-id") == ["req_mine"]


def test_the_test_fails_pointing_to_route(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_unserved(assistants_fake):
            try:
                assistants_fake.openai().batches.list()
            except Exception:
                pass  # the code under test shrugs: the test still fails

        def test_served(assistants_fake):
            assistants_fake.route("GET", "/v1/batches", lambda request: {
                "object": "list", "data": [], "first_id": None, "last_id": None,
                "has_more": False})
            assert assistants_fake.openai().batches.list().data == []
        """
    )
    result = pytester.runpytest("-W", "ignore::DeprecationWarning")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        ["*GET /v1/batches is not served by pytest-assistants*fake.route('GET', '/v1/batches'*"]
    )


def test_azure_batches_are_not_served_either() -> None:
    fake = FakeAssistants()
    with pytest.raises(openai.APIStatusError) as error:
        fake.azure_openai().batches.list()
    assert error.value.status_code == 501
    assert error.value.body["code"] == "not_served_by_pytest_assistants"
    assert [(c.dialect, c.operation) for c in fake.calls] == [("azure", "not_served")]
    fake.route("GET", "/openai/batches", lambda r: BATCHES)
    assert fake.azure_openai().batches.list().data == []


def test_a_handler_gets_the_request_as_sent() -> None:
    """A handler answers from what the client sent: its URL and query as well as its body."""
    fake = FakeAssistants()
    fake.route(
        "GET", "/v1/threads/{thread_id}/messages", lambda r: {"url": r.url, "query": r.query}
    )
    with fake.http_client(library="httpx") as http:
        answer = http.get("/threads/thread_1/messages?limit=2&order=asc")
    assert answer.json() == {
        "url": "https://api.openai.com/v1/threads/thread_1/messages?limit=2&order=asc",
        "query": "limit=2&order=asc",
    }
