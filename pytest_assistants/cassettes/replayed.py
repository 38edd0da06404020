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

    operation, assistant_id = it.route
    body = it.response_json
    if 200 <= it.status < 300:
        # A body that is no assistant object (a documentation placeholder): nothing to store.
        with contextlib.suppress(TypeError):
            _apply_to_store(fake, operation, assistant_id, body)
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


def _apply_to_store(
    fake: FakeAssistants, operation: str, assistant_id: str | None, body: Any
) -> None:
    if not isinstance(body, dict):
        return
    held = fake.assistants
    if operation == "assistants.create" and body.get("id"):
        fake.spend_id()  # the id the fake would have spent on it
        fake.put(body)
    elif operation == "assistants.modify" and body.get("id"):
        fake.put(body)
    elif operation == "assistants.delete" and assistant_id:
        fake.discard(assistant_id)
    elif operation == "assistants.retrieve" and body.get("id") and str(body["id"]) not in held:
        fake.put(body)
    elif operation == "assistants.list":
        for item in body.get("data") or []:
            if isinstance(item, dict) and item.get("id") and item["id"] not in held:
                fake.put(item)


def replay_into_fake(request: Any, response: dict[str, Any], source: str) -> None:
    """Apply a response the cassette played to the fake that claims its host, if any."""
    from pytest_assistants.reach.interception import claiming_fake

    host = (getattr(request, "host", "") or "").lower()
    fake = claiming_fake(host, "/v1")
    if fake is not None:
        apply_replayed(fake, as_interaction(request, response, source))
