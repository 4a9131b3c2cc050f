"""Workers-AI-compatible API: ``POST /client/v4/accounts/{account_id}/ai/run/{model}``.

An app written against Cloudflare's REST API switches to the gateway by changing its base URL and
token: the request bodies are Cloudflare's per-task inputs and the answers come in Cloudflare's envelope
``{"result": ..., "success": true, "errors": [], "messages": []}`` (errors: ``success: false`` and
``errors: [{"code", "message"}]``). The model id in the path (``@cf/meta/...``) is looked up in the
catalog, whose capability decides the task; the account id is accepted and ignored (the gateway's own
provider settings decide where the call goes). Cloudflare's OpenAI-compatible paths under
``/client/v4/accounts/{account_id}/ai/v1/`` (chat completions, embeddings, responses, models) are
served by the OpenAI handlers.
"""

from __future__ import annotations

import base64
import contextlib
import math
from typing import Annotated, Any, Literal

import msgspec
from starlette.routing import BaseRoute, Route

from ai_workers.core.context import gateway_info
from ai_workers.core.errors import AIWorkersError, InvalidRequestError, ModelNotFoundError
from ai_workers.core.types import (
    AnyRequest,
    Capability,
    ChatChunk,
    ChatRequest,
    ChatResponse,
    EmbeddingRequest,
    EmbeddingResponse,
    Message,
    ModerationRequest,
    OutputTokens,
    RerankRequest,
    RerankResponse,
    SafetyRequest,
    SafetyVerdict,
    SpeechRequest,
    SpeechResponse,
    ToolCall,
    TranscriptionRequest,
    TranscriptionResponse,
)
from ai_workers.server.auth import header_value
from ai_workers.server.dispatch import ApiEndpoint, Call, Services
from ai_workers.server.http import Scope
from ai_workers.server.responses import encode_json
from ai_workers.server.routes import openai as openai_routes
from ai_workers.server.routes import openai_responses

# Cloudflare's error codes for the cases the gateway can produce (others fall back to 7000).
_CF_CODES = {
    400: 5006,
    401: 10000,
    403: 10000,
    404: 5007,
    413: 5006,
    422: 5016,
    429: 3040,
    502: 3043,
    503: 3043,
}


def render_cf_error(exc: AIWorkersError) -> bytes:
    error = {"code": _CF_CODES.get(exc.status, 7000), "message": exc.message}
    return encode_json({"result": None, "success": False, "errors": [error], "messages": []})


def _envelope(result: Any, ctx: Any) -> bytes:
    return encode_json(
        {"result": result, "success": True, "errors": [], "messages": [], "x_ai_workers": gateway_info(ctx)}
    )


# -- request bodies (Cloudflare's per-task input schemas; unknown fields are ignored) -----------------


class _CfChat(msgspec.Struct, kw_only=True):
    messages: list[Message] | None = None
    prompt: str | None = None
    stream: bool = False
    # The bounds of Workers AI's own text-generation schemas, so an out-of-range value is a 400 here,
    # as it would be from Cloudflare, rather than whatever a fallback provider makes of it.
    max_tokens: OutputTokens | None = None
    temperature: Annotated[float, msgspec.Meta(ge=0, le=5)] | None = None
    top_p: Annotated[float, msgspec.Meta(ge=0, le=2)] | None = None
    seed: int | None = None
    frequency_penalty: float | None = None
    presence_penalty: float | None = None
    tools: list[dict[str, Any]] | None = None
    response_format: dict[str, Any] | None = None
    # Read only to refuse them: each changes what the model does, so ignoring it would answer as if
    # the app had asked for something else.
    raw: bool = False
    lora: str | None = None


class _CfContext(msgspec.Struct):
    text: str


class _CfEmbed(msgspec.Struct, kw_only=True):
    text: str | list[str] | None = None
    query: str | None = None
    contexts: list[_CfContext] | None = None


class _CfRerank(msgspec.Struct, kw_only=True):
    query: str
    contexts: list[_CfContext]
    top_k: int | None = None


class _CfWhisper(msgspec.Struct, kw_only=True):
    audio: str | list[int]
    language: str | None = None
    initial_prompt: str | None = None
    task: Literal["transcribe", "translate"] = "transcribe"


class _CfSpeech(msgspec.Struct, kw_only=True):
    prompt: str
    lang: str | None = None


class _CfGuard(msgspec.Struct, kw_only=True):
    messages: list[Message]
    response_format: dict[str, Any] | None = None


class _CfModeration(msgspec.Struct, kw_only=True):
    input: str | list[str]


