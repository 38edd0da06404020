"""Azure OpenAI (§13): rules per ``api-version`` and the four recorded eras' profiles."""

from __future__ import annotations

import dataclasses

from pytest_assistants.service.profiles.openai import (
    API_V1_2023,
    API_V1_2024,
    API_V2_2024_05,
    API_V2_2024_10,
    API_V2_2025,
    FILES_2024,
    NO_VECTOR_STORES,
    V1_2023,
    V2_2024_05,
    V2_2024_10,
    VECTOR_STORES_2024_05,
    VECTOR_STORES_2024_10,
)
from pytest_assistants.service.profiles.rules import BASE58, ApiRules, IdShape, Profile

# [AZ-REC] interactions_azure.jsonl: 2024-02-15-preview (Feb 2024, v1 shape, 10 keys),
# 2024-05-01-preview (Jun 2024), 2024-08-01-preview (Sep 2024), 2025-03-01-preview (Mar 2025):
# v2 shape with the 2024 key order, no reasoning_effort even in 2025, file_search echoed as
# {"type": "file_search"}. [AZ-SPECS] the other preview versions are the folder names of
# Azure's REST API specs (inference/preview); no recording: which of them the fake accepts
# is a documented choice (every one of the period, with the rules of its recorded neighbour).
# `model` is a deployment name on Azure, so any model id is accepted and none is refused;
# Azure's file ids begin with "assistant-" [AZ-REC 2025-03] as well as "file-", so their
# prefix is not checked.
_AZURE = {"any_model": True, "refused_models": frozenset(), "file_id_prefix": None}
AZURE_V1_RULES = dataclasses.replace(V1_2023, **_AZURE)  # type: ignore[arg-type]
AZURE_V2_2024_05_RULES = dataclasses.replace(V2_2024_05, **_AZURE)  # type: ignore[arg-type]
AZURE_V2_2024_08_RULES = dataclasses.replace(
    V2_2024_10,
    normalise_file_search=False,
    **_AZURE,  # type: ignore[arg-type]
)
# Threads, messages and runs on Azure: no recording (the Azure SDK recordings hold only
# assistants); INFERRED as OpenAI's of the same period, Azure answering each api-version with
# the shapes of its neighbour in time (2024-02: v1 of early 2024; 2024-05: v2 at launch;
# 2024-08 and later: v2 with parallel_tool_calls, and, as for the assistant, no
# reasoning_effort).
# Files and vector stores under /openai/files and /openai/vector_stores: no Azure recording of
# those routes; [AZ-REC 2025-03] shows an uploaded file's id ("assistant-" + 22 base58) and a
# vector store made by the assistant's helper ("vs_" + 24 base62). The objects' keys are
# OpenAI's of 2024 (INFERRED: the same engine, as the assistant's are). Vector stores came
# with the v2 api-versions (2024-05-01-preview).
AZURE_FILES = dataclasses.replace(FILES_2024, id_shape=IdShape("assistant-", BASE58, 22))
AZURE_V1 = dataclasses.replace(
    API_V1_2023, assistants=AZURE_V1_RULES, files=AZURE_FILES, vector_stores=NO_VECTOR_STORES
)
AZURE_V2_2024_05 = dataclasses.replace(
    API_V2_2024_05,
    assistants=AZURE_V2_2024_05_RULES,
    files=AZURE_FILES,
    vector_stores=VECTOR_STORES_2024_05,
)
AZURE_V2_2024_08 = dataclasses.replace(
    API_V2_2024_10,
    assistants=AZURE_V2_2024_08_RULES,
    files=AZURE_FILES,
    vector_stores=VECTOR_STORES_2024_10,
)
AZURE_V1_VERSIONS = {
    "2024-02-15-preview": AZURE_V1,  # [AZ-REC] java 2024-02-06, js 2024-02-03/05
    "2024-03-01-preview": AZURE_V1,  # [AZ-SPECS]
    "2024-04-01-preview": AZURE_V1,  # [AZ-SPECS]
}
AZURE_V2_2024_05_VERSIONS = {
    "2024-05-01-preview": AZURE_V2_2024_05,  # [AZ-REC] java 2024-06-03, .NET 2024-06-21/24
    "2024-07-01-preview": AZURE_V2_2024_05,  # [AZ-SPECS]
}
AZURE_V2_2024_08_VERSIONS = {
    "2024-08-01-preview": AZURE_V2_2024_08,  # [AZ-REC] .NET 2024-09-09
    "2024-09-01-preview": AZURE_V2_2024_08,  # [AZ-SPECS]
    "2024-10-01-preview": AZURE_V2_2024_08,  # [AZ-SPECS]
    "2024-12-01-preview": AZURE_V2_2024_08,  # [AZ-SPECS]
    "2025-01-01-preview": AZURE_V2_2024_08,  # [AZ-SPECS]
}
AZURE_V2_2025_03_VERSIONS = {
    "2025-02-01-preview": AZURE_V2_2024_08,  # [AZ-SPECS]
    "2025-03-01-preview": AZURE_V2_2024_08,  # [AZ-REC] .NET 2025-03-11/12
    "2025-04-01-preview": AZURE_V2_2024_08,  # [AZ-SPECS]
}
AZURE_API_VERSIONS: dict[str, ApiRules] = {
    **AZURE_V1_VERSIONS,
    **AZURE_V2_2024_05_VERSIONS,
    **AZURE_V2_2024_08_VERSIONS,
    **AZURE_V2_2025_03_VERSIONS,
}

