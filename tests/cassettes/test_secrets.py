"""No secret reaches a cassette, none passes lint, and no benign word is touched.

The planted corpus (every leak kind the security probe found) goes through the plugin's record
mode against the fake and through ``pytest-assistants cassettes lint``; the benign corpus goes
through both and through a replay without the fake.
"""

from __future__ import annotations

import base64
import gzip
import json
import textwrap
from typing import TYPE_CHECKING

import pytest
import yaml

from pytest_assistants.cassettes.scrub import scrub_text
from pytest_assistants.cli import main
from pytest_assistants.evidence.recordings import brotli_module
from tests.secret_corpus import (
    AWS_KEY_ID,
    AWS_SECRET,
    BENIGN,
    BODY_SECRETS,
    GITHUB,
    HEADER_SECRETS,
    HUGGINGFACE,
    JWT,
    LEGACY_KEY,
    OPAQUE,
    OPENAI_KEY,
    QUERY_SECRETS,
)

if TYPE_CHECKING:
    from pathlib import Path

pytest.importorskip("openai")
COMMON = ("-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning")
EVERY_SECRET = [OPENAI_KEY, LEGACY_KEY, JWT, GITHUB, HUGGINGFACE, AWS_KEY_ID, AWS_SECRET, OPAQUE]

RECORDING_TEST = """
import httpx
import openai
import pytest

BODY = {body!r}
HEADERS = {headers!r}
QUERY = {query!r}
KEY = {key!r}


def test_planted(assistants_cassette, assistants_fake):
    client = openai.OpenAI(api_key=KEY, max_retries=0)
    for text in BODY:
        made = client.beta.assistants.create(
            model="gpt-4o", instructions=text, extra_headers=HEADERS, extra_query=QUERY
        )
        assert made.instructions == text  # the fake echoed it: both sides hold it
    hidden = b'{{"model": "gpt-4o", "name": "\\\\u0073' + KEY[1:].encode() + b'"}}'
    answer = httpx.post(
        "https://api.openai.com/v1/assistants",
        content=hidden,
        headers={{"authorization": "Bearer " + KEY, "openai-beta": "assistants=v2"}},
    )
    assert answer.json()["name"] == KEY
    assistants_fake.fail(400, headers=HEADERS, body={{"error": {{"message": "bad " + KEY}}}})
    with pytest.raises(openai.BadRequestError):
        client.beta.assistants.retrieve("asst_abc123")


@pytest.fixture
def maybe_fake(request):
    if request.config.getoption("assistants_record_mode") not in (None, "none"):
        return request.getfixturevalue("assistants_fake")
    return None


@pytest.mark.parametrize("word", {benign!r})
def test_benign(word, assistants_cassette, maybe_fake):
    client = openai.OpenAI(api_key="sk-test")
    made = client.beta.assistants.create(model="gpt-4o", name=word, instructions=f"use {{word}}")
    assert made.name == word
    assert made.instructions == f"use {{word}}"
"""


def strings_of(text: str) -> str:
    """The cassette as JSON text: YAML escapes and line continuations decoded."""
    return json.dumps(yaml.safe_load(text), default=str)


@pytest.fixture
def recorded(pytester: pytest.Pytester) -> Path:
    pytester.makepyfile(
        test_corpus=RECORDING_TEST.format(
            body=[text for _, text, _ in BODY_SECRETS],
            headers=HEADER_SECRETS,
            query=QUERY_SECRETS,
            key=OPENAI_KEY,
            benign=BENIGN,
        )
    )
    result = pytester.runpytest("--assistants-record-mode=once", *COMMON)
    result.assert_outcomes(passed=1 + len(BENIGN))
    return pytester.path / "cassettes" / "test_corpus"


