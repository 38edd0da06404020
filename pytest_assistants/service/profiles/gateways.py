"""Gateways and other providers in front of (or copying) OpenAI's API: Portkey, Zerobot."""

from __future__ import annotations

import dataclasses

from pytest_assistants.service.profiles.openai import (
    API_V2_2025,
    FILES_2024,
    V2_2024_05,
    V2_MODELS,
    VECTOR_STORES_2024_05,
)
from pytest_assistants.service.profiles.rules import ApiRules, Profile

# The Portkey OpenAPI page [S2]: OpenAI's v2 schema of about Apr-Jul 2024 with
# additionalProperties false at the top (enum response_format none/auto/text/json_object, no
# reasoning_effort; function.strict documented). Enforced only with the strict_schema choice;
# nested objects, which [S2] leaves open, get the same unknown-key check as everywhere.
PORTKEY_DOCUMENTED = dataclasses.replace(
    V2_2024_05,
    version="portkey",
    models=V2_MODELS,
    any_model=True,
    ranking_options=True,
    function_strict=True,
)

# Zerobot [S4] (PATCH modify). Documented: no beta header, no reasoning_effort, no file_ids,
# vector_stores accepted on modify. INFERRED (no evidence beyond [S4]): OpenAI's error
# envelopes and texts, OpenAI's 2024 object key order, any model id accepted, tools echoed
# as given, the schema details of OpenAI's CreateAssistantRequest of Apr-May 2024.
ZEROBOT_RULES = dataclasses.replace(
    V2_2024_05,
    version="zerobot",
    models=V2_MODELS,
    any_model=True,
    vector_stores_on_modify=True,
)

PORTKEY_DOCUMENTED_API = ApiRules(assistants=PORTKEY_DOCUMENTED)
# The stores its modify helper makes are of its era (INFERRED, Q12): "vs_" + 24 base62.
ZEROBOT_API = ApiRules(
    assistants=ZEROBOT_RULES, files=FILES_2024, vector_stores=VECTOR_STORES_2024_05
)

PORTKEY = Profile(
    name="portkey",
    dialect="portkey",
    era="2025-08",
    default=API_V2_2025,
    betas={"v2": API_V2_2025},
    missing_beta_version="v2",
    deprecated_betas={"v1": "v1_deprecated"},
    description=(
        "Portkey gateway (api.portkey.ai) in front of the final OpenAI v2 API (§10). Choices"
        " where evidence is thin: portkey_default_model (Q6), portkey_trace_id (hosted"
        " header, Q13), strict_schema; INFERRED: a virtual key or config stands for a valid"
        " OpenAI key, x-portkey-provider is 'openai', only the openai provider is served."
    ),
)
ZEROBOT = Profile(
    name="zerobot",
    dialect="zerobot",
    era="2024-05",
    default=ZEROBOT_API,
    betas={"v2": API_V2_2025},
    dialects={"zerobot": ZEROBOT_API},
    missing_beta_version="v2",
    deprecated_betas={"v1": "v1_deprecated"},
    description=(
        "Zerobot (api.zerobot.ai): PATCH modify, Bearer auth, no beta header, no"
        " reasoning_effort, vector_stores on modify [S4]. INFERRED (nothing else is public):"
        " OpenAI's error envelopes and texts, create/retrieve/list/delete on OpenAI's paths,"
        " POST on an assistant -> 404 Invalid URL, OpenAI's 2024 key order, any model id,"
        " tools echoed as given, top_p 0..1, no openai-* response headers, one store with"
        " the other hosts. Its v2 beta rules answer direct api.openai.com calls."
    ),
)
