"""The Files API: upload, retrieve, list, delete, content (§14.5).

Recorded (interactions_threads, 159 uploads [RB ruby 2024-04, lemur 2024-05, .NET 2025-09]):
an upload answers ``status: "processed"`` and ``status_details: null`` at once, with the
filename and byte count of the part sent; the era decides the keys (``expires_at`` in 2025)
and the id's shape (``FileRules``). A file's bytes are kept in its record as base64 (JSON,
so ``--state`` keeps them), never rendered. The texts are the provider's as quoted in public
code (each cited below); a limit no evidence states is not invented.
"""

from __future__ import annotations

import base64
from functools import partial
from typing import TYPE_CHECKING, Any

from pytest_assistants.service import errors
from pytest_assistants.service.resources.common import Answer, deleted, given, list_page
from pytest_assistants.service.resources.files.upload import read_form
from pytest_assistants.service.store import require

if TYPE_CHECKING:
    from pytest_assistants.service.errors import ApiError
    from pytest_assistants.service.profiles import ApiRules, FileRules
    from pytest_assistants.service.resources.common import Context
    from pytest_assistants.service.store import Record

KIND = "file"
ID_PREFIX = "file-"
CONTENT = "content_base64"  # the record's copy of the bytes: never rendered
EXPIRY_ANCHOR = "created_at"
EXPIRY_SECONDS = (3600, 2_592_000)  # one hour to 30 days [SDK files.create expires_after]
# Every recorded Files answer carries it (163 of 163 uploads and lists [RB ruby 2024-04, lemur
# 2024-05, .NET 2025-09]), no answer of another family does; retrieve and delete INFERRED.
CORS = {"access-control-allow-origin": "*"}


# -- texts -------------------------------------------------------------------------------


def file_not_found(file_id: str) -> ApiError:
    """[code#24134645792] (openai-dotnet's own test): 404, ``param: "id"``."""
    return errors.openai_error(f"No such File object: {file_id}", status=404, param="id")


def missing_file() -> ApiError:
    """[code#62120841500] an upload without a file part."""
    return errors.openai_error("'file' is a required property")


def missing_purpose() -> ApiError:
    """INFERRED: the missing-file text's wording for the other required field."""
    return errors.openai_error("'purpose' is a required property")


def invalid_purpose(purpose: str, purposes: tuple[str, ...]) -> ApiError:
    """[code#41866393988] (2025), [code#40028246736] (two purposes, 2023)."""
    listed = ", ".join(repr(p) for p in purposes)
    return errors.openai_error(f"'{purpose}' is not one of [{listed}] - 'purpose'", param="purpose")


def not_jsonl(api: str) -> ApiError:
    """[code#4704783516] Batch, [code#29363281910] Fine-Tuning: judged by the file name."""
    return errors.openai_error(f"Invalid file format for {api} API. Must be .jsonl")


def not_downloadable(purpose: str) -> ApiError:
    """[code#28506986808] assistants, [code#24331895817] user_data (batch files download)."""
    return errors.openai_error(f"Not allowed to download files of purpose: {purpose}")


# -- records -----------------------------------------------------------------------------


def render(record: Record, rules: FileRules) -> dict[str, Any]:
    return {key: record[key] for key in rules.key_order}


def render_for(record: Record, rules: ApiRules) -> dict[str, Any]:
    return render(record, rules.files)


def content_of(record: Record) -> bytes:
    return base64.b64decode(record[CONTENT])


def new_record(filename: str, content: bytes, purpose: str, created_at: int) -> Record:
    return {
        "id": "",
        "object": KIND,
        "purpose": purpose,
        "filename": filename,
        "bytes": len(content),
        "created_at": created_at,
        "expires_at": None,
        "status": "processed",
        "status_details": None,
        CONTENT: base64.b64encode(content).decode("ascii"),
    }


TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "object": (str,),
    "purpose": (str,),
    "filename": (str,),
    "bytes": (int,),
    "created_at": (int,),
    "expires_at": (int, type(None)),
    "status": (str,),
    "status_details": (str, type(None)),
    "content": (bytes, str),
    CONTENT: (str,),
}


def preloaded(obj: Any, now: int) -> Record:
    """A file to store as given: its known fields over an empty upload's. ``content`` (bytes
    or text, not part of the wire object) gives it bytes; ``bytes`` is then their count."""
    fields = given(obj, KIND, TYPES)
    content = fields.pop("content", None)
    record = new_record("upload", b"", "assistants", int(fields.get("created_at", now)))
    record.update({key: value for key, value in fields.items() if key != "object"})
    if content is not None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        record[CONTENT] = base64.b64encode(data).decode("ascii")
        record["bytes"] = fields.get("bytes", len(data))
    return record


