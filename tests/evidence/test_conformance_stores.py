"""Conformance of files, vector stores, their files and batches: real recorded sessions
(interactions_threads.jsonl, read where it lies, never copied) replayed whole, then with one
planted difference each, which must be reported where it was planted.

Pinned from the recordings themselves: a .NET session of stores and uploads whose bodies
the recorder dropped (rebuilt from their answers), a .NET upload that kept its multipart
body (sent byte for byte), ruby-openai sessions using what a setup cassette made, and the
answers that show the provider's pace rather than its behaviour.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from pytest_assistants.evidence.conformance import CONFORMS, check
from pytest_assistants.evidence.uploads import REBUILT

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

DOTNET = "raw/openai+openai-dotnet/db74b03bd8/tests/SessionRecords/VectorStoresTests/"
STORES = DOTNET + "CanCreateGetAndDeleteVectorStores.json"  # 10: stores, 5 dropped uploads
CHUNKING = DOTNET + "CanApplyChunkingStrategy(Auto).json"  # a listing still in_progress
ENUMERATE = DOTNET + "CanEnumerateVectorStores.json"  # a list behind the creates
UPLOAD = "raw/openai+openai-dotnet/a777478bd2/tests/SessionRecords/ResponsesToolTests/"
KEPT_BODY = UPLOAD + "FileSearch.json"  # an upload whose multipart lines were recorded
RUBY = "raw/alexrudall+ruby-openai/"
ATTACH = RUBY + "37099f13cd/spec/fixtures/cassettes/vector_store_files_create"  # + setups
BATCHES = RUBY + "395bf3e93d/spec/fixtures/cassettes/vector_store_file_batches_list"


def rows_of(recordings: Path, prefix: str) -> list[dict[str, Any]]:
    """The recorded interactions of the sessions whose file starts with ``prefix``."""
    rows = []
    with recordings.open(encoding="utf-8") as lines:
        for line in lines:
            if f'"file": "{prefix}' in line:
                rows.append(json.loads(line))
    assert rows, f"{prefix} is not in {recordings}"
    return sorted(rows, key=lambda row: (row["file"], int(row["index"])))


def replayed(tmp_path: Path, rows: list[dict[str, Any]]) -> Any:
    path = tmp_path / "planted.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return check([str(path)])


# -- the sessions as recorded ----------------------------------------------------------------


def test_stores_and_rebuilt_uploads_are_reproduced(
    threads_recordings: Path, tmp_path: Path
) -> None:
    report = replayed(tmp_path, rows_of(threads_recordings, STORES))
    assert report == CONFORMS
    assert len(report.compared) == 10
    rebuilt = [r.interaction.index for r in report.compared if REBUILT in r.note]
    assert rebuilt == [2, 3, 4, 5, 6]  # the five uploads, whose bodies were not recorded


def test_a_recorded_multipart_body_is_sent_as_recorded(
    threads_recordings: Path, tmp_path: Path
) -> None:
    report = replayed(tmp_path, rows_of(threads_recordings, KEPT_BODY))
    assert report == CONFORMS
    upload = report.compared[0]
    assert upload.interaction.operation == "files.create"
    assert upload.note == ""  # nothing rebuilt: the .NET body, byte for byte
    assert upload.interaction.request_body.startswith(b"--")


def test_a_file_attached_to_a_store_another_session_made(
    threads_recordings: Path, tmp_path: Path
) -> None:
    """The store and the file come from the setup cassettes of the same test run."""
    report = replayed(tmp_path, rows_of(threads_recordings, ATTACH))
    assert report == CONFORMS
    [attached] = [r for r in report.compared if r.interaction.source.endswith("create.yml")]
    assert attached.interaction.operation == "vector_stores.files.create"
    assert "preloaded as seen at" in attached.note


def test_what_shows_the_providers_pace_is_named(threads_recordings: Path, tmp_path: Path) -> None:
    chunking = replayed(tmp_path, rows_of(threads_recordings, CHUNKING))
    reasons = {r.interaction.where.rsplit("/", 1)[-1]: r.reason for r in chunking.not_comparable}
    assert reasons == {"CanApplyChunkingStrategy(Auto).json#6": "processing pace (timing)"}
    assert chunking == CONFORMS
    listed = replayed(tmp_path, rows_of(threads_recordings, ENUMERATE))
    assert [(r.interaction.index, r.reason) for r in listed.not_comparable] == [
        (5, "list not caught up (timing)")
    ]
    assert listed == CONFORMS


def test_a_batch_another_session_made_is_named(threads_recordings: Path, tmp_path: Path) -> None:
    report = replayed(tmp_path, rows_of(threads_recordings, BATCHES))
    [listing] = [r for r in report.results if r.interaction.source.endswith("list.yml")]
    assert (listing.status, listing.reason) == ("not comparable", "batch made in another session")
    assert report == CONFORMS


# -- planted differences -----------------------------------------------------------------


def _row(rows: list[dict[str, Any]], index: int) -> dict[str, Any]:
    [row] = [row for row in rows if row["index"] == index]
    return row


def plant_poll_hint(rows: list[dict[str, Any]]) -> None:
    """The header the provider never sent on a store's answer (none in 189 recorded)."""
    _row(rows, 0)["response_headers"]["openai-poll-after-ms"] = "1000"


def plant_no_cors(rows: list[dict[str, Any]]) -> None:
    headers = _row(rows, 2)["response_headers"]
    for name in [n for n in headers if n.lower() == "access-control-allow-origin"]:
        del headers[name]


def plant_file_status(rows: list[dict[str, Any]]) -> None:
    _row(rows, 3)["response_body"]["status"] = "uploaded"


def plant_file_key_order(rows: list[dict[str, Any]]) -> None:
    body = _row(rows, 4)["response_body"]
    body["purpose"] = body.pop("purpose")


def plant_store_counts(rows: list[dict[str, Any]]) -> None:
    _row(rows, 7)["response_body"]["file_counts"]["in_progress"] += 1


def plant_deleted_object(rows: list[dict[str, Any]]) -> None:
    _row(rows, 8)["response_body"]["object"] = "vector_store"


PLANTED: list[tuple[Callable[[list[dict[str, Any]]], None], int, str, str]] = [
    (plant_poll_hint, 0, "missing header", "headers"),
    (plant_no_cors, 2, "extra header", "headers"),
    (plant_file_status, 3, "value", "body.status"),
    (plant_file_key_order, 4, "key order", "body"),
    (plant_store_counts, 7, "value", "body.file_counts.in_progress"),
    (plant_deleted_object, 8, "value", "body.object"),
]


@pytest.mark.parametrize(
    ("plant", "index", "kind", "where"), PLANTED, ids=[p[0].__name__ for p in PLANTED]
)
def test_a_planted_difference_in_a_store_session_is_reported(
    threads_recordings: Path,
    tmp_path: Path,
    plant: Callable[[list[dict[str, Any]]], None],
    index: int,
    kind: str,
    where: str,
) -> None:
    rows = rows_of(threads_recordings, STORES)
    plant(rows)
    report = replayed(tmp_path, rows)
    [mismatch] = report.mismatches
    assert mismatch.interaction.index == index
    assert mismatch.difference is not None
    assert (mismatch.difference.kind, mismatch.difference.where) == (kind, where)
