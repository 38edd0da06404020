"""``serve`` under attack and misuse: one owner per state file, bad state files, slow and idle
clients on raw sockets, the connection limit, a 413 before the body, a bounded journal."""

from __future__ import annotations

import json
import select
import socket
import sqlite3
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.cli import main
from pytest_assistants.reach.clients import TEST_API_KEY
from pytest_assistants.server.state import SqliteState
from tests.server.served import SERVE, Served

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytest.importorskip("uvicorn")
HEADERS = {"authorization": f"Bearer {TEST_API_KEY}", "openai-beta": "assistants=v2"}
AUTH = f"Authorization: Bearer {TEST_API_KEY}\r\nOpenAI-Beta: assistants=v2\r\n"


@pytest.fixture
def served() -> Iterator[list[Served]]:
    started: list[Served] = []
    yield started
    for server in started:
        server.close()


# -- one owner per state file ---------------------------------------------------------------


def test_a_second_server_on_the_same_state_file_refuses_to_start(
    tmp_path: Path, served: list[Served]
) -> None:
    state = tmp_path / "store.sqlite"
    first = Served("--state", str(state))
    served.append(first)
    second = subprocess.run(
        [*SERVE, "--state", str(state)], capture_output=True, text=True, timeout=60
    )
    assert second.returncode == 2
    assert second.stderr.startswith(
        f"pytest-assistants serve: {state} is in use by another server"
        f" (pid {first.process.pid}, lock {state}.lock): one server per --state file;"
    )
    assert "Traceback" not in second.stderr
    assert first.client.post("/v1/assistants", json={"model": "gpt-4o"}).status_code == 200
    assert first.stop() == 0
    again = Served("--state", str(state))  # the lock went with the first server
    served.append(again)
    assert "1 assistant(s) loaded" in again.banner


