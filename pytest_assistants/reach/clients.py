"""Clients wired to a fake: httpx / httpx2 transports and clients, openai's ``OpenAI`` /
``AzureOpenAI`` and portkey-ai's ``Portkey``, sync and async (``FakeAssistants`` gets them
from :class:`WiredClients`). One builder serves all six SDK clients, so a sync client and
its async twin never differ in their defaults; each library is imported only when its
client is asked for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Literal, overload

from pytest_assistants.reach import transports as transport

if TYPE_CHECKING:
    from collections.abc import Callable

    import httpx
    import httpx2
    from openai import AsyncAzureOpenAI, AsyncOpenAI, AzureOpenAI, OpenAI
    from portkey_ai import AsyncPortkey, Portkey

    from pytest_assistants.service.http import HttpResponse
    from pytest_assistants.service.profiles import Profile

TEST_API_KEY = "sk-test-assistants-fake"
PORTKEY_TEST_KEY = "pk-test-assistants-fake"
AZURE_HOST = "pytest-assistants.openai.azure.com"
AZURE_API_VERSION = "2025-03-01-preview"  # the newest recorded Azure version (§13)
OPENAI_HINT = "pip install 'pytest-assistants[openai]'"
PORTKEY_HINT = "pip install 'pytest-assistants[portkey]'"


def load(name: str, hint: str) -> Any:
    """The SDK module, or an ImportError that says which extra installs it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        raise ImportError(f"{name} is not installed: {hint}") from None


def build(
    fake: WiredClients,
    class_name: str,
    kwargs: dict[str, Any],
    *,
    asynchronous: bool,
    host: str = "api.openai.com",
    library: str | None = None,
) -> Any:
    """``class_name`` of the SDK, on an HTTP client whose requests all go to ``fake``."""
    if class_name.removeprefix("Async") == "Portkey":
        sdk = load("portkey_ai", PORTKEY_HINT)
        kwargs.setdefault("api_key", PORTKEY_TEST_KEY)
        if not {"virtual_key", "provider", "config"} & set(kwargs):
            kwargs["virtual_key"] = "vk-test-assistants-fake"
        kwargs.setdefault("base_url", "https://api.portkey.ai/v1")
        host, library = "api.portkey.ai", "httpx"  # its vendored openai speaks httpx
    elif class_name.removeprefix("Async") == "AzureOpenAI":
        sdk = load("openai", OPENAI_HINT)
        azure_defaults(fake, kwargs)
        host = AZURE_HOST
    else:
        sdk = load("openai", OPENAI_HINT)
        kwargs.setdefault("api_key", TEST_API_KEY)
        kwargs.setdefault("base_url", "https://api.openai.com/v1")
    http = fake.async_http_client if asynchronous else fake.http_client
    kwargs.setdefault("http_client", http(host, library=library))
    return getattr(sdk, class_name)(**kwargs)


def azure_defaults(fake: WiredClients, kwargs: dict[str, Any]) -> None:
    """Resource ``pytest-assistants.openai.azure.com`` and, unless given, the ``api_version``
    of the Azure profile in use (2025-03-01-preview otherwise)."""
    from pytest_assistants.service.profiles import AZURE_PROFILE_VERSIONS

    if "azure_ad_token" not in kwargs and "azure_ad_token_provider" not in kwargs:
        kwargs.setdefault("api_key", TEST_API_KEY)
    if "base_url" not in kwargs:
        kwargs.setdefault("azure_endpoint", f"https://{AZURE_HOST}")
    kwargs.setdefault(
        "api_version", AZURE_PROFILE_VERSIONS.get(fake.profile.name, AZURE_API_VERSION)
    )


def base_url(host: str, dialect: str | None = None) -> str:
    """Where the dialect's routes start: ``https://api.zerobot.ai/v1``, ``https://h/openai/v1``
    for a ``h/openai`` entry, and Azure's ``https://contoso.openai.azure.com/openai``."""
    if dialect == "azure":
        return f"https://{host.rstrip('/').removesuffix('/openai')}/openai"
    return f"https://{host.rstrip('/').removesuffix('/v1')}/v1"


