"""OpenAI's REST API, and any server that speaks it by base URL (vLLM, Ollama, llama.cpp server).

The gateway's own types are OpenAI-shaped, so this adapter mostly forwards: it swaps in the provider's
model id, asks streams for a final usage chunk (``stream_options.include_usage``) so every stream can be
priced, and maps OpenAI's error JSON and ``Retry-After``/``retry-after-ms`` headers to ``ProviderError``.

Types: ``openai`` needs the key named by ``api_key_env``; ``openai-compatible`` sends it only if set
(local servers usually need none) and also offers ``/rerank`` (vLLM, Jina, TEI) and Llama Guard over chat.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx2
import msgspec

from ai_workers.core.config import ProviderConfig
from ai_workers.core.errors import ProviderError, UnsupportedCapabilityError
from ai_workers.core.replay import replay_chunks
from ai_workers.core.types import (
    ChatChunk,
    ChatRequest,
    ChatResponse,
    EmbeddingRequest,
    EmbeddingResponse,
    Message,
    ModerationRequest,
    ModerationResponse,
    RerankRequest,
    RerankResponse,
    SafetyRequest,
    SafetyVerdict,
    SpeechRequest,
    SpeechResponse,
    TranscriptionRequest,
    TranscriptionResponse,
    Usage,
)
from ai_workers.providers.base import CallOptions
from ai_workers.providers.http import HTTPProvider, Response, encode_json, kind_for_status, parse_retry_after
from ai_workers.providers.llama_guard import VerdictParseError, parse_verdict

DEFAULT_BASE_URL = "https://api.openai.com/v1"
MAX_EMBEDDING_INPUTS = 2048  # OpenAI's documented limit of inputs per embeddings request
_DROP_FIELDS = ("metadata",)  # gateway-side tags; OpenAI rejects metadata unless `store` is set


class _OpenAIErrorBody(msgspec.Struct):
    message: str = ""
    type: str | None = None
    code: str | int | None = None


class _OpenAIError(msgspec.Struct):
    error: _OpenAIErrorBody | str | None = None


class _Transcription(msgspec.Struct):
    text: str
    language: str | None = None
    duration: float | None = None
    segments: list[dict[str, Any]] | None = None
    usage: dict[str, Any] | None = None


_chat_decoder = msgspec.json.Decoder(ChatResponse)
_chunk_decoder = msgspec.json.Decoder(ChatChunk)
_embedding_decoder = msgspec.json.Decoder(EmbeddingResponse)


class OpenAIProvider(HTTPProvider):
    kind = "openai"

    def __init__(
        self, name: str, config: ProviderConfig, *, transport: httpx2.AsyncBaseTransport | None = None
    ):
        super().__init__(name, config, transport=transport)
        self.kind = config.type
        self.compatible = config.type != "openai"
        self.base_url = (config.base_url or DEFAULT_BASE_URL).rstrip("/")
        key_env = config.api_key_env
        self.required_env = (key_env,) if key_env and not self.compatible else ()

    # -- plumbing -----------------------------------------------------------------------------------

    def _headers(self, *, json: bool = True) -> dict[str, str]:
        headers = {"Content-Type": "application/json"} if json else {}
        key = self.env(self.config.api_key_env)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return headers

    def _raise_for_status(self, model: str, response: Response, body: bytes) -> None:
        if response.status_code < 400:
            return
        message = f"HTTP {response.status_code}"
        code: str | int | None = None
        try:
            parsed = msgspec.json.decode(body, type=_OpenAIError)
            if isinstance(parsed.error, _OpenAIErrorBody):
                message = f"HTTP {response.status_code}: {parsed.error.message}"
                code = parsed.error.code
            elif isinstance(parsed.error, str):
                message = f"HTTP {response.status_code}: {parsed.error}"
        except (msgspec.DecodeError, msgspec.ValidationError):
            pass
        retry_after = None
        if "retry-after-ms" in response.headers:
            ms = parse_retry_after(response.headers.get("retry-after-ms"))
            retry_after = ms / 1000.0 if ms is not None else None
        if retry_after is None:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
        raise self.error(
            model,
            kind_for_status(response.status_code),
            message,
            status=response.status_code,
            retry_after=retry_after,
            code=code,
        )

    async def _post_json(self, model: str, path: str, payload: dict[str, Any], options: CallOptions) -> bytes:
        response = await self.send(
            model,
            "POST",
            self.base_url + path,
            options,
            headers=self._headers(),
            content=encode_json(payload),
        )
        body = response.content
        self._raise_for_status(model, response, body)
        return body

    def _decode_typed(self, model: str, decoder: msgspec.json.Decoder[Any], body: bytes) -> Any:
        try:
            return decoder.decode(body)
        except msgspec.ValidationError as exc:
            raise self.error(model, "bad_response", f"unexpected response shape: {exc}") from exc
        except msgspec.DecodeError as exc:
            raise self.error(model, "bad_response", f"malformed JSON from upstream: {exc}") from exc

    def _chat_payload(self, model_id: str, request: ChatRequest, *, stream: bool) -> dict[str, Any]:
        payload: dict[str, Any] = msgspec.to_builtins(request)
        for field in _DROP_FIELDS:
            payload.pop(field, None)
        payload["model"] = model_id
        if stream:
            payload["stream"] = True
            payload["stream_options"] = {"include_usage": True}
        else:
            payload.pop("stream", None)
            payload.pop("stream_options", None)
        return payload

    # -- capabilities -------------------------------------------------------------------------------

    async def chat(self, model_id: str, request: ChatRequest, options: CallOptions) -> ChatResponse:
        body = await self._post_json(
            model_id, "/chat/completions", self._chat_payload(model_id, request, stream=False), options
        )
        response: ChatResponse = self._decode_typed(model_id, _chat_decoder, body)
        if not response.choices:
            raise self.error(model_id, "bad_response", "chat completion without choices")
        return response

    async def stream_chat(
        self, model_id: str, request: ChatRequest, options: CallOptions
    ) -> AsyncIterator[ChatChunk]:
        payload = self._chat_payload(model_id, request, stream=True)
        response = await self.open_stream(
            model_id,
            self.base_url + "/chat/completions",
            options,
            headers=self._headers(),
            content=encode_json(payload),
        )
        try:
            if response.status_code >= 400:
                body = await response.aread()
                self._raise_for_status(model_id, response, body)
            if response.headers.get("content-type", "").startswith("application/json"):
                # The server ignored ``stream: true`` and sent the whole completion (some llama.cpp and
                # Ollama builds do): stream that, instead of failing on a body with no SSE events.
                answer: ChatResponse = self._decode_typed(model_id, _chat_decoder, await response.aread())
                if not answer.choices:
                    raise self.error(model_id, "bad_response", "chat completion without choices")
                async for replayed in replay_chunks(answer, include_usage=answer.usage.total_tokens > 0):
                    yield replayed
                return
            async for data in self.sse_data(model_id, response):
                chunk: ChatChunk = self._decode_typed(model_id, _chunk_decoder, data)
                yield chunk
        finally:
            await response.aclose()

    async def embed(
        self, model_id: str, request: EmbeddingRequest, options: CallOptions
    ) -> EmbeddingResponse:
        texts = request.texts()
        merged: EmbeddingResponse | None = None
        for start in range(0, max(len(texts), 1), MAX_EMBEDDING_INPUTS):
            batch = texts[start : start + MAX_EMBEDDING_INPUTS]
            payload: dict[str, Any] = {"model": model_id, "input": batch}
            if request.dimensions is not None:
                payload["dimensions"] = request.dimensions
            if request.encoding_format is not None:
                payload["encoding_format"] = request.encoding_format
            body = await self._post_json(model_id, "/embeddings", payload, options)
            part: EmbeddingResponse = self._decode_typed(model_id, _embedding_decoder, body)
            if len(part.data) != len(batch):
                raise self.error(
                    model_id, "bad_response", f"{len(part.data)} embeddings for {len(batch)} inputs"
                )
            if merged is None:
                merged = part
                continue
            for item in part.data:
                item.index += start
            merged.data.extend(part.data)
            merged.usage.prompt_tokens += part.usage.prompt_tokens
            merged.usage.total_tokens += part.usage.total_tokens
        assert merged is not None
        return merged

    async def rerank(self, model_id: str, request: RerankRequest, options: CallOptions) -> RerankResponse:
        if not self.compatible:
            raise self._unsupported("rerank (OpenAI has no rerank API)")
        payload: dict[str, Any] = {"model": model_id, "query": request.query, "documents": request.documents}
        if request.top_n is not None:
            payload["top_n"] = request.top_n
        if request.return_documents is not None:
            payload["return_documents"] = request.return_documents
        body = await self._post_json(model_id, "/rerank", payload, options)
        response: RerankResponse = self.convert(model_id, self.decode(model_id, body), RerankResponse)
        return response

    async def transcribe(
        self, model_id: str, request: TranscriptionRequest, options: CallOptions
    ) -> TranscriptionResponse:
        # whisper-1 gives duration and segments only in verbose_json; gpt-4o-*-transcribe only do json.
        fmt = "verbose_json" if "whisper" in model_id else "json"
        data: dict[str, Any] = {"model": model_id, "response_format": fmt}
        path = "/audio/transcriptions"
        if request.task == "translate":
            if "whisper" not in model_id:  # OpenAI translates with whisper-1 only
                raise UnsupportedCapabilityError(
                    f"model: '{model_id}' does not translate; whisper models do", param="model"
                )
            path = "/audio/translations"  # which takes no language: it always writes English
        elif request.language:
            data["language"] = request.language
        if request.prompt:
            data["prompt"] = request.prompt
        if request.temperature is not None:
            data["temperature"] = str(request.temperature)
        files = {"file": (request.filename or "audio", request.audio, "application/octet-stream")}
        response = await self.send(
            model_id,
            "POST",
            self.base_url + path,
            options,
            headers=self._headers(json=False),
            files=files,
            data=data,
        )
        body = response.content
        self._raise_for_status(model_id, response, body)
        parsed: _Transcription = self.convert(model_id, self.decode(model_id, body), _Transcription)
        usage = None
        if parsed.usage and parsed.usage.get("type") == "tokens":
            usage = Usage(
                prompt_tokens=int(parsed.usage.get("input_tokens", 0)),
                completion_tokens=int(parsed.usage.get("output_tokens", 0)),
                total_tokens=int(parsed.usage.get("total_tokens", 0)),
            )
        return TranscriptionResponse(
            text=parsed.text,
            language=parsed.language,
            duration=parsed.duration,
            segments=parsed.segments,
            usage=usage,
        )

    async def speak(self, model_id: str, request: SpeechRequest, options: CallOptions) -> SpeechResponse:
        fmt = request.response_format or "mp3"
        payload: dict[str, Any] = {
            "model": model_id,
            "input": request.input,
            "voice": request.voice or "alloy",
            "response_format": fmt,
        }
        if request.speed is not None:
            payload["speed"] = request.speed
        body = await self._post_json(model_id, "/audio/speech", payload, options)
        if not body:
            raise self.error(model_id, "bad_response", "empty audio")
        return SpeechResponse(
            audio=body,
            content_type=_AUDIO_TYPES.get(fmt, "application/octet-stream"),
            characters=len(request.input),
        )

    async def moderate(
        self, model_id: str, request: ModerationRequest, options: CallOptions
    ) -> ModerationResponse:
        body = await self._post_json(
            model_id, "/moderations", {"model": model_id, "input": request.input}, options
        )
        response: ModerationResponse = self.convert(model_id, self.decode(model_id, body), ModerationResponse)
        return response

    async def classify_safety(
        self, model_id: str, request: SafetyRequest, options: CallOptions
    ) -> SafetyVerdict:
        """Llama Guard served as a chat model (vLLM, Ollama ``llama-guard3``): parse its text verdict."""
        if not self.compatible:
            raise self._unsupported("Llama Guard safety classification (use moderation instead)")
        chat = ChatRequest(
            model=model_id,
            messages=[Message(role=m.role, content=m.text()) for m in request.messages],
            max_tokens=32,
            temperature=0.0,
        )
        response = await self.chat(model_id, chat, options)
        try:
            return parse_verdict(response.text, model=model_id, usage=response.usage)
        except VerdictParseError as exc:
            raise self.error(model_id, "bad_response", f"unreadable Llama Guard verdict: {exc}") from exc


_AUDIO_TYPES = {
    "mp3": "audio/mpeg",
    "opus": "audio/ogg",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}

__all__ = ["OpenAIProvider", "ProviderError"]
