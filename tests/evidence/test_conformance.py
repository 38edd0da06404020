"""Conformance: hand-made cassettes with one planted difference each, the CLI, and the
pytest helpers. The reference-recordings gate is in test_conformance_reference.py."""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from pytest_assistants import cli
from pytest_assistants.evidence.conformance import CONFORMS, check

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

ASSISTANT = "asst_Handmade0000000000000001"
WHEN = "Mon, 03 Mar 2025 12:00:00 GMT"  # the openai-v2@2025-08 era
CREATED = 1741000000


def assistant(**changes: Any) -> dict[str, Any]:
    """The object the 2025 API served, written out by hand in its key order."""
    return {
        "id": ASSISTANT,
        "object": "assistant",
        "created_at": CREATED,
        "name": "Tutor",
        "description": None,
        "model": "gpt-4o",
        "instructions": None,
        "tools": [],
        "top_p": 1.0,
        "temperature": 0.5,
        "reasoning_effort": None,
        "tool_resources": {},
        "metadata": {},
        "response_format": "auto",
        **changes,
    }


def headers() -> dict[str, list[str]]:
    return {
        "Date": [WHEN],
        "Content-Type": ["application/json"],
        "openai-version": ["2020-10-01"],
        "openai-organization": ["user-handmade"],
        "openai-processing-ms": ["37"],
        "x-request-id": ["req_0123456789abcdef0123456789abcdef"],
        "CF-RAY": ["8f00000000000000-AMS"],
        "Server": ["cloudflare"],
    }


def interaction(method: str, path: str, body: Any, status: int, answer: Any) -> dict[str, Any]:
    return {
        "request": {
            "method": method,
            "uri": f"https://api.openai.com{path}",
            "body": None if body is None else json.dumps(body),
            "headers": {"Authorization": ["Bearer <redacted>"], "OpenAI-Beta": ["assistants=v2"]},
        },
        "response": {
            "status": {"code": status, "message": "OK" if status == 200 else "Not Found"},
            "headers": headers(),
            "body": {"string": json.dumps(answer, indent=2)},
        },
    }


def session() -> list[dict[str, Any]]:
    renamed = assistant(name="Math Tutor", metadata={"team": "a"})
    missing = f"No assistant found with id '{ASSISTANT}'."
    return [
        interaction(
            "POST",
            "/v1/assistants",
            {"model": "gpt-4o", "name": "Tutor", "temperature": 0.5},
            200,
            assistant(),
        ),
        interaction(
            "POST",
            f"/v1/assistants/{ASSISTANT}",
            {"name": "Math Tutor", "metadata": {"team": "a"}},
            200,
            renamed,
        ),
        interaction("GET", f"/v1/assistants/{ASSISTANT}", None, 200, renamed),
        interaction(
            "GET",
            "/v1/assistants?limit=10",
            None,
            200,
            {
                "object": "list",
                "data": [renamed],
                "first_id": ASSISTANT,
                "last_id": ASSISTANT,
                "has_more": False,
            },
        ),
        interaction(
            "DELETE",
            f"/v1/assistants/{ASSISTANT}",
            None,
            200,
            {"id": ASSISTANT, "object": "assistant.deleted", "deleted": True},
        ),
        interaction(
            "GET",
            f"/v1/assistants/{ASSISTANT}",
            None,
            404,
            {
                "error": {
                    "message": missing,
                    "type": "invalid_request_error",
                    "param": None,
                    "code": None,
                }
            },
        ),
    ]


