"""Hosts with path prefixes: a gateway or proxy path maps to a dialect, as ``serve`` does.

``proxy.example.com/openai/v1`` (ini, marker, config or ``FakeAssistants(hosts=)``) makes
the fake answer ``https://proxy.example.com/openai/v1/...`` by OpenAI's rules; the same
host outside the prefix is not the fake's. ``http_client(host=...)`` base URLs end where
the routes start (``/v1``), as ``assistants_server.url`` does.
"""

from __future__ import annotations

from typing import Any

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.reach.config import parse_hosts
from pytest_assistants.service.profiles import get_profile
from pytest_assistants.service.router import HostTable, Router
from pytest_assistants.service.store import Store

HEADERS = {"Authorization": "Bearer sk-test", "OpenAI-Beta": "assistants=v2"}


@pytest.mark.parametrize(
    ("entry", "host", "path", "claim"),
    [
        ("proxy.example.com/openai/v1", "proxy.example.com", "/openai/v1/assistants", ("openai", "/v1/assistants")),
        ("proxy.example.com/openai", "proxy.example.com", "/openai/v1/assistants", ("openai", "/v1/assistants")),
        ("proxy.example.com/openai/", "PROXY.example.com", "/openai/v1/assistants/asst_1", ("openai", "/v1/assistants/asst_1")),
        ("proxy.example.com/openai/v1", "proxy.example.com", "/other/v1/assistants", None),
        ("proxy.example.com/openai/v1", "proxy.example.com", "/openaiX/v1/assistants", None),
        ("proxy.example.com/openai/v1", "api.openai.com", "/openai/v1/assistants", None),
        ("proxy.example.com", "proxy.example.com", "/v1/assistants", ("openai", "/v1/assistants")),
        # a trailing slash alone names no prefix; the prefix itself is claimed (as "/")
        ("proxy.example.com/", "proxy.example.com", "/v1/assistants", ("openai", "/v1/assistants")),
        ("proxy.example.com/openai", "proxy.example.com", "/openai", ("openai", "/")),
        # the prefix is kept as written, case and all, up to its edges
        ("gw.test/Xai/v1", "gw.test", "/Xai/v1/assistants", ("openai", "/v1/assistants")),
        ("gw.test/Xai/v1", "gw.test", "/ai/v1/assistants", None),
    ],
)  # fmt: skip
def test_host_table_claims(entry: str, host: str, path: str, claim: Any) -> None:
    assert HostTable({entry: "openai"}).claim(host, path) == claim


def test_the_longest_prefix_wins() -> None:
    table = HostTable({"gw.test": "openai", "gw.test/zb": "zerobot", "gw.test/zb/pk": "portkey"})
    assert table.claim("gw.test", "/zb/pk/v1/assistants") == ("portkey", "/v1/assistants")
    assert table.claim("gw.test", "/zb/v1/assistants") == ("zerobot", "/v1/assistants")
    assert table.claim("gw.test", "/v1/assistants") == ("openai", "/v1/assistants")


def test_ini_lines_keep_the_prefix_as_written() -> None:
    assert parse_hosts(["Proxy.Example.com/OpenAI/v1=openai", "gw.test/zb = zerobot"]) == {
        "proxy.example.com/OpenAI/v1": "openai",
        "gw.test/zb": "zerobot",
    }


def test_the_openai_sdk_through_a_prefixed_gateway() -> None:
    openai = pytest.importorskip("openai")
    with FakeAssistants(hosts={"proxy.example.com/openai/v1": "openai"}) as fake:
        client = openai.OpenAI(api_key="sk-test", base_url="https://proxy.example.com/openai/v1")
        made = client.beta.assistants.create(model="gpt-4o", name="via proxy")
        assert client.beta.assistants.update(made.id, name="renamed").name == "renamed"
        with pytest.raises(openai.NotFoundError) as error:
            client.beta.assistants.retrieve("asst_missing")
    assert error.value.body["message"] == "No assistant found with id 'asst_missing'."
    assert fake.calls[0].url == "https://proxy.example.com/openai/v1/assistants"
    assert [(c.dialect, c.operation) for c in fake.calls] == [
        ("openai", "assistants.create"),
        ("openai", "assistants.modify"),
        ("openai", "assistants.retrieve"),
    ]


