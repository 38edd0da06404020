"""What every route fuzz module shares: the invariants checked around each request.

``test_fuzz_bodies`` (request bodies) and ``test_fuzz_routes`` (paths, methods, ids and
queries) fuzz different parts of a request but hold every answer to the same rules, so
those rules live here once:

- the answer is JSON in the dialect's envelope, never a 5xx, no header carries CR/LF;
- a rejected request (4xx) leaves the store byte-identical (``repr`` of the snapshot, key
  order and float spelling included);
- the fake never raised internally.

``ASSISTANTS_FUZZ_EXAMPLES`` scales the run (``make fuzz``); each module prints the count
of its generated cases at its end.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from pytest_assistants.reach.fake import FakeAssistants, FakeInternalError, NotServedError
from tests.expected import malformed_json

if TYPE_CHECKING:
    from collections.abc import Iterator

    import pytest

EXAMPLES = int(os.environ.get("ASSISTANTS_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CASES: Counter[str] = Counter()

OPENAI, PORTKEY, ZEROBOT = "api.openai.com", "api.portkey.ai", "api.zerobot.ai"
HOSTS = (OPENAI, PORTKEY, ZEROBOT)
AUTH = {
    OPENAI: {"authorization": "Bearer sk-fuzz", "openai-beta": "assistants=v2"},
    PORTKEY: {
        "x-portkey-api-key": "pk-fuzz",
        "x-portkey-virtual-key": "vk-fuzz",
        "x-portkey-openai-beta": "assistants=v2",
    },
    ZEROBOT: {"authorization": "Bearer zb-fuzz"},
}
MODIFY_METHOD = {OPENAI: "POST", PORTKEY: "POST", ZEROBOT: "PATCH"}
PARSE_ERROR = malformed_json()
OPENAI_ERROR_KEYS = {"message", "type", "param", "code"}

hosts = st.sampled_from(HOSTS)


def report_cases(request: pytest.FixtureRequest, label: str) -> Iterator[None]:
    """One summary line per module, visible without -s (the terminal reporter writes it)."""
    CASES.clear()
    yield
    total = sum(CASES.values())
    detail = ", ".join(f"{name}={count}" for name, count in sorted(CASES.items()))
    line = f"[fuzz] {label}: {total} generated requests ({detail})"
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is None or capture is None:  # xdist workers have no terminal: shown with -s
        print(line)
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(line)


def is_openai_envelope(payload: Any) -> bool:
    if not isinstance(payload, dict) or set(payload) != {"error"}:
        return False
    error = payload["error"]
    return (
        isinstance(error, dict)
        and set(error) == OPENAI_ERROR_KEYS
        and isinstance(error["message"], str)
        and isinstance(error["type"], str)
        and all(error[key] is None or isinstance(error[key], str) for key in ("param", "code"))
    )


def is_portkey_envelope(payload: Any) -> bool:
    """Gateway-originated bodies (§4.1/§4.2): failure objects and Hono's 404."""
    if payload == {"message": "Not Found", "ok": False}:
        return True
    if not isinstance(payload, dict) or payload.get("status") != "failure":
        return False
    extra = set(payload) - {"status", "message", "error"}
    return not extra and isinstance(payload.get("message"), str)


class Harness:
    """One fake, one client per host, and the invariant checks around every request."""

    def __init__(self, **choices: Any) -> None:
        self.fake = FakeAssistants(**choices)
        self.clients = {
            host: self.fake.http_client(host, base_url=f"https://{host}") for host in HOSTS
        }
        self.target = ""
        self.refill()

    def refill(self) -> None:
        """Keep the store small (snapshots are copied per request) and one target present."""
        if len(self.fake.assistants) > 40 or self.target not in self.fake.assistants:
            self.fake.reset()
            made = self.fake.add({"model": "gpt-4o", "name": "keep", "metadata": {"k": "v"}})
            self.target = made["id"]

    def state(self) -> str:
        return repr(self.fake.snapshot())

    def send(
        self,
        kind: str,
        host: str,
        method: str,
        path: str,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        self.refill()
        before = self.state()
        sent = {**AUTH[host], **(headers or {})}
        response = self.clients[host].request(method, path, content=body, headers=sent)
        CASES[kind] += 1
        status = response.status_code
        # The one 5xx allowed: 501 for a provider endpoint the fake does not serve, marked so.
        not_served = (
            response.headers.get("x-pytest-assistants") == "not served by pytest-assistants"
        )
        assert status < 500 or (status == 501 and not_served), (
            kind,
            method,
            path,
            body[:200],
            response.text[:500],
        )
        for name, value in response.headers.items():
            assert "\r" not in value, (name, value)
            assert "\n" not in value, (name, value)
            assert not name.lower().startswith("x-injected"), name
        assert response.headers["content-type"].startswith("application/json")
        payload = json.loads(response.content)
        if status >= 400:
            assert self.state() == before, (kind, method, path, body[:200], payload)
            if host == PORTKEY:
                assert is_openai_envelope(payload) or is_portkey_envelope(payload), payload
            else:
                assert is_openai_envelope(payload), payload
        else:
            assert isinstance(payload, dict), payload
        try:
            self.fake.check()  # the fake's own bugs first: none
        except FakeInternalError:
            self.fake.reset()  # one bug reported once, not by every later case
            raise
        except NotServedError:
            pass  # paths outside the fake are generated on purpose
        return status, payload

    def modify(self, kind: str, host: str, body: bytes, **kw: Any) -> tuple[int, Any]:
        return self.send(
            kind, host, MODIFY_METHOD[host], f"/v1/assistants/{self.target}", body, **kw
        )

    def create(self, kind: str, host: str, body: bytes, **kw: Any) -> tuple[int, Any]:
        return self.send(kind, host, "POST", "/v1/assistants", body, **kw)

    def write(self, kind: str, host: str, body: bytes, to_create: bool, **kw: Any) -> Any:
        return (self.create if to_create else self.modify)(kind, host, body, **kw)