_AZURE_NOTE = (
    " api-version picks the rules per request; missing or unknown api-version -> 404"
    " 'Resource not found', missing or wrong api-key / bearer -> Azure's 401 (§13, texts"
    " widely quoted, not recorded); OpenAI-Beta is ignored; any model (deployment) id."
)
AZURE_V1_2024_02_PROFILE = Profile(
    name="azure-v1@2024-02",
    dialect="azure",
    era="2024-02",
    default=AZURE_V1,
    api_versions=AZURE_V1_VERSIONS,
    betas={"v1": API_V1_2023},
    missing_beta_version="v1",
    description="Azure OpenAI Assistants at 2024-02-15-preview (v1: file_ids, retrieval)."
    + _AZURE_NOTE,
)
AZURE_V2_2024_05_PROFILE = Profile(
    name="azure-v2@2024-05",
    dialect="azure",
    era="2024-05",
    default=AZURE_V2_2024_05,
    api_versions={**AZURE_V1_VERSIONS, **AZURE_V2_2024_05_VERSIONS},
    betas={"v2": API_V2_2024_05, "v1": API_V1_2024},
    missing_beta_version="v2",
    description="Azure OpenAI Assistants v2 from 2024-05-01-preview." + _AZURE_NOTE,
)
AZURE_V2_2024_08_PROFILE = Profile(
    name="azure-v2@2024-08",
    dialect="azure",
    era="2024-08",
    default=AZURE_V2_2024_08,
    api_versions={**AZURE_V1_VERSIONS, **AZURE_V2_2024_05_VERSIONS, **AZURE_V2_2024_08_VERSIONS},
    betas={"v2": API_V2_2024_10, "v1": API_V1_2024},
    missing_beta_version="v2",
    description="Azure OpenAI Assistants v2 from 2024-08-01-preview (structured outputs)."
    + _AZURE_NOTE,
)
AZURE_V2_2025_03_PROFILE = Profile(
    name="azure-v2@2025-03",
    dialect="azure",
    era="2025-03",
    default=AZURE_V2_2024_08,
    api_versions=AZURE_API_VERSIONS,
    betas={"v2": API_V2_2025},
    missing_beta_version="v2",
    deprecated_betas={"v1": "v1_deprecated"},
    description="Azure OpenAI Assistants v2 from 2025-03-01-preview (openai-* headers)."
    + _AZURE_NOTE,
)
AZURE_PROFILES = (
    AZURE_V1_2024_02_PROFILE,
    AZURE_V2_2024_05_PROFILE,
    AZURE_V2_2024_08_PROFILE,
    AZURE_V2_2025_03_PROFILE,
)
# The recorded api-version of each era: what its clients send unless told otherwise (its
# ``default`` holds their rules).
AZURE_PROFILE_VERSIONS = {
    AZURE_V1_2024_02_PROFILE.name: "2024-02-15-preview",
    AZURE_V2_2024_05_PROFILE.name: "2024-05-01-preview",
    AZURE_V2_2024_08_PROFILE.name: "2024-08-01-preview",
    AZURE_V2_2025_03_PROFILE.name: "2025-03-01-preview",
}
AZURE_DEFAULT_PROFILE = AZURE_V2_2025_03_PROFILE.name
