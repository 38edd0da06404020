"""File uploads in the recordings: bodies kept as lines, and bodies the recorder dropped.

Most recorders left a ``multipart/form-data`` upload out (the request body is ``null``), and
the reference JSONL keeps the .NET ones it has as text lines, ``b64:`` lines holding bytes.
An upload's answer names what was sent (``filename``, ``purpose`` and ``bytes``), and the
answer is all the provider decided from it (§14.5), so a dropped upload is rebuilt from its
answer: a file of that name and size, for that purpose. What is then compared is the
provider's part (the id's shape, status, timestamps, key order, headers), never the
echoed fields as evidence; the result notes it (:data:`REBUILT`).
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytest_assistants.evidence.recordings import Interaction

REBUILT = "upload rebuilt from its answer (filename, purpose, bytes)"
BOUNDARY = "pytest-assistants-conformance-upload"


def joined_lines(body: Any) -> bytes | None:
    """A body recorded as a list of text lines (``b64:`` lines hold bytes), or None when it
    is not one."""
    if not isinstance(body, list) or not all(isinstance(line, str) for line in body):
        return None
    out = []
    for line in body:
        if line.startswith("b64:"):
            try:
                out.append(base64.b64decode(line[4:], validate=True))
            except (binascii.Error, ValueError):
                return None
        else:
            out.append(line.encode("utf-8"))
    return b"".join(out)


def is_upload(it: Interaction) -> bool:
    return "multipart/" in it.request_headers.get("content-type", "")


def rebuildable(it: Interaction) -> bool:
    """A dropped upload whose 2xx answer names the file: name, purpose and size."""
    body = it.response_json
    return (
        is_upload(it)
        and not it.request_body
        and 200 <= it.status < 300
        and isinstance(body, dict)
        and body.get("object") == "file"
        and isinstance(body.get("filename"), str)
        and isinstance(body.get("purpose"), str)
        and isinstance(body.get("bytes"), int)
        and 0 <= body["bytes"] <= 1 << 20
    )


def rebuilt(it: Interaction) -> tuple[bytes, str]:
    """(body, content type) of the upload the answer of ``it`` describes."""
    answer = it.response_json
    name = answer["filename"].replace('"', "%22").replace("\r", "").replace("\n", "")
    parts = [
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="purpose"\r\n\r\n{answer["purpose"]}\r\n',
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n",
    ]
    body = "".join(parts).encode() + b"x" * answer["bytes"] + f"\r\n--{BOUNDARY}--\r\n".encode()
    return body, f"multipart/form-data; boundary={BOUNDARY}"
