"""Every bad cassette given to lint, conformance, import, diff and replay: one line naming the
file and what is wrong, never a traceback; lint refuses what replay cannot read.

The corpus is the security probe's kinds of bad file: broken YAML, wrong schema at every
level, tags, alias bombs and cycles, deep nesting, bytes that are not UTF-8, a directory and
a FIFO named ``*.yaml``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING

import pytest

from pytest_assistants.cli import main

if TYPE_CHECKING:
    from pathlib import Path

GOOD_REQUEST = """\
  request:
    body: '{"model": "gpt-4o"}'
    headers:
      Content-Type:
      - application/json
    method: POST
    uri: https://api.openai.com/v1/assistants
"""
GOOD_RESPONSE = """\
  response:
    body:
      string: '{"id": "asst_abc", "object": "assistant"}'
    headers:
      Content-Type:
      - application/json
    status:
      code: 200
      message: OK
"""


def interaction(request: str = GOOD_REQUEST, response: str = GOOD_RESPONSE) -> str:
    return "interactions:\n-" + (request + response)[1:] + "version: 1\n"


def bomb(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\ninteractions: []\n"


# name -> (file text, what the one line must say)
BAD: dict[str, tuple[str | bytes, str]] = {
    "malformed": ("interactions: [\n  - {a: b\n", "malformed YAML"),
    "list root": ("- request: {}\n", "no 'interactions' list"),
    "scalar root": ("just text\n", "no 'interactions' list"),
    "interactions a number": ("interactions: 5\n", "no 'interactions' list"),
    "interactions null": ("interactions:\n", "no 'interactions' list"),
    "interaction a number": ("interactions:\n- 5\n", "interaction 1"),
    "request a number": (interaction("  request: 5\n"), "no 'request' mapping"),
    "no response": (interaction(response=""), "no 'response' mapping"),
    "no uri": (interaction(GOOD_REQUEST.replace("    uri:", "    url:")), "'uri'"),
    "uri a number": (
        interaction(GOOD_REQUEST.replace("https://api.openai.com/v1/assistants", "12")),
        "'uri'",
    ),
    "uri not http": (
        interaction(GOOD_REQUEST.replace("https://", "ftp://")),
        "not an http(s) URL",
    ),
    "method a list": (interaction(GOOD_REQUEST.replace("method: POST", "method: [1]")), "'method'"),
    "body a mapping": (
        interaction(GOOD_REQUEST.replace("""body: '{"model": "gpt-4o"}'""", "body: {a: 1}")),
        "'body'",
    ),
    "status a string": (
        interaction(response=GOOD_RESPONSE.replace("code: 200", "code: abc")),
        "'status'",
    ),
    "status out of range": (
        interaction(response=GOOD_RESPONSE.replace("code: 200", "code: 99999")),
        "'status'",
    ),
    "status infinite": (
        interaction(response=GOOD_RESPONSE.replace("code: 200", "code: .inf")),
        "'status'",
    ),
    "no status": (
        interaction(
            response=GOOD_RESPONSE.replace("    status:\n      code: 200\n      message: OK\n", "")
        ),
        "'status'",
    ),
    "no body string": (
        interaction(response=GOOD_RESPONSE.replace("      string: ", "      text: ")),
        "'body' has no 'string'",
    ),
    "headers a list": (
        interaction(
            GOOD_REQUEST.replace("      Content-Type:\n      - application/json\n", "      - x\n")
        ),
        "'headers'",
    ),
    "header value a mapping": (
        interaction(response=GOOD_RESPONSE.replace("      - application/json", "        a: 1")),
        "header",
    ),
    "python tag": (
        interaction(GOOD_REQUEST.replace("method: POST", "method: !!python/name:os.system")),
        "tag",
    ),
    "alias bomb": (bomb(7), "aliases"),
    "alias cycle": ("a: &a [*a]\ninteractions: []\n", "refers to itself"),
    "deep nesting": ("interactions: " + "[" * 5000 + "]" * 5000 + "\n", "nest"),
    "not utf-8": (b"interactions: []\n# \xff\xfe\n", "not UTF-8"),
    "binary garbage": (bytes(range(256)) * 4, "not UTF-8"),
}


@pytest.fixture
def bad_file(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Path, str]:
    text, says = BAD[request.param]
    path = tmp_path / "bad.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path, says


def one_line(output: str, path: Path, says: str) -> None:
    lines = [line for line in output.splitlines() if str(path) in line]
    assert lines, output
    assert "Traceback" not in output
    assert any(says in line for line in lines), output


@pytest.mark.parametrize("bad_file", sorted(BAD), indirect=True)
def test_lint_names_the_file_and_the_problem(
    bad_file: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, says = bad_file
    assert main(["cassettes", "lint", str(path)]) == 1
    one_line(capsys.readouterr().out, path, says)


@pytest.mark.parametrize("bad_file", sorted(BAD), indirect=True)
@pytest.mark.parametrize("command", ["conformance", "import", "diff"])
def test_conformance_import_and_diff_answer_one_line_naming_the_file(
    bad_file: tuple[Path, str], command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = bad_file
    good = tmp_path / "good.yaml"
    good.write_text(interaction())
    argv = {
        "conformance": ["conformance", str(path)],
        "import": ["cassettes", "import", str(path), "--to", str(tmp_path / "out")],
        "diff": ["diff", str(good), str(path)],
    }[command]
    status = main(argv)
    output = capsys.readouterr()
    lines = [line for line in output.out.splitlines() if str(path) in line]
    assert "Traceback" not in output.out + output.err
    # a file whose interactions list is empty or absent is no error to these readers
    if status != 2:
        assert not [line for line in lines if "Error" in line], output.out
        return
    assert len(lines) == 1, output.out


REPLAY_TEST = """
import pytest

