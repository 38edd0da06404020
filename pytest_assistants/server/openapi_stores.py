"""The OpenAPI document's files, vector stores and assistant files (``openapi.py`` merges
them): operations, request schemas from the same validator schemas the fake uses, and the
served objects with exactly their era's keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytest_assistants.service.resources.vector_stores.schema import (
    batch_schema,
    create_schema,
    file_schema,
    file_update_schema,
    modify_schema,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from pytest_assistants.service.profiles import ApiRules

JsonSchema = dict[str, Any]
NULLABLE_STRING: JsonSchema = {"type": ["string", "null"]}
NULLABLE_INTEGER: JsonSchema = {"type": ["integer", "null"]}
STATUSES = ["in_progress", "completed", "failed", "cancelled"]

# Per operation: operationId, summary, answer schema, request body schema (None: no body).
OPERATION_DOCS: dict[str, tuple[str, str, str, str | None]] = {
    "assistants.files.create": (
        "createAssistantFile", "Attach a file to an assistant (v1).", "AssistantFileObject",
        "CreateAssistantFileRequest",
    ),
    "assistants.files.retrieve": (
        "getAssistantFile", "Retrieve an assistant file (v1).", "AssistantFileObject", None
    ),
    "assistants.files.list": (
        "listAssistantFiles", "List an assistant's files (v1).", "ListAssistantFilesResponse",
        None,
    ),
    "assistants.files.delete": (
        "deleteAssistantFile", "Detach a file (v1).", "DeleteAssistantFileResponse", None
    ),
    "files.create": ("createFile", "Upload a file.", "FileObject", "CreateFileRequest"),
    "files.retrieve": ("retrieveFile", "Retrieve a file.", "FileObject", None),
    "files.list": ("listFiles", "List files.", "ListFilesResponse", None),
    "files.delete": ("deleteFile", "Delete a file.", "DeleteFileResponse", None),
    "files.content": ("downloadFile", "A file's bytes.", "FileContent", None),
    "vector_stores.create": (
        "createVectorStore", "Create a vector store.", "VectorStoreObject",
        "CreateVectorStoreRequest",
    ),
    "vector_stores.retrieve": (
        "getVectorStore", "Retrieve a vector store.", "VectorStoreObject", None
    ),
    "vector_stores.modify": (
        "modifyVectorStore", "Modify a vector store.", "VectorStoreObject",
        "UpdateVectorStoreRequest",
    ),
    "vector_stores.list": (
        "listVectorStores", "List vector stores.", "ListVectorStoresResponse", None
    ),
    "vector_stores.delete": (
        "deleteVectorStore", "Delete a vector store.", "DeleteVectorStoreResponse", None
    ),
    "vector_stores.files.create": (
        "createVectorStoreFile", "Add a file to a vector store.", "VectorStoreFileObject",
        "CreateVectorStoreFileRequest",
    ),
    "vector_stores.files.retrieve": (
        "getVectorStoreFile", "Retrieve a vector store file.", "VectorStoreFileObject", None
    ),
    "vector_stores.files.modify": (
        "updateVectorStoreFileAttributes", "Set a vector store file's attributes.",
        "VectorStoreFileObject", "UpdateVectorStoreFileAttributesRequest",
    ),
    "vector_stores.files.list": (
        "listVectorStoreFiles", "List a vector store's files.", "ListVectorStoreFilesResponse",
        None,
    ),
    "vector_stores.files.delete": (
        "deleteVectorStoreFile", "Remove a file from a vector store.",
        "DeleteVectorStoreFileResponse", None,
    ),
    "vector_stores.file_batches.create": (
        "createVectorStoreFileBatch", "Add files in a batch.", "VectorStoreFileBatchObject",
        "CreateVectorStoreFileBatchRequest",
    ),
    "vector_stores.file_batches.retrieve": (
        "getVectorStoreFileBatch", "Retrieve a file batch.", "VectorStoreFileBatchObject", None
    ),
    "vector_stores.file_batches.cancel": (
        "cancelVectorStoreFileBatch", "Cancel a file batch.", "VectorStoreFileBatchObject", None
    ),
    "vector_stores.file_batches.list_files": (
        "listFilesInVectorStoreBatch", "List a batch's files.", "ListBatchFilesResponse", None
    ),
}  # fmt: skip
MULTIPART_BODIES = frozenset({"CreateFileRequest"})  # sent as multipart/form-data
BINARY_ANSWERS = frozenset({"FileContent"})  # answered as application/octet-stream


def _object(properties: dict[str, JsonSchema], keys: tuple[str, ...]) -> JsonSchema:
    """Exactly ``keys``, in order, always present."""
    return {
        "type": "object",
        "properties": {key: properties[key] for key in keys},
        "required": list(keys),
        "additionalProperties": False,
    }


def _list(item: str, *, cursors: bool = True) -> JsonSchema:
    properties: dict[str, JsonSchema] = {
        "object": {"type": "string", "const": "list"},
        "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
        "first_id": NULLABLE_STRING,
        "last_id": NULLABLE_STRING,
        "has_more": {"type": "boolean"},
    }
    keys = ("object", "data", "first_id", "last_id", "has_more")
    return _object(properties, keys if cursors else ("object", "data", "has_more"))


def _deleted(kind: str) -> JsonSchema:
    properties = {
        "id": {"type": "string"},
        "object": {"type": "string", "const": kind},
        "deleted": {"type": "boolean"},
    }
    return _object(properties, ("id", "object", "deleted"))


def _counts() -> JsonSchema:
    keys = (*STATUSES, "total")
    return _object({key: {"type": "integer", "minimum": 0} for key in keys}, keys)


def schemas(api: ApiRules, node_schema: Callable[[Any], JsonSchema]) -> dict[str, JsonSchema]:
    """The components of this module's operations under ``api`` (``node_schema`` turns a
    validator schema into JSON Schema)."""
    files, stores = api.files, api.vector_stores
    file_properties: dict[str, JsonSchema] = {
        "object": {"type": "string", "const": "file"},
        "id": {"type": "string", "pattern": f"^{files.id_shape.prefix}"},
        "purpose": {"type": "string"},
        "filename": {"type": "string"},
        "bytes": {"type": "integer", "minimum": 0},
        "created_at": {"type": "integer"},
        "expires_at": NULLABLE_INTEGER,
        "status": {"type": "string", "enum": ["uploaded", "processed", "error"]},
        "status_details": NULLABLE_STRING,
    }
    store_properties: dict[str, JsonSchema] = {
        "id": {"type": "string", "pattern": f"^{stores.id_shape.prefix}"},
        "object": {"type": "string", "const": "vector_store"},
        "created_at": {"type": "integer"},
        "name": NULLABLE_STRING,
        "description": NULLABLE_STRING,
        "usage_bytes": {"type": "integer", "minimum": 0},
        "file_counts": _counts(),
        "status": {"type": "string", "enum": ["expired", "in_progress", "completed"]},
        "expires_after": {"type": ["object", "null"]},
        "expires_at": NULLABLE_INTEGER,
        "last_active_at": NULLABLE_INTEGER,
        "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
    }
    member_properties: dict[str, JsonSchema] = {
        "id": {"type": "string"},
        "object": {"type": "string", "const": "vector_store.file"},
        "usage_bytes": {"type": "integer", "minimum": 0},
        "created_at": {"type": "integer"},
        "vector_store_id": {"type": "string"},
        "status": {"type": "string", "enum": STATUSES},
        "last_error": {"type": ["object", "null"]},
        "chunking_strategy": {"type": "object"},
        "attributes": {"type": ["object", "null"]},
    }
    batch_properties: dict[str, JsonSchema] = {
        "id": {"type": "string", "pattern": f"^{stores.batch_id_shape.prefix}"},
        "object": {"type": "string", "const": "vector_store.file_batch"},
        "created_at": {"type": "integer"},
        "status": {"type": "string", "enum": STATUSES},
        "vector_store_id": {"type": "string"},
        "file_counts": _counts(),
    }
    assistant_file = {
        "id": {"type": "string"},
        "object": {"type": "string", "const": "assistant.file"},
        "created_at": {"type": "integer"},
        "assistant_id": {"type": "string"},
    }
    upload = {
        "type": "object",
        "properties": {
            "file": {"type": "string", "format": "binary"},
            "purpose": {"type": "string", "enum": list(files.purposes)},
        },
        "required": ["file", "purpose"],
    }
    return {
        "FileObject": _object(file_properties, files.key_order),
        "ListFilesResponse": _list("FileObject", cursors=files.list_cursors),
        "DeleteFileResponse": _deleted("file"),
        "FileContent": {"type": "string", "format": "binary"},
        "CreateFileRequest": upload,
        "VectorStoreObject": _object(store_properties, stores.key_order),
        "ListVectorStoresResponse": _list("VectorStoreObject"),
        "DeleteVectorStoreResponse": _deleted("vector_store.deleted"),
        "CreateVectorStoreRequest": node_schema(create_schema(api)),
        "UpdateVectorStoreRequest": node_schema(modify_schema(api)),
        "VectorStoreFileObject": _object(member_properties, stores.file_key_order),
        "BatchFileObject": _object(member_properties, stores.batch_file_key_order),
        "ListVectorStoreFilesResponse": _list("VectorStoreFileObject"),
        "ListBatchFilesResponse": _list("BatchFileObject"),
        "DeleteVectorStoreFileResponse": _deleted("vector_store.file.deleted"),
        "CreateVectorStoreFileRequest": node_schema(file_schema(api)),
        "UpdateVectorStoreFileAttributesRequest": node_schema(file_update_schema(api)),
        "VectorStoreFileBatchObject": _object(batch_properties, stores.batch_key_order),
        "CreateVectorStoreFileBatchRequest": node_schema(batch_schema(api)),
        "AssistantFileObject": _object(assistant_file, tuple(assistant_file)),
        "ListAssistantFilesResponse": _list("AssistantFileObject"),
        "DeleteAssistantFileResponse": _deleted("assistant.file.deleted"),
        "CreateAssistantFileRequest": {
            "type": "object",
            "properties": {"file_id": {"type": "string", "pattern": "^file"}},
            "required": ["file_id"],
            "additionalProperties": False,
        },
    }
