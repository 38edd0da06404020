"""pytest-assistants: a faithful in-memory fake of the Assistants API for tests.

Public names (DESIGN.md): :class:`FakeAssistants`, profiles, errors, the request a route
handler gets (``RouteRequest``), and a type for every fixture value (``AssistantsServer``,
``AssistantsCassette``, ``PayloadFactory``, ``Settings``); the names of optional parts load
their module (Faker, vcrpy, the server) on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytest_assistants.reach.config import Settings
from pytest_assistants.reach.fake import FakeAssistants, FakeInternalError
from pytest_assistants.service.errors import ApiError
from pytest_assistants.service.faults import Fault
from pytest_assistants.service.http import Call, RouteRequest
from pytest_assistants.service.profiles import (
    DEFAULT_PROFILE,
    PROFILES,
    Choices,
    Profile,
    get_profile,
)

if TYPE_CHECKING:
    from pytest_assistants.cassettes.replay import AssistantsCassette
    from pytest_assistants.payloads.factories import Case, PayloadFactory
    from pytest_assistants.server.runner import AssistantsServer

__all__ = [
    "DEFAULT_PROFILE",
    "PROFILES",
    "ApiError",
    "AssistantsCassette",
    "AssistantsServer",
    "Call",
    "Case",
    "Choices",
    "FakeAssistants",
    "FakeInternalError",
    "Fault",
    "PayloadFactory",
    "Profile",
    "RouteRequest",
    "Settings",
    "assert_conforms",
    "get_profile",
]

_LAZY = {
    "PayloadFactory": "payloads.factories",
    "Case": "payloads.factories",
    "assert_conforms": "evidence.conformance",
    "AssistantsServer": "server.runner",
    "AssistantsCassette": "cassettes.replay",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pytest_assistants' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f".{module}", __name__), name)