def test_a_zerobot_prefix_through_requests() -> None:
    requests = pytest.importorskip("requests")
    with FakeAssistants(hosts={"gw.test/zerobot": "zerobot"}) as fake:
        base = "https://gw.test/zerobot/v1/assistants"
        auth = {"Authorization": "Bearer zb-test"}
        made = requests.post(base, json={"model": "gpt-4o"}, headers=auth).json()
        renamed = requests.patch(f"{base}/{made['id']}", json={"name": "z"}, headers=auth)
    assert (renamed.status_code, renamed.json()["name"]) == (200, "z")
    assert [c.dialect for c in fake.calls] == ["zerobot", "zerobot"]


@pytest.mark.parametrize(
    ("host", "base"),
    [
        ("api.openai.com", "https://api.openai.com/v1/"),
        ("api.zerobot.ai", "https://api.zerobot.ai/v1/"),
        ("proxy.example.com/openai", "https://proxy.example.com/openai/v1/"),
        ("proxy.example.com/openai/v1", "https://proxy.example.com/openai/v1/"),
        ("contoso.openai.azure.com", "https://contoso.openai.azure.com/openai/"),
    ],
)
def test_http_client_base_urls_end_where_routes_start(host: str, base: str) -> None:
    fake = FakeAssistants(hosts={"proxy.example.com/openai": "openai"})
    version = {"api-version": "2024-05-01-preview"}  # Azure's; the others ignore it
    with fake.http_client(host, library="httpx", params=version) as http:
        assert str(http.base_url) == base
        assert http.get("/assistants", headers=HEADERS).json()["object"] == "list"
        assert http.get("assistants", headers=HEADERS).status_code == 200


def test_ini_and_marker_hosts_with_prefixes(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        """
        [pytest]
        assistants_hosts =
            proxy.example.com/openai/v1=openai
        """
    )
    pytester.makepyfile(
        """
        import httpx
        import pytest

        HEADERS = {"Authorization": "Bearer sk-test", "OpenAI-Beta": "assistants=v2"}

        def test_ini(assistants_fake):
            answer = httpx.get("https://proxy.example.com/openai/v1/assistants", headers=HEADERS)
            assert answer.json()["object"] == "list"

        @pytest.mark.assistants(hosts={"gw.test/zb/v1": "zerobot"})
        def test_marker(assistants_fake):
            answer = httpx.get("https://gw.test/zb/v1/assistants", headers=HEADERS)
            assert answer.status_code == 200
            assert assistants_fake.calls[0].dialect == "zerobot"
        """
    )
    result = pytester.runpytest("-W", "ignore::DeprecationWarning")
    result.assert_outcomes(passed=2)


def test_a_host_of_an_unknown_dialect_gets_openais_rules() -> None:
    """``FakeAssistants(hosts=)`` does not check dialect names (ini and marker do): a name
    the router has no dialect for falls back to OpenAI's, the default, not to a 500."""
    fake = FakeAssistants(hosts={"gw.test": "openai-compatible"})
    answer = fake.http_client("gw.test", library="httpx").get("/assistants", headers=HEADERS)
    assert (answer.status_code, answer.json()["object"]) == (200, "list")
    assert fake.calls[0].dialect == "openai-compatible"


def test_a_router_given_no_hosts_claims_the_providers() -> None:
    """``Router(hosts=None)``: the provider hosts of DEFAULT_HOSTS, each with its dialect."""
    router = Router(Store(), get_profile("openai-v2@2025-08"))
    assert router.claims("api.zerobot.ai", "/v1/assistants")
    assert not router.claims("example.com", "/v1/assistants")
    assert router.hosts.dialect_of("contoso.openai.azure.com") == "azure"
