"""The Scrubber on its own (vcrpy's request objects, no recording): what it learns from a
request, and that a learned credential goes from every later string, in any encoding."""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any

import pytest
from vcr.request import Request

from pytest_assistants.cassettes.scrub import (
    HEADER_MARK,
    QUERY_MARK,
    Scrubber,
    credential_header,
    credential_pieces,
    scrub_request,
    scrub_response,
)

AZURE = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"  # no shape: only learning catches it
URL = "https://api.openai.com/v1/assistants"


def request(headers: dict[str, str], uri: str = URL, body: Any = None) -> Any:
    return Request("POST", uri, body, headers)


def answer(body: bytes, **headers: str) -> dict[str, Any]:
    return {
        "status": {"code": 200, "message": "OK"},
        "headers": {name: [value] for name, value in headers.items()},
        "body": {"string": body},
    }


@pytest.mark.parametrize(
    ("name", "value", "learned"),
    [
        ("Authorization", f"Bearer {AZURE}", {f"Bearer {AZURE}", AZURE}),
        ("api-key", AZURE, {AZURE}),
        ("x-api-key", AZURE, {AZURE}),
        ("x-portkey-virtual-key", AZURE, {AZURE}),
        ("x-amz-security-token", AZURE, {AZURE}),
        ("x-custom-secret", AZURE, {AZURE}),
        ("x-session", AZURE, {AZURE}),
        ("proxy-authorization", "Basic " + base64.b64encode(b"ann:hunter2pass").decode(), None),
        ("content-type", AZURE, set()),  # allow-listed: its value is no credential
        ("x-portkey-provider", AZURE, set()),  # allow-listed portkey header
        ("x-trace", AZURE, set()),  # a name that says nothing of a key
        ("api-key", "short", set()),  # under 8 characters: not searched for elsewhere
        ("api-key", "<scrubbed:header-value>", set()),  # already scrubbed
    ],
)
def test_what_a_request_teaches_the_scrubber(
    name: str, value: str, learned: set[str] | None
) -> None:
    scrubber = Scrubber()
    scrubber.learn(request({name: value}))
    if learned is None:  # basic auth: the header, the base64, the pair and the password
        assert {"hunter2pass", "ann:hunter2pass"} <= scrubber.known
    else:
        assert scrubber.known == learned


def test_an_aws_signature_teaches_its_parts() -> None:
    value = (
        "AWS4-HMAC-SHA256 Credential=AKIAZ7QM2LP9VT4RW8ZK/20240101/us-east-1/bedrock/aws4_request,"
        " SignedHeaders=host;x-amz-date, Signature=" + "ab" * 32
    )
    pieces = credential_pieces(value)
    assert "AKIAZ7QM2LP9VT4RW8ZK" in pieces
    assert "ab" * 32 in pieces


def test_query_values_and_userinfo_are_learned_but_not_allowed_parameters() -> None:
    scrubber = Scrubber()
    uri = (
        f"https://user1234:{AZURE}@api.openai.com/v1/assistants?key={AZURE.upper()}&limit=20000000"
    )
    scrubber.learn(request({}, uri))
    assert scrubber.known == {"user1234", AZURE, AZURE.upper()}


def test_credential_headers() -> None:
    assert credential_header("API-Key")
    assert credential_header("x-portkey-anything")
    assert credential_header("x-amz-security-token")
    assert not credential_header("x-amz-date")  # a date: not searched for in bodies
    assert credential_header("x-goog-api-key")
    assert not credential_header("x-request-id")
    assert not credential_header("x-stainless-lang")
    assert not credential_header("accept")