def test_uvicorn_workers_sharing_a_state_file_refuse_with_a_clear_message(
    tmp_path: Path,
) -> None:
    state = tmp_path / "store.sqlite"
    (tmp_path / "served_app.py").write_text(
        textwrap.dedent(
            f"""
            from pytest_assistants.server.runner import create_app

            def app():
                return create_app(state={str(state)!r})
            """
        )
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "served_app:app", "--workers", "2",
         "--port", "0", "--app-dir", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    seen: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            seen.append(line)
            if "is in use by another server" in line:
                break
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert any(
        f"{state} is in use by another server (pid" in line
        and "one server per --state file" in line
        for line in seen
    ), "".join(seen)


# -- bad state files ------------------------------------------------------------------------


def valid_state(path: Path) -> None:
    fake = FakeAssistants(seed=3)
    state = SqliteState(path)
    fake.persist(state)
    with fake.http_client(headers=HEADERS) as client:
        for n in range(40):
            client.post("/assistants", json={"model": "gpt-4o", "name": f"a{n}" * 50})
    state.close()


def tamper(path: Path, sql: str) -> None:
    valid_state(path)
    db = sqlite3.connect(path)
    with db:
        db.execute(sql)
    db.close()


def other_schema(path: Path) -> None:
    db = sqlite3.connect(path)
    with db:
        db.execute("CREATE TABLE users (name TEXT)")
    db.close()


def corrupt_page(path: Path) -> None:
    valid_state(path)
    data = bytearray(path.read_bytes())
    data[4096 + 8 : 4096 + 400] = b"\xff" * 392  # the second page's header and cell pointers
    path.write_bytes(bytes(data))


def read_only(path: Path) -> None:
    valid_state(path)
    path.chmod(0o444)


BAD_STATES = {
    "other schema": (
        other_schema,
        "it holds another schema (tables users; table 'objects' has columns [],"
        " expected ['position', 'kind', 'key', 'record'])",
    ),
    "non-JSON record": (
        lambda p: tamper(p, "UPDATE objects SET record = 'not json' WHERE position = 2"),
        "row 2 of 'objects' is not JSON",
    ),
    "list record": (
        lambda p: tamper(p, "UPDATE objects SET record = '[1, 2]' WHERE position = 1"),
        "row 1 of 'objects' is not an object with an id (a JSON list)",
    ),
    "bad id sequence": (
        lambda p: tamper(p, "UPDATE meta SET value = '[3, [1, 2], null]'"),
        "the id sequence in 'meta' (object_id_state) is damaged",
    ),
    "all-zero id sequence": (
        lambda p: tamper(p, f"UPDATE meta SET value = '[[3, {[0] * 625}, null], []]'"),
        "the id sequence in 'meta' (object_id_state) is damaged",
    ),
    "missing id sequence": (
        lambda p: tamper(p, "DELETE FROM meta"),
        "the id sequence in 'meta' (object_id_state) is missing while 40 objects are stored",
    ),
    "unknown kind": (
        lambda p: tamper(p, "UPDATE objects SET kind = 'robot' WHERE position = 3"),
        "row 3 of 'objects' holds an unknown kind of object 'robot'",
    ),
    "infinite created_at": (
        lambda p: tamper(
            p,
            "UPDATE objects SET record = replace(record, '\"created_at\": ',"
            ' \'"created_at": 1e400, "was": \') WHERE position = 4',
        ),
        "cannot be loaded: cannot convert float infinity to integer",
    ),
    "deeply nested record": (
        lambda p: tamper(
            p,
            'UPDATE objects SET record = \'{"id": "asst_x", "metadata": '
            + "[" * 50_000
            + "]" * 50_000
            + "}' WHERE position = 5",
        ),
        "row 5 of 'objects' is not JSON",
    ),
    "malformed page": (corrupt_page, "database disk image is malformed"),
    "not a database": (lambda p: p.write_text("hello\n" * 2000), "file is not a database"),
    "read-only file": (read_only, "the file is read-only"),
}


@pytest.mark.parametrize("case", sorted(BAD_STATES))
def test_each_bad_state_file_gives_one_clear_message_and_exit_2(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, why = BAD_STATES[case]
    path = tmp_path / "store.sqlite"
    make(path)
    assert main(["serve", "--port", "0", "--state", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"pytest-assistants serve: cannot use {path} as the --state file: ")
    assert why in err
    assert err.count("\n") == 1


# -- slow and idle clients on raw sockets ---------------------------------------------------


def connect(server: Served) -> socket.socket:
    host, port = server.root.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=60)
    return sock


def closed_by_server(sock: socket.socket) -> bool:
    """True once the server has closed (EOF, or reset); it raises after the socket's 60 s."""
    response_of(sock)
    return True


def response_of(sock: socket.socket) -> bytes:
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    return data


def one_response(sock: socket.socket) -> tuple[bytes, bytes]:
    """(head, body) of one answer on a connection that stays open: read to its length."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536) or pytest.fail(f"connection closed mid-answer: {data!r}")
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(
        next(
            line for line in head.lower().split(b"\r\n") if line.startswith(b"content-length:")
        ).split(b":")[1]
    )
    while len(body) < length:
        body += sock.recv(65536) or pytest.fail(f"connection closed mid-body: {data!r}")
    return head, body


@pytest.fixture
def strict_server(served: list[Served]) -> Served:
    server = Served("--timeout-header", "1", "--timeout-body", "1", "--timeout-keep-alive", "1")
    served.append(server)
    return server


def test_an_idle_connection_is_closed(strict_server: Served) -> None:
    with connect(strict_server) as sock:
        assert closed_by_server(sock)


def test_headers_trickled_byte_by_byte_do_not_hold_the_connection(strict_server: Served) -> None:
    with connect(strict_server) as sock:
        sock.sendall(b"POST /v1/assistants HTTP/1.1\r\nHost: x\r\n")
        for _ in range(300):  # one byte every 0.1 s would keep a plain uvicorn waiting for ever
            readable, _, _ = select.select([sock], [], [], 0.1)
            if readable:
                break
            sock.sendall(b"X")
        else:
            pytest.fail("the server kept a connection whose headers never ended")
        assert sock.recv(1) == b""


def test_a_slow_body_gets_a_408_in_openai_envelope_and_the_connection_closes(
    strict_server: Served,
) -> None:
    with connect(strict_server) as sock:
        sock.sendall(
            f"POST /v1/assistants HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Type: application/json\r\n"
            'Content-Length: 100\r\n\r\n{"model"'.encode()
        )
        answer = response_of(sock)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ")
    assert b"connection: close" in head.lower()
    assert json.loads(body) == {
        "error": {
            "message": "Request body not received within 1 seconds (the server's body timeout).",
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }
    }


def test_an_idle_keep_alive_connection_is_closed_after_its_answer(strict_server: Served) -> None:
    with connect(strict_server) as sock:
        sock.sendall(f"GET /v1/assistants?limit=1 HTTP/1.1\r\nHost: x\r\n{AUTH}\r\n".encode())
        first = sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200 ")
        assert closed_by_server(sock)


def test_an_oversize_content_length_gets_the_413_before_any_body_byte(
    strict_server: Served,
) -> None:
    with connect(strict_server) as sock:
        sock.sendall(
            f"POST /v1/assistants HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Type: application/json\r\n"
            f"Content-Length: {8 * 1024 * 1024 + 1}\r\n\r\n".encode()
        )  # and not one byte of the body
        head, body = one_response(sock)
    assert head.startswith(b"HTTP/1.1 413 ")
    assert json.loads(body)["error"]["code"] == "request_too_large"


def test_requests_beyond_the_connection_limit_get_503(served: list[Served]) -> None:
    server = Served("--max-connections", "3", "--timeout-keep-alive", "60")
    served.append(server)
    request = f"GET /v1/assistants?limit=1 HTTP/1.1\r\nHost: x\r\n{AUTH}\r\n".encode()
    idle = [connect(server), connect(server)]
    try:
        for sock in idle:  # answered once, then kept open and idle
            sock.sendall(request)
            assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
        with connect(server) as third:  # the third connection open: over the limit
            third.sendall(request)
            assert third.recv(65536).startswith(b"HTTP/1.1 503 ")
        idle.pop().close()
        answers = []
        while not answers or answers[-1].startswith(b"HTTP/1.1 503 "):
            assert len(answers) < 1000, "the closed connection was never released"
            with connect(server) as again:
                again.sendall(request)
                answers.append(again.recv(65536))
        assert answers[-1].startswith(b"HTTP/1.1 200 ")
    finally:
        for sock in idle:
            sock.close()


# -- a bounded journal ----------------------------------------------------------------------


def test_the_journal_keeps_the_newest_max_calls_and_no_refused_oversize_body() -> None:
    fake = FakeAssistants(max_calls=3, max_body_bytes=64)
    with fake.http_client(headers=HEADERS) as client:
        for n in range(5):
            client.post("/assistants", json={"model": "gpt-4o", "name": f"n{n}"})
        refused = client.post("/assistants", content=b'{"model": "gpt-4o"}' + b" " * 100)
    assert refused.status_code == 413
    assert [call.json["name"] for call in fake.calls[:2]] == ["n3", "n4"]
    assert len(fake.calls) == 3
    assert fake.calls[-1].status == 413
    assert fake.calls[-1].body == b""


def test_serve_bounds_its_journal_by_default() -> None:
    from pytest_assistants.server.runner import create_app

    assert create_app().fake.max_calls == 1000
    assert FakeAssistants().max_calls is None  # one test's fake: the whole journal


# -- list limit ---------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["1_0", "\u0663", "+5", " 1 ", "1.0", "0x10", "", "-"])
def test_list_limit_takes_ascii_digits_only(spelling: str) -> None:
    fake = FakeAssistants()
    with fake.http_client(headers=HEADERS) as client:
        answer = client.get("/assistants", params={"limit": spelling})
    assert answer.status_code == 400
    assert answer.json() == {
        "error": {
            "message": "Invalid type for 'limit': expected an integer, but got a string instead.",
            "type": "invalid_request_error",
            "param": "limit",
            "code": "invalid_type",
        }
    }


def test_list_limit_in_ascii_digits_still_works() -> None:
    fake = FakeAssistants()
    with fake.http_client(headers=HEADERS) as client:
        for _ in range(3):
            client.post("/assistants", json={"model": "gpt-4o"})
        assert len(client.get("/assistants", params={"limit": "02"}).json()["data"]) == 2
        below = client.get("/assistants", params={"limit": "-1"}).json()["error"]
    assert below["code"] == "integer_below_min_value"
