"""The probe's figure: key kinds planted in every place a request can carry them, recorded
through httpx, httpx2 and the openai SDK with the fake answering. Goal: none reaches disk.

Each (kind, place) pair gets a cassette of its own; the key is also sent as the request's
credential (``api-key``), as a client configured with it would, so the two kinds without
any shape (a 32-hex Azure key, a bare AWS secret) are caught too. A second test plants the
keys in bodies alone: every kind with a shape goes, the shapeless two stay (the line
docs/how-to/scrubbing.md draws).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest
import yaml

from pytest_assistants import FakeAssistants
from pytest_assistants.cassettes.replay import use_cassette
from pytest_assistants.reach.transports import load_library
from tests.secret_corpus import KEY_KINDS, SHAPELESS

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

URL = "https://api.openai.com/v1/assistants"
BETA = {"OpenAI-Beta": "assistants=v2"}


def percent(text: str) -> str:
    return "".join(f"%{ord(char):02X}" for char in text)


def escaped(text: str) -> str:
    return "".join(f"\\u{ord(char):04x}" for char in text)


def places(key: str) -> dict[str, Callable[[Any], Any]]:
    """Place name -> what a client sends (or makes the fake answer) with the key there."""

    def create(client: Any, **body: Any) -> Any:
        return client.post(URL, json={"model": "gpt-4o", **body}, headers=BETA)

    return {
        "authorization": lambda c: c.get(URL, headers={**BETA, "Authorization": f"Bearer {key}"}),
        "x-api-key": lambda c: c.get(URL, headers={**BETA, "x-api-key": key}),
        "x-portkey-api-key": lambda c: c.get(URL, headers={**BETA, "x-portkey-api-key": key}),
        "query api_key": lambda c: c.get(URL, params={"api_key": key}, headers=BETA),
        "query key": lambda c: c.get(URL, params={"key": key}, headers=BETA),
        "path": lambda c: c.get(f"{URL}/{quote(key, safe='')}", headers=BETA),
        "body": lambda c: create(c, instructions=f"use {key} here"),
        "body after a name": lambda c: create(c, instructions=f"api_key={key}"),
        "body percent-encoded": lambda c: create(c, instructions=f"x?q={percent(key)}"),
        "body json-escaped": lambda c: c.post(
            URL,
            content=('{"model": "gpt-4o", "name": "' + escaped(key) + '"}').encode(),
            headers={**BETA, "content-type": "application/json"},
        ),
        "metadata": lambda c: create(c, metadata={"token": key}),
        "answer header": lambda c: c.get(URL, headers=BETA),
        "answer body": lambda c: c.get(URL, headers=BETA),
        "answer header allowed": lambda c: c.get(URL, headers=BETA),
    }


def faults(fake: FakeAssistants, place: str, key: str) -> None:
    if place == "answer header":
        fake.fail(400, headers={"x-vendor-echo": key})
    elif place == "answer header allowed":
        fake.fail(400, headers={"x-request-id": f"req {key}"})
    elif place == "answer body":
        fake.fail(400, body={"error": {"message": f"bad key {key}", "type": "x"}})


def forms(key: str) -> list[str]:
    """The key as a file could hold it: as is, percent-encoded, JSON-escaped, YAML-quoted."""
    return [key, percent(key), escaped(key), json.dumps(key)[1:-1]]


def on_disk(path: Path, key: str) -> bool:
    text = path.read_text()
    decoded = json.dumps(yaml.safe_load(text), default=str)
    return any(form in text or form in decoded for form in forms(key))


def record(path: Path, library: str, key: str, place: str, *, credential: bool) -> None:
    lib = load_library(library)
    headers = {"api-key": key} if credential else {}
    with FakeAssistants(seed=1) as fake, use_cassette(path, "once"):
        faults(fake, place, key)
        with lib.Client(headers=headers) as client:
            places(key)[place](client)


@pytest.mark.parametrize("library", ["httpx", "httpx2"])
@pytest.mark.parametrize("kind", sorted(KEY_KINDS))
def test_no_planted_key_reaches_disk_in_any_place(kind: str, library: str, tmp_path: Path) -> None:
    key = KEY_KINDS[kind]
    leaks = []
    for place in places(key):
        path = tmp_path / f"{place}.yaml"
        record(path, library, key, place, credential=True)
        if on_disk(path, key):
            leaks.append(place)
    assert leaks == []


@pytest.mark.parametrize("kind", sorted(KEY_KINDS))
def test_keys_with_a_shape_are_caught_in_bodies_without_being_sent(
    kind: str, tmp_path: Path
) -> None:
    key = KEY_KINDS[kind]
    body_places = [p for p in places(key) if p.startswith(("body", "answer body", "path"))]
    kept = []
    for place in body_places:
        path = tmp_path / f"{place}.yaml"
        record(path, "httpx", key, place, credential=False)
        if on_disk(path, key):
            kept.append(place)
    if kind in SHAPELESS:  # no shape and no name: cannot be told from an id or a hash
        assert "body" in kept
        assert "body after a name" not in kept
    else:
        assert kept == []


def test_the_sdk_records_no_key_it_was_given(tmp_path: Path) -> None:
    openai = pytest.importorskip("openai")
    key = KEY_KINDS["deepseek"]
    path = tmp_path / "sdk.yaml"
    with FakeAssistants(seed=1), use_cassette(path, "once"):
        client = openai.OpenAI(api_key=key, max_retries=0)
        made = client.beta.assistants.create(model="gpt-4o", instructions=f"key {key}")
        client.beta.assistants.retrieve(made.id, extra_query={"key": key})
    assert not on_disk(path, key)