_DECODERS: dict[type, msgspec.json.Decoder[Any]] = {
    kind: msgspec.json.Decoder(kind)
    for kind in (_CfChat, _CfEmbed, _CfRerank, _CfWhisper, _CfSpeech, _CfGuard, _CfModeration)
}


def _tools(tools: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    """Cloudflare also accepts bare ``{name, description, parameters}`` tools; OpenAI wraps them."""
    if tools is None:
        return None
    return [t if "type" in t else {"type": "function", "function": t} for t in tools]


def _audio_bytes(audio: str | list[int]) -> bytes:
    if isinstance(audio, list):
        try:
            return bytes(audio)
        except ValueError:
            raise InvalidRequestError("audio: byte values must be 0-255", param="audio") from None
    try:
        return base64.b64decode(audio, validate=True)
    except ValueError:
        raise InvalidRequestError("audio: expected base64 text or an array of bytes", param="audio") from None


def build_request(capability: Capability, model: str, body: bytes, content_type: str | None) -> AnyRequest:
    """Cloudflare's input for the model's task -> the gateway's request struct."""
    if capability is Capability.TRANSCRIPTION and content_type is not None and "json" not in content_type:
        return TranscriptionRequest(model=model, audio=body)  # the raw audio file as the body
    if capability is Capability.CHAT:
        chat = _DECODERS[_CfChat].decode(body)
        if chat.raw:
            raise InvalidRequestError(
                "raw: prompts without the model's chat template are not supported by this gateway "
                "(every request can fall back to another provider); send messages or a plain prompt",
                param="raw",
            )
        if chat.lora:
            raise InvalidRequestError("lora: LoRA adapters are not supported by this gateway", param="lora")
        if chat.messages:
            messages = chat.messages
        elif chat.prompt is not None:
            messages = [Message(role="user", content=chat.prompt)]
        else:
            raise InvalidRequestError("messages: send `messages` or `prompt`", param="messages")
        return ChatRequest(
            model=model,
            messages=messages,
            stream=chat.stream or None,
            max_tokens=chat.max_tokens,
            temperature=chat.temperature,
            top_p=chat.top_p,
            seed=chat.seed,
            frequency_penalty=chat.frequency_penalty,
            presence_penalty=chat.presence_penalty,
            tools=_tools(chat.tools),
            response_format=chat.response_format,
        )
    if capability is Capability.EMBEDDINGS:
        embed = _DECODERS[_CfEmbed].decode(body)
        if embed.text is not None:
            return EmbeddingRequest(model=model, input=embed.text)
        if embed.query is not None and embed.contexts:
            return EmbeddingRequest(model=model, input=[embed.query, *(c.text for c in embed.contexts)])
        raise InvalidRequestError("text: send `text`, or `query` with `contexts`", param="text")
    if capability is Capability.RERANK:
        rerank = _DECODERS[_CfRerank].decode(body)
        if not rerank.contexts:
            raise InvalidRequestError("contexts: at least one context is required", param="contexts")
        return RerankRequest(
            model=model, query=rerank.query, documents=[c.text for c in rerank.contexts], top_n=rerank.top_k
        )
    if capability is Capability.TRANSCRIPTION:
        whisper = _DECODERS[_CfWhisper].decode(body)
        return TranscriptionRequest(
            model=model,
            audio=_audio_bytes(whisper.audio),
            language=whisper.language,
            prompt=whisper.initial_prompt,
            task=whisper.task,
        )
    if capability is Capability.SPEECH:
        speech = _DECODERS[_CfSpeech].decode(body)
        return SpeechRequest(model=model, input=speech.prompt, language=speech.lang)
    if capability is Capability.SAFETY:
        guard = _DECODERS[_CfGuard].decode(body)
        return SafetyRequest(model=model, messages=guard.messages)
    moderation = _DECODERS[_CfModeration].decode(body)
    return ModerationRequest(model=model, input=moderation.input)


# -- answers in Cloudflare's shapes -------------------------------------------------------------------


def _cf_tool_calls(calls: list[ToolCall] | None) -> list[dict[str, Any]] | None:
    if not calls:
        return None
    out = []
    for call in calls:
        function = call.function
        arguments: Any = function.arguments if function else None
        if isinstance(arguments, str):
            # Arguments that are not JSON stay text: that is what the model produced.
            with contextlib.suppress(msgspec.DecodeError):
                arguments = msgspec.json.decode(arguments)
        out.append({"name": function.name if function else None, "arguments": arguments})
    return out


def _usage(usage: Any) -> dict[str, int]:
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
    }


