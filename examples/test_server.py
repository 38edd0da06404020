"""The app configured with base_url=assistants_server.url: real HTTP to the fake on 127.0.0.1."""

from __future__ import annotations

import json
import urllib.request
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from app.assistants_service import AssistantManager

if TYPE_CHECKING:
    from pytest_assistants import AssistantsServer


def test_app_talks_http_to_the_served_fake(assistants_server: AssistantsServer) -> None:
    assert urlsplit(assistants_server.url).hostname == "127.0.0.1"
    manager = AssistantManager(base_url=assistants_server.url)  # as a staging config would
    made = manager.ensure("support", model="gpt-4o", instructions="Be brief.", metadata={"t": "a"})
    again = manager.ensure("support", model="gpt-4o", instructions="Be kind.", metadata={"t": "a"})
    assert again.id == made.id
    assert manager.tag(made.id, env="staging") == {"t": "a", "env": "staging"}
    assert manager.retire(made.id) is True
    assert manager.retire(made.id) is False  # a real 404 over the socket, handled by the app
    journal = [(c.method, c.status) for c in assistants_server.fake.calls]
    assert journal == [
        ("GET", 200),  # ensure: list, then create
        ("POST", 200),
        ("GET", 200),  # ensure again: list, then modify only what differs
        ("POST", 200),
        ("GET", 200),  # tag: retrieve, then modify
        ("POST", 200),
        ("DELETE", 200),
        ("DELETE", 404),
    ]
    assert assistants_server.fake.calls[3].json == {"instructions": "Be kind."}


def test_any_http_client_reads_what_the_app_wrote(assistants_server: AssistantsServer) -> None:
    made = AssistantManager(base_url=assistants_server.url).ensure(
        "reporter", model="gpt-4o", instructions="Summarise the week."
    )
    request = urllib.request.Request(  # e.g. an ops script or another service, no SDK
        f"{assistants_server.url}/assistants/{made.id}",
        headers={"Authorization": "Bearer sk-ops", "OpenAI-Beta": "assistants=v2"},
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
    with opener.open(request, timeout=10) as response:
        assert response.headers["x-request-id"].startswith("req_")
        body = json.load(response)
    assert (body["id"], body["instructions"]) == (made.id, "Summarise the week.")
