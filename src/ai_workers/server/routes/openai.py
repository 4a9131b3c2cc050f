"""OpenAI-compatible API: ``base_url=http://host:port/v1`` in any OpenAI SDK works unchanged.

Chat and embeddings are raw ASGI handlers (the hot path, see ``server/http.py``); the rest are ordinary
Starlette endpoints. Bodies are decoded by msgspec straight into the core structs, so a wrong type is a
400 naming the field (``messages[0].content: expected string, ...``).
"""

from __future__ import annotations

import array
import base64
import sys
import time
from typing import Any, Generic, Literal, TypeVar

import msgspec
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from ai_workers.core.catalog import ModelSpec
from ai_workers.core.context import gateway_info
from ai_workers.core.errors import (
    AIWorkersError,
    InvalidRequestError,
    ModelNotFoundError,
    PayloadTooLargeError,
    UnsupportedCapabilityError,
)
from ai_workers.core.types import (
    Capability,
    ChatChunk,
    ChatRequest,
    ChatResponse,
    EmbeddingRequest,
    EmbeddingResponse,
    ModerationRequest,
    ModerationResponse,
    RerankRequest,
    RerankResponse,
    SpeechRequest,
    SpeechResponse,
    TranscriptionRequest,
    TranscriptionResponse,
)
from ai_workers.routing.targets import model_allowed
from ai_workers.server.auth import calling_user, require_app
from ai_workers.server.dispatch import (
    ApiEndpoint,
    Call,
    Services,
    charge_tokens,
    execute,
    settle,
)
from ai_workers.server.http import Scope
from ai_workers.server.responses import encode_json, json_response

T = TypeVar("T")
JSON_TYPE = b"application/json"


def render_openai_error(exc: AIWorkersError) -> bytes:
    return encode_json(exc.to_openai())


def _sse_chunk(chunk: ChatChunk) -> bytes:
    return b"data: " + encode_json(chunk) + b"\n\n"


def check_messages(request: ChatRequest | Any, max_messages: int) -> None:
    count = len(request.messages)
    if count == 0:
        raise InvalidRequestError("messages: at least one message is required", param="messages")
    for i, message in enumerate(request.messages):
        # Only an assistant message (with tool calls) may come without content, as at OpenAI.
        if message.content is None and message.role not in ("assistant", "function"):
            param = f"messages[{i}].content"
            raise InvalidRequestError(f"{param}: a {message.role} message needs content", param=param)
    if count > max_messages:
        raise PayloadTooLargeError(
            f"messages: {count} messages is more than this server accepts ({max_messages}).",
            param="messages",
            code="too_many_messages",
        )


class _JsonEndpoint(ApiEndpoint, Generic[T]):
    """A POST endpoint: raw body -> msgspec struct -> pipeline -> JSON (or SSE for chat streams)."""

    capability: Capability
    encode_chunk = staticmethod(_sse_chunk)
    render_error = staticmethod(render_openai_error)

    def __init__(self, kind: type[T]) -> None:
        self.decoder = msgspec.json.Decoder(kind)

    def prepare(self, request: T, services: Services) -> T:
        """Checks beyond types (message count); returns the request to run (may be a changed copy)."""
        return request

    def decode(self, services: Services, scope: Scope, body: bytes) -> Call:
        request: Any = self.decoder.decode(body)
        to_run: Any = self.prepare(request, services)
        return Call(
            self.capability,
            to_run.model,
            to_run,
            lambda result, ctx: self.render(result, request, ctx),
            user=getattr(request, "user", None),
            stream=bool(getattr(request, "stream", False)),
        )

    def render(self, result: Any, request: Any, ctx: Any) -> tuple[bytes, bytes]:
        """(body, content type) of a successful answer."""
        result.x_ai_workers = gateway_info(ctx)
        return encode_json(result), JSON_TYPE


class ChatCompletions(_JsonEndpoint[ChatRequest]):
    capability = Capability.CHAT
    route = "/v1/chat/completions"

    def __init__(self) -> None:
        super().__init__(ChatRequest)

    def prepare(self, request: ChatRequest, services: Services) -> ChatRequest:
        check_messages(request, services.gateway.config.current.server.max_messages)
        return request

    def render(self, result: Any, request: Any, ctx: Any) -> tuple[bytes, bytes]:
        if not isinstance(result, ChatResponse):
            raise TypeError(f"chat returned {type(result).__name__}")
        return super().render(result, request, ctx)


class Embeddings(_JsonEndpoint[EmbeddingRequest]):
    """The OpenAI SDK asks for ``encoding_format: base64`` by default; providers return floats and this
    layer packs them (little-endian float32, as OpenAI does), so every adapter need not."""

    capability = Capability.EMBEDDINGS
    route = "/v1/embeddings"

    def __init__(self) -> None:
        super().__init__(EmbeddingRequest)

    def prepare(self, request: EmbeddingRequest, services: Services) -> EmbeddingRequest:
        if not request.texts():
            raise InvalidRequestError("input: at least one text is required", param="input")
        if request.encoding_format is not None:
            return msgspec.structs.replace(request, encoding_format=None)
        return request

    def render(self, result: Any, request: Any, ctx: Any) -> tuple[bytes, bytes]:
        if not isinstance(result, EmbeddingResponse):
            raise TypeError(f"embeddings returned {type(result).__name__}")
        if request.encoding_format == "base64":
            for item in result.data:
                if not isinstance(item.embedding, str):
                    item.embedding = pack_base64(item.embedding)
        return super().render(result, request, ctx)


