"""The way in for ``requests`` and anything else on urllib3 (``urllib3.request``, pools).

The patch point is ``urllib3.HTTPConnectionPool.urlopen``: requests' adapter and urllib3's
pool manager both end there, beneath ``responses`` (which patches requests' adapter), so a
``responses`` mock still wins while active and composes with the fake in either order. A
claimed request is answered with urllib3's own ``HTTPResponse``; retries follow the
caller's ``urllib3.Retry`` through its public ``is_retry`` / ``increment`` / ``sleep``, the
loop urllib3's ``urlopen`` runs itself, so ``HTTPAdapter(max_retries=Retry(...))`` behaves
as against a server. Other hosts go to the original ``urlopen`` untouched.
"""

from __future__ import annotations

import http
import http.client
import importlib
import io
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pytest_assistants.reach import interception
from pytest_assistants.reach.adapter import answered, http_request
from pytest_assistants.reach.interception import Patch
from pytest_assistants.service.faults import TransportFault

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pytest_assistants.service.http import HttpRequest


def body_bytes(body: Any) -> bytes:
    """What urllib3 would put on the wire for ``body`` (bytes, text, or chunks)."""
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        data = body.read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    chunks: Iterable[bytes | str] = body
    return b"".join(c.encode("utf-8") if isinstance(c, str) else c for c in chunks)


def to_request(pool: Any, method: str, url: str, headers: Any, body: bytes) -> HttpRequest:
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target = f"{target}?{parts.query}"
    return http_request(
        method, pool.host, target, list(dict(headers or {}).items()), body, scheme=pool.scheme
    )


def patches() -> list[Patch]:
    if not interception.installed("urllib3"):
        return []
    connectionpool = importlib.import_module("urllib3.connectionpool")
    exceptions = importlib.import_module("urllib3.exceptions")
    response_module = importlib.import_module("urllib3.response")
    retry_module = importlib.import_module("urllib3.util.retry")
    pool_class = connectionpool.HTTPConnectionPool
    original = pool_class.urlopen

    def urlopen(
        self: Any,
        method: str,
        url: str,
        body: Any = None,
        headers: Any = None,
        retries: Any = None,
        redirect: bool = True,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        path = urlsplit(url).path or "/"
        handle = interception.claiming_handler(self.host, path)
        if handle is None:
            return original(self, method, url, body, headers, retries, redirect, *args, **kwargs)
        if not isinstance(retries, retry_module.Retry):
            retries = retry_module.Retry.from_int(retries, redirect=redirect, default=self.retries)
        sent = body_bytes(body)
        again = (method, url, sent, headers)
        try:
            asked = to_request(self, method, url, headers or self.headers, sent)
            answer = answered(handle, asked)
        except TransportFault as fault:
            if fault.kind == "timeout":
                error = exceptions.ReadTimeoutError(
                    self, url, "Read timed out. (injected by assistants_fake.fail)"
                )
            else:
                error = exceptions.ProtocolError(
                    "Connection aborted.",
                    http.client.RemoteDisconnected(
                        "Remote end closed connection without response"
                        " (injected by assistants_fake.fail)"
                    ),
                )
            retries = retries.increment(method, url, error=error, _pool=self)
            retries.sleep()
            return urlopen(self, *again, retries, redirect, *args, **kwargs)
        response = response_module.HTTPResponse(
            body=io.BytesIO(answer.body),
            headers=answer.headers,
            status=answer.status,
            reason=reason(answer.status),
            preload_content=kwargs.get("preload_content", True),
            decode_content=kwargs.get("decode_content", True),
            request_method=method,
            request_url=url,
            retries=retries,
        )
        if retries.is_retry(method, answer.status, bool(response.headers.get("Retry-After"))):
            try:
                retries = retries.increment(method, url, response=response, _pool=self)
            except exceptions.MaxRetryError:
                if retries.raise_on_status:
                    raise
                return response
            retries.sleep(response)
            return urlopen(self, *again, retries, redirect, *args, **kwargs)
        return response

    return [Patch(pool_class, "urlopen", urlopen)]


def reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""
