"""``--assistants-coverage``: a small suite of known content, its exact counts, under xdist.

Each count below is worked out from the suite by hand (see the comments), not read back from
the code under test; the suite runs on two workers, so the totals also prove the merge.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path

pytest.importorskip("openai")
pytest.importorskip("xdist")

SUITE = """
    import openai
    import pytest

    def test_crud(assistants_fake):
        client = assistants_fake.openai(max_retries=0)
        made = client.beta.assistants.create(model="gpt-4o", name="a")
        client.beta.assistants.update(made.id, name=None, description=None)
        client.beta.assistants.retrieve(made.id)
        client.beta.assistants.delete(made.id)

    def test_refused(assistants_fake):
        client = assistants_fake.openai(max_retries=0)
        made = client.beta.assistants.create(model="gpt-4o")
        with pytest.raises(openai.BadRequestError):
            client.beta.assistants.update(made.id, name="x" * 257)
        with pytest.raises(openai.NotFoundError):
            client.beta.assistants.update("asst_missing", name="x")

    def test_retry_and_pages(assistants_fake):
        client = assistants_fake.openai(max_retries=1)
        client.beta.assistants.create(model="gpt-4o")
        client.beta.assistants.create(model="gpt-4o")
        assistants_fake.fail(429, operation="list")
        page = client.beta.assistants.list(limit=1)
        client.beta.assistants.list(limit=1, after=page.last_id)

    def test_timeout(assistants_fake):
        client = assistants_fake.openai(max_retries=0)
        made = client.beta.assistants.create(model="gpt-4o")
        assistants_fake.fail(kind="timeout", operation="retrieve")
        with pytest.raises(openai.APITimeoutError):
            client.beta.assistants.retrieve(made.id)

    @pytest.mark.assistants(profile="openai-v1@2024-04")
    def test_v1(assistants_fake):
        assistants_fake.openai().beta.assistants.create(
            model="gpt-4-turbo", extra_headers={"OpenAI-Beta": "assistants=v1"}
        )
"""

V2_EXERCISED = {
    "operation:assistants.create": 5,  # crud 1, refused 1, retry_and_pages 2, timeout 1
    "operation:assistants.modify": 3,  # crud 1, refused 2
    "operation:assistants.retrieve": 2,  # crud 1, timeout 1 (dropped)
    "operation:assistants.delete": 1,
    "operation:assistants.list": 3,  # the 429, its retry, the after page
    "null:name": 1,
    "null:description": 1,
    "refused:assistants.modify": 2,
    "error:limit:name": 1,  # 257 characters
    "error:unknown id": 1,
    "fault:status": 1,
    "fault:status 429": 1,
    "fault:timeout": 1,
    "retry": 1,  # x-stainless-retry-count: 1 on the list after the 429
    "pagination:has_more": 1,  # first page of two assistants at limit=1
    "pagination:after": 1,
}


def test_coverage_report_merged_across_two_workers(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    pytester.makepyfile(SUITE)
    report = tmp_path / "coverage.json"
    result = pytester.runpytest(
        "-n", "2", "-p", "no:cacheprovider", "-W", "error", f"--assistants-coverage-json={report}"
    )
    result.assert_outcomes(passed=5)
    groups = {(g["profile"], g["dialect"]): g for g in json.loads(report.read_text())["groups"]}
    assert list(groups) == [("openai-v1@2024-04", "openai"), ("openai-v2@2025-08", "openai")]
    v2 = groups["openai-v2@2025-08", "openai"]
    assert v2["requests"] == 14  # 4 + 3 + 5 + 2
    assert v2["exercised"] == V2_EXERCISED
    assert groups["openai-v1@2024-04", "openai"]["exercised"] == {"operation:assistants.create": 1}
    assert "refused:assistants.modify" not in v2["never"]
    assert "error:auth" in v2["never"]
    assert "fault:disconnect" in v2["never"]
    assert v2["notable"] == [
        "no test sends a missing or wrong API key",
        "no test sends a body the provider cannot parse",
        "no test drops the connection (fail(kind='disconnect'))",
    ]
    result.stdout.fnmatch_lines(
        [
            "*= assistants behaviour coverage =*",
            "openai-v1@2024-04, dialect openai: 1 requests",
            "  operation: assistants.create 1",
            "*",
            "openai-v2@2025-08, dialect openai: 14 requests",
            "  error: limit:name 1, unknown id 1",
            "  fault: status 1, status 429 1, timeout 1",
            "  null: description 1, name 1",
            "  operation: assistants.create 5, assistants.delete 1, assistants.list 3,"
            " assistants.modify 3, assistants.retrieve 2",
            "  pagination: after 1, has_more 1",
            "  refused: assistants.modify 2",
            "  retry: 1",
            # the operations of threads, runs, files and vector stores, and 4 behaviours of files
            "  never exercised (72): operation:threads.create, operation:threads.retrieve, *",
            "  ! no test sends a missing or wrong API key",
            f"behaviour coverage written to {report}",
        ]
    )


def test_off_by_default_and_silent(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SUITE)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)
    result.stdout.no_fnmatch_line("*behaviour coverage*")


class Page(HTMLParser):
    """The coverage page read back: group -> behaviour -> (state, tests)."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: dict[str, dict[str, tuple[str, list[str]]]] = {}
        self.group = self.behaviour = ""
        self.cell: list[str] | None = None
        self.cells: list[str] = []
        self.tests: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section":
            self.group = found["data-group"] or ""
            self.groups[self.group] = {}
        elif tag == "tr" and "data-behaviour" in found:
            self.behaviour, self.cells, self.tests = found["data-behaviour"] or "", [], []
        elif tag in ("td", "li"):
            self.cell = []

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "li") and self.cell is not None:
            (self.tests if tag == "li" else self.cells).append("".join(self.cell))
            self.cell = [] if tag == "li" else None
        elif tag == "tr" and self.behaviour:
            self.groups[self.group][self.behaviour] = (self.cells[1], self.tests)
            self.behaviour = ""


