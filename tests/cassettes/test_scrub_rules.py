"""Each detection rule on its own: a positive, a near miss and a boundary.

mutmut never mutates module-level constants, so the patterns and allow-lists are pinned here
row by row; the expected values come from the published key formats (lengths, prefixes,
alphabets), not from the patterns. Also: lint flags exactly what scrubbing replaces, and
the benign and product-like corpus survives both.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from pytest_assistants.cassettes import secrets
from pytest_assistants.cassettes.scrub import find_secrets, scrub_bytes, scrub_text
from pytest_assistants.cli import main
from tests.secret_corpus import BENIGN, JWT, KEY_KINDS, OPENAI_KEY, PRODUCT_LIKE

if TYPE_CHECKING:
    from pathlib import Path

HEX64 = "0f1e2d3c4b5a69788796a5b4c3d2e1f0" * 2
MIXED = "Xy7Qm2Lp9Vt4Rw8Zk3Nb6Hc1Jd5Fg0AsErTy7Ui8Op3Mn4Qw5E"  # 50 base62 characters


def alnum(count: int) -> str:
    return (MIXED * 3)[:count]


# (kind, role, text, secret): a positive's secret must be gone and its mark there; a near
# miss or a failing boundary (secret None) must come out unchanged.
ROWS: list[tuple[str, str, str, str | None]] = [
    ("openrouter-key", "positive", f"key sk-or-v1-{HEX64}.", f"sk-or-v1-{HEX64}"),
    ("openrouter-key", "near miss", "see sk-or-v1-notes", None),
    ("openrouter-key", "boundary", f"sk-or-v1-{HEX64[:63]}", f"sk-or-v1-{HEX64[:63]}"),
    ("anthropic-key", "positive", KEY_KINDS["anthropic"], KEY_KINDS["anthropic"]),
    ("anthropic-key", "near miss", "sk-ant-eater", None),
    ("anthropic-key", "boundary", "sk-ant-" + "a" * 20, "sk-ant-" + "a" * 20),
    ("anthropic-key", "boundary", "sk-ant-" + "a" * 19, None),
    ("openai-key", "positive", f"key: {OPENAI_KEY}", OPENAI_KEY),
    ("openai-key", "positive", KEY_KINDS["deepseek"], KEY_KINDS["deepseek"]),
    ("openai-key", "positive", "Incorrect key sk-abc12***************wxyz.", "sk-abc12***"),
    ("openai-key", "near miss", "sk-abc12**wxyz", None),
    ("openai-key", "near miss", "sk-projector", None),
    ("openai-key", "near miss", "sk-Winter2024-Jacket-Navy-XL", None),
    ("openai-key", "boundary", "sk-proj-abcdefgh", "sk-proj-abcdefgh"),
    ("openai-key", "boundary", "sk-proj-abcdefg", None),
    ("openai-key", "boundary", "sk-abcd-a1b2c3d4e5f6g7h8", "sk-abcd-a1b2c3d4e5f6g7h8"),
    ("openai-key", "boundary", "sk-abcde-a1b2c3d4e5f6g7h", None),
    ("openai-key", "boundary", "sk-abcdefgh-A1b2C3d4E5f6", "sk-abcdefgh-A1b2C3d4E5f6"),
    ("openai-key", "boundary", "sk-abcdefghi-A1b2C3d4E5f", None),
    ("openai-key", "boundary", "sk-" + "a1" * 9 + "b", None),  # 19 characters after sk-
    ("pk-key", "positive", KEY_KINDS["portkey"], KEY_KINDS["portkey"]),
    ("pk-key", "near miss", "pk-catalog-helper", None),
    ("pk-key", "boundary", "pk-abcd-a1b2c3d4e5f6g7h8", "pk-abcd-a1b2c3d4e5f6g7h8"),
    ("google-api-key", "positive", KEY_KINDS["google"], KEY_KINDS["google"]),
    ("google-api-key", "near miss", "AIzawa Ryo", None),
    ("google-api-key", "boundary", "AIza" + alnum(34), None),
    (
        "github-token",
        "positive",
        KEY_KINDS["github-fine-grained"],
        KEY_KINDS["github-fine-grained"],
    ),
    (
        "github-token",
        "positive",
        f"token:{KEY_KINDS['github-classic']}",
        KEY_KINDS["github-classic"],
    ),
    ("github-token", "near miss", "github_pat_example", None),
    ("github-token", "boundary", "github_pat_" + alnum(22), "github_pat_" + alnum(22)),
    ("github-token", "boundary", "github_pat_" + alnum(21), None),
    ("github-token", "boundary", "ghp_" + alnum(35), None),
    ("groq-key", "positive", KEY_KINDS["groq"], KEY_KINDS["groq"]),
    ("groq-key", "near miss", "gsk_small", None),
    ("groq-key", "boundary", "gsk_" + alnum(40), "gsk_" + alnum(40)),
    ("groq-key", "boundary", "gsk_" + alnum(39), None),
    ("xai-key", "positive", KEY_KINDS["xai"], KEY_KINDS["xai"]),
    ("xai-key", "near miss", "xai-grok-2", None),
    ("xai-key", "boundary", "xai-" + alnum(40), "xai-" + alnum(40)),
    ("xai-key", "boundary", "xai-" + alnum(39), None),
    ("huggingface-token", "positive", KEY_KINDS["huggingface"], KEY_KINDS["huggingface"]),
    ("huggingface-token", "near miss", "hf_transfer", None),
    ("huggingface-token", "boundary", "hf_" + alnum(30), "hf_" + alnum(30)),
    ("huggingface-token", "boundary", "hf_" + alnum(29), None),
    ("perplexity-key", "positive", KEY_KINDS["perplexity"], KEY_KINDS["perplexity"]),
    ("perplexity-key", "near miss", "pplx-api", None),
    ("perplexity-key", "boundary", "pplx-" + alnum(39), None),
    ("replicate-token", "positive", KEY_KINDS["replicate"], KEY_KINDS["replicate"]),
    ("replicate-token", "near miss", "r8_models", None),
    ("replicate-token", "boundary", "r8_" + alnum(36), None),
    ("langsmith-key", "positive", KEY_KINDS["langsmith"], KEY_KINDS["langsmith"]),
    ("langsmith-key", "near miss", "lsv2_pt_docs", None),
    ("langsmith-key", "boundary", KEY_KINDS["langsmith"][:-1], None),
    ("pinecone-key", "positive", KEY_KINDS["pinecone"], KEY_KINDS["pinecone"]),
    ("pinecone-key", "near miss", "pcsk_demo", None),
    ("pinecone-key", "boundary", "pcsk_" + alnum(19), None),
    ("jwt", "positive", f"session {JWT}", JWT),
    ("jwt", "near miss", "eyJhbGciOi is a JWT header", None),
    ("jwt", "boundary", "eyJabcdefgh.eyJabcdefgh", "eyJabcdefgh.eyJabcdefgh"),
    ("jwt", "boundary", "eyJabcdefg.eyJabcdefgh", None),
    (
        "private-key",
        "positive",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----",
        "MIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo",
    ),
    ("private-key", "near miss", "-----BEGIN CERTIFICATE-----", None),
    ("private-key", "boundary", "-----BEGIN PRIVATE KEY-----", "-----BEGIN PRIVATE KEY-----"),
    ("bearer-token", "positive", "Authorization: Bearer Zk3Nb6Hc1Jd5Fg0A", "Zk3Nb6Hc1Jd5Fg0A"),
    ("bearer-token", "near miss", "Bearer YOUR_KEY_HERE", None),
    ("bearer-token", "boundary", "bearer abcdefg1", "abcdefg1"),
    ("bearer-token", "boundary", "bearer abcdef1", None),
    ("keyed-secret", "positive", f"AZURE_OPENAI_API_KEY={KEY_KINDS['azure']}", KEY_KINDS["azure"]),
    ("keyed-secret", "positive", '{"apiKey": "zzzzzzzzzzzz"}', "zzzzzzzzzzzz"),
    (
        "keyed-secret",
        "positive",
        f"aws_secret_access_key = {KEY_KINDS['aws-secret']}",
        "wJalrXUtnFEMI",
    ),
    ("keyed-secret", "positive", "client_secret: abc.def.ghi", "abc.def.ghi"),
    ("keyed-secret", "positive", "x-api-key: s3cr3t-v@lue!", "s3cr3t-v@lue!"),
    ("keyed-secret", "near miss", "api_key=YOUR_API_KEY", None),
    ("keyed-secret", "near miss", "secretary: Janet Smithson", None),
    ("keyed-secret", "near miss", '"max_completion_tokens": 20000000', None),
    ("keyed-secret", "boundary", "api_key=abcdefgh", "abcdefgh"),
    ("keyed-secret", "boundary", "api_key=abcdefg", None),
    ("aws-access-key", "positive", "id AKIAZ7QM2LP9VT4RW8ZK", "AKIAZ7QM2LP9VT4RW8ZK"),
    ("aws-access-key", "near miss", "AKIA is a prefix", None),
    ("aws-access-key", "boundary", "AKIAZ7QM2LP9VT4RW8Z", None),
    ("artifactory-credentials", "positive", "token=AKCp8abcdefghij", "AKCp8abcdefghij"),
    ("artifactory-credentials", "boundary", "token=AKCp8abcdefg", None),
    ("azure-storage-account-access-key", "positive", "AccountKey=" + "A" * 88, "A" * 88),
    ("azure-storage-account-access-key", "boundary", "AccountKey=" + "A" * 87, None),
    ("basic-auth-credentials", "positive", "https://ann:hunter2pass@example.com/", "hunter2pass"),
    ("basic-auth-credentials", "near miss", "https://example.com:8443/", None),
    ("basic-auth-credentials", "boundary", "https://ann:x@example.com/", "x@"),
    ("discord-bot-token", "positive", "MTk" + alnum(21) + "." + alnum(6) + "." + alnum(27), "MTk"),
    ("discord-bot-token", "boundary", "MTk" + alnum(21) + "." + alnum(5) + "." + alnum(27), None),
    ("gitlab-token", "positive", "glpat-" + alnum(20), "glpat-" + alnum(20)),
    ("gitlab-token", "boundary", "glpat-" + alnum(19), None),
    ("mailchimp-access-key", "positive", "abcdef0123456789abcdef0123456789-us12", "abcdef0123"),
    ("mailchimp-access-key", "boundary", "abcdef0123456789abcdef012345678-us12", None),
    ("pypi-token", "positive", "pypi-AgEIcHlwaS5vcmc" + alnum(70), "pypi-AgEIcHlwaS5vcmc"),
    ("pypi-token", "boundary", "pypi-AgEIcHlwaS5vcmc" + alnum(69), None),
    ("sendgrid-api-key", "positive", KEY_KINDS["sendgrid"], KEY_KINDS["sendgrid"]),
    ("sendgrid-api-key", "boundary", KEY_KINDS["sendgrid"][:-1], None),
    ("slack-token", "positive", KEY_KINDS["slack"], KEY_KINDS["slack"]),
    ("slack-token", "near miss", "xoxb-", None),
    ("slack-token", "boundary", "xoxb-1-a", "xoxb-1-a"),
    ("square-oauth-secret", "positive", "sq0csp-" + alnum(43), "sq0csp-" + alnum(43)),
    ("square-oauth-secret", "boundary", "sq0csp-" + alnum(42), None),
    ("stripe-access-key", "positive", f"key {KEY_KINDS['stripe']}.", KEY_KINDS["stripe"]),
    ("stripe-access-key", "boundary", KEY_KINDS["stripe"][:-1], None),
    ("telegram-bot-token", "positive", "123456789:" + alnum(35), "123456789:"),
    ("telegram-bot-token", "boundary", "1234567:" + alnum(35), None),
    ("twilio-api-key", "positive", "AC" + "0123456789abcdef" * 2, "AC0123456789"),
    ("twilio-api-key", "boundary", "AC" + ("0123456789abcdef" * 2)[:31], None),
]


@pytest.mark.parametrize(("kind", "role", "text", "secret"), ROWS, ids=lambda v: str(v)[:40])
def test_each_rule_takes_its_positive_and_leaves_its_near_miss(
    kind: str, role: str, text: str, secret: str | None
) -> None:
    scrubbed = scrub_text(text)
    if secret is None:
        assert scrubbed == text
        assert find_secrets(text) == []
    else:
        assert secret not in scrubbed
        assert f"<scrubbed:{kind}>" in scrubbed or kind == "openrouter-key", scrubbed


def test_every_rule_has_a_positive_a_near_miss_and_a_boundary() -> None:
    kinds = {rule.kind for rule in secrets.OWN_RULES}
    kinds |= {kind for kind, _ in secrets.finders()}
    roles: dict[str, set[str]] = {}
    for kind, role, _, secret in ROWS:
        roles.setdefault(kind, set()).add(role if role != "boundary" else f"boundary {secret}")
    for kind in kinds:
        seen = roles.get(kind, set())
        assert any(role.startswith("boundary") for role in seen), kind
        assert "positive" in seen or any(r != "boundary None" for r in seen if "boundary" in r)


def test_openrouter_keys_one_short_are_still_caught_as_sk_keys() -> None:
    assert scrub_text(f"sk-or-v1-{HEX64}") == "<scrubbed:openrouter-key>"
    assert scrub_text(f"sk-or-v1-{HEX64[:63]}") == "<scrubbed:openai-key>"


def test_a_jwt_and_a_github_token_are_replaced_whole() -> None:
    assert scrub_text(f"a {JWT} b") == "a <scrubbed:jwt> b"
    assert scrub_text(f"a {KEY_KINDS['github-classic']}xyz b") == "a <scrubbed:github-token> b"


def test_the_fourth_and_fifth_of_five_keys_go_too() -> None:
    keys = [KEY_KINDS[k] for k in ("deepseek", "groq", "xai", "google", "openrouter")]
    text = " and ".join(keys)
    scrubbed = scrub_text(text)
    assert [key for key in keys if key in scrubbed] == []
    assert scrubbed.count("<scrubbed:") == 5


# -- encodings ---------------------------------------------------------------------------


def percent(text: str) -> str:
    return "".join(f"%{ord(char):02X}" for char in text)


@pytest.mark.parametrize("kind", sorted(set(KEY_KINDS) - {"azure", "aws-secret"}))
def test_percent_encoded_keys_inside_json_are_replaced_not_only_found(kind: str) -> None:
    key = KEY_KINDS[kind]
    body = json.dumps({"url": f"https://x.test/cb?q={percent(key)}", "n": "kept"})
    scrubbed = scrub_text(body)
    assert percent(key) not in scrubbed
    assert json.loads(scrubbed)["n"] == "kept"
    assert find_secrets(scrubbed) == []


def test_a_percent_encoded_pem_key_in_a_json_body_is_replaced() -> None:
    pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----"
    body = json.dumps({"key": percent(pem)})
    assert scrub_text(body) == '{"key": "<scrubbed:private-key>"}'


def test_json_escaped_forms_are_replaced_in_place() -> None:
    escaped = "".join(f"\\u{ord(char):04x}" for char in OPENAI_KEY)
    body = '{"a": "\\n", "b": "' + escaped + '", "c": "\\u00e9"}'
    assert scrub_text(body) == '{"a": "\\n", "b": "<scrubbed:openai-key>", "c": "\\u00e9"}'


def test_a_password_in_a_json_escaped_url_is_replaced() -> None:
    body = '{"u": "https:\\/\\/ann:hunter2pass@example.com\\/x"}'
    scrubbed = scrub_text(body)
    assert "hunter2pass" not in scrubbed
    assert scrubbed.startswith('{"u": "https:\\/\\/ann:<scrubbed:basic-auth-credentials>@')


def test_a_body_that_is_not_utf8_is_scrubbed_byte_for_byte() -> None:
    body = b"\xff\xfe " + OPENAI_KEY.encode() + b" \x80\x00end"
    assert scrub_bytes(body) == b"\xff\xfe <scrubbed:openai-key> \x80\x00end"


# -- the line: benign words, product codes --------------------------------------------------


@pytest.mark.parametrize("text", BENIGN + PRODUCT_LIKE)
def test_benign_and_product_like_strings_survive(text: str) -> None:
    assert scrub_text(text) == text
    assert scrub_text(json.dumps({"name": text})) == json.dumps({"name": text})
    assert find_secrets(text) == []


# -- lint flags exactly what scrubbing replaces -----------------------------------------------

CASSETTE = """\
interactions:
- request:
    body: {body}
    headers: {{}}
    method: POST
    uri: https://api.openai.com/v1/assistants
  response:
    body:
      string: '{{}}'
    headers: {{}}
    status:
      code: 200
      message: OK
