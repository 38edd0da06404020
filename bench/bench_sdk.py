"""SDK-level and handler-level speed: ``client.beta.assistants.update(...)`` five ways.

Two objects: a recorded one (a real v2 modify), and the smallest, made by
``create(model="gpt-4o")`` and changed by ``update(id, name="x", metadata={"k": "v"})``,
where the fake's fixed cost per call weighs most.

Baseline: the same SDK call against an ``httpx.MockTransport`` (``httpx2.MockTransport``
on openai 3.x) returning canned bytes: the very bytes and header set the fake answers to
that call (a real modify exchange, read at run time from the shared recordings when
present), so neither side parses more than the other and the ratio is what the fake adds
on top of the SDK's own cost. Compared in the same rounds: the fake through
an explicit transport, the same with every answer written by ``json`` (what the orjson
writer saves), the fake through global interception, respx with the same canned bytes
(httpx only) and openai-responses (stateful; only where it is installed).

Run: ``python bench/bench_sdk.py`` (prints the table; ``--json PATH`` saves it).
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.metadata
import json
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    HANDLER_TARGET,
    RECORDINGS,
    SDK_TARGET,
    Case,
    Row,
    bench_arguments,
    clock,
    compare,
    print_rows,
    save,
)

from pytest_assistants import FakeAssistants
from pytest_assistants.reach import transports as transport
from pytest_assistants.reach.clients import TEST_API_KEY
from pytest_assistants.service import wire
from pytest_assistants.service.http import HttpRequest

if TYPE_CHECKING:
    from collections.abc import Callable

BASE_URL = "https://api.openai.com/v1"

# The headers the fake answers with (§5.3 minus Cloudflare's): the baseline gets the same
# set, so neither side parses more headers than the other.
ANSWER_HEADERS = (
    "content-type",
    "openai-version",
    "openai-organization",
    "openai-processing-ms",
    "x-request-id",
)

FALLBACK_STORED: dict[str, Any] = {
    "id": "asst_benchmarkBenchmark0001",
    "object": "assistant",
    "created_at": 1717407941,
    "name": "before",
    "model": "gpt-4o",
    "tools": [{"type": "code_interpreter"}],
}
FALLBACK_PATCH = {"name": "after", "description": "updated", "instructions": "be brief"}
# What create(model="gpt-4o") stores, and the smallest patch a test sends.
SMALLEST_STORED: dict[str, Any] = {"id": "asst_smallestSmallest000001", "model": "gpt-4o"}
SMALLEST_PATCH: dict[str, Any] = {"name": "x", "metadata": {"k": "v"}}


class Canned:
    """One modify exchange: the stored object, the patch sent, the bytes answered.

    The bytes and headers are the fake's own answer to that patch: the recorded answer of
    2024 lacks ``reasoning_effort``, which the default (current) profile serves, so canned
    recorded bytes would give the baseline a smaller body and one field less to parse.
    """

    def __init__(self, smallest: bool = False) -> None:
        self.name = "smallest object" if smallest else "recorded object"
        self.source = "fallback object, the fake's answer"
        stored, patch = FALLBACK_STORED, FALLBACK_PATCH
        found = _recorded_v2_modify()
        if smallest:
            stored, patch = SMALLEST_STORED, SMALLEST_PATCH
            self.source = 'create(model="gpt-4o"), update(name, metadata): the fake\'s answer'
        elif found is not None:
            stored, patch = found
            self.source = "recorded v2 modify (shared/reference/recordings), the fake's answer"
        self.stored = stored
        self.patch = patch
        fake = FakeAssistants()
        fake.add(stored)
        sent = fake.http_client().post(
            f"/assistants/{stored['id']}",
            json=patch,
            headers={"authorization": "Bearer k", "openai-beta": "assistants=v2"},
        )
        self.body = sent.content  # pretty-printed, two-space indents, as real answers are
        self.headers = {k: sent.headers[k] for k in ANSWER_HEADERS}


Exchange = tuple[dict[str, Any], dict[str, Any]]


def _recorded_v2_modify() -> Exchange | None:
    """(stored before, patch) of the first real v2 modify."""
    if not RECORDINGS.exists():
        return None
    for line in RECORDINGS.read_text().splitlines():
        item = json.loads(line)
        if (item["endpoint"], item["status"], item["openai_beta"]) != (
            "modify",
            200,
            "assistants=v2",
        ):
            continue
        answer, patch = item["response_body"], item["request_body"]
        if not isinstance(answer, dict) or not isinstance(patch, dict):
            continue
        return {**answer, **{k: f"before {k}" for k in patch}}, patch
    return None


def _optional(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


# -- SDK cases -----------------------------------------------------------------------------


def sdk_clients(canned: Canned, *, use_async: bool) -> dict[str, tuple[Any, Any]]:
    """name -> (client, what the case starts/clears around its rounds).

    The second item is None, a fake (started: global interception) or a respx router
    (started).
    """
    openai = importlib.import_module("openai")
    library = transport.openai_library()
    lib = importlib.import_module(library)
    client_class = openai.AsyncOpenAI if use_async else openai.OpenAI
    http_class = lib.AsyncClient if use_async else lib.Client

    def canned_handler(request: Any) -> Any:
        return lib.Response(200, headers=canned.headers, content=canned.body)

    mock_http = http_class(transport=lib.MockTransport(canned_handler))
    clients: dict[str, tuple[Any, Any]] = {
        f"{library}.MockTransport, canned bytes": (
            client_class(
                api_key=TEST_API_KEY, base_url=BASE_URL, http_client=mock_http, max_retries=0
            ),
            None,
        )
    }
    explicit = FakeAssistants()
    explicit.add(canned.stored)
    make = explicit.async_openai if use_async else explicit.openai
    clients["pytest-assistants, explicit transport"] = (make(max_retries=0), None)
    json_only = FakeAssistants()
    json_only.add(canned.stored)
    make = json_only.async_openai if use_async else json_only.openai
    clients["json writer only (orjson off), explicit transport"] = (
        make(max_retries=0),
        JsonWriterOnly(),
    )
    intercepting = FakeAssistants()
    intercepting.add(canned.stored)
    clients["pytest-assistants, global interception"] = (
        client_class(api_key=TEST_API_KEY, max_retries=0),
        intercepting,
    )
    respx = _optional("respx") if library == "httpx" else None
    if respx is not None:
        router = respx.mock(base_url=BASE_URL, assert_all_called=False)
        router.post(path__startswith="/assistants/").mock(
            return_value=lib.Response(200, headers=canned.headers, content=canned.body)
        )
        clients[f"respx {respx.__version__}, canned"] = (
            client_class(api_key=TEST_API_KEY, max_retries=0),
            router,
        )
    openai_responses = _optional("openai_responses") if library == "httpx" else None
    if openai_responses is not None:
        mock = openai_responses.OpenAIMock()
        client = client_class(api_key=TEST_API_KEY, max_retries=0)
        with mock.router:
            stored = {k: v for k, v in canned.stored.items() if k in ("name", "model")}
            made = (
                asyncio.run(client.beta.assistants.create(**stored))
                if use_async
                else client.beta.assistants.create(**stored)
            )
        version = importlib.metadata.version("openai-responses")
        clients[f"openai-responses {version}, stateful"] = ((client, made.id), mock.router)
    return clients


def _sync_case(client: Any, context: Any, assistant_id: str, patch: dict[str, Any]) -> Case:
    update = client.beta.assistants.update

    def run(number: int) -> float:
        _enter(context)
        try:
            start = clock()
            for _ in range(number):
                update(assistant_id, **patch)
            return clock() - start
        finally:
            _exit(context)

    return run


def _async_case(
    loop: asyncio.AbstractEventLoop,
    client: Any,
    context: Any,
    assistant_id: str,
    patch: dict[str, Any],
) -> Case:
    update = client.beta.assistants.update

    async def batch(number: int) -> float:
        start = clock()
        for _ in range(number):
            await update(assistant_id, **patch)
        return clock() - start

    def run(number: int) -> float:
        _enter(context)
        try:
            return loop.run_until_complete(batch(number))
        finally:
            _exit(context)

    return run


def _json_writes_everything(value: Any) -> bool:
    return False


class JsonWriterOnly:
    """During its rounds every answer is written by ``json``: the one fast path (orjson in
    ``service/wire.py``) must show here that it saves at least 5% of an SDK call."""

    def __init__(self) -> None:
        self.patch = mock.patch.object(wire, "orjson_writes_the_same", _json_writes_everything)

    def start(self) -> None:
        self.patch.start()

    def stop(self) -> None:
        self.patch.stop()


def _enter(context: Any) -> None:
    """Start what the case needs (interception, a mock, the json-only patch)."""
    if context is not None:
        context.start()


def _exit(context: Any) -> None:
    if context is not None:
        context.stop()


def sdk_rows(canned: Canned, *, use_async: bool, rounds: int, number: int) -> list[Row]:
    loop = asyncio.new_event_loop() if use_async else None
    cases: dict[str, Case] = {}
    for name, (client, context) in sdk_clients(canned, use_async=use_async).items():
        assistant_id = canned.stored["id"]
        if isinstance(client, tuple):  # openai-responses keeps its own ids
            client, assistant_id = client
        if loop is not None:
            cases[name] = _async_case(loop, client, context, assistant_id, canned.patch)
        else:
            cases[name] = _sync_case(client, context, assistant_id, canned.patch)
    baseline = next(iter(cases))
    fake_names = [name for name in cases if name.startswith("pytest-assistants")]
    openai_version = importlib.import_module("openai").__version__
    mode = "async" if use_async else "sync"
    which = " (smallest object)" if canned.name == "smallest object" else ""
    group = f"SDK update{which}, openai {openai_version}, {mode}"
    try:
        return compare(
            group,
            cases,
            baseline=baseline,
            targets=dict.fromkeys(fake_names, SDK_TARGET),
            rounds=rounds,
            number=number,
        )
    finally:
        if loop is not None:
            loop.close()


# -- handler alone -------------------------------------------------------------------------


def handler_rows(canned: Canned, *, rounds: int, number: int) -> list[Row]:
    """``fake.handle`` on a prepared request vs a handler answering canned bytes."""
    library = transport.openai_library()
    lib = importlib.import_module(library)
    fake = FakeAssistants()
    fake.add(canned.stored)
    body = json.dumps(canned.patch, separators=(",", ":")).encode()
    headers = {
        "authorization": f"Bearer {TEST_API_KEY}",
        "openai-beta": "assistants=v2",
        "content-type": "application/json",
    }
    prepared = HttpRequest("POST", "api.openai.com", f"/v1/assistants/{canned.stored['id']}")
    prepared.headers, prepared.body = headers, body
    lib_request = lib.Request("POST", f"{BASE_URL}/assistants/x", headers=headers, content=body)

    def canned_handler(request: Any) -> Any:
        return lib.Response(200, headers=canned.headers, content=canned.body)

    def timed(call: Callable[[], Any]) -> Case:
        def run(number: int) -> float:
            start = clock()
            for _ in range(number):
                call()
            return clock() - start

        return run

    handle = fake.handle
    fake_transport = fake.transport(library)
    mock_transport = lib.MockTransport(canned_handler)
    cases = {
        f"canned handler -> {library}.Response": timed(lambda: canned_handler(lib_request)),
        "fake.handle(HttpRequest)": timed(lambda: handle(prepared)),
        f"{library}.MockTransport.handle_request": timed(
            lambda: mock_transport.handle_request(lib_request)
        ),
        "FakeTransport.handle_request": timed(lambda: fake_transport.handle_request(lib_request)),
    }
    handler_first = compare(
        f"handler alone ({library})",
        {k: cases[k] for k in list(cases)[:2]},
        baseline=next(iter(cases)),
        targets={"fake.handle(HttpRequest)": HANDLER_TARGET},
        rounds=rounds,
        number=number * 5,
    )
    transport_level = compare(
        f"transport alone ({library})",
        {k: cases[k] for k in list(cases)[2:]},
        baseline=list(cases)[2],
        rounds=rounds,
        number=number * 5,
    )
    return handler_first + transport_level


def run_all(
    *, rounds: int = 41, number: int = 40, sdk: bool = True, handler: bool = True
) -> list[Row]:
    # The SDK flags the Assistants API deprecated on every call: noise, not a finding.
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    canned = Canned()
    rows = []
    for each in (canned, Canned(smallest=True)) if sdk else ():
        print(f"canned response: {each.source}, {len(each.body)} bytes", flush=True)
        for use_async in (False, True):
            group = sdk_rows(each, use_async=use_async, rounds=rounds, number=number)
            print_rows(group)
            rows += group
    if handler:
        group = handler_rows(canned, rounds=rounds, number=number)
        print_rows(group)
        rows += group
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = bench_arguments(__doc__, rounds=41, number=40, number_help="calls per case per round")
    args = parser.parse_args(argv)
    rows = run_all(rounds=args.rounds, number=args.number)
    if args.json:
        save(rows, args.json, {})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
