"""Replay every era's recorded sessions against the profile ``profile_for`` picks for them.

Each recorded file is split into sessions by beta header and era; a session is replayed in
order against a fresh fake of its profile, recorded ids are mapped to the fake's, and each
answer must equal the recorded one (key order included) apart from ids, timestamps and
vector store ids. What cannot be compared is listed below with the reason, and the test
fails if anything else is left out.
"""

from __future__ import annotations

import functools
import json
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.evidence.eras import profile_for

if TYPE_CHECKING:
    from pathlib import Path

OPERATIONS = {"create", "modify", "retrieve", "delete", "list"}
VOLATILE = {"id", "created_at", "first_id", "last_id"}
KEY = "sk-recorded-session"

# Interactions that cannot match, and why (checked: every skip must carry one of these).
CANNOT_MATCH = {
    "outside": (
        "refers to an assistant the replayed session did not create: made before the recording"
        " began, or in an earlier run whose interactions stayed in the same cassette"
    ),
    "list-outside": "lists assistants created outside the recording (other test runs)",
    "undecodable": "the recorded body is not JSON (gzip kept as binary, or empty)",
    "sub-files": (
        "/assistants/{id}/files is not an assistants operation the fake serves; its effect is"
        " replayed through modify (v1 file_ids, v2 a vector store), the answer not compared"
    ),
}
# Every interaction left out, by reason ("<cassette>#<index>", cassette name shortened to its
# last part). The test fails if the replay leaves out anything else.
NOT_COMPARED = {
    "outside": {
        "assistants_delete@7760612bb8.yml#1",
        "assistants_delete@ecf81a5103.yml#1",
        "assistants_modify@025002fd9c.yml#1",
        "assistants_modify@7760612bb8.yml#1",
        "assistants_retrieve@7760612bb8.yml#2",
        "assistants_retrieve@ecf81a5103.yml#2",
        "test_existing_assistant@9b05f3a5df.yaml#20",
        "test_existing_assistant@e9393b99a7.yaml#23",
        "test_existing_assistant_with_events_with_content@9b05f3a5df.yaml#19",
        "test_existing_assistant_with_events_with_no_content@9b05f3a5df.yaml#18",
        "test_streaming_existing_assistant@9b05f3a5df.yaml#3",
        "test_streaming_existing_assistant@e9393b99a7.yaml#3",
        "test_streaming_existing_assistant_with_events_with_content@9b05f3a5df.yaml#3",
        "test_streaming_existing_assistant_with_events_with_no_content@9b05f3a5df.yaml#3",
    },
    "list-outside": {
        "assistants@0a05a33f95.yml#2",
        "assistants@0f6dc8d6e6.yml#2",
        "assistants@b075f969c7.yml#2",
        "assistants@f61c7309f6.yml#2",
        "assistants_list@322ea6aeac.yml#1",
        "assistants_list@322ea6aeac.yml#2",
        "assistants_list@32ae8bf5d6.yml#1",
        "assistants_list@7760612bb8.yml#1",
        "assistants_list@7760612bb8.yml#2",
        "assistants_list@ecf81a5103.yml#1",
        "assistants_list@ecf81a5103.yml#2",
        "recording_creates_gets_lists_modifies_and_deletes_an_assistant@8390a00fc3.json#4",
    },
}
# 401 answers are compared on status, type, param and code only: the recorded message holds
# the cassette's placeholder key, masked by OpenAI before the placeholder replaced it.
ERROR_FIELDS = ("type", "param", "code")


def _date(row: dict[str, Any]) -> str | None:
    return row["recorded_at"] or (row.get("commit_date") or "")[:10] or None


def sessions(path: Path) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """(file, beta, profile) -> rows in recorded order."""
    grouped: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for line in path.read_text().splitlines():
        row = json.loads(line)
        if row["endpoint"] not in OPERATIONS and row["endpoint"] != "assistant_sub:files":
            continue
        profile = profile_for(row["openai_beta"], row["host"], _date(row))
        session = row["file"].replace("_setup@", "@")  # ruby-openai: setup cassette first
        grouped[(session, row["openai_beta"], profile)].append(row)
    for rows in grouped.values():
        rows.sort(key=lambda r: ("_setup@" not in r["file"], r["index"]))
    return grouped


