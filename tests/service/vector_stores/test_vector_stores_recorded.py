"""The recorded files and vector store interactions of interactions_threads.jsonl, replayed
against the fake under the profile of their era (§14.5): the shapes this unit relies on.

Per era, every interaction of the sessions made only of files and vector stores is sent in
recorded order, the recorded ids mapped to the fake's. Compared: the status code; the keys
and their order (of a list's items too); ``object``; a create's ``status`` and
``file_counts``; a read's when it recorded a finished state (an ``in_progress`` read is
the provider's timing, which the fake replaces by one step per read); a completed file's
``usage_bytes``; the ids a store's or a batch's file list names, in order; expiry offsets.
Not compared, with the reason counted: requests naming objects made outside the recording,
lists of the whole account, pages whose order the provider's queue shaped (a queued batch
file lists ``created_at: 0``), the provider's 500s, search (not served), and the recordings
made after the API froze (2025-10 on: ``vsfb_ibj_`` batch ids, usage without overhead).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

from pytest_assistants import FakeAssistants
from tests.helpers import AUTH, threads_recordings

ERAS = {
    "2024-04": "openai-v2@2024-05",
    "2024-05": "openai-v2@2024-05",
    "2024-06": "openai-v2@2024-05",
    "2024-10": "openai-v2@2024-10",
    "2025-09": "openai-v2@2025-08",
}
ACCOUNT_LISTS = ("GET /vector_stores", "GET /files")  # the account holds more than the session


def eras() -> dict[str, list[dict[str, Any]]]:
    """Interactions of files-and-stores-only sessions, by month, in recorded order (a
    ruby-openai test's setup cassettes first within a second)."""
    sessions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in threads_recordings():
        sessions[row["file"]].append(row)
    by_month: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rows in sessions.values():
        if {row["family"] for row in rows} <= {"files", "vector_stores"}:
            for row in rows:
                by_month[row["recorded_at"][:7]].append(row)
    return {
        month: sorted(
            rows, key=lambda r: (r["recorded_at"], "_setup" not in r["file"], r["file"], r["index"])
        )
        for month, rows in by_month.items()
    }


class Replay:
    def __init__(self, profile: str) -> None:
        self.fake = FakeAssistants(profile)
        self.ids: dict[str, str] = {}  # recorded id -> the fake's
        self.compared: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()
        self.sizes: dict[str, int] = {}  # recorded file id -> bytes
        self.in_flight: set[str] = set()  # sessions listing a queued file (created_at 0)

    def mapped(self, text: str) -> str | None:
        """``text`` with recorded ids replaced; None if it names one made elsewhere."""
        for token in _ids_in(text):
            if token not in self.ids:
                return None
        for recorded, fake in sorted(self.ids.items(), key=lambda kv: -len(kv[0])):
            text = text.replace(recorded, fake)
        return text

    def send(self, row: dict[str, Any]) -> tuple[int, Any] | None:
        url = row["url"].split("/v1", 1)[1]
        path = self.mapped(url)
        body = row["request_body"]
        if row["endpoint"] == "POST /files":
            answer = row["response_body"]
            self.fake.clock.set(answer["created_at"])
            content = b"x" * answer["bytes"]
            files = {"file": (answer["filename"], content)}
            with self.fake.http_client(headers=AUTH) as http:
                sent = http.post("/files", data={"purpose": answer["purpose"]}, files=files)
            return sent.status_code, sent.json()
        text = None if body is None else self.mapped(json.dumps(body))
        if path is None or (body is not None and text is None):
            self.skipped["names an object made outside the recording"] += 1
            return None
        created = (row["response_body"] or {}).get("created_at")
        if row["method"] == "POST" and isinstance(created, int):
            self.fake.clock.set(created)
        headers = {**AUTH, **({"openai-beta": row["openai_beta"]} if row["openai_beta"] else {})}
        with self.fake.http_client(headers=headers) as http:
            sent = http.request(row["method"], path, content=(text or "").encode() or None,
                                headers={"content-type": "application/json"} if text else {})  # fmt: skip
        return sent.status_code, sent.json()

    def replay(self, row: dict[str, Any]) -> None:
        if row["status"] >= 500:
            self.skipped["the provider's 500"] += 1
            return
        if row["endpoint"].endswith("/search"):
            self.skipped["search: not served"] += 1
            return
        sent = self.send(row)
        if sent is None:
            return
        status, served = sent
        recorded = row["response_body"]
        where = f"{row['file']}#{row['index']} {row['endpoint']}"
        assert status == row["status"], (where, served)
        if row["method"] == "POST" and "id" in recorded and recorded["object"] != "list":
            self.ids.setdefault(recorded["id"], served["id"])
            if recorded["object"] == "file":
                self.sizes[recorded["id"]] = recorded["bytes"]
        self.compare(row, recorded, served, where)

    def compare(self, row: dict[str, Any], recorded: Any, served: Any, where: str) -> None:
        assert list(served) == list(recorded), where
        if recorded.get("object") == "list":
            items = zip(recorded["data"], served["data"], strict=False)
            for old, new in items:
                assert list(new) == list(old), where
            if row["endpoint"] in ACCOUNT_LISTS:
                self.skipped["a list of the whole account"] += 1
                return
            if row["file"] in self.in_flight:
                self.skipped["a page ordered by files still queued (created_at 0)"] += 1
                return
            assert [self.ids.get(o["id"]) for o in recorded["data"]] == [
                o["id"] for o in served["data"]
            ], where
            for old, new in zip(recorded["data"], served["data"], strict=True):
                self.states(row, old, new, where)
        else:
            assert served["object"] == recorded["object"], where
            self.states(row, recorded, served, where)
        self.compared[row["endpoint"]] += 1

    def states(self, row: dict[str, Any], recorded: Any, served: Any, where: str) -> None:
        finished = recorded.get("status") != "in_progress"
        if row["method"] == "POST" or finished:
            for key in ("status", "file_counts"):
                if key in recorded:
                    assert served[key] == recorded[key], (where, key)
        if recorded.get("object") == "vector_store.file" and recorded.get("status") == "completed":
            size = self.sizes.get(recorded["id"])
            if size is not None and "usage_bytes" in recorded:
                assert recorded["usage_bytes"] == size + 1024  # the evidence's own rule
                assert served["usage_bytes"] == recorded["usage_bytes"], where
        if recorded.get("expires_at") is not None:
            offset = recorded["expires_at"] - recorded["last_active_at"]
            assert served["expires_at"] - served["last_active_at"] == offset, where


def _ids_in(text: str) -> list[str]:
    import re

    return re.findall(r"(?:file-|vs_|vsfb_)[A-Za-z0-9_]+", text)


def test_the_recorded_files_and_vector_stores_are_reproduced() -> None:
    compared: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    for month, rows in eras().items():
        if month not in ERAS:
            skipped[f"recorded {month}, after the API froze"] += len(rows)
            continue
        replay = Replay(ERAS[month])
        replay.in_flight = {
            row["file"]
            for row in rows
            if any(
                item.get("created_at") == 0 for item in (row["response_body"] or {}).get("data", [])
            )
        }
        for row in rows:
            replay.replay(row)
        compared.update(replay.compared)
        skipped.update(replay.skipped)
        replay.fake.check()
    assert sum(compared.values()) >= 250, (compared, skipped)
    assert {
        "POST /files",
        "POST /vector_stores",
        "GET /vector_stores/{id}",
        "POST /vector_stores/{id}",
        "DELETE /vector_stores/{id}",
        "POST /vector_stores/{id}/files",
        "GET /vector_stores/{id}/files",
        "GET /vector_stores/{id}/files/{id}",
        "DELETE /vector_stores/{id}/files/{id}",
        "POST /vector_stores/{id}/file_batches",
        "GET /vector_stores/{id}/file_batches/{id}",
        "POST /vector_stores/{id}/file_batches/{id}/cancel",
        "GET /vector_stores/{id}/file_batches/{id}/files",
    } <= set(compared), compared
    assert set(skipped) <= {
        "names an object made outside the recording",
        "the provider's 500",
        "search: not served",
        "a list of the whole account",
        "a page ordered by files still queued (created_at 0)",
        "recorded 2025-10, after the API froze",
        "recorded 2025-11, after the API froze",
        "recorded 2026-03, after the API froze",
    }, skipped
