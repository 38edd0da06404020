"""Per client library: a request answered by the fake vs the same library against a canned
answer from a local HTTP server on 127.0.0.1.

For aiohttp, requests, urllib3 and urllib, a retrieve of one assistant is sent ``number``
times through the library's public API, once to ``api.openai.com`` (served by the fake
through that library's way in) and once to a local ``http.server`` that answers the same
bytes the fake answered, over a real socket. Both run with the fake active, interleaved
round after round (``harness.compare``); each row is the fake's median per call as a ratio
of the local server's: below 1 the fake costs less than the cheapest real round trip.

    python bench/bench_clients.py [--rounds 7] [--number 50]
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import urllib.request
import warnings
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from harness import Row, bench_arguments, clock, compare, print_rows, save

from pytest_assistants import FakeAssistants

HEADERS = {"Authorization": "Bearer sk-bench", "OpenAI-Beta": "assistants=v2"}
Send = Callable[[str], None]


def local_server(body: bytes) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the libraries' pools expect
        disable_nagle_algorithm = True  # else a 40 ms delayed-ACK stall per answer
        wbufsize = 1 << 16  # head and body leave in one write, flushed after each request

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def timed(send: Send, url: str) -> Callable[[int], float]:
    def run(number: int) -> float:
        start = clock()
        for _ in range(number):
            send(url)
        return clock() - start

    return run


def senders() -> dict[str, Callable[[str], Callable[[int], float]]]:
    import requests
    import urllib3

    session = requests.Session()
    pool = urllib3.PoolManager()

    def via_requests(url: str) -> None:
        assert session.get(url, headers=HEADERS).status_code == 200

    def via_urllib3(url: str) -> None:
        assert pool.request("GET", url, headers=HEADERS).status == 200

    def via_urllib(url: str) -> None:
        with urllib.request.urlopen(urllib.request.Request(url, headers=HEADERS)) as answer:
            assert answer.status == 200
            answer.read()

    def aiohttp_case(url: str) -> Callable[[int], float]:
        import aiohttp

        def run(number: int) -> float:
            async def go() -> float:
                async with aiohttp.ClientSession(headers=HEADERS) as client:
                    start = clock()
                    for _ in range(number):
                        async with client.get(url) as answer:
                            assert answer.status == 200
                            await answer.read()
                    return clock() - start

            return asyncio.run(go())

        return run

    return {
        "aiohttp": aiohttp_case,
        "requests": lambda url: timed(via_requests, url),
        "urllib3": lambda url: timed(via_urllib3, url),
        "urllib": lambda url: timed(via_urllib, url),
    }


def run_all(*, rounds: int, number: int) -> list[Row]:
    rows: list[Row] = []
    with FakeAssistants() as fake:
        made = fake.add({"model": "gpt-4o", "name": "bench"})
        path = f"/v1/assistants/{made['id']}"
        with fake.http_client(base_url="https://api.openai.com") as http:
            body = http.get(path, headers=HEADERS).content
        server, local = local_server(body)
        try:
            for name, case in senders().items():
                cases = {
                    f"{name} -> canned answer on 127.0.0.1": case(local + path),
                    f"{name} -> fake": case("https://api.openai.com" + path),
                }
                rows += compare(
                    f"client {name}",
                    cases,
                    baseline=f"{name} -> canned answer on 127.0.0.1",
                    rounds=rounds,
                    number=number,
                )
                fake.calls.clear()
        finally:
            server.shutdown()
            server.server_close()
    return rows


def main(argv: list[str] | None = None) -> int:
    warnings.simplefilter("ignore", DeprecationWarning)
    parser = bench_arguments(__doc__, rounds=7, number=50, number_help="calls per case per round")
    args = parser.parse_args(argv)
    rows = run_all(rounds=args.rounds, number=args.number)
    print_rows(rows)
    if args.json:
        save(rows, args.json, {"rounds": args.rounds, "number": args.number})
    print(json.dumps({row.case: round(row.ratio, 2) for row in rows if row.ratio}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