def parse(obj: Any, now: int) -> Record:
    record = preloaded(obj, now)
    record["id"] = record["id"] or ""
    return record


def stored(ctx: Context) -> Record:
    file_id = ctx.params["file_id"]
    return require(ctx.store, KIND, file_id, partial(file_not_found, file_id))


# -- operations --------------------------------------------------------------------------


def create(ctx: Context) -> Answer:
    """A multipart upload: the file part, then ``purpose``; a body that is no form is one
    without a file (INFERRED)."""
    rules, request = ctx.rules.files, ctx.request
    declared = request.headers.get("content-length", "")
    limit = ctx.choices.max_body_bytes
    if len(request.body) > limit or (declared.isdigit() and int(declared) > limit):
        raise errors.body_too_large(limit)
    form = read_form(request.body, request.headers)
    if form is None or form.filename is None:
        raise missing_file()
    purpose = form.fields.get("purpose")
    if purpose is None:
        raise missing_purpose()
    if purpose not in rules.purposes:
        raise invalid_purpose(purpose, rules.purposes)
    for jsonl_purpose, api in rules.jsonl_purposes:
        if purpose == jsonl_purpose and not form.filename.endswith(".jsonl"):
            raise not_jsonl(api)
    now = ctx.store.clock.now()
    expires_at = _expiry(form.fields, now) if rules.expires_after else None
    record = new_record(form.filename, form.content, purpose, now)
    record["expires_at"] = expires_at
    shape = rules.id_shape
    with ctx.store.transaction() as tx:
        record["id"] = tx.new_id(shape.prefix, shape.alphabet, shape.length)
        tx.put(KIND, record)
    return Answer(render(record, rules), CORS)


def _expiry(fields: dict[str, str], now: int) -> int | None:
    """``expires_after[anchor]`` / ``[seconds]`` form fields ([SDK]): the expiry time.
    Texts in OpenAI's validator vocabulary (§2), INFERRED for this form."""
    anchor = fields.get("expires_after[anchor]")
    seconds = fields.get("expires_after[seconds]")
    if anchor is None and seconds is None:
        return None
    if anchor is None:
        raise errors.missing_parameter("expires_after.anchor")
    if anchor != EXPIRY_ANCHOR:
        raise errors.invalid_value("expires_after.anchor", anchor, (EXPIRY_ANCHOR,))
    if seconds is None:
        raise errors.missing_parameter("expires_after.seconds")
    if not (seconds.isascii() and seconds.isdigit()):
        raise errors.invalid_type("expires_after.seconds", "an integer", "a string")
    value, (low, high) = int(seconds), EXPIRY_SECONDS
    if value > high:
        raise errors.above_maximum("expires_after.seconds", high, value, integer=True)
    if value < low:
        raise errors.below_minimum("expires_after.seconds", low, value, integer=True)
    return now + value


def retrieve(ctx: Context) -> Answer:
    return Answer(render(stored(ctx), ctx.rules.files), CORS)


def list_(ctx: Context) -> Answer:
    """Newest first; ``purpose`` filters. 2024 answers hold every file and no cursors
    ([RB lemur 2024-05]); later ones page (limit 1..10,000, default 10,000 [SDK])."""
    rules = ctx.rules.files
    purpose = ctx.query().get("purpose")
    where = None if purpose is None else (lambda record: record["purpose"] == purpose)
    page = list_page(ctx, KIND, lambda r: render(r, rules), where, limits=(10_000, 10_000))
    if not rules.list_cursors:
        return Answer({"object": "list", "data": page["data"], "has_more": page["has_more"]}, CORS)
    return Answer(page, CORS)


def delete(ctx: Context) -> Answer:
    """The answer's ``object`` is ``"file"``, not ``"file.deleted"`` ([SDK] FileDeleted)."""
    with ctx.store.transaction() as tx:
        file_id = stored(ctx)["id"]
        tx.delete(KIND, file_id)
    return Answer({**deleted(file_id, KIND), "object": KIND}, CORS)


def content(ctx: Context) -> Answer:
    """The bytes as uploaded, unless the purpose forbids downloads."""
    record = stored(ctx)
    if record["purpose"] in ctx.rules.files.no_download:
        raise not_downloadable(record["purpose"])
    return Answer(raw=content_of(record))
