"""An OpenAPI 3.1 document of the OpenAI v2 routes, as the fake serves them.

Its paths are the route table's rows (:mod:`pytest_assistants.service.routes`); the request
schemas are generated from the same :mod:`validation` schema objects the fake validates
with (the profile's rules), so the document cannot drift from the behaviour. Served at
``/openapi.json`` by ``pytest-assistants serve``; Schemathesis runs against it in the suite.

Where a JSON Schema keyword cannot say what the validator does, the document says less, not
something else: a ``prefix`` becomes a ``^prefix`` pattern, a metadata map a bounded map of
strings. Error answers (every non-200 status) are OpenAI's four-key envelope (§4.1).
"""

from __future__ import annotations

from typing import Any

from pytest_assistants.server import openapi_stores
from pytest_assistants.service.profiles import (
    DEFAULT_PROFILE,
    ApiRules,
    AssistantRules,
    get_profile,
)
from pytest_assistants.service.resources.assistants.schema import create_schema, modify_schema
from pytest_assistants.service.routes import ROUTES
from pytest_assistants.service.validation import (
    AnyObj,
    Arr,
    Bool,
    Enum,
    Metadata,
    Node,
    Num,
    Obj,
    Str,
    StrOrTagged,
    Tagged,
)

JsonSchema = dict[str, Any]
NULL: JsonSchema = {"type": "null"}


def _nullable(node: Node, schema: JsonSchema) -> JsonSchema:
    return {"anyOf": [schema, NULL]} if node.nullable else schema


def _object(node: Obj, *, tag: str | None = None) -> JsonSchema:
    properties = {name: node_schema(child) for name, child in node.fields.items()}
    required = list(node.required)
    if tag is not None:  # a Tagged variant: its "type" member names it
        properties["type"] = {"type": "string", "const": tag}
        required = ["type", *required]
    schema: JsonSchema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False  # unknown members are 400 unknown_parameter
    return schema


def _tagged(node: Tagged) -> JsonSchema:
    return {"oneOf": [_object(variant, tag=tag) for tag, variant in node.variants.items()]}


def node_schema(node: Node) -> JsonSchema:
    """JSON Schema (2020-12, as OpenAPI 3.1 uses) for one validator node."""
    schema: JsonSchema
    if isinstance(node, Str):
        schema = {"type": "string"}
        if node.max_len is not None:
            schema["maxLength"] = node.max_len
        if node.pattern is not None:
            schema["pattern"] = node.pattern
        elif node.prefix is not None:
            schema["pattern"] = f"^{node.prefix}"
    elif isinstance(node, Enum):
        schema = {"type": "string", "enum": list(node.values)}
    elif isinstance(node, Num):
        schema = {"type": "integer" if node.integer else "number"}
        if node.minimum is not None:
            schema["minimum"] = node.minimum
        if node.maximum is not None:
            schema["maximum"] = node.maximum
    elif isinstance(node, Bool):
        schema = {"type": "boolean"}
    elif isinstance(node, AnyObj):
        schema = {"type": "object"}
    elif isinstance(node, Arr):
        schema = {"type": "array", "items": node_schema(node.item)}
        if node.max_items is not None:
            schema["maxItems"] = node.max_items
    elif isinstance(node, Metadata):
        schema = {
            "type": "object",
            "maxProperties": node.max_pairs,
            "propertyNames": {"maxLength": node.max_key},
            "additionalProperties": {"type": "string", "maxLength": node.max_value},
        }
    elif isinstance(node, Obj):
        schema = _object(node)
    elif isinstance(node, Tagged):
        schema = _tagged(node)
    elif isinstance(node, StrOrTagged):
        schema = {"anyOf": [{"type": "string", "enum": list(node.strings)}, _tagged(node.tagged)]}
    else:  # a bare Node accepts any value
        schema = {}
    return _nullable(node, schema)


def _nullable_type(kind: str) -> JsonSchema:
    return {"type": [kind, "null"]}


def assistant_schema(rules: AssistantRules) -> JsonSchema:
    """The served object: exactly the profile's keys, in its order, always all present."""
    tool = {
        "type": "object",
        "properties": {"type": {"type": "string", "enum": list(rules.tool_types)}},
        "required": ["type"],
    }
    known: dict[str, JsonSchema] = {
        "id": {"type": "string", "pattern": "^asst_"},
        "object": {"type": "string", "const": "assistant"},
        "created_at": {"type": "integer"},
        "name": _nullable_type("string"),
        "description": _nullable_type("string"),
        "model": _nullable_type("string"),
        "instructions": _nullable_type("string"),
        "tools": {"type": "array", "items": tool},
        "top_p": _nullable_type("number"),
        "temperature": _nullable_type("number"),
        "reasoning_effort": (
            {"anyOf": [{"type": "string", "enum": list(rules.reasoning_efforts)}, NULL]}
            if rules.reasoning_efforts
            else NULL
        ),
        "tool_resources": {"type": "object"},
        "file_ids": {"type": "array", "items": {"type": "string"}},
        "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
        "response_format": {"anyOf": [{"type": "string"}, {"type": "object"}, NULL]},
    }
    return {
        "type": "object",
        "properties": {key: known[key] for key in rules.key_order},
        "required": list(rules.key_order),
        "additionalProperties": False,
    }


ERROR_SCHEMA: JsonSchema = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "message": {"type": "string"},
                "type": {"type": "string"},
                "param": _nullable_type("string"),
                "code": _nullable_type("string"),
            },
            "required": ["message", "type", "param", "code"],
            "additionalProperties": False,
        }
    },
    "required": ["error"],
    "additionalProperties": False,
}