def test_recording_leaves_no_planted_secret_on_disk(recorded: Path) -> None:
    text = (recorded / "test_planted.yaml").read_text()
    for secret in EVERY_SECRET:
        assert secret not in text
        assert secret not in strings_of(text)
    assert OPENAI_KEY[2:] not in text  # the \u0073-escaped copy too
    for mark in (
        "<scrubbed:openai-key>",
        "<scrubbed:jwt>",
        "<scrubbed:github-token>",
        "<scrubbed:huggingface-token>",
        "<scrubbed:aws-access-key>",
        "<scrubbed:bearer-token>",
        "- Bearer <scrubbed:header-value>",
        "api-key=<scrubbed:query-value>&key=<scrubbed:query-value>",
    ):
        assert mark in text, mark
    assert main(["cassettes", "lint", str(recorded / "test_planted.yaml")]) == 0


def test_benign_words_are_recorded_unchanged_and_replay(
    recorded: Path, pytester: pytest.Pytester
) -> None:
    for word in BENIGN:
        [path] = recorded.glob(f"test_benign*{word.split()[0]}*.yaml")
        interaction = yaml.safe_load(path.read_text())["interactions"][0]
        sent = json.loads(interaction["request"]["body"])
        answered = json.loads(interaction["response"]["body"]["string"])
        assert (sent["name"], sent["instructions"]) == (word, f"use {word}")
        assert (answered["name"], answered["instructions"]) == (word, f"use {word}")
    assert main(["cassettes", "lint", str(recorded)]) == 0
    replayed = pytester.runpytest("-k", "benign", *COMMON)  # no fake: the cassettes answer
    replayed.assert_outcomes(passed=len(BENIGN))


# -- lint ------------------------------------------------------------------------------------

CASSETTE = """\
interactions:
- request:
    body: {body}
    headers:
      Content-Type:
      - application/json
{headers}    method: POST
    uri: {uri}
  response:
    body:
      string: {answer}
    headers:
      Content-Type:
      - application/json
    status:
      code: 200
      message: OK
version: 1
"""
URI = "https://api.openai.com/v1/assistants"


def cassette(body: str = "'{}'", headers: str = "", uri: str = URI, answer: str = "'{}'") -> str:
    return CASSETTE.format(body=body, headers=headers, uri=uri, answer=answer)


def binary(data: bytes) -> str:
    return "!!binary |\n        " + base64.b64encode(data).decode()


def lint_cases() -> dict[str, tuple[str, str, str]]:
    """name -> (cassette text, text on the reported line, what the report says)."""
    kinds = {
        OPENAI_KEY: "openai-key",
        LEGACY_KEY: "openai-key",
        JWT: "jwt",
        GITHUB: "github-token",
        HUGGINGFACE: "huggingface-token",
        AWS_KEY_ID: "aws-access-key",
        "Zk3Nb6Hc1Jd5Fg0A": "bearer-token",
    }
    cases: dict[str, tuple[str, str, str]] = {}
    for name, text, secret in BODY_SECRETS:
        body = "'" + json.dumps({"instructions": text}).replace("'", "''") + "'"
        cases[f"body {name}"] = (cassette(body=body), "body:", f"secret: {kinds[secret]}")
    tail = OPENAI_KEY[1:]
    document = json.dumps({"name": OPENAI_KEY}).encode()
    cases |= {
        "yaml \\x escape": (cassette(body=f'"\\x73{tail}"'), "body:", "secret: openai-key"),
        "yaml \\u escape": (cassette(body=f'"\\u0073{tail}"'), "body:", "secret: openai-key"),
        "json \\u escape": (
            cassette(body=f'\'{{"name": "\\u0073{tail}"}}\''),
            "body:",
            "secret: openai-key",
        ),
        "yaml line continuation": (
            cassette(body=f'"{OPENAI_KEY[:14]}\\\n      {OPENAI_KEY[14:]}"'),
            "body:",
            "secret: openai-key",
        ),
        "percent-encoded in the uri": (
            cassette(uri=f"{URI}?after=x%3D{OPENAI_KEY}"),
            "uri:",
            "secret: openai-key",
        ),
        "comment": (f"# left by hand: {GITHUB}\n" + cassette(), "# left", "secret: github-token"),
        "!!binary": (cassette(answer=binary(document)), "string:", "secret: openai-key"),
        "!!binary gzip": (
            cassette(answer=binary(gzip.compress(document))),
            "string:",
            "secret: openai-key",
        ),
        "!!python tag": (
            cassette(body="!!python/object/apply:os.system ['true']"),
            "body:",
            "non-standard YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'",
        ),
        "other tag": (cassette(body="!custom 'x'"), "body:", "non-standard YAML tag '!custom'"),
    }
    for header, value in HEADER_SECRETS.items():
        headers = f"      {header}:\n      - {json.dumps(value)}\n"
        cases[f"header {header}"] = (
            cassette(headers=headers),
            f"- {json.dumps(value)}",
            f"unscrubbed request header '{header}'",
        )
    for parameter, value in QUERY_SECRETS.items():
        cases[f"query {parameter}"] = (
            cassette(uri=f"{URI}?limit=2&{parameter}={value}"),
            "uri:",
            f"unscrubbed query parameter '{parameter}'",
        )
    brotli = brotli_module()
    if brotli is not None:
        squeezed = binary(brotli.compress(document))
        cases["!!binary brotli"] = (cassette(answer=squeezed), "string:", "secret: openai-key")
    return cases


