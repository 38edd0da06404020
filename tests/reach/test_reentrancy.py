"""Ways in that survive a second in-process pytest session (pytester, IDE runners).

pytester's ``runpytest`` restores ``sys.modules`` after each run, so a client library first
imported inside one run is imported afresh by the next: transports built for the first
import must not be handed to the second (httpx2 then refuses the stream, httpx raises
APIConnectionError). The middle session here imports the plugin's transports module but no
client library, as a suite whose conftest uses pytest-assistants does.
"""

from __future__ import annotations

import pytest

MIDDLE = '''
import pytest

INNER = """
import httpx

HEADERS = {"OpenAI-Beta": "assistants=v2", "Authorization": "Bearer sk-test"}

def test_inner(assistants_fake):
    made = assistants_fake.openai().beta.assistants.create(model="gpt-4o")
    assert made.id.startswith("asst_")
    with assistants_fake.http_client() as client:
        assert client.get("/assistants", headers=HEADERS).status_code == 200
    transport = assistants_fake.transport("httpx")
    with httpx.Client(transport=transport, base_url="https://api.openai.com/v1") as raw:
        assert raw.get("/assistants", headers=HEADERS).status_code == 200
"""


def test_two_sessions(pytester):
    pytester.makepyfile(test_inner=INNER)
    for _ in range(3):
        result = pytester.runpytest("-p", "pytest_assistants.plugin", "-p", "no:cacheprovider")
        result.assert_outcomes(passed=1)
'''


def test_fake_clients_work_in_every_in_process_session(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("openai")
    # no other plugin: respx and others would import httpx before the first session
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makeconftest(
        "import sys\n"
        "import pytest_assistants.reach.transports  # the plugin's, but no client library\n"
        "assert 'httpx' not in sys.modules and 'httpx2' not in sys.modules\n"
    )
    pytester.makepyfile(test_middle=MIDDLE)
    result = pytester.runpytest_subprocess(
        "-p", "pytester", "-p", "pytest_assistants.plugin", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=1)
