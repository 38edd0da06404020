"""Per-call cost of ``assistants_server``: the SDK through a real socket on 127.0.0.1.

One SDK call, ``client.beta.assistants.update(id, name=...)``, measured interleaved (see
harness.py) four ways:

- baseline: the SDK on an ``httpx.MockTransport`` (``httpx2`` on openai 3.x) answering
  canned bytes (the fake's own modify answer): the SDK's cost alone, the floor;
- the fake in process (its transport), for reference;
- a bare uvicorn + Starlette app answering the same canned bytes over a socket: what any
  HTTP server costs on this machine (the issue measured 2.3x elsewhere);
- ``assistants_server``: uvicorn + the fake's ASGI adapter + routes, over a socket;
- the same with ``--state``: every modify committed to SQLite before the answer.

Run: ``python bench/bench_server.py`` (``--json PATH`` saves the rows; ``BENCH_QUICK=1``
is a smoke run).
"""

from __future__ import annotations

import json
import sys
import tempfile
import threading
import time
import warnings
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Case, Row, bench_arguments, compare, print_rows, save

from pytest_assistants import FakeAssistants
from pytest_assistants.reach.clients import TEST_API_KEY
from pytest_assistants.reach.transports import load_library, openai_library
from pytest_assistants.server.runner import BackgroundServer, base_url, bind
from pytest_assistants.server.state import SqliteState

if TYPE_CHECKING:
    from collections.abc import Iterator

    from starlette.requests import Request

PATCH = {"name": "renamed by the benchmark"}


def canned_answer() -> tuple[dict[str, str], bytes, str]:
    """Headers and bytes of one real modify answer of the fake, and the id it modified."""
    fake = FakeAssistants()
    client = fake.openai(max_retries=0)
    assistant_id = client.beta.assistants.create(model="gpt-4o", name="bench").id
    raw = client.beta.assistants.with_raw_response.update(assistant_id, **PATCH)
    headers = {k: v for k, v in raw.http_response.headers.items() if k != "content-length"}
    return headers, raw.http_response.content, assistant_id


@contextmanager
def starlette_server(headers: dict[str, str], body: bytes) -> Iterator[str]:
    """A bare uvicorn + Starlette app answering ``body`` to any POST, on a free port."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    async def modify(request: Request) -> Response:
        await request.body()
        return Response(body, headers=headers)

    app = Starlette(routes=[Route("/v1/assistants/{assistant_id}", modify, methods=["POST"])])
    sock = bind("127.0.0.1", 0)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.005)
    try:
        yield f"{base_url(sock)}/v1"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def sdk_case(client: Any, assistant_id: str) -> Case:
    def run(number: int) -> float:
        update = client.beta.assistants.update
        start = time.perf_counter()
        for _ in range(number):
            update(assistant_id, **PATCH)
        return time.perf_counter() - start

    return run


def run_all(*, rounds: int, number: int) -> list[Row]:
    import openai

    library = openai_library()
    lib = load_library(library)
    headers, body, canned_id = canned_answer()

    def canned(request: Any) -> Any:
        return lib.Response(200, headers=headers, content=body)

    def sdk(**kwargs: Any) -> Any:
        kwargs.setdefault("base_url", "https://api.openai.com/v1")
        return openai.OpenAI(api_key=TEST_API_KEY, max_retries=0, **kwargs)

    with ExitStack() as stack:
        served = stack.enter_context(_test_server())
        served_url = f"{served.root_url}/v1"
        served_id = sdk(base_url=served_url).beta.assistants.create(model="gpt-4o").id
        durable = stack.enter_context(_test_server())
        directory = stack.enter_context(tempfile.TemporaryDirectory())
        state = SqliteState(Path(directory) / "bench.sqlite")
        stack.callback(state.close)
        state.attach(durable.app.fake.backend)
        durable_url = f"{durable.root_url}/v1"
        durable_id = sdk(base_url=durable_url).beta.assistants.create(model="gpt-4o").id
        in_process = FakeAssistants()
        local_id = in_process.openai().beta.assistants.create(model="gpt-4o").id
        bare_url = stack.enter_context(starlette_server(headers, body))
        floor = f"{library}.MockTransport, canned bytes"
        cases = {
            floor: sdk_case(
                sdk(http_client=lib.Client(transport=lib.MockTransport(canned))), canned_id
            ),
            "fake in process (transport)": sdk_case(in_process.openai(max_retries=0), local_id),
            "bare uvicorn + Starlette, canned (socket)": sdk_case(
                sdk(base_url=bare_url), canned_id
            ),
            "assistants_server (socket)": sdk_case(sdk(base_url=served_url), served_id),
            "serve --state: SQLite write per modify": sdk_case(
                sdk(base_url=durable_url), durable_id
            ),
        }
        notes = {"bare uvicorn + Starlette, canned (socket)": "issue's reference: 2.3x"}
        group = f"SDK update, openai {openai.__version__} on {library}"
        return compare(group, cases, baseline=floor, notes=notes, rounds=rounds, number=number)


@contextmanager
def _test_server() -> Iterator[BackgroundServer]:
    server = BackgroundServer().start()
    try:
        yield server
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    warnings.simplefilter("ignore", DeprecationWarning)  # the SDK's Assistants deprecation
    parser = bench_arguments(__doc__, rounds=21, number=100, number_help="calls per case per round")
    args = parser.parse_args(argv)
    rows = run_all(rounds=args.rounds, number=args.number)
    print_rows(rows)
    if args.json:
        save(rows, args.json, {"rounds": args.rounds, "number": args.number})
    print(json.dumps({row.case: round(row.ratio, 2) for row in rows if row.ratio}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