@pytest.mark.assistants_cassette("bad")
def test_replay():
    pass
"""


@pytest.mark.parametrize("bad_file", sorted(BAD), indirect=True)
def test_replay_fails_the_test_with_one_line_naming_the_file(
    bad_file: tuple[Path, str], pytester: pytest.Pytester
) -> None:
    path, _ = bad_file
    folder = pytester.path / "cassettes"
    folder.mkdir()
    (folder / "bad.yaml").write_bytes(path.read_bytes())
    pytester.makepyfile(test_bad=REPLAY_TEST)
    result = pytester.runpytest("-p", "no:cacheprovider")
    output = result.stdout.str()
    result.assert_outcomes(errors=1)
    assert "Traceback" not in output
    assert "bad.yaml" in output
    # one line naming the file (the short summary repeats it whole where CI is set: pytest
    # truncates those lines only on a terminal outside CI)
    said = [line for line in output.splitlines() if "bad.yaml:" in line]
    assert len([line for line in said if not line.startswith("ERROR ")]) == 1, output


def test_lint_passes_what_replay_loads(tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(interaction())
    assert main(["cassettes", "lint", str(path)]) == 0


def test_a_directory_named_yaml_is_reported_not_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "cassettes"
    (folder / "odd.yaml").mkdir(parents=True)
    assert main(["cassettes", "lint", str(folder)]) == 1
    assert "odd.yaml:1: not a regular file" in capsys.readouterr().out


FIFO_COMMANDS = [
    ["cassettes", "lint", "{folder}"],
    ["cassettes", "lint", "{fifo}"],
    ["conformance", "{fifo}"],
    ["diff", "{fifo}", "{fifo}"],
    ["cassettes", "import", "{folder}", "--to", "{out}"],
]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("command", FIFO_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_fifo_named_yaml_hangs_no_command(tmp_path: Path, command: list[str]) -> None:
    folder = tmp_path / "cassettes"
    folder.mkdir()
    fifo = folder / "pipe.yaml"
    os.mkfifo(fifo)
    argv = [part.format(folder=folder, fifo=fifo, out=tmp_path / "out") for part in command]
    # the timeout only keeps a regression from hanging the suite: no time is asserted
    done = subprocess.run(
        [sys.executable, "-m", "pytest_assistants.cli", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode in (1, 2), done
    assert "not a regular file" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_as_a_test_cassette_fails_the_test_instead_of_hanging(
    pytester: pytest.Pytester,
) -> None:
    folder = pytester.path / "cassettes"
    folder.mkdir()
    os.mkfifo(folder / "bad.yaml")
    pytester.makepyfile(test_bad=REPLAY_TEST)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--assistants-record-mode=once", timeout=120
    )
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*bad.yaml: not a regular file*"])


def test_a_huge_number_in_a_body_replays_without_a_traceback(pytester: pytest.Pytester) -> None:
    body = json.dumps({"id": "asst_abc", "object": "assistant"})[:-1] + ', "created_at": 1e400}'
    folder = pytester.path / "cassettes"
    folder.mkdir()
    (folder / "big.yaml").write_text(
        interaction(
            response=GOOD_RESPONSE.replace(
                """'{"id": "asst_abc", "object": "assistant"}'""", "'" + body + "'"
            )
        )
    )
    pytester.makepyfile(
        test_big=textwrap.dedent(
            """
            import httpx, pytest

            @pytest.mark.assistants_cassette("big")
            def test_big(assistants_fake):
                answer = httpx.post(
                    "https://api.openai.com/v1/assistants", json={"model": "gpt-4o"}
                )
                assert answer.status_code == 200
            """
        )
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_a_body_nested_100k_deep_gets_the_fakes_400_with_a_cassette_recording(
    tmp_path: Path,
) -> None:
    """Matching parses the body: nested past Python's stack it is compared as bytes."""
    httpx = pytest.importorskip("httpx")
    from pytest_assistants import FakeAssistants
    from pytest_assistants.cassettes.replay import use_cassette

    deep = b"[" * 100_000 + b"]" * 100_000
    headers = {"OpenAI-Beta": "assistants=v2", "Authorization": "Bearer sk-test"}
    with FakeAssistants(), use_cassette(tmp_path / "deep.yaml", "once"):
        answer = httpx.post("https://api.openai.com/v1/assistants", content=deep, headers=headers)
    assert answer.status_code == 400
    assert main(["cassettes", "lint", str(tmp_path / "deep.yaml")]) == 0


