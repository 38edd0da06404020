"""pytest-assistants: a faithful in-memory fake of the Assistants API for tests.

Public names (DESIGN.md): :class:`FakeAssistants`, profiles, errors; ``PayloadFactory``
and ``assert_conforms`` load their optional dependencies (Faker, vcrpy) on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import ApiError
from .fake import FakeAssistants, FakeInternalError
from .profiles import DEFAULT_PROFILE, PROFILES, Choices, Profile, get_profile
from .routes import Call

if TYPE_CHECKING:
    from .factories import Case, PayloadFactory

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

_LAZY = {"PayloadFactory": "factories", "Case": "factories", "assert_conforms": "conformance"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pytest_assistants' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f".{module}", __name__), name)
