"""Errors are data: one exception type carrying the status and the provider's envelope.

Routes render an :class:`ApiError` as-is, so every wire text lives here, next to the
evidence tag (PROVIDER_BEHAVIOUR.md section) it was taken from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

JsonDict = dict[str, Any]

MIGRATION_URL = "https://platform.openai.com/docs/assistants/migration"


class ApiError(Exception):
    """A provider answer other than success: HTTP status plus the exact JSON body."""

    def __init__(
        self,
        status: int,
        body: JsonDict,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body
        self.headers: dict[str, str] = dict(headers or {})

    @property
    def param(self) -> str | None:
        error = self.body.get("error")
        return error.get("param") if isinstance(error, dict) else None

    @property
    def code(self) -> str | None:
        error = self.body.get("error")
        return error.get("code") if isinstance(error, dict) else None


def openai_error(
    message: str,
    *,
    status: int = 400,
    param: str | None = None,
    code: str | None = None,
    type_: str = "invalid_request_error",
    headers: Mapping[str, str] | None = None,
) -> ApiError:
    """OpenAI's envelope: all four keys always present (§4.1)."""
    body = {"error": {"message": message, "type": type_, "param": param, "code": code}}
    return ApiError(status, body, headers)


# --- §4.2 exact texts -------------------------------------------------------------------


def assistant_not_found(assistant_id: str) -> ApiError:
    return object_not_found("assistant", assistant_id)


def object_not_found(noun: str, object_id: str) -> ApiError:
    """§4.2 / §14.4: ``No <noun> found with id '<id>'.``, echoing whatever id was sent
    (recorded for assistant, thread and run step; message and run INFERRED alike)."""
    return openai_error(f"No {noun} found with id '{object_id}'.", status=404)


def missing_api_key() -> ApiError:
    return openai_error(
        "You didn't provide an API key. You need to provide your API key in an Authorization"
        " header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password"
        " field (with blank username) if you're accessing the API from your browser and are"
        " prompted for a username and password. You can obtain an API key from"
        " https://platform.openai.com/account/api-keys.",
        status=401,
    )


def mask_api_key(key: str) -> str:
    """OpenAI's masking (INFERRED, >= 6 samples): first 8, stars, last 4; short keys as-is."""
    if len(key) <= 12:
        return key
    return key[:8] + "*" * (len(key) - 12) + key[-4:]


def incorrect_api_key(key: str) -> ApiError:
    return openai_error(
        f"Incorrect API key provided: {mask_api_key(key)}. You can find your API key at"
        " https://platform.openai.com/account/api-keys.",
        status=401,
        code="invalid_api_key",
    )


def missing_beta_header(version: str) -> ApiError:
    return openai_error(
        "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try"
        f" again by setting the header 'OpenAI-Beta: assistants={version}'.",
        code="invalid_beta",
    )


def v1_deprecated(*, with_hint: bool = True) -> ApiError:
    hint = (
        " Please try again by setting the header 'OpenAI-Beta: assistants=v2'." if with_hint else ""
    )
    return openai_error(
        f"The v1 Assistants API has been deprecated.{hint} See the migration guide for more"
        f" information: {MIGRATION_URL}.",
        code="invalid_beta",
    )


def malformed_json() -> ApiError:
    return openai_error(
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't"
        " using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was"
        " sent was not valid JSON. If you have trouble figuring out how to fix this, please"
        " contact us through our help center at help.openai.com.)"
    )


def invalid_url(method: str, path: str) -> ApiError:
    return openai_error(f"Invalid URL ({method} {path})", status=404)


def unknown_parameter(path: str) -> ApiError:
    return openai_error(f"Unknown parameter: '{path}'.", param=path, code="unknown_parameter")


def missing_parameter(path: str) -> ApiError:
    return openai_error(
        f"Missing required parameter: '{path}'.", param=path, code="missing_required_parameter"
    )


def invalid_type(path: str, expected: str, got: str) -> ApiError:
    return openai_error(
        f"Invalid type for '{path}': expected {expected}, but got {got} instead.",
        param=path,
        code="invalid_type",
    )


def _quote_list(values: Sequence[str]) -> str:
    quoted = [f"'{v}'" for v in values]
    if len(quoted) == 1:
        return quoted[0]
    if len(quoted) == 2:
        return f"{quoted[0]} and {quoted[1]}"
    return ", ".join(quoted[:-1]) + f", and {quoted[-1]}"


def invalid_value(path: str, value: object, supported: Sequence[str]) -> ApiError:
    return openai_error(
        f"Invalid value: '{value}'. Supported values are: {_quote_list(supported)}.",
        param=path,
        code="invalid_value",
    )


def string_too_long(path: str, maximum: int, length: int) -> ApiError:
    return openai_error(
        f"Invalid '{path}': string too long. Expected a string with maximum length {maximum},"
        f" but got a string with length {length} instead.",
        param=path,
        code="string_above_max_length",
    )


