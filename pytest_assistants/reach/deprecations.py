"""The SDKs' Assistants-family deprecation warnings, ignored where the fake serves the calls.

The openai SDK (2.x and 3.x, and the copy portkey-ai vendors) marks every Assistants-family
method deprecated: a test that calls them on purpose, against the fake, would otherwise see
one warning per call, and a suite run with ``-W error`` or ``filterwarnings = error`` would
fail on them. Only these exact texts are ignored, and only as a ``DeprecationWarning``:

- ``deprecated``: ``beta.assistants`` (create, retrieve, update, list, delete);
- ``The Assistants API is deprecated in favor of the Responses API``: ``beta.threads``,
  messages, runs and run steps;
- ``use `stream` instead``: ``beta.threads.runs.create_and_stream``.

Vector stores and files carry no Assistants deprecation in those SDKs. Switched off by the
ini option ``assistants_filter_deprecation = false`` (the plugin calls :func:`set_enabled`)
or, outside pytest, by ``set_enabled(False)``.
"""

from __future__ import annotations

import re
import threading
import warnings

TEXTS = (
    "deprecated",
    "The Assistants API is deprecated in favor of the Responses API",
    "use `stream` instead",
)
PATTERNS = tuple(re.escape(text) + r"\Z" for text in TEXTS)  # whole messages only


class _State:
    enabled = True
    active = 0  # fakes started while enabled and not yet stopped


_lock = threading.Lock()


def set_enabled(enabled: bool) -> bool:
    """Whether fakes started from now on ignore the texts; returns the previous setting."""
    with _lock:
        previous = _State.enabled
        _State.enabled = enabled
    return previous


def enabled() -> bool:
    return _State.enabled


def ignore() -> None:
    """Put the filters in front of the current ones (``-W error`` included).

    Inside pytest's per-test ``catch_warnings`` (fixture setup), they last one test.
    """
    for pattern in PATTERNS:
        warnings.filterwarnings("ignore", message=pattern, category=DeprecationWarning)


def quiet() -> bool:
    """``FakeAssistants.start()``: ignore the texts while any fake is active.

    Returns whether this call took a share, to hand back to :func:`release`.
    """
    with _lock:
        if not _State.enabled:
            return False
        _State.active += 1
        _ensure()
    return True


def reapply() -> None:
    """At each test's start: a fake started in a wider scope (a session fixture) was
    quieted inside the first test's ``catch_warnings``, which dropped the filters after it."""
    with _lock:
        if _State.active:
            _ensure()


def _ensure() -> None:
    missing = [pattern for pattern in PATTERNS if _installed(pattern) is None]
    for pattern in missing:
        warnings.filterwarnings("ignore", message=pattern, category=DeprecationWarning)


def _installed(pattern: str) -> tuple[object, ...] | None:
    for entry in warnings.filters:
        message = getattr(entry[1], "pattern", None)
        if entry[0] == "ignore" and message == pattern and entry[2] is DeprecationWarning:
            return entry
    return None


def release(took: bool) -> None:
    """``FakeAssistants.stop()``: the last active fake takes the filters out again.

    Each entry ``ignore()`` put in is removed from the list in force, if it is still there
    (a ``catch_warnings`` that ended in between already dropped it). An ``ignore`` action
    writes nothing to the modules' warning registries, so removing one needs no reset.
    """
    if not took:
        return
    with _lock:
        _State.active -= 1
        if _State.active:
            return
        for pattern in PATTERNS:
            entry = _installed(pattern)
            if entry is not None:
                warnings.filters.remove(entry)  # type: ignore[attr-defined]  # a list at run time