def test_a_learned_credential_goes_from_every_later_string_in_every_encoding() -> None:
    scrubber = Scrubber()
    sent = scrubber.request(request({"api-key": AZURE}, body=b'{"name": "x"}'))
    assert sent.headers["api-key"] == HEADER_MARK
    percent = "".join(f"%{ord(c):02X}" for c in AZURE)
    escaped = "".join(f"\\u{ord(c):04x}" for c in AZURE)
    body = json.dumps({"a": AZURE, "b": f"q={percent}", "c": "kept"})[:-1] + f', "d": "{escaped}"}}'
    got = scrubber.response(answer(body.encode(), **{"x-request-id": f"req {AZURE}"}))
    text = got["body"]["string"].decode()
    assert AZURE not in text
    assert percent not in text
    assert escaped not in text
    assert text.count("<scrubbed:credential>") == 3
    assert json.loads(text)["c"] == "kept"
    assert got["headers"]["x-request-id"] == ["req <scrubbed:credential>"]


def test_the_last_pass_removes_a_credential_learned_after_the_answer_was_kept() -> None:
    scrubber = Scrubber()
    early = scrubber.response(answer(f"echo {AZURE}".encode()))
    assert AZURE.encode() in early["body"]["string"]  # not known yet
    scrubber.learn(request({"x-api-key": AZURE}))
    written = scrubber.data({"interactions": [{"response": early}], "n": 1})
    assert written["interactions"][0]["response"]["body"]["string"] == (
        b"echo <scrubbed:credential>"
    )
    assert written["n"] == 1


def test_headers_off_the_allow_list_become_marks_keeping_the_scheme() -> None:
    sent = scrub_request(
        request({"Authorization": f"Bearer {AZURE}", "x-api-key": AZURE, "Accept": "a/b"})
    )
    assert sent.headers["Authorization"] == f"Bearer {HEADER_MARK}"
    assert sent.headers["x-api-key"] == HEADER_MARK
    assert sent.headers["Accept"] == "a/b"
    sent = scrub_request(request({}, f"{URL}?key={AZURE}&limit=2&after="))
    assert sent.uri == f"{URL}?key={QUERY_MARK}&limit=2&after="


def test_a_json_given_as_a_dict_is_scrubbed_as_json() -> None:
    sent = scrub_request(request({}, body={"key": "sk-proj-Xy7Qm2Lp9Vt4Rw8Zk3Nb6Hc1Jd5Fg0AsEr"}))
    assert sent.body == b'{"key": "<scrubbed:openai-key>"}'


def test_a_compressed_answer_is_stored_decoded_with_its_length() -> None:
    body = b'{"id": "asst_x"}'
    got = scrub_response(
        answer(gzip.compress(body), **{"Content-Encoding": "gzip", "Content-Length": "99"})
    )
    assert got["body"]["string"] == body
    assert "Content-Encoding" not in got["headers"]
    assert got["headers"]["Content-Length"] == [str(len(body))]


def test_every_credential_of_a_request_is_kept_not_only_the_last() -> None:
    scrubber = Scrubber()
    scrubber.learn(request({"api-key": AZURE, "x-api-key": AZURE.upper()}))
    scrubber.learn(request({"x-portkey-api-key": "pk" + AZURE}))
    assert scrubber.known == {AZURE, AZURE.upper(), "pk" + AZURE}
    assert scrubber.ordered() == ["pk" + AZURE, AZURE.upper(), AZURE]  # longest first


def test_a_header_value_given_as_bytes_is_learned_as_text() -> None:
    scrubber = Scrubber()
    scrubber.learn(request({"api-key": AZURE.encode()}))  # type: ignore[dict-item]
    assert scrubber.known == {AZURE}


def test_a_scrubbed_query_value_is_not_learned() -> None:
    scrubber = Scrubber()
    scrubber.learn(request({}, f"{URL}?key=<scrubbed:query-value>&api-key=REDACTED"))
    assert scrubber.known == set()


def test_an_answer_without_headers_or_body_is_kept_as_such() -> None:
    got = scrub_response({"status": {"code": 204, "message": "No Content"}})
    assert got["headers"] == {}
    assert got["body"] == {"string": b""}