def test_coverage_page_names_the_tests_behind_each_behaviour_across_workers(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    pytester.makepyfile(test_suite=SUITE)
    folder = tmp_path / "coverage"
    result = pytester.runpytest(
        "-n", "2", "-p", "no:cacheprovider", "-W", "error", f"--assistants-coverage-html={folder}"
    )
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines([f"behaviour coverage page written to {folder / 'index.html'}"])
    page = Page()
    page.feed((folder / "index.html").read_text(encoding="utf-8"))
    v2 = page.groups["openai-v2@2025-08, dialect openai"]
    name = "test_suite.py::test_"
    assert v2["operation:assistants.create"] == (
        "exercised 5\N{MULTIPLICATION SIGN}",
        [f"{name}crud", f"{name}refused", f"{name}retry_and_pages", f"{name}timeout"],
    )
    assert v2["error:limit:name"] == ("exercised 1\N{MULTIPLICATION SIGN}", [f"{name}refused"])
    assert v2["fault:timeout"][1] == [f"{name}timeout"]
    assert v2["retry"][1] == v2["pagination:after"][1] == [f"{name}retry_and_pages"]
    assert v2["null:name"][1] == [f"{name}crud"]
    assert v2["error:auth"] == ("never", [])  # expected, never exercised: listed all the same
    assert page.groups["openai-v1@2024-04, dialect openai"]["operation:assistants.create"][1] == [
        f"{name}v1"
    ]
    assert len(v2) == len(V2_EXERCISED) + 72  # every expected behaviour has its row


def test_the_page_escapes_what_it_shows(tmp_path: Path) -> None:
    from pytest_assistants.coverage_page import write_html

    group = {"profile": "openai-v2@2025-08", "dialect": "openai", "requests": 1,
             "exercised": {"operation:create": 1}, "never": [], "notable": ["<b>gap</b>"],
             "tests": {"operation:create": ["t.py::test[<script>]"]}}  # fmt: skip
    text = write_html(tmp_path / "new", [group]).read_text(encoding="utf-8")
    assert "t.py::test[&lt;script&gt;]" in text
    assert "&lt;b&gt;gap&lt;/b&gt;" in text
    assert "<script>" not in text