def pack_base64(vector: list[float]) -> str:
    """Little-endian float32, as OpenAI's base64 embeddings (``array``: numpy is not loaded for this)."""
    packed = array.array("f", vector)
    if sys.byteorder == "big":
        packed.byteswap()
    return base64.b64encode(packed.tobytes()).decode("ascii")


# -- rerank (Cohere / Jina shape) ----------------------------------------------------------------------


class _RerankDocument(msgspec.Struct):
    text: str


class _RerankBody(msgspec.Struct, kw_only=True):
    """Cohere and Jina send ``documents`` as strings or as ``{"text": ...}`` objects; both are accepted."""

    model: str
    query: str
    documents: list[str | _RerankDocument]
    top_n: int | None = None
    return_documents: bool | None = None
    user: str | None = None


class Rerank(_JsonEndpoint[_RerankBody]):
    capability = Capability.RERANK
    route = "/v1/rerank"

    def __init__(self) -> None:
        super().__init__(_RerankBody)

    def prepare(self, request: _RerankBody, services: Services) -> Any:
        if not request.documents:
            raise InvalidRequestError("documents: at least one document is required", param="documents")
        if request.top_n is not None and request.top_n < 1:
            raise InvalidRequestError("top_n: must be at least 1", param="top_n")
        return RerankRequest(
            model=request.model,
            query=request.query,
            documents=[d if isinstance(d, str) else d.text for d in request.documents],
            top_n=request.top_n,
            return_documents=request.return_documents,
            user=request.user,
        )

    def render(self, result: Any, request: Any, ctx: Any) -> tuple[bytes, bytes]:
        if not isinstance(result, RerankResponse):
            raise TypeError(f"rerank returned {type(result).__name__}")
        return super().render(result, request, ctx)


# -- moderations ---------------------------------------------------------------------------------------


class Moderations(_JsonEndpoint[ModerationRequest]):
    capability = Capability.MODERATION
    route = "/v1/moderations"

    def __init__(self) -> None:
        super().__init__(ModerationRequest)

    def prepare(self, request: ModerationRequest, services: Services) -> ModerationRequest:
        if not request.texts():
            raise InvalidRequestError("input: at least one text is required", param="input")
        if request.model:
            return request
        # OpenAI's default: the catalog's first moderation model.
        models = services.gateway.config.current.catalog.by_capability(Capability.MODERATION)
        if not models:
            raise UnsupportedCapabilityError("No moderation model is configured.", param="model")
        return msgspec.structs.replace(request, model=models[0].name)

    def render(self, result: Any, request: Any, ctx: Any) -> tuple[bytes, bytes]:
        if not isinstance(result, ModerationResponse):
            raise TypeError(f"moderation returned {type(result).__name__}")
        return super().render(result, request, ctx)


# -- audio ---------------------------------------------------------------------------------------------

SPEECH_TYPES = {
    "mp3": "audio/mpeg",
    "opus": "audio/opus",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}


class Speech(_JsonEndpoint[SpeechRequest]):
    """Text in, audio bytes out (``Content-Type`` from the provider's answer)."""

    capability = Capability.SPEECH
    route = "/v1/audio/speech"

    def __init__(self) -> None:
        super().__init__(SpeechRequest)

    def prepare(self, request: SpeechRequest, services: Services) -> SpeechRequest:
        if not request.input:
            raise InvalidRequestError("input: the text to speak is required", param="input")
        if request.response_format is not None and request.response_format not in SPEECH_TYPES:
            raise InvalidRequestError(
                f"response_format: must be one of {', '.join(SPEECH_TYPES)}", param="response_format"
            )
        return request

    def render(self, result: Any, request: Any, ctx: Any) -> tuple[bytes, bytes]:
        if not isinstance(result, SpeechResponse):
            raise TypeError(f"speech returned {type(result).__name__}")
        return result.audio, result.content_type.encode()


TRANSCRIPTION_FORMATS = ("json", "text", "verbose_json", "srt", "vtt")


async def transcriptions(request: Request) -> Response:
    """``multipart/form-data`` with ``file`` and ``model`` (OpenAI's shape). Not the hot path."""
    return await _speech_to_text(request, "transcribe")


async def translations(request: Request) -> Response:
    """Speech in any language to English text: OpenAI's shape, without ``language``."""
    return await _speech_to_text(request, "translate")


