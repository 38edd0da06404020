"""What a replayed interaction does to an active fake: the same as if the fake had served it.

When a cassette answers a request to a host the fake claims, the fake never sees the
request. Without more, ``assistants_fake.assistants`` stays empty during replay, ``calls``
misses the replayed calls, and a request the cassette does not hold (recorded with
``new_episodes``) meets a fake that never saw the assistant the cassette created: a bogus
404 is recorded. So each replayed answer is applied to the fake's store (creates and
modifies put the answered object, deletes remove it, a retrieve or list of an assistant the
store lacks adds it), the fake's id and request-id generators advance as they would have,
and the call is journalled with ``replayed=True``.
"""

from __future__ import annotations

import contextlib
import json
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pytest_assistants.evidence.recordings import Interaction, decode_body
from pytest_assistants.service.routes import KINDS

if TYPE_CHECKING:
    from pytest_assistants.reach.fake import FakeAssistants


def _headers(raw: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in dict(raw or {}).items():
        values = value if isinstance(value, list) else [value]
        out[str(name).lower()] = ", ".join(str(v) for v in values)
    return out


def as_interaction(request: Any, response: dict[str, Any], source: str = "") -> Interaction:
    """A vcrpy request and recorded response as one :class:`Interaction`."""
    response_headers = _headers(response.get("headers"))
    raw = (response.get("body") or {}).get("string")
    body, problem = decode_body(raw, response_headers)
    status = response.get("status") or {}
    request_body = request.body or b""
    return Interaction(
        source=source,
        index=0,
        method=str(request.method).upper(),
        url=str(request.uri),
        status=int(status.get("code", 0) if isinstance(status, dict) else status),
        request_headers=_headers(request.headers),
        request_body=request_body.encode() if isinstance(request_body, str) else request_body,
        response_headers=response_headers,
        response_json=body,
        response_problem=problem,
    )


def apply_replayed(fake: FakeAssistants, it: Interaction) -> None:
    """Make the fake's state and journal what they would be had it served ``it``."""
    from pytest_assistants.service.http import Call

    operation, object_id = it.route
    body = it.response_json
    if 200 <= it.status < 300:
        # A body that is no object of the family (a documentation placeholder): not stored.
        with contextlib.suppress(TypeError):
            _apply_to_store(fake, operation, object_id, body)
    fake.journal(
        Call(
            it.method,
            it.url,
            MappingProxyType(dict(it.request_headers)),
            it.request_body,
            it.status,
            b"" if body is None else json.dumps(body, ensure_ascii=False).encode(),
            fake.dialect_of(it.host) or fake.profile.dialect,
            None if operation.startswith("other:") else operation,
            replayed=True,
            response_headers=MappingProxyType(dict(it.response_headers)),
        )
    )


def _apply_to_store(fake: FakeAssistants, operation: str, object_id: str | None, body: Any) -> None:
    """What the answer shows, stored by the kind of its objects (any of the family)."""
    if not isinstance(body, dict):
        return
    kind = str(body.get("object") or "")
    if kind == "list":
        for item in body.get("data") or []:
            if _storable(item) and item["id"] not in fake.objects(item["object"]):
                fake.put(item)
    elif kind.endswith(".deleted") and body.get("id"):
        fake.discard(str(body["id"]), kind.removesuffix(".deleted"))
    elif _storable(body):
        creates = operation.endswith(".create") or operation == "threads.create_and_run"
        if creates and body["id"] not in fake.objects(kind):
            fake.spend_id(KINDS[kind].id_prefix)  # the id the fake would have spent on it
        thread_id = body.get("thread_id")
        if isinstance(thread_id, str) and thread_id not in fake.threads:
            fake.put({"id": thread_id, "object": "thread"})  # made by create-and-run
        fake.put(body)


def _storable(value: Any) -> bool:
    return isinstance(value, dict) and bool(value.get("id")) and value.get("object") in KINDS


def replay_into_fake(request: Any, response: dict[str, Any], source: str) -> None:
    """Apply a response the cassette played to the fake that claims its host, if any."""
    from pytest_assistants.reach.interception import claiming_fake

    host = (getattr(request, "host", "") or "").lower()
    fake = claiming_fake(host, "/v1")
    if fake is not None:
        apply_replayed(fake, as_interaction(request, response, source))
