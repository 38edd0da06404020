"""The behaviour reference's part on files and vector stores (``reference.py`` writes it):
their rules per API version with the evidence of each, their wire texts, their choices."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from pytest_assistants.service.profiles import BASE58, BASE62, HEX, FileRules, IdShape
from pytest_assistants.service.resources.assistants import files as assistant_files
from pytest_assistants.service.resources.files import handlers as files
from pytest_assistants.service.resources.vector_stores import semantics

if TYPE_CHECKING:
    from pytest_assistants.service.errors import ApiError
    from pytest_assistants.service.profiles import ApiRules

ALPHABETS = {BASE62: "base62", BASE58: "base58 (no 0, O, I, l)", HEX: "lower-case hex"}

FILE_RULE_EVIDENCE = {
    "key_order": "§14.5 [RB ruby 2024-04, lemur 2024-05]; `expires_at` from [RB .NET 2025-09]",
    "id_shape": "§14.5 [RB] (2024: 24 base62; 2025: 22 base58); Azure [AZ-REC 2025-03]",
    "purposes": "§14.5; the invalid-purpose texts [code#40028246736] [code#41866393988]",
    "list_cursors": "§14.5 [RB lemur 2024-05] (no first_id / last_id); later INFERRED [SDK]",
    "expires_after": "[SDK] files.create `expires_after`; `expires_at` [RB .NET 2025-09]",
    "no_download": "§14.5 [code#28506986808] [code#24331895817]",
    "jsonl_purposes": "[code#4704783516] [code#29363281910]",
}
STORE_RULE_EVIDENCE = {
    "served": "§8 (vector stores came with v2)",
    "key_order": "§14.5 [RB ruby 2024-04] [RB .NET 2025-09]",
    "file_key_order": "§14.5 [RB ruby 2024-04] [RB .NET 2025-09]",
    "batch_file_key_order": "§14.5 [RB ruby 2024-04] [RB .NET 2025-09] (fewer keys)",
    "batch_key_order": "§14.5 [RB ruby 2024-04] [RB .NET 2025-09]",
    "id_shape": "§14.5 [RB] (2024: 24 base62; 2025: 32 hex); Azure [AZ-REC 2025-03]",
    "batch_id_shape": "§14.5 [RB] (32 hex)",
    "chunking_strategy": "[SDK] (June 2024, INFERRED date); served [RB .NET 2025-09]",
    "usage_overhead": "§14.5 [RB] (12 bytes -> 1036, 21 -> 1045)",
}
CHOICE_EVIDENCE = {
    "reference_check": "§12 Q5 (no recording shows an unknown id)",
    "processing_reads": "§14.1, §14.5 (one step per read, never wall time)",
    "poll_after_ms": (
        "§14.5; the SDKs' poll helpers read `openai-poll-after-ms`; sent to them only"
        " (none in 189 recorded vector store answers [RB])"
    ),
}
TEXTS: tuple[tuple[str, ApiError, str], ...] = (
    ("unknown file id", files.file_not_found("file-abc123"), "[code#24134645792]"),
    ("upload without a file", files.missing_file(), "[code#62120841500]"),
    ("upload without a purpose", files.missing_purpose(), "INFERRED from the file's text"),
    (
        "unknown purpose (2025)",
        files.invalid_purpose("vector_store", FileRules().purposes),
        "[code#41866393988]",
    ),
    ("batch file not .jsonl", files.not_jsonl("Batch"), "[code#4704783516]"),
    ("content of an assistants file", files.not_downloadable("assistants"), "[code#28506986808]"),
    ("unknown vector store", semantics.store_not_found("vs_abc123"), "§4.2 [code#57492464150]"),
    (
        "unknown vector store file",
        semantics.file_not_found("vs_abc123", "file-abc123"),
        "[code#37939789734]",
    ),
    ("unknown file batch", semantics.batch_not_found("vsfb_abc123"), "INFERRED [code#52109595192]"),
    ("empty file_ids of a batch", semantics.empty_array("file_ids"), "§2 vocabulary; Q1"),
    ("unknown assistant file", assistant_files.not_found("file-abc123"), "INFERRED (§4.2 form)"),
)


def _shown(value: object) -> str:
    if isinstance(value, IdShape):
        return f"`{value.prefix}` + {value.length} {ALPHABETS.get(value.alphabet, 'characters')}"
    if isinstance(value, tuple):
        return ", ".join(
            f"`{item}`" if isinstance(item, str) else f"`{item[0]}` ({item[1]} API)"
            for item in value
        )
    return f"`{value}`"


def rules_tables(api: ApiRules) -> list[str]:
    """The files and vector stores rules of one API version, with their evidence."""
    lines: list[str] = []
    for title, rules, evidence in (
        ("Files", api.files, FILE_RULE_EVIDENCE),
        ("Vector stores", api.vector_stores, STORE_RULE_EVIDENCE),
    ):
        lines += [f"{title}:", "", "| rule | value | evidence |", "|---|---|---|"]
        for spec in dataclasses.fields(rules):
            value = _shown(getattr(rules, spec.name))
            lines.append(f"| `{spec.name}` | {value} | {evidence.get(spec.name, '')} |")
        lines.append("")
    return lines
