"""Eras as the evidence shows them, and what conformance compares beyond parsed bodies.

Sessions here are hand-written in the reference JSONL shape (synthetic values, the shapes
and dates of PROVIDER_BEHAVIOUR.md §5.3 and §13); the mutated-recording tests read the
shared reference recordings and change one header in a temporary copy.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from pytest_assistants import FakeAssistants
from pytest_assistants.evidence.conformance import check
from pytest_assistants.evidence.eras import choose_profile

if TYPE_CHECKING:
    from pathlib import Path

HEADERS = {
    "Content-Type": ["application/json"],
    "openai-version": ["2020-10-01"],
    "openai-organization": ["<scrubbed>"],
    "openai-processing-ms": ["57"],
    "x-request-id": ["req_0c1d2e3f405162738495a6b7c8d9eaf0"],
}
RECORDED_ID = "asst_Q2w3E4r5T6y7U8i9O0p1A2s3"
JAN_14 = 1736848800  # 2025-01-14 10:00:00 UTC
MAR_14 = 1741946400  # 2025-03-14 10:00:00 UTC


def assistant(created_at: int, name: str, *, reasoning: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": RECORDED_ID,
        "object": "assistant",
        "created_at": created_at,
        "name": name,
        "description": None,
        "model": "gpt-4o",
        "instructions": None,
        "tools": [],
        "top_p": 1.0,
        "temperature": 1.0,
    }
    if reasoning:
        body["reasoning_effort"] = None
    body.update({"tool_resources": {}, "metadata": {}, "response_format": "auto"})
    return body


def row(
    index: int,
    method: str,
    path: str,
    request: Any,
    response: Any,
    date: str,
    *,
    headers: dict[str, list[str]] | None = None,
    file: str = "synthetic/session.json",
) -> dict[str, Any]:
    return {
        "file": file,
        "index": index,
        "method": method,
        "uri": f"https://api.openai.com{path}",
        "status": 200,
        "request_headers": {"OpenAI-Beta": ["assistants=v2"], "Authorization": ["<redacted>"]},
        "request_body": request,
        "response_headers": {**(headers or HEADERS), "Date": [date]},
        "response_body": response,
        "recorded_at": date,
    }


def write(tmp_path: Path, rows: list[dict[str, Any]], name: str = "rec.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def session(created_at: int, date: str, *, reasoning: bool) -> list[dict[str, Any]]:
    return [
        row(
            1,
            "POST",
            "/v1/assistants",
            {"model": "gpt-4o", "name": "Tutor"},
            assistant(created_at, "Tutor", reasoning=reasoning),
            date,
        ),
        row(
            2,
            "POST",
            f"/v1/assistants/{RECORDED_ID}",
            {"name": "Tutor 2"},
            assistant(created_at, "Tutor 2", reasoning=reasoning),
            date,
        ),
    ]


# -- the reasoning_effort boundary ------------------------------------------------------


def test_a_session_of_2025_01_14_without_reasoning_effort_is_reproduced(tmp_path: Path) -> None:
    report = check(
        [str(write(tmp_path, session(JAN_14, "Tue, 14 Jan 2025 10:00:00 GMT", reasoning=False)))]
    )
    assert [r.status for r in report.results] == ["reproduced", "reproduced"]
    assert {r.interaction.profile for r in report.results} == {"openai-v2@2024-10"}


def test_a_session_of_2025_01_14_with_reasoning_effort_is_a_mismatch(tmp_path: Path) -> None:
    """The fake of that date has no reasoning_effort key: a recording with one differs."""
    report = check(
        [str(write(tmp_path, session(JAN_14, "Tue, 14 Jan 2025 10:00:00 GMT", reasoning=True)))]
    )
    kinds = [(r.difference.kind, r.difference.where) for r in report.mismatches if r.difference]
    assert kinds == [("missing field", "body.reasoning_effort")] * 2


def test_a_session_of_2025_03_14_carries_reasoning_effort(tmp_path: Path) -> None:
    report = check(
        [str(write(tmp_path, session(MAR_14, "Fri, 14 Mar 2025 10:00:00 GMT", reasoning=True)))]
    )
    assert [r.status for r in report.results] == ["reproduced", "reproduced"]
    assert {r.interaction.profile for r in report.results} == {"openai-v2@2025-08"}


# -- byte format by era ---------------------------------------------------------------------


def test_early_2024_answers_get_and_delete_compactly_and_post_pretty() -> None:
    with FakeAssistants("openai-v1@2023-11", seed=3, clock_start=1706094000) as fake:
        client = fake.http_client(host="api.openai.com")
        beta = {"OpenAI-Beta": "assistants=v1", "Authorization": "Bearer sk-test"}
        made = client.post("/assistants", json={"model": "gpt-4"}, headers=beta)
        got = client.get(f"/assistants/{made.json()['id']}", headers=beta)
        gone = client.delete(f"/assistants/{made.json()['id']}", headers=beta)
    assert made.content.startswith(b'{\n  "id": "asst_')
    assert got.content.startswith(b'{"id":"asst_')
    assert b"\n" not in got.content
    assert (
        gone.content
        == f'{{"id":"{made.json()["id"]}","object":"assistant.deleted","deleted":true}}'.encode()
    )
    assert got.headers["x-request-id"][:4] != "req_"
    assert len(got.headers["x-request-id"]) == 32


def test_from_june_2024_every_answer_is_pretty() -> None:
    with FakeAssistants("openai-v2@2024-05", seed=3) as fake:
        client = fake.http_client(host="api.openai.com")
        auth = {"Authorization": "Bearer sk-test", "OpenAI-Beta": "assistants=v2"}
        made = client.post("/assistants", json={"model": "gpt-4o"}, headers=auth)
        got = client.get(f"/assistants/{made.json()['id']}", headers=auth)
    assert got.content.startswith(b'{\n  "id": "asst_')
    assert got.headers["x-request-id"].startswith("req_")


def test_conformance_compares_the_layout_a_content_length_proves(tmp_path: Path) -> None:
    """A Jan 2024 GET whose Content-Length is that of the compact bytes is reproduced; the
    same answer with the length of the pretty bytes is a byte-format mismatch."""
    created = 1706094000  # 2024-01-24
    body = {**assistant(created, "Tutor", reasoning=False)}
    v1 = {
        k: body[k]
        for k in (
            "id",
            "object",
            "created_at",
            "name",
            "description",
            "model",
            "instructions",
            "tools",
        )
    }
    v1 |= {"model": "gpt-4", "file_ids": [], "metadata": {}}
    date = "Wed, 24 Jan 2024 11:00:00 GMT"
    old = {**HEADERS, "x-request-id": ["0c1d2e3f405162738495a6b7c8d9eaf0"]}
    compact = str(len(json.dumps(v1, separators=(",", ":"))))
    pretty = str(len(json.dumps(v1, indent=2)))
    assert (compact, pretty) == ("192", "233")

    def rows(length: str) -> list[dict[str, Any]]:
        made = row(
            1, "POST", "/v1/assistants", {"model": "gpt-4", "name": "Tutor"}, v1, date, headers=old
        )
        got = row(
            2,
            "GET",
            f"/v1/assistants/{RECORDED_ID}",
            None,
            v1,
            date,
            headers={**old, "Content-Length": [length]},
        )
        for r in (made, got):
            r["request_headers"]["OpenAI-Beta"] = ["assistants=v1"]
        return [made, got]

    assert check([str(write(tmp_path, rows(compact), "compact.jsonl"))]).ok
    report = check([str(write(tmp_path, rows(pretty), "pretty.jsonl"))])
    assert [
        (r.difference.kind, r.difference.recorded, r.difference.fake)
        for r in report.mismatches
        if r.difference
    ] == [("byte format", "pretty", "compact")]


def test_conformance_compares_the_layout_of_kept_bytes(tmp_path: Path) -> None:
    """A vcrpy cassette keeps the answer's bytes: compact bytes in 2025 are a mismatch."""
    import yaml

    body = assistant(MAR_14, "Tutor", reasoning=True)

    def cassette(text: str) -> dict[str, Any]:
        return {
            "interactions": [
                {
                    "request": {
                        "method": "POST",
                        "uri": "https://api.openai.com/v1/assistants",
                        "body": '{"model": "gpt-4o", "name": "Tutor"}',
                        "headers": {"OpenAI-Beta": ["assistants=v2"]},
                    },
                    "response": {
                        "status": {"code": 200, "message": "OK"},
                        "headers": {**HEADERS, "Date": ["Fri, 14 Mar 2025 10:00:00 GMT"]},
                        "body": {"string": text},
                    },
                }
            ],
            "version": 1,
        }

    pretty, compact = tmp_path / "pretty.yaml", tmp_path / "compact.yaml"
    pretty.write_text(yaml.safe_dump(cassette(json.dumps(body, indent=2))))
    compact.write_text(yaml.safe_dump(cassette(json.dumps(body, separators=(",", ":")))))
    assert check([str(pretty)]).ok
    report = check([str(compact)])
    assert report.mismatches[0].difference is not None
    assert report.mismatches[0].difference.describe() == (
        'at body (byte format): recorded "compact", fake "pretty"'
    )