def test_read_text_says_what_is_wrong_with_the_file(tmp_path: Path) -> None:
    from pytest_assistants.evidence.loading import CassetteError, read_text

    cases = {
        tmp_path / "missing.yaml": "missing.yaml: no such file",
        tmp_path: f"{tmp_path}: not a regular file; a cassette is a YAML file",
    }
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"a: \xe9\n")
    cases[latin] = (
        f"{latin}: not UTF-8 text (invalid continuation byte at byte 3); a cassette is"
        " YAML text: fix or delete the file"
    )
    for path, says in cases.items():
        with pytest.raises(CassetteError) as error:
            read_text(path)
        assert str(error.value).endswith(says)
    good = tmp_path / "good.yaml"
    good.write_bytes("name: café\n".encode())
    assert read_text(good) == "name: café\n"


def test_replay_problems_are_pinned_word_for_word() -> None:
    from pytest_assistants.evidence.loading import replay_problems

    assert replay_problems([]) == [(0, "not a vcrpy cassette: no 'interactions' list")]
    assert replay_problems({"interactions": [5]}) == [
        (1, "interaction 1: not a mapping with 'request' and 'response'")
    ]
    entry = {
        "request": {"method": 1, "uri": "ftp://x", "body": {}, "headers": []},
        "response": {"status": {"code": True}, "body": {}, "headers": {"a": [{}]}},
    }
    assert [text for _, text in replay_problems({"interactions": [entry]})] == [
        "interaction 1: request 'method' is not a string",
        "interaction 1: request 'uri' is not an http(s) URL",
        "interaction 1: request 'body' is not a string",
        "interaction 1: request 'headers' is not a mapping",
        "interaction 1: response 'status' has no 'code' between 100 and 599",
        "interaction 1: response 'body' has no 'string'",
        "interaction 1: response header 'a' is not a name with string values",
    ]
    assert [text for _, text in replay_problems({"interactions": [{"request": {}}]})] == [
        "interaction 1: request 'method' is not a string",
        "interaction 1: request 'uri' is not a string",
        "interaction 1: no 'response' mapping",
    ]
