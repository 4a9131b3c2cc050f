"""Cache keys: a normalised request reduced to a short, structured, prefix-searchable string.

A key reads ``{app}:{kind}:{model}:{digest}``. The app comes first so that one app's entries can never
be found with another app's key and so that "everything of an app" is a key prefix; the model is in
clear so operators can invalidate by model. The digest covers everything else that changes the answer:
the messages (or inputs), the parameters that alter output (temperature, top_p, max tokens, stop,
tools, tool_choice, response_format, seed, penalties, n, logprobs, logit_bias, reasoning effort), the
target that will answer, the A/B arm, and the end user when the app scopes its cache per user. Fields
that do not change the answer (``stream``, ``stream_options``, ``user``, ``metadata``) are left out, so
a streamed request can be answered from a non-streamed one and vice versa.

Normalisation is deliberately light: line endings and surrounding whitespace are normalised and a
single text part equals a plain string, but inner whitespace is kept (it matters in code prompts).
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote

import msgspec

from ai_workers.core.types import ChatRequest, EmbeddingRequest, Message

_encoder = msgspec.msgpack.Encoder(order="sorted")


def quote_part(value: str) -> str:
    """Escape ``:`` and Redis glob characters so a key part can never spill into the next one."""
    return quote(value, safe="@/._-+=~")


def _text(value: str) -> str:
    return value.replace("\r\n", "\n").strip()


def normalise_message(message: Message) -> tuple[Any, ...]:
    content: Any = message.content
    if isinstance(content, list):
        parts = [msgspec.to_builtins(p) for p in content]
        if len(parts) == 1 and parts[0].get("type") == "text":
            content = _text(parts[0].get("text") or "")
        else:
            content = [
                {**p, "text": _text(p["text"])} if p.get("type") == "text" and p.get("text") else p
                for p in parts
            ]
    elif isinstance(content, str):
        content = _text(content)
    tool_calls = msgspec.to_builtins(message.tool_calls) if message.tool_calls else None
    return (message.role, content, message.name, tool_calls, message.tool_call_id)


# Answer-changing fields added after the first keys were made. They join the key only when set, so
# the keys of requests without them (every entry already stored) stay as they were.
_LATER_PARAMETERS = ("logprobs", "top_logprobs", "logit_bias", "parallel_tool_calls", "reasoning_effort")


def chat_parameters(request: ChatRequest) -> tuple[Any, ...]:
    """The parameters that change a chat answer, in a fixed order."""
    stop = [request.stop] if isinstance(request.stop, str) else request.stop
    later = {name: getattr(request, name) for name in _LATER_PARAMETERS if getattr(request, name) is not None}
    return (
        request.temperature,
        request.top_p,
        request.output_limit(),
        stop,
        request.presence_penalty,
        request.frequency_penalty,
        request.seed,
        request.n,
        request.tools,
        request.tool_choice,
        request.response_format,
    ) + ((later,) if later else ())


def digest(*parts: Any) -> str:
    return hashlib.blake2b(_encoder.encode(parts), digest_size=16).hexdigest()


def make_key(app: str, kind: str, model: str, digest_hex: str) -> str:
    return f"{quote_part(app)}:{kind}:{quote_part(model)}:{digest_hex}"


# Chat entries written before this generation may hold a streamed answer with one patient's restored
# identifiers (the recorder kept chunks that the safety stage then restored in place). A new generation
# in every chat key and semantic scope makes those entries unreachable at once after an upgrade, instead
# of being served until their TTL ends.
ANSWER_GENERATION = 2


def chat_key(app: str, kind: str, model: str, request: ChatRequest, context: tuple[Any, ...]) -> str:
    """``context``: the answering target, arm and (for per-user scope) the user; see the module doc."""
    body = (
        tuple(normalise_message(m) for m in request.messages),
        chat_parameters(request),
        context,
        ANSWER_GENERATION,
    )
    return make_key(app, kind, model, digest(body))


def embedding_key(app: str, model: str, request: EmbeddingRequest, context: tuple[Any, ...]) -> str:
    texts = [_text(t) for t in request.texts()]
    body = (texts, request.dimensions, request.encoding_format or "float", context)
    return make_key(app, "embeddings", model, digest(body))


def scope_digest(request: ChatRequest, context: tuple[Any, ...]) -> str:
    """The semantic cache's scope: everything except the last user message must be identical.

    That is the system prompt and, stricter, any earlier turns: a short follow-up such as
    "and for children?" means something else in another conversation. Output-changing parameters are
    part of the scope too (a 10-token answer must not serve a request for 1,000).
    """
    earlier = tuple(normalise_message(m) for m in request.messages[:-1])
    return digest((earlier, chat_parameters(request), context, ANSWER_GENERATION))


def key_matches(key: str, *, app: str | None, model: str | None, prefix: str | None) -> bool:
    """Whether a key falls under an invalidation filter (every given filter must match)."""
    if prefix is not None and not key.startswith(prefix):
        return False
    if app is None and model is None:
        return True
    parts = key.split(":", 3)
    if len(parts) < 3:
        return False
    if app is not None and parts[0] != quote_part(app):
        return False
    return not (model is not None and parts[2] != quote_part(model))
