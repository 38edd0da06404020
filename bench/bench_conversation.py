"""A scripted run, polled and streamed, through the real SDK: the fake vs canned bytes.

Two SDK calls a conversation test makes most:

- ``client.beta.threads.runs.create_and_poll(thread_id, assistant_id)``: one create and the
  polls the SDK makes until the run is done (the fake advances one status per read, so
  three requests: ``queued``, ``in_progress``, ``completed``);
- ``client.beta.threads.runs.stream(...)`` read to the end with ``until_done()``: one
  request answered by the run's server-sent events.

The model's part is scripted (``fake.script.reply``), one reply per run, outside the clock.
Baseline: the same SDK calls against an ``httpx.MockTransport`` (``httpx2.MockTransport`` on
openai 3.x) answering canned bytes: the very bodies and headers the fake answered to the
same calls, captured from its journal before the rounds, so the SDK parses the same answers
on both sides (and sleeps the same ``openai-poll-after-ms`` between polls, which the CPU
clock does not count) and the ratio is what the fake adds: routing, validation, the store,
the run's steps and messages, the events. Each round starts on a fresh thread, so a thread
that grows with every run weighs the same on every round.

Run: ``python bench/bench_conversation.py`` (prints the table; ``--json PATH`` saves it).
"""

from __future__ import annotations

import importlib
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Case, Row, bench_arguments, clock, compare, print_rows, save

from pytest_assistants import FakeAssistants
from pytest_assistants.reach import transports as transport
from pytest_assistants.reach.clients import TEST_API_KEY

BASE_URL = "https://api.openai.com/v1"
REPLY = "The capital of France is Paris."
Operation = Callable[[Any, str, str], Any]  # (client, thread id, assistant id) -> anything


def create_and_poll(client: Any, thread_id: str, assistant_id: str) -> Any:
    return client.beta.threads.runs.create_and_poll(thread_id=thread_id, assistant_id=assistant_id)


def streamed(client: Any, thread_id: str, assistant_id: str) -> Any:
    with client.beta.threads.runs.stream(thread_id=thread_id, assistant_id=assistant_id) as run:
        run.until_done()
        return run.get_final_run()


OPERATIONS: dict[str, Operation] = {
    "scripted create_and_poll": create_and_poll,
    "scripted streamed run": streamed,
}


class Conversation:
    """A fake holding one assistant, a fresh thread per round, one scripted reply per run."""

    def __init__(self) -> None:
        self.fake = FakeAssistants()
        self.client = self.fake.openai(max_retries=0)
        self.assistant_id = self.client.beta.assistants.create(
            model="gpt-4o", instructions="Answer in one sentence."
        ).id

    def round(self, number: int) -> str:
        """A new thread with a question, and ``number`` replies scripted for its runs."""
        thread = self.client.beta.threads.create(
            messages=[{"role": "user", "content": "What is the capital of France?"}]
        )
        for _ in range(number):
            self.fake.script.reply(REPLY)
        return thread.id


def captured(operation: Operation) -> list[tuple[int, dict[str, str], bytes]]:
    """(status, headers, body) of every answer the fake gives to one ``operation``."""
    conversation = Conversation()
    thread_id = conversation.round(1)
    before = len(conversation.fake.calls)
    finished = operation(conversation.client, thread_id, conversation.assistant_id)
    assert finished.status == "completed", finished.status
    return [
        (call.status, dict(call.response_headers), call.response_body)
        for call in conversation.fake.calls[before:]
    ]


def canned_client(answers: list[tuple[int, dict[str, str], bytes]]) -> Any:
    """An SDK client on a MockTransport answering ``answers`` in turn, over and over."""
    openai = importlib.import_module("openai")
    lib = importlib.import_module(transport.openai_library())
    turn = iter(range(sys.maxsize))

    def answer(request: Any) -> Any:
        status, headers, body = answers[next(turn) % len(answers)]
        return lib.Response(status, headers=headers, content=body)

    http = lib.Client(transport=lib.MockTransport(answer))
    return openai.OpenAI(api_key=TEST_API_KEY, base_url=BASE_URL, http_client=http, max_retries=0)


def canned_case(operation: Operation) -> Case:
    client = canned_client(captured(operation))

    def run(number: int) -> float:
        start = clock()
        for _ in range(number):
            operation(client, "thread_canned", "asst_canned")
        return clock() - start

    return run


def fake_case(operation: Operation, conversation: Conversation) -> Case:
    def run(number: int) -> float:
        thread_id = conversation.round(number)
        start = clock()
        for _ in range(number):
            operation(conversation.client, thread_id, conversation.assistant_id)
        return clock() - start

    return run


def rows(rounds: int, number: int) -> list[Row]:
    openai_version = importlib.import_module("openai").__version__
    library = transport.openai_library()
    found: list[Row] = []
    for name, operation in OPERATIONS.items():
        baseline = f"{library}.MockTransport, canned bytes"
        cases = {
            baseline: canned_case(operation),
            "pytest-assistants, explicit transport": fake_case(operation, Conversation()),
        }
        group = f"{name}, openai {openai_version}, sync"
        found += compare(group, cases, baseline=baseline, rounds=rounds, number=number)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = bench_arguments(__doc__, rounds=15, number=20, number_help="runs per round")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    measured = rows(args.rounds, args.number)
    print_rows(measured)
    if args.json:
        save(measured, args.json, {"script": Path(__file__).name})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
