"""Which requests a fake claims: configured hosts, optionally with a gateway path prefix.

An entry is ``host`` or ``host/prefix`` (``proxy.example.com/openai/v1``): the prefix is the
part of a base URL before the dialect's own routes, which start at ``/v1`` (a trailing
``/v1`` in the entry is allowed and means the same), as ``serve`` strips ``/openai``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping


def host_matches(pattern: str, host: str) -> bool:
    """The one comparison of a configured host with a request's host (lower-case both):
    ``*.openai.azure.com`` claims every resource name (one label) under openai.azure.com."""
    if pattern.startswith("*."):
        return host.partition(".")[2] == pattern[2:] and "." in host
    return pattern == host


def split_entry(entry: str) -> tuple[str, str]:
    """``"Proxy.example.com/openai/v1"`` -> ``("proxy.example.com", "/openai")``."""
    host, _, rest = entry.strip().partition("/")
    rest = rest.strip("/")
    return host.lower(), ("/" + rest).removesuffix("/v1") if rest else ""


class HostTable:
    """Configured entries, longest prefix first, so the most specific claim wins."""

    def __init__(self, hosts: Mapping[str, str]) -> None:
        entries = [(*split_entry(entry), dialect) for entry, dialect in hosts.items()]
        self.entries = sorted(entries, key=lambda entry: -len(entry[1]))

    def dialect_of(self, host: str) -> str | None:
        """The dialect of a whole host (an entry without prefix), if one is configured."""
        host = host.lower()
        for pattern, prefix, dialect in self.entries:
            if not prefix and host_matches(pattern, host):
                return dialect
        return None

    def claim(self, host: str, path: str) -> tuple[str, str] | None:
        """(dialect, path without the prefix) when an entry covers this request, else None."""
        host = host.lower()
        for pattern, prefix, dialect in self.entries:
            if host_matches(pattern, host) and (
                not prefix or path == prefix or path.startswith(prefix + "/")
            ):
                return dialect, path[len(prefix) :] or "/"
        return None