async def _speech_to_text(request: Request, task: Literal["transcribe", "translate"]) -> Response:
    services = Services.of(request.scope)
    started = request.scope.get("aiw.t0") or time.perf_counter()
    identity = require_app(request)
    max_bytes = services.max_body_bytes
    async with request.form(max_files=1, max_fields=20, max_part_size=max_bytes) as form:
        upload = form.get("file")
        model = form.get("model")
        if upload is None or isinstance(upload, str):
            raise InvalidRequestError(
                "file: an audio file is required (multipart field 'file')", param="file"
            )
        if not isinstance(model, str) or not model:
            raise InvalidRequestError("model: this field is required", param="model")
        audio = await upload.read()
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
    response_format = fields.get("response_format") or "json"
    if response_format not in TRANSCRIPTION_FORMATS:
        raise InvalidRequestError(
            f"response_format: must be one of {', '.join(TRANSCRIPTION_FORMATS)}", param="response_format"
        )
    try:
        temperature = float(fields["temperature"]) if fields.get("temperature") else None
    except ValueError:
        raise InvalidRequestError("temperature: expected a number", param="temperature") from None
    job = TranscriptionRequest(
        model=model,
        audio=audio,
        filename=upload.filename or "audio",
        language=fields.get("language") or None,
        prompt=fields.get("prompt") or None,
        response_format=response_format,
        temperature=temperature,
        user=fields.get("user") or None,
        task=task,
    )
    user = calling_user(request, job.user)
    ctx, result = await execute(
        services,
        request.scope,
        identity,
        Capability.TRANSCRIPTION,
        model,
        job,
        user=user,
        route="/v1/audio/translations" if task == "translate" else "/v1/audio/transcriptions",
    )
    if not isinstance(result, TranscriptionResponse):
        raise TypeError(f"transcription returned {type(result).__name__}")
    headers = {k.decode(): v.decode() for k, v in settle(services, ctx, started)}
    await charge_tokens(services, ctx)
    if response_format == "text":
        return PlainTextResponse(result.text, headers=headers)
    if response_format in ("srt", "vtt"):
        return PlainTextResponse(subtitles(result, response_format), headers=headers)
    if response_format == "verbose_json":
        body: dict[str, Any] = {
            "task": task,
            "language": result.language,
            "duration": result.duration,
            "text": result.text,
            "segments": result.segments or [],
        }
    else:
        body = {"text": result.text}
    if result.usage is not None:
        body["usage"] = msgspec.to_builtins(result.usage)
    body["x_ai_workers"] = gateway_info(ctx)
    return json_response(body, headers=headers)


def subtitles(result: TranscriptionResponse, fmt: str) -> str:
    """SRT or WebVTT from the provider's segments (one cue for the whole text if it gave none)."""
    segments = result.segments or [{"start": 0.0, "end": result.duration or 0.0, "text": result.text}]
    sep = "," if fmt == "srt" else "."
    lines: list[str] = [] if fmt == "srt" else ["WEBVTT", ""]
    for number, seg in enumerate(segments, 1):
        start = _timestamp(float(seg.get("start", 0.0)), sep)
        end = _timestamp(float(seg.get("end", 0.0)), sep)
        if fmt == "srt":
            lines.append(str(number))
        lines += [f"{start} --> {end}", str(seg.get("text", "")).strip(), ""]
    return "\n".join(lines)


def _timestamp(seconds: float, sep: str) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{millis:03d}"


# -- models --------------------------------------------------------------------------------------------


def model_card(spec: ModelSpec) -> dict[str, Any]:
    """OpenAI's model object plus what an app needs to choose: capability, context, features."""
    return {
        "id": spec.name,
        "object": "model",
        "created": 0,
        "owned_by": spec.deployments[0].provider if spec.deployments else "ai-workers",
        "capability": str(spec.capability),
        "context_length": spec.context_length,
        "features": spec.features,
        "providers": [{"provider": d.provider, "id": d.id} for d in spec.deployments],
    }


async def list_models(request: Request) -> Response:
    identity = require_app(request)
    settings = Services.of(request.scope).gateway.config.current
    data = [model_card(spec) for spec in settings.catalog.all() if model_allowed(settings, identity, spec)]
    return json_response({"object": "list", "data": data})


async def get_model(request: Request) -> Response:
    identity = require_app(request)
    settings = Services.of(request.scope).gateway.config.current
    name = request.path_params["model"]
    spec = settings.catalog.find(name)
    if spec is None or not model_allowed(settings, identity, spec):
        raise ModelNotFoundError(
            f"The model '{name}' does not exist or you do not have access to it.", param="model"
        )
    return json_response(model_card(spec))


def routes() -> list[BaseRoute]:
    return [
        Route("/v1/chat/completions", ChatCompletions(), methods=["POST"]),
        Route("/v1/embeddings", Embeddings(), methods=["POST"]),
        Route("/v1/rerank", Rerank(), methods=["POST"]),
        Route("/v1/moderations", Moderations(), methods=["POST"]),
        Route("/v1/audio/speech", Speech(), methods=["POST"]),
        Route("/v1/audio/transcriptions", transcriptions, methods=["POST"]),
        Route("/v1/audio/translations", translations, methods=["POST"]),
        Route("/v1/models", list_models, methods=["GET"]),
        Route("/v1/models/{model:path}", get_model, methods=["GET"]),
    ]