def render_result(result: Any, request: AnyRequest, raw_body: bytes) -> Any:
    """The gateway's response struct -> the ``result`` Cloudflare's model would return."""
    if isinstance(result, ChatResponse):
        message = result.choices[0].message if result.choices else None
        out: dict[str, Any] = {
            "response": message.content if message else None,
            "usage": _usage(result.usage),
        }
        tool_calls = _cf_tool_calls(message.tool_calls if message else None)
        if tool_calls:
            out["tool_calls"] = tool_calls
        return out
    if isinstance(result, EmbeddingResponse):
        vectors = result.vectors()
        assert isinstance(request, EmbeddingRequest)
        embed = _DECODERS[_CfEmbed].decode(raw_body)
        if embed.text is None:  # bge-m3's query + contexts: similarity of each context to the query
            query, contexts = vectors[0], vectors[1:]
            scores = [{"id": i, "score": _cosine(query, v)} for i, v in enumerate(contexts)]
            scores.sort(key=lambda s: -float(s["score"]))
            return {"response": scores}
        return {"shape": [len(vectors), len(vectors[0]) if vectors else 0], "data": vectors, "pooling": "cls"}
    if isinstance(result, RerankResponse):
        return {"response": [{"id": r.index, "score": r.relevance_score} for r in result.results]}
    if isinstance(result, TranscriptionResponse):
        words = len(result.text.split())
        out = {
            "text": result.text,
            "word_count": words,
            "transcription_info": {"language": result.language, "duration": result.duration},
            "vtt": openai_routes.subtitles(result, "vtt"),
        }
        if result.segments is not None:
            out["segments"] = result.segments
        return out
    if isinstance(result, SpeechResponse):
        return {"audio": base64.b64encode(result.audio).decode("ascii")}
    if isinstance(result, SafetyVerdict):
        guard = _DECODERS[_CfGuard].decode(raw_body)
        usage = _usage(result.usage) if result.usage else None
        if guard.response_format and "json" in str(guard.response_format.get("type", "")):
            return {"response": {"safe": result.safe, "categories": result.categories}, "usage": usage}
        text = "safe" if result.safe else "unsafe\n" + ",".join(result.categories)
        return {"response": text, "usage": usage}
    return msgspec.to_builtins(result)


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def _cf_chunk(chunk: ChatChunk) -> bytes:
    event: dict[str, Any] = {"response": chunk.text}
    if chunk.choices and chunk.choices[0].delta.tool_calls:
        event["tool_calls"] = _cf_tool_calls(chunk.choices[0].delta.tool_calls)
    if chunk.usage is not None:
        event["usage"] = _usage(chunk.usage)
    return b"data: " + encode_json(event) + b"\n\n"


class RunModel(ApiEndpoint):
    """``POST .../ai/run/{model}``: raw ASGI (hot path), capability from the catalog."""

    route = "/ai/run"
    encode_chunk = staticmethod(_cf_chunk)
    render_error = staticmethod(render_cf_error)

    def decode(self, services: Services, scope: Scope, body: bytes) -> Call:
        model: str = scope["path_params"]["model"]
        settings = services.gateway.config.current
        spec = settings.catalog.find(model)
        if spec is None:
            # Cloudflare's words (apps may match on them), then what to do about it here.
            raise ModelNotFoundError(
                f"No such model {model} or task in this gateway's catalog; an operator can add it under "
                "`models:` in the config (GET /v1/models lists the catalog).",
                param="model",
            )
        request = build_request(spec.capability, model, body, header_value(scope["headers"], b"content-type"))
        if isinstance(request, ChatRequest):
            openai_routes.check_messages(request, settings.server.max_messages)
        return Call(
            spec.capability,
            model,
            request,
            lambda result, ctx: (_envelope(render_result(result, request, body), ctx), b"application/json"),
            stream=isinstance(request, ChatRequest) and bool(request.stream),
        )


def routes() -> list[BaseRoute]:
    prefix = "/client/v4/accounts/{account_id}/ai"
    return [
        Route(prefix + "/run/{model:path}", RunModel(), methods=["POST"]),
        Route(prefix + "/v1/chat/completions", openai_routes.ChatCompletions(), methods=["POST"]),
        Route(prefix + "/v1/embeddings", openai_routes.Embeddings(), methods=["POST"]),
        Route(prefix + "/v1/responses", openai_responses.Responses(), methods=["POST"]),
        Route(prefix + "/v1/models", openai_routes.list_models, methods=["GET"]),
    ]
