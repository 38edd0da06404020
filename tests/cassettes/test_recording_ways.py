"""Recording through every way in the fake serves, in both fixture orders.

With ``--assistants-record-mode=once`` a request through ``fake.openai()``,
``fake.http_client()``, an injected transport, requests, urllib3, urllib, aiohttp or
openai's ``DefaultAioHttpClient`` ends up in the cassette, scrubbed, and a replay without
the fake answers the ways that reach the network.
"""

from __future__ import annotations

import textwrap

import pytest
import yaml

from pytest_assistants.cli import main
from pytest_assistants.reach.interception import installed

KEY = "sk-proj-Xy7Qm2Lp9Vt4Rw8Zk3Nb6Hc1Jd5Fg0AsEr"
URL = "https://api.openai.com/v1/assistants"
HEADERS = {"OpenAI-Beta": "assistants=v2", "Authorization": f"Bearer {KEY}"}

# way -> (body of a test function using `fake`, whether a replay without the fake works)
WAYS: dict[str, tuple[str, bool]] = {
    "fake.openai()": ('fake.openai(api_key=KEY).beta.assistants.create(model="gpt-4o")', False),
    "fake.async_openai()": (
        'asyncio.run(fake.async_openai(api_key=KEY).beta.assistants.create(model="gpt-4o"))',
        False,
    ),
    "fake.http_client()": (
        'fake.http_client().post("/assistants", json=BODY, headers=HEADERS)',
        False,
    ),
    "fake.async_http_client()": (
        "async def send():\n"
        "        async with fake.async_http_client() as client:\n"
        '            await client.post("/assistants", json=BODY, headers=HEADERS)\n'
        "    asyncio.run(send())",
        False,
    ),
    "fake.transport()": (
        "httpx.Client(transport=fake.transport('httpx')).post(URL, json=BODY, headers=HEADERS)",
        False,
    ),
    "httpx": ("httpx.post(URL, json=BODY, headers=HEADERS)", True),
    "requests": ("requests.post(URL, json=BODY, headers=HEADERS)", True),
    "urllib3": (
        'urllib3.PoolManager().request("POST", URL, json=BODY, headers=HEADERS)',
        True,
    ),
    "urllib": (
        "urllib.request.urlopen(urllib.request.Request(URL, data=json.dumps(BODY).encode(),"
        ' headers={**HEADERS, "Content-Type": "application/json"}))',
        True,
    ),
    "aiohttp": (
        "async def send():\n"
        "        async with aiohttp.ClientSession() as session:\n"
        "            async with session.post(URL, json=BODY, headers=HEADERS) as answer:\n"
        "                await answer.read()\n"
        "    asyncio.run(send())",
        True,
    ),
    "DefaultAioHttpClient": (
        "async def send():\n"
        "        client = openai.AsyncOpenAI(api_key=KEY, http_client=openai.DefaultAioHttpClient())\n"
        '        await client.beta.assistants.create(model="gpt-4o")\n'
        "    asyncio.run(send())",
        True,
    ),
}
NEEDS = {
    "requests": "requests",
    "urllib3": "urllib3",
    "aiohttp": "aiohttp",
    "DefaultAioHttpClient": "httpx_aiohttp",
}

TEST = """
import asyncio, json, urllib.request
import httpx, openai, pytest
{imports}

KEY = {key!r}
URL = {url!r}
HEADERS = {headers!r}
BODY = {{"model": "gpt-4o", "instructions": "key " + KEY}}


def test_way({fixtures}):
    fake = assistants_fake
    {body}
"""


def way_test(way: str, fixtures: str) -> str:
    body, _ = WAYS[way]
    imports = "\n".join(f"import {NEEDS[way]}" for _ in [0] if way in NEEDS)
    if way == "DefaultAioHttpClient":
        imports = ""
    return TEST.format(
        imports=imports, key=KEY, url=URL, headers=HEADERS, fixtures=fixtures, body=body
    )


ORDERS = ["assistants_cassette, assistants_fake", "assistants_fake, assistants_cassette"]


@pytest.mark.parametrize("order", ORDERS, ids=["cassette first", "fake first"])
@pytest.mark.parametrize("way", sorted(WAYS))
def test_every_way_in_is_recorded_in_either_fixture_order(
    pytester: pytest.Pytester, way: str, order: str
) -> None:
    pytest.importorskip("openai")
    if way in NEEDS and not installed(NEEDS[way]):
        pytest.skip(f"{NEEDS[way]} is not installed")
    pytester.makepyfile(test_ways=way_test(way, order))
    result = pytester.runpytest("--assistants-record-mode=once", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    path = pytester.path / "cassettes" / "test_ways" / "test_way.yaml"
    assert path.is_file(), result.stdout.str()
    text = path.read_text()
    interactions = yaml.safe_load(text)["interactions"]
    assert [i["request"]["method"] for i in interactions] == ["POST"]
    assert interactions[0]["request"]["uri"] == URL
    assert interactions[0]["response"]["status"]["code"] == 200
    assert "recorded from the fake" in text
    assert KEY not in text
    assert main(["cassettes", "lint", str(path)]) == 0


@pytest.mark.parametrize("way", sorted(w for w, (_, network) in WAYS.items() if network))
def test_what_was_recorded_replays_without_the_fake(pytester: pytest.Pytester, way: str) -> None:
    pytest.importorskip("openai")
    if way in NEEDS and not installed(NEEDS[way]):
        pytest.skip(f"{NEEDS[way]} is not installed")
    pytester.makepyfile(test_ways=way_test(way, "assistants_cassette, assistants_fake"))
    pytester.runpytest("--assistants-record-mode=once", "-p", "no:cacheprovider")
    replay = way_test(way, "assistants_cassette").replace("fake = assistants_fake", "")
    pytester.makepyfile(test_ways=textwrap.dedent(replay))
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
