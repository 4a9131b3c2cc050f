"""Reading a batch input file: one ``{custom_id, method, url, body}`` object per line.

Faults of the file itself (not JSON, a missing field, a repeated ``custom_id``) fail the batch at
creation, as OpenAI's validation does, each naming its line. A line whose ``url`` this gateway does not
serve is not such a fault: it is kept and answered with a line error in the error file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec

# The URLs a line may name; the Workers AI run route is matched by its prefix.
CHAT_URL = "/v1/chat/completions"
EMBEDDINGS_URL = "/v1/embeddings"
WORKERS_AI_PREFIX = "/client/v4/accounts/"
ENDPOINTS = (CHAT_URL, EMBEDDINGS_URL, "/client/v4/accounts/{account_id}/ai/run/{model}")

MAX_ERRORS = 20  # validation errors reported for one file


class _Line(msgspec.Struct, forbid_unknown_fields=False):
    custom_id: str
    method: str
    url: str
    body: dict[str, Any]


@dataclass(slots=True)
class InputLine:
    custom_id: str
    url: str
    body: bytes  # the body as JSON, re-encoded compactly


@dataclass(slots=True)
class LineError:
    line: int  # 1-based, as OpenAI reports it
    code: str
    message: str
    param: str | None = None

    def to_openai(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "param": self.param, "line": self.line}


_decoder = msgspec.json.Decoder(_Line)
_encoder = msgspec.json.Encoder()


def is_served(url: str) -> bool:
    """Whether a line's url names a route batch lines can run."""
    if url in (CHAT_URL, EMBEDDINGS_URL):
        return True
    return url.startswith(WORKERS_AI_PREFIX) and "/ai/run/" in url


def parse(content: bytes, *, max_lines: int) -> tuple[list[InputLine], list[LineError]]:
    """The file's lines, or the errors that make it unusable (then the line list is meaningless)."""
    lines: list[InputLine] = []
    errors: list[LineError] = []
    seen: set[str] = set()
    for number, raw in enumerate(content.splitlines(), start=1):
        if not raw.strip():
            continue
        if len(errors) >= MAX_ERRORS:
            break
        try:
            line = _decoder.decode(raw)
        except msgspec.ValidationError as exc:
            errors.append(LineError(number, "invalid_request", f"line {number}: {exc}"))
            continue
        except msgspec.DecodeError:
            errors.append(LineError(number, "invalid_json_line", f"line {number} is not valid JSON"))
            continue
        if line.method.upper() != "POST":
            errors.append(
                LineError(number, "invalid_method", f"line {number}: method must be POST", "method")
            )
            continue
        if not line.custom_id or len(line.custom_id) > 512:
            errors.append(
                LineError(
                    number, "invalid_custom_id", f"line {number}: custom_id must be 1-512 chars", "custom_id"
                )
            )
            continue
        if line.custom_id in seen:
            errors.append(
                LineError(
                    number,
                    "duplicate_custom_id",
                    f"line {number}: custom_id {line.custom_id!r} is used by an earlier line; "
                    "each line needs its own",
                    "custom_id",
                )
            )
            continue
        seen.add(line.custom_id)
        lines.append(InputLine(line.custom_id, line.url, _encoder.encode(line.body)))
    if not lines and not errors:
        errors.append(LineError(0, "empty_file", "The input file has no request lines."))
    if len(lines) > max_lines:
        errors.append(
            LineError(
                0, "too_many_lines", f"The input file has {len(lines)} lines; the limit is {max_lines}."
            )
        )
    return lines, errors
