"""The way of one SDK request through the package is short and in the drawn order.

docs/maintainers/architecture.md draws it: client -> reach adapter -> router -> dialect -> validation +
backend -> the router renders (answer bytes) -> back to the client. A profile hook records
every package function an ``update`` calls; a new detour (another module on the way, a
dialect calling back into a way in) fails here.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from pytest_assistants import FakeAssistants
from tests.helpers import PACKAGE as PACKAGE_DIR

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import FrameType

PACKAGE = str(PACKAGE_DIR) + "/"
STORED = {"id": "asst_abc123", "name": "before", "model": "gpt-4o"}


def files_on_the_way(call: Callable[[], Any]) -> list[str]:
    """Package files in the order the request first reaches them."""
    call()  # warm-up: first-use imports are not part of a request's way
    seen: list[str] = []

    def hook(frame: FrameType, event: str, _arg: Any) -> None:
        name = frame.f_code.co_filename
        if event == "call" and name.startswith(PACKAGE):
            file = name[len(PACKAGE) :]
            if file not in seen:
                seen.append(file)

    sys.setprofile(hook)
    try:
        call()
    finally:
        sys.setprofile(None)
    return seen


def test_an_sdk_update_crosses_eleven_files_in_the_drawn_order() -> None:
    fake = FakeAssistants()
    fake.add(STORED)
    client = fake.openai(max_retries=0)
    way = files_on_the_way(lambda: client.beta.assistants.update("asst_abc123", name="after"))
    assert way == [
        "reach/transports.py",
        "reach/adapter.py",
        "service/router.py",
        "service/hosts.py",  # which fake claims the request (host, gateway prefix)
        "service/routes.py",  # a user route or a not-served endpoint?
        "service/dialects/openai.py",
        "service/faults.py",
        "service/wire.py",
        "service/backend.py",
        "service/validation.py",
        "service/profiles.py",
    ]


def test_zerobot_and_portkey_reuse_the_openai_operations() -> None:
    fake = FakeAssistants()
    fake.add(STORED)
    zerobot = fake.http_client("api.zerobot.ai", headers={"authorization": "Bearer k"})
    way = files_on_the_way(lambda: zerobot.patch("/assistants/asst_abc123", json={"name": "z"}))
    assert way[:7] == [
        "reach/transports.py",
        "reach/adapter.py",
        "service/router.py",
        "service/hosts.py",
        "service/routes.py",
        "service/dialects/zerobot.py",
        "service/dialects/openai.py",
    ]
