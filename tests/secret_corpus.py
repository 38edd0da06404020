"""The planted-secret and benign corpora shared by the scrubbing and lint tests.

Every kind of leak found by the security probe has an entry. The values are fake but have
the real formats' shape (length, alphabet, prefix); none is a live credential.
"""

from __future__ import annotations

OPENAI_KEY = "sk-proj-Xy7Qm2Lp9Vt4Rw8Zk3Nb6Hc1Jd5Fg0AsEr"
LEGACY_KEY = "sk-4fTq9ZxW2mLp7RvK1nBc8HdJ3sYgE6uA0oPiQwErTy5UiOp9"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUifQ."
    "Xq2Lp9Vt4Rw8Zk3Nb6Hc1Jd5Fg0AsErTy7Ui8Op3Mn4"
)
GITHUB = "ghp_R8vK2mLp7ZxW9nBc4HdJ3sYgE6uA0oPiQw1T"
HUGGINGFACE = "hf_Qm2Lp9Vt4Rw8Zk3Nb6Hc1Jd5Fg0AsErTy7Ui"
AWS_KEY_ID = "AKIAZ7QM2LP9VT4RW8ZK"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzX9k2Lp4Vq"
OPAQUE = "Zq7vW2mLp9Rt4xK8"  # a header value with no known shape: only the allow-list stops it

# Body secrets: (name, text put into a string of the JSON body, the secret itself).
BODY_SECRETS = [
    ("after \\n", f"key:\n{OPENAI_KEY}", OPENAI_KEY),
    ("after \\t", f"key:\t{LEGACY_KEY}", LEGACY_KEY),
    ("after %3D", f"https://x.test/?token%3D{OPENAI_KEY}", OPENAI_KEY),
    ("after _", f"my_{OPENAI_KEY}", OPENAI_KEY),
    ("jwt", f"session {JWT}", JWT),
    ("github", f"git token:{GITHUB}", GITHUB),
    ("huggingface", f"HF={HUGGINGFACE}", HUGGINGFACE),
    ("aws key id", f"aws:{AWS_KEY_ID}", AWS_KEY_ID),
    ("bearer", "Authorization: Bearer Zk3Nb6Hc1Jd5Fg0A", "Zk3Nb6Hc1Jd5Fg0A"),
]
# Request headers that carry secrets without any recognisable shape.
HEADER_SECRETS = {
    "api-key": OPAQUE + "az",  # Azure OpenAI
    "proxy-authorization": f"Basic {OPAQUE}px",
    "x-api-key": OPAQUE + "xk",
    "x-portkey-aws-secret-access-key": AWS_SECRET,
    "x-portkey-aws-session-token": OPAQUE + "st",
    "x-portkey-aws-access-key-id": AWS_KEY_ID,
    "x-portkey-openai-organization": "org-" + OPAQUE,
    "x-portkey-openai-project": "proj_" + OPAQUE,
    "x-portkey-metadata": '{"_user": "' + OPAQUE + 'md"}',
}
QUERY_SECRETS = {"api-key": OPAQUE + "qa", "key": OPAQUE + "qk"}

BENIGN = [
    "sk-learn",
    "pk-catalog-helper",
    "task-",
    "risk-free",
    "desk-top",
    "sk-Latn-SK",
    "bearer REDACTED",
]

# Key kinds of the third probe: the shapes of the providers people call next to this API,
# and two with no shape at all (caught only as a credential the test sent, or by a name).
KEY_KINDS = {
    "openai-project": OPENAI_KEY,
    "openai-legacy": LEGACY_KEY,
    "deepseek": "sk-" + "3f9a1c7e5b2d8046" + "a1b2c3d4e5f60718",
    "openrouter": "sk-or-v1-" + "0f1e2d3c4b5a69788796a5b4c3d2e1f0" * 2,
    "anthropic": "sk-ant-api03-" + "Xy7Qm2Lp9Vt4Rw8Zk3Nb6Hc1Jd5Fg0As" * 2 + "-AbCdEfAA",
    "google": "AIzaSyD3" + "Xy7Qm2Lp9Vt4Rw8Zk3Nb6Hc1Jd5Fg0A",
    "github-classic": GITHUB,
    "github-fine-grained": "github_pat_11ABCDE2Y0" + "q7Wm2Lp9Vt4Rw8Zk3Nb6H" * 4,
    "groq": "gsk_" + "Xy7Qm2Lp9Vt4Rw8Zk3Nb6Hc1Jd5Fg0AsEr" + "Ty7Ui8Op3Mn4Qw5E",
    "xai": "xai-" + "Xy7Qm2Lp9Vt4Rw8Zk3Nb6Hc1Jd5Fg0AsEr" * 2 + "Ty7Ui8Op3M",
    "huggingface": HUGGINGFACE,
    "perplexity": "pplx-" + "Xy7Qm2Lp9Vt4Rw8Zk3Nb6Hc1Jd5Fg0AsErTy7Ui8Op3Mn4Qw5E",
    "replicate": "r8_" + "Xy7Qm2Lp9Vt4Rw8Zk3Nb6Hc1Jd5Fg0AsErTyU",
    "portkey": "pk-live-" + "Xy7Qm2Lp9Vt4Rw8Zk3Nb6Hc1J",
    "jwt": JWT,
    "aws-key-id": AWS_KEY_ID,
    "stripe": "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
    "slack": "xoxb-123456789012-1234567890123-" + "abcdefghijABCDEFGHIJabcd",
    "sendgrid": "SG."
    + "Xy7Qm2Lp9Vt4Rw8Zk3Nb6H"
    + "."
    + "c1Jd5Fg0AsErTy7Ui8Op3Mn4Qw5ExY7Qm2Lp9Vt4Rw8",
    "langsmith": "lsv2_pt_" + "0123456789abcdef" * 2 + "_0123456789",
    "pinecone": "pcsk_" + "Xy7Qm2Lp9Vt4Rw8Zk3Nb6Hc1Jd5Fg0AsEr",
    # no shape: a 32-hex Azure key and a bare AWS secret access key
    "azure": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "aws-secret": AWS_SECRET,
}
SHAPELESS = ("azure", "aws-secret")

# Product-like strings and words next to key prefixes that must survive scrubbing and lint.
PRODUCT_LIKE = [
    "sk-Winter2024-Jacket-Navy-XL",
    "pk-Summer2025-Sandal-Red-42",
    "sk-Model2024-Alpha-Beta",
    "sk-learn-1.5.2",
    "task-2024-03-17-report",
    "risk-score-v2",
    "AIzawa Ryo",
    "gsk_small",
    "xai-grok-2",
    "hf_transfer",
    "r8_models",
    "max_tokens: 4096",
    '"max_prompt_tokens": 20000',
    "api_key=YOUR_API_KEY",
    "api_key = os.environ['OPENAI_API_KEY']",
    '"api_key": null',
    "password: ****",
]
