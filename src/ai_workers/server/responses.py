"""Fast response helpers: msgspec-encoded JSON and OpenAI-shaped error bodies.

Every handler answers through these so a body is encoded once, by msgspec (several times faster than
``json.dumps`` on the structs the gateway returns), and every error has the same OpenAI shape whatever
raised it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import msgspec
from starlette.responses import Response

from ai_workers.core.errors import AIWorkersError, InvalidRequestError

_encoder = msgspec.json.Encoder()
JSON_TYPE = "application/json"


def encode_json(obj: Any) -> bytes:
    """msgspec structs, dicts, lists and scalars to JSON bytes."""
    return _encoder.encode(obj)


def json_response(obj: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON response whose body is encoded by msgspec (structs, dicts or lists)."""
    return Response(encode_json(obj), status_code=status, headers=headers, media_type=JSON_TYPE)


def error_response(exc: AIWorkersError, headers: Mapping[str, str] | None = None) -> Response:
    """OpenAI's error JSON with the exception's status and headers (e.g. Retry-After)."""
    all_headers = dict(exc.headers())
    if headers:
        all_headers.update(headers)
    return json_response(exc.to_openai(), status=exc.status, headers=all_headers)


def too_deep_error() -> InvalidRequestError:
    """A body nested deeper than the decoder's recursion limit (msgspec raises RecursionError): the
    caller's request, so a 400 rather than a 500 with a traceback in the log."""
    return InvalidRequestError(
        "The request body is nested too deeply to parse (JSON nesting is limited).", code="invalid_json"
    )


def validation_error(exc: msgspec.ValidationError | msgspec.DecodeError) -> InvalidRequestError:
    """Turn msgspec's message into one that names the field, with ``param`` set.

    msgspec says ``Expected `str`, got `int` - at `$.messages[0].content```; callers of an OpenAI-style
    API expect ``messages[0].content: expected string, got int`` and ``param: "messages[0].content"``.
    """
    text = str(exc)
    if isinstance(exc, msgspec.DecodeError) and not isinstance(exc, msgspec.ValidationError):
        return InvalidRequestError(f"The request body is not valid JSON: {text}", code="invalid_json")
    message, _, where = text.rpartition(" - at `")
    if not message:
        message, where = text, ""
    param = where.rstrip("`").removeprefix("$").removeprefix(".") or None
    message, param = _friendly(message, param)
    if param:
        return InvalidRequestError(f"{param}: {message}", param=param, code="invalid_type")
    return InvalidRequestError(message, code="invalid_type")


_TYPE_NAMES = {
    "str": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "array": "array",
    "object": "object",
    "null": "null",
}
_TYPES = re.compile(r"`([^`]+)`")
_MISSING = re.compile(r"Object missing required field `([^`]+)`")


def _type_names(match: re.Match[str]) -> str:
    names = [_TYPE_NAMES.get(part.strip(), part.strip()) for part in match.group(1).split("|")]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _friendly(message: str, param: str | None) -> tuple[str, str | None]:
    """msgspec's wording to OpenAI-style wording; a missing field becomes the ``param``."""
    missing = _MISSING.match(message)
    if missing:
        field = missing.group(1)
        param = f"{param}.{field}" if param else field
        return "this field is required", param
    message = _TYPES.sub(_type_names, message)
    if message.startswith("Expected"):
        message = "expected" + message[len("Expected") :]
    return message, param