def array_too_long(path: str, maximum: int, length: int) -> ApiError:
    return openai_error(
        f"Invalid '{path}': array too long. Expected an array with maximum length {maximum},"
        f" but got an array with length {length} instead.",
        param=path,
        code="array_above_max_length",
    )


def pattern_mismatch(path: str, pattern: str) -> ApiError:
    return openai_error(
        f"Invalid '{path}': string does not match pattern. Expected a string that matches the"
        f" pattern '{pattern}'.",
        param=path,
        code="invalid_value",
    )


def bad_id_prefix(path: str, value: str, prefix: str) -> ApiError:
    """Seen for message attachments [I:LibreChat#8178]; for tool_resources ids INFERRED."""
    return openai_error(
        f"Invalid '{path}': '{value}'. Expected an ID that begins with '{prefix}'.",
        param=path,
        code="invalid_value",
    )


def _number(value: float) -> str:
    """As the request spelled it: ``3`` for a JSON integer (exact, however large), ``2.5``."""
    return repr(value)  # an int's repr is its digits, a float's the shortest round trip


def above_maximum(path: str, maximum: float, value: float, *, integer: bool = False) -> ApiError:
    kind = "integer" if integer else "decimal"
    return openai_error(
        f"Invalid '{path}': {kind} above maximum value. Expected a value <= {_number(maximum)},"
        f" but got {_number(value)} instead.",
        param=path,
        code=f"{kind}_above_max_value",
    )


def below_minimum(path: str, minimum: float, value: float, *, integer: bool = False) -> ApiError:
    kind = "integer" if integer else "decimal"
    return openai_error(
        f"Invalid '{path}': {kind} below minimum value. Expected a value >= {_number(minimum)},"
        f" but got {_number(value)} instead.",
        param=path,
        code=f"{kind}_below_min_value",
    )


def too_many_properties(path: str, maximum: int, count: int) -> ApiError:
    return openai_error(
        f"Invalid '{path}': too many properties. Expected an object with at most {maximum}"
        f" properties, but got an object with {count} properties instead.",
        param=path,
        code="object_above_max_properties",
    )


def property_name_too_long(path: str, key: str, maximum: int) -> ApiError:
    return openai_error(
        f"Invalid property name in '{path}': '{key}' is too long. Expected a string with maximum"
        f" length {maximum}, but got a string with length {len(key)} instead.",
        param=f"{path}.{key}",
        code="property_name_above_max_length",
    )


def model_not_found(model: str) -> ApiError:
    return openai_error(
        f"The requested model '{model}' does not exist.", param="model", code="model_not_found"
    )


def model_not_supported(model: str, *, v1: bool) -> ApiError:
    if v1:
        message = (
            f"The requested model '{model}' cannot be used with the Assistants API in v1. Follow"
            f" the migration guide to upgrade to v2: {MIGRATION_URL}."
        )
    else:
        message = f"The requested model '{model}' cannot be used with the Assistants API."
    return openai_error(message, param="model", code="unsupported_model")


def unsupported_with_model(parameter: str) -> ApiError:
    return openai_error(
        f"Unsupported parameter: '{parameter}' is not supported with this model.",
        param="model",
        code="unsupported_model",
    )


def body_too_large(limit: int) -> ApiError:
    """Our own documented limit (no provider evidence): 413 in OpenAI's envelope."""
    return openai_error(
        f"Request body too large: the fake accepts at most {limit} bytes"
        " (raise it with the max_body_bytes option).",
        status=413,
        code="request_too_large",
    )


def sunset_not_found(method: str, path: str) -> ApiError:
    """Post-2026-08-26 404 (§4.2: body not in evidence, Q8): the unknown-route envelope."""
    return invalid_url(method, path)


def internal_error(detail: str) -> ApiError:
    """The fake's own bug: a 500 the SDK must not retry (x-should-retry: false)."""
    return openai_error(
        f"The fake raised an unexpected exception (a bug in pytest-assistants): {detail}",
        status=500,
        type_="server_error",
        headers={"x-should-retry": "false"},
    )


# --- §14.4 threads, messages and runs ----------------------------------------------------


def invalid_thread() -> ApiError:
    """v2: a run on a thread with no user message, for an assistant with no instructions."""
    return openai_error(
        "Run creation requires a Thread with a user message or an assistant with instructions.",
        code="invalid_thread",
    )


def cannot_cancel(status: str) -> ApiError:
    return openai_error(f"Cannot cancel run with status '{status}'.")


def no_tool_outputs(status: str) -> ApiError:
    return openai_error(f'Runs in status "{status}" do not accept tool outputs.')


def cannot_update_run(status: str) -> ApiError:
    return openai_error(f"Cannot update run with status '{status}'.")