def strip(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: ("<volatile>" if k in VOLATILE else strip(v, ids)) for k, v in value.items()}
    if isinstance(value, list):
        return [strip(v, ids) for v in value]
    if isinstance(value, str):
        return "<vs>" if value.startswith("vs_") else ids.get(value, value)
    return value


class Replay:
    def __init__(self, profile: str, beta: str) -> None:
        self.fake = FakeAssistants(profile, api_keys=[KEY])
        self.http = self.fake.http_client()
        self.beta = beta
        self.ids: dict[str, str] = {}
        self.compared: Counter[str] = Counter()
        self.skipped: list[tuple[str, str]] = []

    def send(self, method: str, path: str, body: Any = None, key: str = KEY) -> Any:
        headers = {"Authorization": f"Bearer {key}", "OpenAI-Beta": self.beta}
        return self.http.request(method, path, json=body, headers=headers)

    def sub_files(self, row: dict[str, Any], where: str) -> None:
        """Replay an attach / detach through modify, so later answers can match."""
        self.skipped.append((where, "sub-files"))
        mapped = self.ids.get(row["assistant_id"] or "")
        if mapped is None or row["status"] != 200:
            return
        path = f"/assistants/{mapped}"
        current = self.send("GET", path).json()
        file_id = urlsplit(row["uri"]).path.rsplit("/", 1)[-1]
        if self.beta.endswith("v1"):
            file_ids = list(current["file_ids"])
            if row["method"] == "POST":
                file_ids.append(row["request_body"]["file_id"])
            elif row["method"] == "DELETE":
                file_ids.remove(file_id)
            else:
                return
            assert self.send("POST", path, {"file_ids": file_ids}).status_code == 200
        elif row["method"] == "POST":  # v2 (May 2024) attached the file via a new store
            resources = {"file_search": {"vector_store_ids": ["vs_replayedattach0000000000"]}}
            assert self.send("POST", path, {"tool_resources": resources}).status_code == 200

    def lists_others(self, page: dict[str, Any]) -> bool:
        unknown = any(item["id"] not in self.ids for item in page["data"])
        return unknown or (page["has_more"] and len(self.ids) <= len(page["data"]))

    def row(self, row: dict[str, Any]) -> None:
        where = f"{row['file'].split('/')[-1]}#{row['index']}"
        if row["endpoint"] == "assistant_sub:files":
            return self.sub_files(row, where)
        expected = row["response_body"]
        if not isinstance(expected, dict):
            return self.skipped.append((where, "undecodable"))
        recorded_id = row.get("assistant_id")
        unauthorised = row["status"] == 401  # the key is checked first: any id will do
        if recorded_id and recorded_id not in self.ids and not unauthorised:
            return self.skipped.append((where, "outside"))
        if row["endpoint"] == "list" and self.lists_others(expected) and not unauthorised:
            return self.skipped.append((where, "list-outside"))
        url = urlsplit(row["uri"])
        target = self.ids.get(recorded_id, recorded_id) if recorded_id else None
        path = "/assistants" + (f"/{target}" if target else "")
        path += f"?{url.query}" if url.query and row["endpoint"] == "list" else ""
        body = row["request_body"] if isinstance(row["request_body"], dict) else None
        if row["method"] == "POST" and body is None:
            return self.skipped.append((where, "undecodable"))
        key = KEY if row["status"] == 200 else "sk-recorded-wrong-key"
        answer = self.send(row["method"], path, body, key)
        got = answer.json()
        assert answer.status_code == row["status"], (where, got)
        if row["status"] != 200:
            for field in ERROR_FIELDS:
                assert got["error"][field] == expected["error"][field], (where, field)
        else:
            if row["endpoint"] == "create":
                self.ids[expected["id"]] = got["id"]
            assert list(got) == list(expected), f"{where}: key order"
            assert strip(got, {}) == strip(expected, self.ids), where
        self.compared[row["endpoint"]] += 1


@pytest.fixture
def replayed(reference_recordings: Path) -> dict[str, Replay]:
    return replay_all(reference_recordings)


@functools.cache
def replay_all(reference_recordings: Path) -> dict[str, Replay]:
    """profile -> the merged outcome of its sessions (one fresh fake per session)."""
    by_profile: dict[str, Replay] = {}
    for (_, beta, profile), rows in sessions(reference_recordings).items():
        replay = Replay(profile, beta)
        for row in rows:
            replay.row(row)
        replay.fake.check()
        total = by_profile.setdefault(profile, Replay(profile, beta))
        total.compared += replay.compared
        total.skipped += replay.skipped
    return by_profile


