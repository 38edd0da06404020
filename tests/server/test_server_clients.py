"""Non-Python clients against ``assistants_server``: Node's ``openai`` package and curl.

The Node SDK is installed from npm on first use into ``tests/node/node_modules`` (git-ignored),
once per machine, under a file lock so xdist workers do not race.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from typing import TYPE_CHECKING, Any

import pytest

from pytest_assistants.reach.clients import TEST_API_KEY
from pytest_assistants.service.wire import dumps
from tests.expected import malformed_json, not_found
from tests.helpers import TESTS

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

NODE_DIR = TESTS / "node"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # Windows: xdist workers may both install; npm tolerates it
        yield
        return
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def node_client() -> list[str]:
    """``node assistants_crud.mjs``, with the pinned openai package installed."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("Node.js and npm are not installed: the Node client tests need both")
    pinned = json.loads((NODE_DIR / "package.json").read_text())["dependencies"]["openai"]
    installed = NODE_DIR / "node_modules" / "openai" / "package.json"
    (NODE_DIR / "node_modules").mkdir(exist_ok=True)
    with _locked(NODE_DIR / "node_modules" / ".install-lock"):
        if not installed.exists() or json.loads(installed.read_text())["version"] != pinned:
            result = subprocess.run(
                [npm, "install", "--no-audit", "--no-fund", "--no-package-lock"],
                cwd=NODE_DIR,
                capture_output=True,
                text=True,
                timeout=600,
            )
            if result.returncode != 0:
                pytest.fail(f"npm install of openai@{pinned} failed:\n{result.stderr}")
    return [node, str(NODE_DIR / "assistants_crud.mjs")]


def test_node_openai_sdk_drives_every_operation(
    node_client: list[str], assistants_server: Any
) -> None:
    result = subprocess.run(
        [*node_client, assistants_server.url],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""},
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    fake = assistants_server.fake
    calls = fake.calls
    assert [(c.method, c.operation, c.status) for c in calls[:5]] == [
        ("POST", "assistants.create", 200),
        ("POST", "assistants.modify", 200),
        ("GET", "assistants.retrieve", 200),
        ("GET", "assistants.list", 200),
        ("DELETE", "assistants.delete", 200),
    ]
    assert (calls[5].method, calls[5].url, calls[5].status) == ("GET", calls[2].url, 404)
    assert all(c.headers["user-agent"].startswith("OpenAI/JS") for c in calls)
    assert all(c.headers["openai-beta"] == "assistants=v2" for c in calls)
    assert calls[1].json == {"name": "node client, renamed", "temperature": 0.25}
    assert seen["created"] == calls[0].response_json
    assert seen["modified"] == calls[1].response_json == seen["retrieved"]
    assert seen["modified"]["metadata"] == {"runtime": "node"}  # untouched by the modify
    assert seen["listed"] == calls[3].response_json["data"] == [seen["modified"]]
    assert seen["deleted"] == {
        "id": seen["created"]["id"],
        "object": "assistant.deleted",
        "deleted": True,
    }
    missing = not_found(seen["created"]["id"])
    assert seen["error"]["status"] == 404
    assert seen["error"]["body"] == missing["error"] == calls[5].response_json["error"]
    assert seen["error"]["requestID"].startswith("req_")
    assert not fake.assistants


@pytest.fixture
def curl(assistants_server: Any) -> Any:
    executable = shutil.which("curl")
    if executable is None:
        pytest.skip("curl is not installed")

    def run(method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        command = [
            executable, "-sS", "-X", method, f"{assistants_server.url}{path}",
            "-H", f"Authorization: Bearer {TEST_API_KEY}",
            "-H", "OpenAI-Beta: assistants=v2",
            "-w", "\n%{http_code}",
        ]  # fmt: skip
        if body is not None:
            command += ["-H", "Content-Type: application/json", "--data-binary", "@-"]
        done = subprocess.run(command, input=body, capture_output=True, timeout=60, check=True)
        content, _, status = done.stdout.rpartition(b"\n")
        return int(status), content

    return run


def test_curl_gets_the_routers_exact_bytes(curl: Any, assistants_server: Any) -> None:
    """Consistency of curl's bytes with the router's own serialization; error texts from §4.2."""
    fake = assistants_server.fake
    status, created = curl("POST", "/assistants", b'{"model": "gpt-4o", "name": "curl"}')
    assert status == 200
    assert created == dumps(fake.calls[-1].response_json)
    assistant_id = json.loads(created)["id"]
    status, modified = curl("POST", f"/assistants/{assistant_id}", b'{"metadata": {"a": "b"}}')
    assert status == 200
    assert json.loads(modified) == fake.assistants[assistant_id]
    assert fake.assistants[assistant_id]["metadata"] == {"a": "b"}
    status, broken = curl("POST", f"/assistants/{assistant_id}", b'{"name": ')
    assert (status, json.loads(broken)) == (400, malformed_json())
    status, gone = curl("DELETE", f"/assistants/{assistant_id}")
    assert status == 200
    assert json.loads(gone)["deleted"] is True
    status, missing = curl("GET", f"/assistants/{assistant_id}")
    assert (status, json.loads(missing)) == (404, not_found(assistant_id))
    assert [c.status for c in fake.calls] == [200, 200, 400, 200, 404]