class WiredClients:
    """The clients of a fake, for any library: what ``FakeAssistants`` offers besides state.

    Needs only the fake's ``handle`` (every request goes there), ``dialect_of`` (where a
    host's routes start) and ``profile`` (Azure's default ``api_version``).
    """

    handle: Callable[..., HttpResponse]
    dialect_of: Callable[[str], str | None]
    profile: Profile

    @overload
    def transport(self, library: Literal["httpx"]) -> httpx.BaseTransport: ...
    @overload
    def transport(self, library: Literal["httpx2"]) -> httpx2.BaseTransport: ...
    @overload
    def transport(
        self, library: str | None = None
    ) -> httpx.BaseTransport | httpx2.BaseTransport: ...
    def transport(self, library: str | None = None) -> Any:
        """A sync transport for an httpx (default for openai 2.x) or httpx2 client."""
        sync_class, _ = transport.transport_classes(library or transport.openai_library())
        return sync_class(self.handle)

    @overload
    def async_transport(self, library: Literal["httpx"]) -> httpx.AsyncBaseTransport: ...
    @overload
    def async_transport(self, library: Literal["httpx2"]) -> httpx2.AsyncBaseTransport: ...
    @overload
    def async_transport(
        self, library: str | None = None
    ) -> httpx.AsyncBaseTransport | httpx2.AsyncBaseTransport: ...
    def async_transport(self, library: str | None = None) -> Any:
        _, async_class = transport.transport_classes(library or transport.openai_library())
        return async_class(self.handle)

    @overload
    def http_client(
        self, host: str = ..., *, library: Literal["httpx"], **kwargs: Any
    ) -> httpx.Client: ...
    @overload
    def http_client(
        self, host: str = ..., *, library: Literal["httpx2"], **kwargs: Any
    ) -> httpx2.Client: ...
    @overload
    def http_client(
        self, host: str = ..., *, library: str | None = None, **kwargs: Any
    ) -> httpx.Client | httpx2.Client: ...
    def http_client(
        self, host: str = "api.openai.com", *, library: str | None = None, **kwargs: Any
    ) -> Any:
        """A raw client whose requests all go to the fake.

        Its ``base_url`` ends where the dialect's routes start, ``https://{host}/v1`` (as
        ``assistants_server.url`` does; Azure: ``https://{host}/openai``), so
        ``client.post("/assistants", ...)`` works; a ``host/prefix`` entry gives
        ``https://host/prefix/v1``.
        """
        name = library or transport.openai_library()
        lib = transport.load_library(name)
        kwargs.setdefault("base_url", base_url(host, self.dialect_of(host.partition("/")[0])))
        return lib.Client(transport=self.transport(name), **kwargs)

    @overload
    def async_http_client(
        self, host: str = ..., *, library: Literal["httpx"], **kwargs: Any
    ) -> httpx.AsyncClient: ...
    @overload
    def async_http_client(
        self, host: str = ..., *, library: Literal["httpx2"], **kwargs: Any
    ) -> httpx2.AsyncClient: ...
    @overload
    def async_http_client(
        self, host: str = ..., *, library: str | None = None, **kwargs: Any
    ) -> httpx.AsyncClient | httpx2.AsyncClient: ...
    def async_http_client(
        self, host: str = "api.openai.com", *, library: str | None = None, **kwargs: Any
    ) -> Any:
        name = library or transport.openai_library()
        lib = transport.load_library(name)
        kwargs.setdefault("base_url", base_url(host, self.dialect_of(host.partition("/")[0])))
        return lib.AsyncClient(transport=self.async_transport(name), **kwargs)

    def openai(self, **kwargs: Any) -> OpenAI:
        """An ``openai.OpenAI`` client wired to the fake (openai 2.x on httpx, 3.x on httpx2)."""
        client: OpenAI = build(self, "OpenAI", kwargs, asynchronous=False)
        return client

    def async_openai(self, **kwargs: Any) -> AsyncOpenAI:
        client: AsyncOpenAI = build(self, "AsyncOpenAI", kwargs, asynchronous=True)
        return client

    def azure_openai(self, **kwargs: Any) -> AzureOpenAI:
        """An ``openai.AzureOpenAI`` client wired to the fake: resource
        ``pytest-assistants.openai.azure.com``, and unless given the ``api_version`` of the
        Azure profile in use (2025-03-01-preview otherwise), which picks v1 or v2 rules per
        request, as on Azure."""
        client: AzureOpenAI = build(self, "AzureOpenAI", kwargs, asynchronous=False)
        return client

    def async_azure_openai(self, **kwargs: Any) -> AsyncAzureOpenAI:
        client: AsyncAzureOpenAI = build(self, "AsyncAzureOpenAI", kwargs, asynchronous=True)
        return client

    def portkey(self, **kwargs: Any) -> Portkey:
        """A ``portkey_ai.Portkey`` client wired to the fake (its vendored openai uses httpx)."""
        client: Portkey = build(self, "Portkey", kwargs, asynchronous=False)
        return client

    def async_portkey(self, **kwargs: Any) -> AsyncPortkey:
        client: AsyncPortkey = build(self, "AsyncPortkey", kwargs, asynchronous=True)
        return client