@pytest.mark.parametrize(
    ("profile", "operations"),
    [
        ("openai-v1@2023-11", {"create", "modify", "retrieve", "delete"}),
        ("openai-v1@2024-04", {"create", "modify", "retrieve", "delete"}),
        ("openai-v2@2024-05", {"create", "modify", "retrieve", "delete"}),
        ("openai-v2@2024-10", {"create"}),
        ("openai-v2@2025-08", {"create", "retrieve"}),
    ],
)
def test_every_era_replays_its_sessions(
    replayed: dict[str, Replay], profile: str, operations: set[str]
) -> None:
    outcome = replayed[profile]
    assert operations <= set(outcome.compared), outcome.compared
    unexplained = [(where, why) for where, why in outcome.skipped if why not in CANNOT_MATCH]
    assert not unexplained
    print(profile, dict(outcome.compared), Counter(why for _, why in outcome.skipped))


def test_only_the_listed_interactions_are_left_out(replayed: dict[str, Replay]) -> None:
    left_out: dict[str, set[str]] = defaultdict(set)
    for outcome in replayed.values():
        for where, why in outcome.skipped:
            if why != "sub-files":
                left_out[why].add(where.split("__")[-1])
    assert left_out == NOT_COMPARED
    compared = sum(sum(r.compared.values()) for r in replayed.values())
    assert compared > 5 * sum(len(v) for v in NOT_COMPARED.values())


@pytest.mark.parametrize(
    ("beta", "host", "recorded_at", "profile"),
    [
        ("assistants=v1", "api.openai.com", "Tue, 14 Nov 2023 21:48:23 GMT", "openai-v1@2023-11"),
        ("v1", "api.openai.com", "2024-02-14", "openai-v1@2023-11"),
        ("v1", "api.openai.com", "Tue, 27 Feb 2024 09:56:02 GMT", "openai-v1@2024-02"),
        ("v1", "api.openai.com", "2024-04-08", "openai-v1@2024-02"),
        ("v1", "api.openai.com", "2024-04-09", "openai-v1@2024-04"),
        ("assistants=v1", "api.openai.com", "2024-05-07 00:07:32 GMT", "openai-v1@2024-04"),
        ("assistants=v1", "api.openai.com", "2024-12-22", "openai-v2@2025-08"),
        (None, "api.openai.com", "2024-04-16", "openai-v1@2024-04"),
        ("assistants=v2", "redacted", "2024-06-03(recorded)", "openai-v2@2024-05"),
        ("assistants=v2", "api.openai.com", "Fri, 11 Oct 2024 14:31:30 GMT", "openai-v2@2024-10"),
        ("assistants=v2", "api.openai.com", "Tue, 14 Jan 2025 10:00:00 GMT", "openai-v2@2024-10"),
        ("assistants=v2", "api.openai.com", "2025-01-15", "openai-v2@2025-08"),
        ("assistants=v2", "api.openai.com", "2025-03-14", "openai-v2@2025-08"),
        ("assistants=v2", "api.openai.com", None, "openai-v2@2025-08"),
        ("assistants=v1", "api.openai.com", None, "openai-v1@2023-11"),
        ("assistants=v2", "api.openai.com", "2026-08-26", "openai@2026-08-26"),
        ("assistants=v2", "api.portkey.ai", "2024-05-01", "portkey"),
        (None, "API.ZEROBOT.AI", None, "zerobot"),
    ],
)
def test_profile_for_picks_by_host_then_version_and_date(
    beta: str | None, host: str, recorded_at: str | None, profile: str
) -> None:
    assert profile_for(beta, host, recorded_at) == profile


def test_profile_for_accepts_dates_and_rejects_unreadable_ones() -> None:
    from datetime import UTC, date, datetime

    assert profile_for("v1", "api.openai.com", date(2024, 1, 1)) == "openai-v1@2023-11"
    moment = datetime(2024, 10, 1, tzinfo=UTC)
    assert profile_for("v2", "api.openai.com", moment) == "openai-v2@2024-10"
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        profile_for("v2", "api.openai.com", "last tuesday")