version: 1
"""
AGREEMENT = [text for _, _, text, _ in ROWS] + BENIGN + PRODUCT_LIKE


@pytest.mark.parametrize("text", AGREEMENT, ids=lambda v: v[:40])
def test_lint_flags_a_body_exactly_when_scrubbing_changes_it(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = json.dumps({"instructions": text})
    path = tmp_path / "c.yaml"
    path.write_text(CASSETTE.format(body=json.dumps(body)))
    flagged = main(["cassettes", "lint", str(path)]) == 1
    assert flagged == (scrub_text(body) != body), capsys.readouterr().out
    path.write_text(CASSETTE.format(body=json.dumps(scrub_text(body))))
    assert main(["cassettes", "lint", str(path)]) == 0, capsys.readouterr().out


def test_a_detect_secrets_match_is_continued_to_the_end_of_its_token() -> None:
    telegram = "123456789:" + alnum(35) + "TAIL9"
    assert scrub_text(f"bot {telegram} x") == "bot <scrubbed:telegram-bot-token> x"
    hook = "https://hooks.slack.com/services/TABC123/BDEF456/ghijkl-more"
    assert scrub_text(hook) == "<scrubbed:slack-token>"


def test_a_password_equal_to_its_user_is_the_one_replaced() -> None:
    scrubbed = scrub_text("https://hunter2pass:hunter2pass@example.com/")
    assert scrubbed == "https://hunter2pass:<scrubbed:basic-auth-credentials>@example.com/"


def test_a_password_already_redacted_is_left_as_it_is() -> None:
    assert scrub_text("https://ann:REDACTED@example.com/") == "https://ann:REDACTED@example.com/"
