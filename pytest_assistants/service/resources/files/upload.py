"""An upload's ``multipart/form-data`` body (``client.files.create(file=..., purpose=...)``).

Read with the ``multipart`` library's push parser in strict mode: a small, dependency-free,
maintained parser of RFC 7578 forms that keeps a part's bytes exactly as sent and reads an
8 MB body in milliseconds. The standard library's email parser was the other candidate: it
also keeps bytes exactly, but it reads line by line (about a second for 8 MB of text) and
never fails, it notes defects, so a truncated body would need checks of our own.

What the SDKs send (httpx, httpx2; .NET's recorded bodies too, whose parameters are
unquoted and whose boundaries hold ``=``): one part named ``file`` with a ``filename``, and
text fields (``purpose``, ``expires_after[anchor]``, ``expires_after[seconds]``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import multipart

if TYPE_CHECKING:
    from collections.abc import Mapping

MAX_FIELDS = 64  # our limit (no evidence): a form of more parts is not an upload


@dataclass(frozen=True)
class Form:
    """The parts of a well-formed form: its text fields and its file part, if any."""

    fields: dict[str, str] = field(default_factory=dict)
    filename: str | None = None
    content: bytes = b""


def read_form(body: bytes, headers: Mapping[str, str]) -> Form | None:
    """The form ``body`` holds, or None when it is not a well-formed multipart form (wrong
    content type, no boundary, a truncated or malformed body, text that is not UTF-8)."""
    mime, options = multipart.parse_options_header(headers.get("content-type", ""))
    boundary = options.get("boundary")
    if mime != "multipart/form-data" or not boundary:
        return None
    fields: dict[str, str] = {}
    file: tuple[str, bytes] | None = None
    try:
        parser = multipart.PushMultipartParser(
            boundary, content_length=len(body), max_segment_count=MAX_FIELDS, strict=True
        )
        with parser:
            segment: multipart.MultipartSegment | None = None
            chunks: list[bytes] = []
            for event in (*parser.parse(body), *parser.parse(b"")):
                if isinstance(event, multipart.MultipartSegment):
                    segment, chunks = event, []
                elif event is not None:
                    chunks.append(event)
                elif segment is not None:  # the segment is complete
                    data = b"".join(chunks)
                    if segment.name == "file" and segment.filename is not None:
                        file = file or (segment.filename, data)
                    elif segment.name:
                        fields[segment.name] = data.decode("utf-8")
    except (multipart.MultipartError, UnicodeDecodeError):
        return None
    if file is None:
        return Form(fields)
    return Form(fields, file[0], file[1])