# -- has_more of an account larger than the session -------------------------------------


def test_has_more_from_assistants_outside_the_recording_is_not_comparable(tmp_path: Path) -> None:
    """Two made, paged one by one: the second page says has_more (older assistants of the
    account), the fake holds only the two and rightly says false."""
    first = {**assistant(MAR_14, "A", reasoning=True), "id": "asst_AAAAAAAAAAAAAAAAAAAAAAAA"}
    second = {**assistant(MAR_14 + 5, "B", reasoning=True), "id": "asst_BBBBBBBBBBBBBBBBBBBBBBBB"}
    date = "Fri, 14 Mar 2025 10:00:09 GMT"
    rows = [
        row(1, "POST", "/v1/assistants", {"model": "gpt-4o", "name": "A"}, first, date),
        row(2, "POST", "/v1/assistants", {"model": "gpt-4o", "name": "B"}, second, date),
        row(3, "GET", "/v1/assistants?limit=1", None, page([second], True), date),
        row(
            4,
            "GET",
            f"/v1/assistants?limit=1&after={second['id']}",
            None,
            page([first], True),
            date,
        ),
    ]
    rows[3]["uri"] = f"https://api.openai.com/v1/assistants?limit=1&after={second['id']}"
    rows[2]["uri"] = "https://api.openai.com/v1/assistants?limit=1"
    report = check([str(write(tmp_path, rows))])
    assert [r.status for r in report.results] == ["reproduced"] * 3 + ["not comparable"]
    last = report.results[3]
    assert last.reason == "account state unknown"
    assert "made outside the recording" in last.detail
    assert report.ok