def write(tmp_path: Path, interactions: list[dict[str, Any]], name: str = "c.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"interactions": interactions, "version": 1}, sort_keys=False))
    return path


def answer_of(interactions: list[dict[str, Any]], number: int) -> dict[str, Any]:
    return json.loads(interactions[number]["response"]["body"]["string"])  # type: ignore[no-any-return]


def set_answer(interactions: list[dict[str, Any]], number: int, body: Any) -> None:
    interactions[number]["response"]["body"]["string"] = json.dumps(body, indent=2)


def plant_value(rows: list[dict[str, Any]]) -> None:
    set_answer(rows, 1, {**answer_of(rows, 1), "name": "Maths Tutor"})


def plant_key_order(rows: list[dict[str, Any]]) -> None:
    body = answer_of(rows, 2)
    set_answer(rows, 2, {"name": body.pop("name"), **body})


def plant_float_format(rows: list[dict[str, Any]]) -> None:
    set_answer(rows, 0, {**answer_of(rows, 0), "top_p": 1})


def plant_missing_header(rows: list[dict[str, Any]]) -> None:
    rows[4]["response"]["headers"]["x-ratelimit-limit-requests"] = ["500"]


def plant_extra_header(rows: list[dict[str, Any]]) -> None:
    del rows[3]["response"]["headers"]["openai-processing-ms"]


def plant_status(rows: list[dict[str, Any]]) -> None:
    rows[5]["response"]["status"]["code"] = 400


PLANTED: list[tuple[Callable[[list[dict[str, Any]]], None], int, str, str, Any, Any]] = [
    (plant_value, 2, "value", "body.name", "Maths Tutor", "Math Tutor"),
    (
        plant_key_order,
        3,
        "key order",
        "body",
        ["name", *[k for k in assistant() if k != "name"]],
        list(assistant()),
    ),
    (plant_float_format, 1, "number format", "body.top_p", 1, 1.0),
    (plant_missing_header, 5, "missing header", "headers", "x-ratelimit-limit-requests", None),
    (plant_extra_header, 4, "extra header", "headers", None, "openai-processing-ms"),
    (plant_status, 6, "status", "status", 400, 404),
]


def test_the_hand_made_session_is_reproduced_in_full(tmp_path: Path) -> None:
    report = check([str(write(tmp_path, session()))])
    assert [r.status for r in report.results] == ["reproduced"] * 6
    assert {r.interaction.profile for r in report.results} == {"openai-v2@2025-08"}
    assert report == CONFORMS


@pytest.mark.parametrize(
    ("plant", "index", "kind", "where", "recorded", "fake"),
    PLANTED,
    ids=[row[2] for row in PLANTED],
)
def test_a_planted_difference_is_reported_precisely(
    tmp_path: Path,
    plant: Callable[[list[dict[str, Any]]], None],
    index: int,
    kind: str,
    where: str,
    recorded: Any,
    fake: Any,
) -> None:
    rows = session()
    plant(rows)
    report = check([str(write(tmp_path, rows))])
    assert [r.interaction.index for r in report.mismatches] == [index]
    difference = report.mismatches[0].difference
    assert difference is not None
    assert (difference.kind, difference.where) == (kind, where)
    assert difference.recorded == recorded
    assert type(difference.recorded) is type(recorded)
    assert difference.fake == fake
    assert type(difference.fake) is type(fake)
    assert len(report.of("reproduced")) == 5
    assert report != CONFORMS


def test_the_text_report_shows_each_first_difference(tmp_path: Path) -> None:
    rows = session()
    plant_float_format(rows)
    plant_status(rows)
    text = check([str(write(tmp_path, rows))]).render()
    assert "at body.top_p (number format): recorded 1, fake 1.0" in text
    reordered = session()
    plant_key_order(reordered)
    order = check([str(write(tmp_path, reordered, "order.yaml"))]).render()
    expected = 'at body (key order): recorded ["name", "id", "object", "created_at", ...],'
    assert f'{expected} fake ["id", "object", "created_at", "name", ...] from key #1' in order
    assert "at status (status): recorded 400, fake 404" in text
    assert f"fake said: No assistant found with id '{ASSISTANT}'." in text
    assert "openai-v2@2025-08" in text


def test_cli_exit_codes_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = write(tmp_path, session(), "clean.yaml")
    rows = session()
    plant_value(rows)
    planted = write(tmp_path, rows, "planted.yaml")

    assert cli.main(["conformance", str(clean)]) == 0
    assert "6/6 compared reproduced" in capsys.readouterr().out

    assert cli.main(["conformance", str(clean), str(planted), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["totals"]["compared"] == 12
    assert report["totals"]["mismatched"] == 1
    assert report["profiles"]["openai-v2@2025-08"]["assistants.modify"] == {
        "compared": 2,
        "reproduced": 1,
        "not_comparable": 0,
    }
    (mismatch,) = report["mismatches"]
    assert mismatch["where"] == f"{planted}#2"
    assert mismatch["difference"]["kind"] == "value"
    assert mismatch["difference"]["recorded"] == "Maths Tutor"

    assert cli.main(["conformance", str(tmp_path / "absent.yaml")]) == 2
    assert "no such file" in capsys.readouterr().out
    assert cli.main(["conformance", str(clean), "--profile", "openai-v9"]) == 2
    assert "--profile 'openai-v9' is unknown; use " in capsys.readouterr().out
    (tmp_path / "broken.yaml").write_text("interactions:\n- just a string\n")
    assert cli.main(["conformance", str(tmp_path / "broken.yaml")]) == 2
    assert "interaction 1 has no 'request' mapping" in capsys.readouterr().out


def reference_row(index: int, method: str, uri: str, status: int, body: Any, **extra: Any) -> str:
    row = {
        "file": "handmade/session.yml",
        "index": index,
        "method": method,
        "uri": uri,
        "status": status,
        "openai_beta": "assistants=v1",
        "request_headers": {"Authorization": ["<redacted>"], "OpenAI-Beta": ["assistants=v1"]},
        "request_body": "",
        "response_headers": {
            "Date": ["Tue, 14 Nov 2023 21:48:23 GMT"],
            "Content-Type": ["application/json"],
            "Openai-Version": ["2020-10-01"],
            "Openai-Organization": ["<scrubbed>"],
            "Openai-Processing-Ms": ["20"],
            "X-Request-Id": ["0123456789abcdef0123456789abcdef"],
        },
        "response_body": body,
        "recorded_at": "Tue, 14 Nov 2023 21:48:23 GMT",
        **extra,
    }
    return json.dumps(row)


def test_reference_jsonl_reasons_for_what_cannot_be_compared(tmp_path: Path) -> None:
    v1 = {
        "id": "asst_Madeelsewhere00000000001",
        "object": "assistant",
        "created_at": 1699998500,
        "name": "Old",
        "description": None,
        "model": "gpt-4",
        "instructions": None,
        "tools": [{"type": "retrieval"}],
        "file_ids": [],
        "metadata": {},
    }
    api = "https://api.openai.com/v1"
    incorrect = {
        "error": {
            "message": "Incorrect API key provided: <OPENAI_ACCESS_TOKEN>.",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_api_key",
        }
    }
    page = {"object": "list", "data": [v1], "first_id": v1["id"], "last_id": v1["id"]}
    lines = [
        reference_row(1, "GET", f"{api}/assistants/{v1['id']}", 200, v1),
        reference_row(2, "GET", f"{api}/assistants?limit=1", 200, {**page, "has_more": True}),
        reference_row(3, "GET", f"{api}/assistants/{v1['id']}", 401, incorrect),
        reference_row(4, "GET", f"{api}/assistants/{v1['id']}/files", 404, {"error": {}}),
    ]
    path = tmp_path / "interactions.jsonl"
    path.write_text("\n".join(lines) + "\n")
    report = check([str(path)])
    assert {r.interaction.profile for r in report.results} == {"openai-v1@2023-11"}
    (retrieved,) = report.compared
    assert retrieved.status == "reproduced"
    assert retrieved.note == f"{v1['id']} preloaded from this answer (checks rendering only)"
    reasons = {r.interaction.index: r.reason for r in report.not_comparable}
    assert reasons == {
        2: "account state unknown",
        3: "scrubbed credentials",
        4: "v1 assistant files not replayed",
    }


def test_a_selector_keeps_only_matching_interactions(tmp_path: Path) -> None:
    path = write(tmp_path, session())
    report = check([f"{path}?operation=modify"])
    assert [r.interaction.operation for r in report.results] == ["assistants.modify"]
    assert check([f"{path}?until=2025-01-01"]).results == []


def test_assert_conforms_fails_with_the_first_difference(pytester: pytest.Pytester) -> None:
    rows = session()
    plant_value(rows)
    write(pytester.path, rows, "planted.yaml")
    write(pytester.path, session(), "clean.yaml")
    pytester.makepyfile(
        """
        from pytest_assistants import assert_conforms
        from pytest_assistants.evidence.conformance import CONFORMS, check

        def test_clean_snapshot():
            assert_conforms("clean.yaml")

        def test_planted_snapshot():
            assert_conforms("planted.yaml")

        def test_planted_compared_with_assert():
            assert check(["planted.yaml"]) == CONFORMS
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*AssertionError: 1 of 6 compared interactions differ*",
            "*modify planted.yaml#2 [[]openai-v2@2025-08[]]*",
            '*at body.name (value): recorded "Maths Tutor", fake "Math Tutor"*',
            "*recording conforms to the fake: no*",
        ]
    )


def test_nothing_comparable_is_a_failure_not_a_pass(tmp_path: Path) -> None:
    from pytest_assistants import assert_conforms

    rows = session()[:1]
    rows[0]["request"]["uri"] = "https://api.openai.com/v1/chat/completions"
    with pytest.raises(AssertionError, match="nothing comparable"):
        assert_conforms(write(tmp_path, copy.deepcopy(rows)))


def test_ruby_vcr_cassettes_are_read_too(tmp_path: Path) -> None:
    """Ruby VCR / R vcr: ``http_interactions``, ``recorded_at``, ``body: {encoding, string}``."""
    rows = []
    for row in session():
        request, response = row["request"], row["response"]
        request["body"] = {"encoding": "UTF-8", "string": request["body"] or ""}
        response["body"] = {"encoding": "UTF-8", **response["body"]}
        rows.append({**row, "recorded_at": WHEN})
    path = tmp_path / "ruby.yml"
    path.write_text(yaml.safe_dump({"http_interactions": rows, "recorded_with": "VCR 6.2.0"}))
    report = check([str(path)])
    assert [r.status for r in report.results] == ["reproduced"] * 6


def test_gzip_bodies_are_decoded_or_reported_unreadable(tmp_path: Path) -> None:
    import gzip

    rows = session()[:2]
    for row in rows:
        row["response"]["headers"]["Content-Encoding"] = ["gzip"]
        row["response"]["body"]["string"] = gzip.compress(
            row["response"]["body"]["string"].encode()
        )
    rows[1]["response"]["body"]["string"] = rows[1]["response"]["body"]["string"][:20]
    report = check([str(write(tmp_path, rows))])  # PyYAML writes the bytes as !!binary
    assert [r.status for r in report.results] == ["reproduced", "not comparable"]
    assert report.not_comparable[0].detail == "undecodable gzip body"


def test_a_401_for_a_real_looking_key_is_replayed(tmp_path: Path) -> None:
    key = "sk-wrongkey1234567890abcd"
    message = (
        "Incorrect API key provided: sk-wrong*************abcd."
        " You can find your API key at https://platform.openai.com/account/api-keys."
    )
    error = {"message": message, "type": "invalid_request_error", "param": None}
    row = interaction(
        "GET",
        f"/v1/assistants/{ASSISTANT}",
        None,
        401,
        {"error": {**error, "code": "invalid_api_key"}},
    )
    row["request"]["headers"]["Authorization"] = [f"Bearer {key}"]
    # A real 401 carries Www-Authenticate and no openai-organization (the recordings show it).
    answer_headers = row["response"]["headers"]
    del answer_headers["openai-organization"]
    answer_headers["Www-Authenticate"] = ['Basic realm="OpenAI API"']
    report = check([str(write(tmp_path, [row]))])
    assert [r.status for r in report.results] == ["reproduced"], report.mismatches
    row["request"]["headers"]["Authorization"] = ["Bearer <OPENAI_ACCESS_TOKEN>"]
    report = check([str(write(tmp_path, [row]))])
    assert report.not_comparable[0].reason == "scrubbed credentials"


def test_the_profile_of_another_era_is_caught(tmp_path: Path) -> None:
    """Forced to the 2024 v2 era, the 2025 answers have a field the fake does not serve."""
    report = check([str(write(tmp_path, session()))], profile="openai-v2@2024-05")
    first = report.mismatches[0]
    assert first.interaction.index == 1
    assert first.difference is not None
    assert (first.difference.kind, first.difference.where) == (
        "missing field",
        "body.reasoning_effort",
    )


def test_our_provenance_names_the_profile(tmp_path: Path) -> None:
    path = tmp_path / "ours.yaml"
    document = {
        "metadata": {"source": "recorded from the fake, profile openai-v2@2024-05"},
        "interactions": session()[:1],
    }
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    (result,) = check([str(path)]).results
    assert result.interaction.profile == "openai-v2@2024-05"  # not the 2025 era of its date
