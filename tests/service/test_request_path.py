"""The way of one SDK request through the package is short and in the drawn order.

docs/maintainers/architecture.md draws it: client -> reach adapter -> router (claim, table, dialect
policy) -> the resource's handler -> validation + store -> the router renders (answer bytes)
-> back to the client. A profile hook records every package function an ``update`` calls;
a new detour (another module on the way, a policy calling back into a way in) fails here, as
does a way longer than the one before resources became units (11 files, 56 calls).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from pytest_assistants import FakeAssistants
from pytest_assistants.reach import adapter
from tests.helpers import PACKAGE as PACKAGE_DIR

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import FrameType

PACKAGE = str(PACKAGE_DIR) + "/"
STORED = {"id": "asst_abc123", "name": "before", "model": "gpt-4o"}
V2 = {"openai-beta": "assistants=v2"}


def calls_on_the_way(call: Callable[[], Any]) -> list[str]:
    """``file:function`` of every package function the request calls, in order."""
    # Earlier tests in this worker may have filled the shared header tables (past their
    # bound, each pair is decoded in a call of its own): start from empty ones.
    adapter._PAIRS.clear()
    adapter._NAMES.clear()
    call()  # warm-up: first-use imports are not part of a request's way
    seen: list[str] = []

    def hook(frame: FrameType, event: str, _arg: Any) -> None:
        name = frame.f_code.co_filename
        if event == "call" and name.startswith(PACKAGE):
            seen.append(f"{name[len(PACKAGE) :]}:{frame.f_code.co_name}")

    sys.setprofile(hook)
    try:
        call()
    finally:
        sys.setprofile(None)
    return seen


def files_on_the_way(call: Callable[[], Any]) -> list[str]:
    """Package files in the order the request first reaches them."""
    return list(dict.fromkeys(step.partition(":")[0] for step in calls_on_the_way(call)))


def test_an_sdk_update_crosses_eleven_files_in_the_drawn_order() -> None:
    fake = FakeAssistants()
    fake.add(STORED)
    client = fake.openai(max_retries=0)
    way = files_on_the_way(lambda: client.beta.assistants.update("asst_abc123", name="after"))
    assert way == [
        "reach/transports.py",
        "reach/adapter.py",
        "service/router.py",  # which fake claims it (host, gateway prefix); the sequence
        "service/routes.py",  # the route table: assistants.modify
        "service/dialects/openai.py",  # the policy: Bearer key, OpenAI-Beta rules
        "service/faults.py",
        "service/resources/assistants/handlers.py",
        "service/wire.py",  # the body; later, the answer's bytes
        "service/store.py",
        "service/validation.py",
        "service/resources/assistants/semantics.py",
    ]


def test_an_sdk_update_makes_no_more_calls_than_before_resources_were_units() -> None:
    fake = FakeAssistants()
    fake.add(STORED)
    client = fake.openai(max_retries=0)
    calls = calls_on_the_way(lambda: client.beta.assistants.update("asst_abc123", name="after"))
    assert len(calls) <= 56, calls


def test_zerobot_and_portkey_go_the_same_way_with_their_own_policy() -> None:
    fake = FakeAssistants()
    fake.add(STORED)
    zerobot = fake.http_client("api.zerobot.ai", headers={"authorization": "Bearer k"})
    way = files_on_the_way(lambda: zerobot.patch("/assistants/asst_abc123", json={"name": "z"}))
    assert way[:5] == [
        "reach/transports.py",
        "reach/adapter.py",
        "service/router.py",
        "service/routes.py",
        "service/dialects/openai.py",  # Zerobot's key is OpenAI's Bearer key
    ]
    assert "service/dialects/zerobot.py" in way
    assert "service/resources/assistants/handlers.py" in way
    gateway = fake.http_client(
        "api.portkey.ai",
        headers={"x-portkey-api-key": "pk", "x-portkey-virtual-key": "vk", **V2},
    )
    way = files_on_the_way(lambda: gateway.post("/assistants/asst_abc123", json={"name": "p"}))
    assert way.index("service/dialects/portkey.py") < way.index("service/dialects/openai.py")
    assert "service/resources/assistants/handlers.py" in way