def page(items: list[dict[str, Any]], has_more: bool) -> dict[str, Any]:
    return {
        "object": "list",
        "data": items,
        "first_id": items[0]["id"],
        "last_id": items[-1]["id"],
        "has_more": has_more,
    }


# -- header values ---------------------------------------------------------------------------


def _mutated(reference: Path, tmp_path: Path, header: str, value: str | None) -> Path:
    """The first ruby-openai modify session of 2024-04-27, one response header changed."""
    wanted = "assistants_modify@322ea6aeac"
    rows = [json.loads(line) for line in reference.read_text().splitlines() if wanted in line]
    rows = [r for r in rows if "2024" in str(r["recorded_at"])]
    assert rows, "the ruby-openai v2 modify session is in the reference recordings"
    target = next(r for r in rows if r["method"] == "POST" and r["assistant_id"])
    names = {k.lower(): k for k in target["response_headers"]}
    if value is not None:
        target["response_headers"][names[header]] = [value]
    return write(tmp_path, rows, f"{header}-{value is not None}.jsonl")


@pytest.mark.parametrize(
    ("header", "value", "kind", "recorded"),
    [
        ("openai-version", "2024-02-01", "header value", "2024-02-01"),
        ("content-type", "text/html; charset=utf-8", "header value", "text/html; charset=utf-8"),
        ("x-request-id", "9f0a1b2c-3d4e-5f60-7182-93a4b5c6d7e8", "header format", "<uuid>"),
        ("openai-processing-ms", "fast", "header format", "'fast'"),
    ],
)
def test_a_mutated_stable_header_is_a_mismatch(
    reference_recordings: Path, tmp_path: Path, header: str, value: str, kind: str, recorded: str
) -> None:
    pristine = check([str(_mutated(reference_recordings, tmp_path, header, None))])
    report = check([str(_mutated(reference_recordings, tmp_path, header, value))])
    assert len(report.mismatches) == 1
    difference = report.mismatches[0].difference
    assert difference is not None
    assert (difference.kind, difference.where, difference.recorded) == (
        kind,
        f"headers.{header}",
        recorded,
    )
    assert len(pristine.compared) == len(report.compared)  # the same session, unchanged,
    assert not pristine.mismatches  # conforms


def test_the_report_lists_which_headers_are_compared_how(tmp_path: Path) -> None:
    report = check(
        [str(write(tmp_path, session(MAR_14, "Fri, 14 Mar 2025 10:00:00 GMT", reasoning=True)))]
    )
    policy = report.as_dict()["headers"]
    assert policy["values"] == ["content-type", "openai-version"]
    assert policy["formats"] == ["x-request-id", "openai-processing-ms"]
    assert "openai-organization" in policy["volatile"]
    assert "Headers compared by value: content-type, openai-version" in report.render()


# -- which profile, and why -------------------------------------------------------------------


def test_a_200_after_the_shutdown_is_never_given_the_sunset_profile() -> None:
    chosen = choose_profile("assistants=v2", "api.openai.com", "2026-11-30", 200)
    assert chosen.name == "openai-v2@2025-08"
    assert "after the 2026-08-26 shutdown" in chosen.reason
    assert choose_profile("assistants=v2", "api.openai.com", "2026-11-30", 404).name == (
        "openai@2026-08-26"
    )


def test_a_mismatching_session_names_its_profile_the_reason_and_the_option(tmp_path: Path) -> None:
    rows = session(JAN_14, "Tue, 14 Jan 2025 10:00:00 GMT", reasoning=True)
    text = check([str(write(tmp_path, rows))]).render()
    assert "openai-v2@2024-10 (OpenAI-Beta v2, recorded 2025-01-14)" in text
    assert "rerun with --profile NAME" in text
