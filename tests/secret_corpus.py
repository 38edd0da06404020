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
