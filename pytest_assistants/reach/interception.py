"""Which fakes are active, which requests they claim, and patches that come off exactly.

Every way in (httpcore pools, aiohttp, urllib3, urllib, the leak guard) asks here whether a
request is a fake's, and installs its patches through :class:`Patch` when the first fake
starts; they come off when the last one stops. Client libraries are imported then, never at
plugin load, and only if installed.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from pytest_assistants.reach.fake import FakeAssistants
    from pytest_assistants.service.router import Router

# The ways in, in patch order; each module has ``patches() -> list[Patch]``.
WAYS_IN = (
    "pytest_assistants.reach.transports",
    "pytest_assistants.reach.aiohttp",
    "pytest_assistants.reach.requests",
    "pytest_assistants.reach.urllib",
    "pytest_assistants.reach.guard",
)

_ACTIVE: list[FakeAssistants] = []
_APPLIED: list[Patch] = []
_LOCK = threading.RLock()


@dataclass
class Patch:
    """One attribute replaced on a class or module.

    ``undo`` restores the original only if the attribute is still ours. If another library
    (``responses``, ``aioresponses``, ``unittest.mock``) patched the same attribute after us
    and is still active, its patch stays in place; ours, beneath it, claims nothing once no
    fake is active, so when that library restores it every request goes where it would have
    gone without us.
    """

    owner: Any
    name: str
    replacement: Any

    def __post_init__(self) -> None:
        self.had_own = self.name in vars(self.owner)
        self.original = vars(self.owner)[self.name] if self.had_own else None

    def apply(self) -> None:
        setattr(self.owner, self.name, self.replacement)

    def undo(self) -> None:
        if vars(self.owner).get(self.name) is not self.replacement:
            return  # someone patched over us: leave theirs, ours is inert now
        if self.had_own:
            setattr(self.owner, self.name, self.original)
        else:
            delattr(self.owner, self.name)


def installed(name: str) -> bool:
    """Whether a client library can be imported, without importing it."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def claiming_fake(host: str, path: str) -> FakeAssistants | None:
    """The innermost active fake that claims this request, if any."""
    for fake in reversed(_ACTIVE):
        if fake.router.claims(host, path):
            return fake
    return None


def claiming_router(host: str, path: str) -> Router | None:
    fake = claiming_fake(host, path)
    return None if fake is None else fake.router


def guarding_fake(host: str) -> FakeAssistants | None:
    """The innermost active fake that claims every request to ``host`` (the leak guard's)."""
    for fake in reversed(_ACTIVE):
        if fake.router.dialect_of(host) is not None:
            return fake
    return None


def active() -> bool:
    return bool(_ACTIVE)


def activate(fake: FakeAssistants) -> None:
    with _LOCK:
        if not _ACTIVE:
            for module in WAYS_IN:
                patches: Callable[[], list[Patch]] = importlib.import_module(module).patches
                for patch in patches():
                    patch.apply()
                    _APPLIED.append(patch)
        _ACTIVE.append(fake)


def deactivate(fake: FakeAssistants) -> None:
    with _LOCK:
        if fake in _ACTIVE:
            _ACTIVE.remove(fake)
        if not _ACTIVE:
            while _APPLIED:
                _APPLIED.pop().undo()
