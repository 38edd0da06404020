"""pytest-assistants: a faithful in-memory fake of the Assistants API for tests.

Public names (DESIGN.md): :class:`FakeAssistants`, profiles, errors; ``PayloadFactory``
and ``assert_conforms`` load their optional dependencies (Faker, vcrpy) on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytest_assistants.reach.fake import FakeAssistants, FakeInternalError
from pytest_assistants.service.errors import ApiError
from pytest_assistants.service.profiles import (
    DEFAULT_PROFILE,
    PROFILES,
    Choices,
    Profile,
    get_profile,
)
from pytest_assistants.service.router import Call

if TYPE_CHECKING:
    from pytest_assistants.payloads.factories import Case, PayloadFactory

__all__ = [
    "DEFAULT_PROFILE",
    "PROFILES",
    "ApiError",
    "Call",
    "Case",
    "Choices",
    "FakeAssistants",
    "FakeInternalError",
    "PayloadFactory",
    "Profile",
    "assert_conforms",
    "get_profile",
]

_LAZY = {
    "PayloadFactory": "payloads.factories",
    "Case": "payloads.factories",
    "assert_conforms": "evidence.conformance",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pytest_assistants' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f".{module}", __name__), name)