def _request(rules: AssistantRules, *, create: bool) -> JsonSchema:
    """A request body schema; ``model`` lists the accepted ids beside any string, as
    OpenAI's own document does (other ids get 400 model_not_found)."""
    schema = node_schema((create_schema if create else modify_schema)(rules))
    models = {"type": "string", "enum": sorted(rules.models)}
    schema["properties"]["model"] = {"anyOf": [{"type": "string"}, models]}
    return schema


def _json(ref: str, media: str = "application/json") -> JsonSchema:
    return {"content": {media: {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def _operation(
    operation_id: str, summary: str, ok: str, *, beta: bool = True, **extra: Any
) -> JsonSchema:
    """One operation; files and vector stores take no OpenAI-Beta (``beta=False``, §14.5)."""
    media = "application/octet-stream" if ok in openapi_stores.BINARY_ANSWERS else None
    return {
        "operationId": operation_id,
        "summary": summary,
        "parameters": [{"$ref": "#/components/parameters/OpenAIBeta"}] if beta else [],
        "responses": {
            "200": {"description": "OK", **_json(ok, media or "application/json")},
            "default": {"description": "OpenAI's error envelope (§4.1)", **_json("Error")},
        },
        **extra,
    }


def _body(schema: str) -> JsonSchema:
    multipart = schema in openapi_stores.MULTIPART_BODIES
    media = "multipart/form-data" if multipart else "application/json"
    return {"requestBody": {"required": True, **_json(schema, media)}}


# Per operation: operationId, summary, answer schema, request body schema (None: no body).
OPERATION_DOCS: dict[str, tuple[str, str, str, str | None]] = {
    "assistants.list": ("listAssistants", "List assistants.", "ListAssistantsResponse", None),
    "assistants.create": (
        "createAssistant",
        "Create an assistant.",
        "AssistantObject",
        "CreateAssistantRequest",
    ),
    "assistants.retrieve": ("getAssistant", "Retrieve an assistant.", "AssistantObject", None),
    "assistants.modify": (
        "modifyAssistant",
        "Modify an assistant.",
        "AssistantObject",
        "ModifyAssistantRequest",
    ),
    "assistants.delete": (
        "deleteAssistant",
        "Delete an assistant.",
        "DeleteAssistantResponse",
        None,
    ),
    **openapi_stores.OPERATION_DOCS,
}
PAGE_PARAMETERS: list[JsonSchema] = [
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
    {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}},
    {"name": "after", "in": "query", "schema": {"type": "string"}},
    {"name": "before", "in": "query", "schema": {"type": "string"}},
]


def _paths(rules: ApiRules) -> dict[str, JsonSchema]:
    """One path item per template of the route table, one operation per row (the rows
    ``rules`` serve)."""
    paths: dict[str, JsonSchema] = {}
    for route in ROUTES:
        if route.needs is not None and route.needs not in rules.served:
            continue
        operation_id, summary, ok, body = OPERATION_DOCS.get(
            route.operation, (route.operation, route.operation, "Object", None)
        )
        extra = _body(body) if body else {}
        operation = _operation(operation_id, summary, ok, beta=route.beta, **extra)
        if route.operation.endswith(".list"):
            operation["parameters"] = [*operation["parameters"], *PAGE_PARAMETERS]
        item = paths.setdefault(route.template, {})
        names = [part[1:-1] for part in route.template.split("/") if part.startswith("{")]
        if names:
            item["parameters"] = [
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                for name in names
            ]
        item[route.method.lower()] = operation
    return paths


def document(profile: str = DEFAULT_PROFILE) -> dict[str, Any]:
    """The OpenAPI document for ``profile``'s v2 rules (default: the final v2 API)."""
    api = get_profile(profile).betas["v2"]
    rules = api.assistants
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Assistants API (pytest-assistants fake)",
            "version": get_profile(profile).name,
            "description": "The OpenAI v2 routes as the fake serves them.",
        },
        "servers": [{"url": "https://api.openai.com/v1"}],
        "security": [{"ApiKeyAuth": []}],
        "paths": _paths(api),
        "components": {
            "securitySchemes": {"ApiKeyAuth": {"type": "http", "scheme": "bearer"}},
            "parameters": {
                "OpenAIBeta": {
                    "name": "OpenAI-Beta",
                    "in": "header",
                    "required": True,
                    "schema": {"type": "string", "enum": ["assistants=v2"]},
                }
            },
            "schemas": {
                "CreateAssistantRequest": _request(rules, create=True),
                "ModifyAssistantRequest": _request(rules, create=False),
                "AssistantObject": assistant_schema(rules),
                "ListAssistantsResponse": {
                    "type": "object",
                    "properties": {
                        "object": {"type": "string", "const": "list"},
                        "data": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/AssistantObject"},
                        },
                        "first_id": _nullable_type("string"),
                        "last_id": _nullable_type("string"),
                        "has_more": {"type": "boolean"},
                    },
                    "required": ["object", "data", "first_id", "last_id", "has_more"],
                    "additionalProperties": False,
                },
                "DeleteAssistantResponse": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "object": {"type": "string", "const": "assistant.deleted"},
                        "deleted": {"type": "boolean"},
                    },
                    "required": ["id", "object", "deleted"],
                    "additionalProperties": False,
                },
                **openapi_stores.schemas(api, node_schema),
                "Object": {"type": "object"},
                "Error": ERROR_SCHEMA,
            },
        },
    }
