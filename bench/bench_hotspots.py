"""What each hot-spot fix gave: the fake's transport with the fixes undone one at a time.

The profile of ``FakeTransport.handle_request`` (cProfile, SDK modify request) showed
where a call went; each fix replaced one step. Here every step's former version is put
back (monkeypatched for the case's rounds only) and the cases run interleaved, so each
fix is a ratio measured in one run: ``all fixes`` vs ``none`` and vs each "all but one".

Run: ``python bench/bench_hotspots.py`` (``--json PATH`` saves the rows).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sdk import Canned, sdk_clients
from harness import Case, Row, bench_arguments, clock, compare, print_rows, save

from pytest_assistants import FakeAssistants
from pytest_assistants.reach import transports as transport
from pytest_assistants.service import backend, validation
from pytest_assistants.service import router as routes
from pytest_assistants.service import wire as wirejson

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

# -- the former versions, as they were before the fixes --------------------------------------


def old_dumps(self: routes.Router, payload: Any) -> bytes:
    if self.choices.pretty_json:
        return json.dumps(payload, indent=2, ensure_ascii=False).encode()
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def old_parse_json_object(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=wirejson._reject_constant)
    except (ValueError, RecursionError):
        raise routes.errors.malformed_json() from None
    if not isinstance(value, dict) or wirejson._unservable(value, wirejson.MAX_JSON_DEPTH):
        raise routes.errors.malformed_json()
    return value


def old_header_dict(headers: Any) -> dict[str, str]:
    return {key.lower(): value for key, value in headers.items()}


def old_normalise_resources(record: dict[str, Any]) -> None:
    resources = record["tool_resources"]
    kinds = {tool["type"] for tool in record["tools"]}
    for kind, member in backend.RESOURCE_TOOLS.items():
        if kind in kinds and kind not in resources:
            resources[kind] = {member: []}
    order = list(backend.RESOURCE_TOOLS)
    rank = lambda kind: order.index(kind) if kind in order else len(order)  # noqa: E731
    record["tool_resources"] = {k: resources[k] for k in sorted(resources, key=rank)}


class OldFindings:
    __slots__ = ("by_rank",)

    def __init__(self) -> None:
        self.by_rank: dict[int, Any] = {}

    def add(self, rank: int, error: Any) -> None:
        if rank not in self.by_rank:
            self.by_rank[rank] = error
            if rank == validation.UNKNOWN:
                raise validation._Stop

    def first(self) -> Any:
        return self.by_rank[min(self.by_rank)] if self.by_rank else None


def old_validate(schema: Any, body: dict[str, Any]) -> None:
    found = OldFindings()
    with contextlib.suppress(validation._Stop):
        schema.check_members(body, "", found)
    error = found.first()
    if error is not None:
        raise error


_lazy_journal = routes.Router._journal


def eager_journal(self: routes.Router, request: Any, *args: Any) -> None:
    _lazy_journal(self, request, *args)
    _ = self.calls[-1].json  # the former journal parsed every body at once


FIXES: dict[str, tuple[Any, str, Any]] = {
    "pretty JSON (wirejson)": (routes.Router, "dumps", old_dumps),
    "strict parse (decoder reuse, depth walk)": (
        routes,
        "parse_json_object",
        old_parse_json_object,
    ),
    "lazy journal JSON": (routes.Router, "_journal", eager_journal),
    "request headers (decoded on demand)": (transport, "request_headers", old_header_dict),
    "resources (rank table, one pass)": (backend, "normalise_resources", old_normalise_resources),
    "validation (dict findings, no suppress)": (routes, "validate", old_validate),
}


@contextlib.contextmanager
def undone(names: list[str]) -> Iterator[None]:
    saved = [(owner, attr, getattr(owner, attr)) for owner, attr, _ in map(FIXES.get, names)]
    try:
        for name in names:
            owner, attr, former = FIXES[name]
            setattr(owner, attr, former)
        yield
    finally:
        for owner, attr, value in saved:
            setattr(owner, attr, value)


def run_all(*, rounds: int = 31, number: int = 200) -> list[Row]:
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    canned = Canned()
    library = transport.openai_library()
    lib = importlib.import_module(library)
    fake = FakeAssistants()
    fake.add(canned.stored)
    request = _sdk_request(fake, canned)
    fake_transport = fake.transport(library)

    def case(names: list[str]) -> Case:
        def run(number: int) -> float:
            with undone(names):
                fake.router.calls.clear()
                start = clock()
                for _ in range(number):
                    fake_transport.handle_request(request)
                return clock() - start

        return run

    cases: dict[str, Callable[[int], float]] = {"no fix (as before)": case(list(FIXES))}
    cases["all fixes"] = case([])
    for name in FIXES:
        cases[f"all fixes but {name}"] = case([name])
    rows = compare(
        f"hot spots: FakeTransport.handle_request ({library} {lib.__version__})",
        cases,
        baseline="no fix (as before)",
        rounds=rounds,
        number=number,
    )
    print_rows(rows)
    rows += sdk_before_after(canned, rounds=rounds, number=max(1, number // 5))
    return rows


def sdk_before_after(canned: Canned, *, rounds: int, number: int) -> list[Row]:
    """The SDK-level ratio with every fix undone vs with them all, in the same rounds."""
    clients = sdk_clients(canned, use_async=False)
    baseline = next(iter(clients))
    client, journal = clients["pytest-assistants, explicit transport"]
    mock_client, _ = clients[baseline]
    update, mock_update = client.beta.assistants.update, mock_client.beta.assistants.update
    assistant_id = canned.stored["id"]

    def case(call: Callable[..., Any], names: list[str]) -> Case:
        def run(number: int) -> float:
            with undone(names):
                journal.calls.clear()
                start = clock()
                for _ in range(number):
                    call(assistant_id, **canned.patch)
                return clock() - start

        return run

    cases = {
        baseline: case(mock_update, []),
        "pytest-assistants, explicit transport, no fix (as before)": case(update, list(FIXES)),
        "pytest-assistants, explicit transport, all fixes": case(update, []),
    }
    openai_version = importlib.import_module("openai").__version__
    rows = compare(
        f"hot spots: SDK update before/after, openai {openai_version}",
        cases,
        baseline=baseline,
        rounds=rounds,
        number=number,
    )
    print_rows(rows)
    return rows


def _sdk_request(fake: FakeAssistants, canned: Canned) -> Any:
    """The exact request the SDK sends for the modify (captured once through the fake)."""
    client = fake.openai(max_retries=0)
    captured = client.beta.assistants.with_raw_response.update(canned.stored["id"], **canned.patch)
    request = captured.http_request
    request.read()
    return request


def main(argv: list[str] | None = None) -> int:
    args = bench_arguments(__doc__, rounds=31, number=200).parse_args(argv)
    rows = run_all(rounds=args.rounds, number=args.number)
    if args.json:
        save(rows, args.json, {})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
