"""Decoded views of a text that know where each of their characters came from.

A secret may sit in a cassette behind JSON escapes (``"\\u0073k-..."``) or percent-encoding
(``token%3Dsk-...``), or both. Finding it in a decoded copy is not enough: scrubbing must
replace the escaped characters themselves, in place, leaving every other byte of the body as
recorded. So each view keeps a list of its decoded pieces (where each starts in the view and
in the text it was decoded from); a span found in the view maps back to the span of raw
characters that produced it. Decoding and mapping are linear in the text: one regular
expression pass, and a binary search per span.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_JSON_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[\s\S])")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


def _json_char(match: re.Match[str]) -> str:
    code = match.group(1)
    if len(code) == 5:
        return chr(int(code[1:], 16))
    return _SIMPLE_ESCAPES.get(code, code)


def _percent_char(match: re.Match[str]) -> str:
    return chr(int(match.group(1), 16))  # one character per byte: secrets are ASCII


@dataclass
class View:
    """``text`` decoded from ``parent`` (None: the raw text itself).

    ``starts`` are the view positions where an escape's character sits, ``sources`` the
    parent span of that escape; characters between escapes map one to one.
    """

    text: str
    parent: View | None = None
    starts: list[int] = field(default_factory=list)
    sources: list[tuple[int, int]] = field(default_factory=list)

    def _parent_index(self, position: int, *, end: bool) -> int:
        """The parent position of view position ``position`` (a start, or an end)."""
        found = bisect.bisect_right(self.starts, position - 1 if end else position) - 1
        if found < 0:
            return position
        start = self.starts[found]
        source_start, source_end = self.sources[found]
        if end and position == start + 1:
            return source_end
        if not end and position == start:
            return source_start
        return source_end + (position - start - 1)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the raw text whose decoding gave ``text[start:end]``."""
        view: View | None = self
        while view is not None and view.parent is not None:
            start, end = view._parent_index(start, end=False), view._parent_index(end, end=True)
            view = view.parent
        return start, end


def decode(parent: View, pattern: re.Pattern[str], char: object) -> View | None:
    """``parent`` with every match of ``pattern`` replaced by one character; None if none."""
    pieces: list[str] = []
    starts: list[int] = []
    sources: list[tuple[int, int]] = []
    text, last, length = parent.text, 0, 0
    for match in pattern.finditer(text):
        pieces.append(text[last : match.start()])
        length += match.start() - last
        starts.append(length)
        sources.append(match.span())
        pieces.append(char(match))  # type: ignore[operator]
        length += 1
        last = match.end()
    if not starts:
        return None
    pieces.append(text[last:])
    return View("".join(pieces), parent, starts, sources)


def views(text: str) -> list[View]:
    """The text, its JSON-unescaped and percent-decoded views, and both (in that order)."""
    found = [View(text)]
    if "\\" in text:
        unescaped = decode(found[0], _JSON_ESCAPE, _json_char)
        if unescaped is not None:
            found.append(unescaped)
    for view in list(found):
        if "%" in view.text:
            decoded = decode(view, _PERCENT, _percent_char)
            if decoded is not None:
                found.append(decoded)
    return found
