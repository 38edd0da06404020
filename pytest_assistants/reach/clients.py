"""SDK clients wired to a fake: openai's ``OpenAI`` / ``AzureOpenAI`` and portkey-ai's
``Portkey``, sync and async. One builder serves all six, so a sync client and its async twin
never differ in their defaults; each SDK is imported only when its client is asked for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytest_assistants.reach.fake import FakeAssistants

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
    fake: FakeAssistants,
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


def azure_defaults(fake: FakeAssistants, kwargs: dict[str, Any]) -> None:
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
