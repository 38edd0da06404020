"""Drift between two sets of recordings: planted changes of each kind, and the real eras."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pytest_assistants import cli
from pytest_assistants.evidence.drift import diff
from pytest_assistants.evidence.recordings import load
from pytest_assistants.service.routes import OPERATIONS

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def obj(**changes: Any) -> dict[str, Any]:
    return {
        "id": "asst_Drift00000000000000000001",
        "object": "assistant",
        "created_at": 1715000000,
        "name": "Tutor",
        "model": "gpt-4o",
        "tools": [{"type": "code_interpreter"}],
        "temperature": 1.0,
        "metadata": {"anything": "user data"},
        **changes,
    }


def row(index: int, method: str, path: str, status: int, body: Any, **headers: str) -> str:
    return json.dumps(
        {
            "file": "handmade/drift.yml",
            "index": index,
            "method": method,
            "uri": f"https://api.openai.com/v1/assistants{path}",
            "status": status,
            "request_headers": {"OpenAI-Beta": ["assistants=v2"]},
            "request_body": "",
            "response_headers": {
                "Date": ["Tue, 07 May 2024 03:18:31 GMT"],
                "Content-Type": ["application/json"],
                "openai-version": ["2020-10-01"],
                "CF-RAY": ["abc"],
                **{k.replace("_", "-"): [v] for k, v in headers.items()},
            },
            "response_body": body,
        }
    )


def write(tmp_path: Path, name: str, lines: list[str]) -> str:
    path = tmp_path / f"{name}.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def baseline() -> list[str]:
    return [
        row(1, "POST", "", 200, obj()),
        row(2, "GET", "/asst_Drift00000000000000000001", 200, obj()),
        row(3, "DELETE", "/asst_Drift00000000000000000001", 200, {"deleted": True}),
    ]


def drift_of(tmp_path: Path, new: list[str]) -> dict[str, Any]:
    old_path, new_path = write(tmp_path, "old", baseline()), write(tmp_path, "new", new)
    return diff(load([old_path]), load([new_path])).as_dict()["operations"]


def test_identical_recordings_have_no_drift(tmp_path: Path) -> None:
    assert drift_of(tmp_path, baseline()) == {}


def test_a_field_added_and_one_removed(tmp_path: Path) -> None:
    changed = obj(reasoning_effort=None)
    del changed["temperature"]
    new = [row(1, "POST", "", 200, changed), *baseline()[1:]]
    changes = drift_of(tmp_path, new)["assistants.create"]["by_status"]["200"]
    assert changes["fields_added"] == [{"path": "body.reasoning_effort", "kinds": ["null"]}]
    assert changes["fields_removed"] == [{"path": "body.temperature", "kinds": ["float"]}]
    assert set(changes) == {"fields_added", "fields_removed"}


def test_an_integer_where_a_float_was_is_a_format_change(tmp_path: Path) -> None:
    new = [row(1, "POST", "", 200, obj(temperature=1)), *baseline()[1:]]
    changes = drift_of(tmp_path, new)["assistants.create"]["by_status"]["200"]
    assert changes == {
        "type_changes": [{"path": "body.temperature", "old": ["float"], "new": ["integer"]}]
    }


def test_key_order_change(tmp_path: Path) -> None:
    body = obj()
    reordered = {"id": body.pop("id"), "name": body.pop("name"), **body}
    new = [baseline()[0], row(2, "GET", "/asst_Drift00000000000000000001", 200, reordered)]
    new.append(baseline()[2])
    (change,) = drift_of(tmp_path, new)["assistants.retrieve"]["by_status"]["200"]["key_order"]
    assert change["path"] == "body"
    assert change["old"][:4] == ["id", "object", "created_at", "name"]
    assert change["new"][:3] == ["id", "name", "object"]


def test_headers_added_and_dropped(tmp_path: Path) -> None:
    new = [
        row(1, "POST", "", 200, obj(), x_ratelimit_limit_requests="500"),
        *baseline()[1:],
    ]
    new[0] = new[0].replace('"openai-version": ["2020-10-01"], ', "")
    changes = drift_of(tmp_path, new)["assistants.create"]["by_status"]["200"]
    assert changes == {
        "headers_added": ["x-ratelimit-limit-requests"],
        "headers_removed": ["openai-version"],
    }


def test_edge_headers_count_only_when_asked(tmp_path: Path) -> None:
    old = write(tmp_path, "old", baseline())
    new = write(tmp_path, "new", [baseline()[0].replace('"CF-RAY"', '"Server"'), *baseline()[1:]])
    assert not diff(load([old]), load([new])).drift
    report = diff(load([old]), load([new]), all_headers=True).as_dict()
    assert report["operations"]["assistants.create"]["by_status"]["200"] == {
        "headers_added": ["server"],
        "headers_removed": ["cf-ray"],
    }


def test_status_change_per_operation(tmp_path: Path) -> None:
    gone = {
        "error": {"message": "gone", "type": "invalid_request_error", "param": None, "code": None}
    }
    new = [*baseline()[:2], row(3, "DELETE", "/asst_Drift00000000000000000001", 404, gone)]
    assert drift_of(tmp_path, new)["assistants.delete"] == {
        "statuses": {"added": [404], "removed": [200]}
    }


def test_free_form_maps_and_unused_tool_types_are_not_drift(tmp_path: Path) -> None:
    other_data = obj(metadata={"different": "keys"}, tools=[])
    new = [row(1, "POST", "", 200, other_data), *baseline()[1:]]
    assert drift_of(tmp_path, new) == {}


def era_drift(recordings: Path, old: str, new: str) -> dict[str, Any]:
    report = diff(
        [i for i in load([f"{recordings}?{old}"]) if i.operation in OPERATIONS],
        [i for i in load([f"{recordings}?{new}"]) if i.operation in OPERATIONS],
    )
    return report.as_dict()["operations"]


def added(changes: dict[str, Any]) -> set[str]:
    return {item["path"] for item in changes.get("fields_added", [])}


def removed(changes: dict[str, Any]) -> set[str]:
    return {item["path"] for item in changes.get("fields_removed", [])}


def test_v1_2023_to_v1_2024_adds_sampling_fields(reference_recordings: Path) -> None:
    operations = era_drift(
        reference_recordings, "beta=v1&until=2024-04-01", "beta=v1&since=2024-04-01"
    )
    sampling = {"body.top_p", "body.temperature", "body.response_format"}
    for operation in ("assistants.create", "assistants.retrieve", "assistants.modify"):
        changes = operations[operation]["by_status"]["200"]
        assert added(changes) == sampling, operation
        assert not removed(changes), operation
    assert added(operations["assistants.list"]["by_status"]["200"]) == {
        path.replace("body.", "body.data[].") for path in sampling
    }


def test_v1_to_v2_trades_file_ids_for_tool_resources(reference_recordings: Path) -> None:
    operations = era_drift(reference_recordings, "beta=v1", "beta=v2")
    for operation in ("assistants.create", "assistants.retrieve", "assistants.modify"):
        changes = operations[operation]["by_status"]["200"]
        assert "body.tool_resources" in added(changes), operation
        assert removed(changes) == {"body.file_ids"}, operation
    values = {v["path"]: v for v in operations["assistants.create"]["by_status"]["200"]["values"]}[
        "body.tools[].type"
    ]
    assert "file_search" in values["added"]
    assert values["removed"] == ["retrieval"]


def test_v2_2024_to_2025_adds_reasoning_effort(reference_recordings: Path) -> None:
    operations = era_drift(
        reference_recordings, "beta=v2&until=2025-01-01", "beta=v2&since=2025-01-01"
    )
    for operation in ("assistants.create", "assistants.retrieve"):
        changes = operations[operation]["by_status"]["200"]
        assert added(changes) == {"body.reasoning_effort"}, operation
        assert not removed(changes), operation
        assert "type_changes" not in changes
        assert "key_order" not in changes


def test_cli_diff_exit_codes_text_and_json(
    reference_recordings: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    same = write(tmp_path, "same", baseline())
    assert cli.main(["diff", same, same]) == 0
    assert "none" in capsys.readouterr().out

    old = f"{reference_recordings}?beta=v2&until=2025-01-01"
    new = f"{reference_recordings}?beta=v2&since=2025-01-01"
    assert cli.main(["diff", old, new, "--operation", "create"]) == 1  # the short name
    text = capsys.readouterr().out
    assert "+ field body.reasoning_effort (null)" in text

    assert cli.main(["diff", old, new, "--json", "--operation", "assistants.retrieve"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["drift"] is True
    assert list(report["operations"]) == ["assistants.retrieve"]

    assert cli.main(["diff", f"{reference_recordings}?colour=red", same]) == 2
    assert "unknown selector colour" in capsys.readouterr().out


def test_vcrpy_cassettes_are_compared_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import yaml

    def cassette(name: str, temperature: float) -> str:
        answer = json.dumps(obj(temperature=temperature))
        interaction = {
            "request": {
                "method": "POST",
                "uri": "https://api.openai.com/v1/assistants",
                "body": "{}",
            },
            "response": {"status": {"code": 200}, "headers": {}, "body": {"string": answer}},
        }
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump({"interactions": [interaction], "version": 1}))
        return str(path)

    assert cli.main(["diff", cassette("old", 0.5), cassette("new", 1)]) == 1
    assert "~ type body.temperature: float -> integer" in capsys.readouterr().out