LINT_CASES = lint_cases()


@pytest.mark.parametrize("case", sorted(LINT_CASES))
def test_lint_flags_every_planted_secret_with_file_line_and_kind(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, on_line, says = LINT_CASES[case]
    path = tmp_path / "planted.yaml"
    path.write_text(text)
    line = next(n for n, content in enumerate(text.splitlines(), 1) if on_line in content)
    assert main(["cassettes", "lint", str(path)]) == 1
    assert f"{path}:{line}: {says}" in capsys.readouterr().out


def test_the_planted_corpus_covers_every_kind_of_the_issue() -> None:
    names = " ".join(LINT_CASES)
    for kind in ("\\n", "\\t", "%3D", " _", "jwt", "github", "huggingface", "aws", "binary gzip"):
        assert kind in names, kind
    for header in ("api-key", "proxy-authorization", "x-api-key", "x-portkey-metadata"):
        assert f"header {header}" in LINT_CASES
    assert "query api-key" in LINT_CASES
    assert "query key" in LINT_CASES


def test_benign_words_are_neither_changed_nor_flagged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prose = " ".join(BENIGN)
    assert [scrub_text(word) for word in BENIGN] == BENIGN
    assert scrub_text(json.dumps({"name": prose})) == json.dumps({"name": prose})
    body = "'" + json.dumps({"name": "pk-catalog-helper", "instructions": prose}) + "'"
    answer = "|-\n        " + textwrap.indent(prose, "        ").lstrip()
    path = tmp_path / "benign.yaml"
    path.write_text(f"# about {prose}\n" + cassette(body=body, answer=answer))
    assert main(["cassettes", "lint", str(path)]) == 0
    assert "0 problem(s)" in capsys.readouterr().err


PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----"


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        (
            "Incorrect API key provided: sk-abc12***************wxyz.",
            "Incorrect API key provided: <scrubbed:openai-key>.",
        ),
        ("xoxb-123456789012-1234567890123-abcdefghijABCDEFGHIJabcd", "<scrubbed:slack-token>"),
        ("key sk_live_4eC39HqLyjWDarjtT1zdp7dc.", "key <scrubbed:stripe-access-key>."),
        (
            "https://ann:hunter2pass@example.com/",
            "https://ann:<scrubbed:basic-auth-credentials>@example.com/",
        ),
        (json.dumps({"key": PEM, "n": 1}), '{"key": "<scrubbed:private-key>", "n": 1}'),
        (
            '{"name": "\\u0073' + OPENAI_KEY[1:] + '", "n": "\\n"}',
            '{"name": "<scrubbed:openai-key>", "n": "\\n"}',
        ),
        (f"pk-live-{OPENAI_KEY[8:]}", "<scrubbed:pk-key>"),
    ],
)
def test_each_detector_replaces_the_whole_secret_with_its_kind(text: str, scrubbed: str) -> None:
    assert scrub_text(text) == scrubbed
