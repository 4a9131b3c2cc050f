"""The Python library: ``AsyncClient`` and a thin synchronous ``Client`` over the in-process Gateway.

Every call goes through the same pipeline as the HTTP server (usage records, budgets, PHI safety, cache,
routing, retries and fallback), as the app named by ``app=``. Results are the OpenAI-shaped structs of
``ai_workers.core.types``; each carries ``x_ai_workers`` (provider, provider model, latency, cost,
neurons, attempts) so callers never dig into logs to learn where a request went.

The sync ``Client`` runs one private event loop in a background thread and submits every call to it,
so connection pools and background writers live as long as the client, unlike ``asyncio.run`` per call.
"""

from __future__ import annotations

import asyncio
import base64
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from ai_workers.core.config import Settings, load_settings
from ai_workers.core.context import AppIdentity, RequestContext
from ai_workers.core.errors import InvalidRequestError
from ai_workers.core.pipeline import ChunkStream
from ai_workers.core.types import (
    AnyRequest,
    Capability,
    ChatChunk,
    ChatRequest,
    ChatResponse,
    ContentPart,
    EmbeddingRequest,
    EmbeddingResponse,
    Gateway,
    ImageURL,
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
from ai_workers.gateway import Gateway as Engine

T = TypeVar("T")

DEFAULT_CHAT_MODEL = "llama-3.3-70b-instruct-fp8-fast"
DEFAULT_EMBEDDING_MODEL = "bge-m3"
DEFAULT_RERANK_MODEL = "bge-reranker-base"
DEFAULT_TRANSCRIPTION_MODEL = "whisper-large-v3-turbo"
DEFAULT_SPEECH_MODEL = "melotts"
DEFAULT_SAFETY_MODEL = "llama-guard-3-8b"
DEFAULT_MODERATION_MODEL = "omni-moderation-latest"

MessagesLike = str | Sequence[Message | dict[str, Any]]
_CHAT_FIELDS = frozenset(ChatRequest.__struct_fields__) - {"model", "messages", "stream"}


def image_part(data: bytes, mime_type: str = "image/png") -> ContentPart:
    """An image content part (a base64 data: URL) for vision models, next to a text part."""
    url = f"data:{mime_type};base64,{base64.b64encode(data).decode('ascii')}"
    return ContentPart(type="image_url", image_url=ImageURL(url=url))


def _messages(messages: MessagesLike) -> list[Message]:
    if isinstance(messages, str):
        return [Message(role="user", content=messages)]
    out: list[Message] = []
    for item in messages:
        if isinstance(item, Message):
            out.append(item)
            continue
        try:
            out.append(msgspec.convert(item, Message, from_attributes=True))
        except msgspec.ValidationError as exc:
            raise InvalidRequestError(f"invalid message: {exc}", param="messages") from exc
    if not out:
        raise InvalidRequestError("messages must not be empty", param="messages")
    return out


def _chat_request(model: str, messages: MessagesLike, params: dict[str, Any], *, stream: bool) -> ChatRequest:
    unknown = set(params) - _CHAT_FIELDS
    if unknown:
        raise InvalidRequestError(
            f"unknown chat parameter(s): {', '.join(sorted(unknown))}", param=sorted(unknown)[0]
        )
    data: dict[str, Any] = {k: v for k, v in params.items() if v is not None}
    data["model"] = model
    data["messages"] = msgspec.to_builtins(_messages(messages))
    if stream:
        data["stream"] = True
    try:
        return msgspec.convert(data, ChatRequest)
    except msgspec.ValidationError as exc:
        raise InvalidRequestError(f"invalid chat parameters: {exc}") from exc


def gateway_info(ctx: RequestContext) -> Gateway:
    """The ``x_ai_workers`` block for a finished request."""
    return Gateway(
        provider=ctx.provider,
        provider_model=ctx.provider_model,
        latency_ms=round(ctx.elapsed_ms(), 3),
        cost_usd=ctx.cost_usd,
        neurons=ctx.neurons if ctx.neurons is not None else ctx.usage.neurons,
        tier=ctx.tier,
        route_reason=ctx.route_reason,
        arm=ctx.arm,
        cache=ctx.cache,
        cache_similarity=ctx.cache_similarity,
        phi_redactions=ctx.phi_redactions or None,
        phi_types=ctx.phi_types or None,
        safety=ctx.safety,
        safety_categories=ctx.safety_categories or None,
        attempts=len(ctx.attempts) or None,
        request_id=ctx.request_id,
    )


class ChatStream:
    """An async iterator of ``ChatChunk``s; ``usage`` and ``info`` are filled in when it ends.

    Nothing is sent until the first ``__anext__``, so ``async for chunk in client.stream(...)`` needs
    no ``await``; configuration and upstream errors surface from the loop.
    """

    def __init__(self, client: AsyncClient, model: str, request: ChatRequest) -> None:
        self._client = client
        self._model = model
        self._request = request
        self._stream: ChunkStream | None = None
        self.context: RequestContext | None = None
        self.info: Gateway | None = None

    def __aiter__(self) -> ChatStream:
        return self

    async def __anext__(self) -> ChatChunk:
        if self._stream is None:
            self.context = self._client._context(Capability.CHAT, self._model, stream=True)
            result = await self._client._run(self.context, self._request)
            if not isinstance(result, ChunkStream):
                raise TypeError("the pipeline returned a complete response for a stream request")
            self._stream = result
        try:
            return await self._stream.__anext__()
        except StopAsyncIteration:
            self._finish()
            raise
        except BaseException:
            self._finish()
            raise

    def _finish(self) -> None:
        if self.context is not None and self.info is None:
            self.info = gateway_info(self.context)

    @property
    def usage(self) -> Usage | None:
        return self.context.usage if self.context is not None else None

    async def aclose(self) -> None:
        if self._stream is not None:
            await self._stream.aclose()
        self._finish()


class AsyncClient:
    """The async library client. Use ``async with AsyncClient(...) as client:`` or call ``aclose()``.

    ``config``: a ``Settings`` object, a path to a YAML config, or None (``AI_WORKERS_CONFIG`` or the
    built-in defaults). ``app`` is the app every call is recorded and budgeted as.
    """

    def __init__(
        self,
        config: Settings | str | Path | None = None,
        *,
        app: str = "default",
        user: str | None = None,
        gateway: Engine | None = None,
    ) -> None:
        if gateway is None:
            if isinstance(config, Settings):
                gateway = Engine(config)
            else:
                gateway = Engine(load_settings(config), config_path=config)
        self.gateway = gateway
        self.app = AppIdentity(name=app)
        self.user = user
        self._started = False
        self._start_lock: asyncio.Lock | None = None

    async def __aenter__(self) -> AsyncClient:
        await self._ensure_started()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _ensure_started(self) -> None:
        if self._started:
            return
        if self._start_lock is None:
            self._start_lock = asyncio.Lock()
        async with self._start_lock:
            if not self._started:
                await self.gateway.start()
                self._started = True

    async def aclose(self) -> None:
        """Flush usage records and close upstream connections."""
        await self.gateway.aclose()
        self._started = False

    def _context(self, capability: Capability, model: str, *, stream: bool = False) -> RequestContext:
        return self.gateway.context(
            self.app, capability, model, user=self.user, stream=stream, route="library"
        )

    async def _run(self, ctx: RequestContext, request: AnyRequest) -> Any:
        await self._ensure_started()
        return await self.gateway.run(ctx, request)

    async def _call(self, capability: Capability, model: str, request: AnyRequest, kind: type[T]) -> T:
        ctx = self._context(capability, model)
        result = await self._run(ctx, request)
        if not isinstance(result, kind):
            raise TypeError(f"expected {kind.__name__}, the pipeline returned {type(result).__name__}")
        if getattr(result, "x_ai_workers", None) is None:
            result.x_ai_workers = gateway_info(ctx)  # type: ignore[attr-defined]
        return result

    # -- capabilities -------------------------------------------------------------------------------

    async def chat(
        self, messages: MessagesLike, model: str = DEFAULT_CHAT_MODEL, **params: Any
    ) -> ChatResponse:
        """A chat completion. ``params`` are OpenAI's (max_tokens, temperature, tools, response_format...).

        Vision: put ``image_part(png_bytes)`` next to a text part in a user message's content list.
        """
        request = _chat_request(model, messages, params, stream=False)
        return await self._call(Capability.CHAT, model, request, ChatResponse)

    def stream(self, messages: MessagesLike, model: str = DEFAULT_CHAT_MODEL, **params: Any) -> ChatStream:
        """Stream a chat completion: ``async for chunk in client.stream(...): print(chunk.text)``."""
        return ChatStream(self, model, _chat_request(model, messages, params, stream=True))

    async def embed(
        self,
        texts: str | Sequence[str],
        model: str = DEFAULT_EMBEDDING_MODEL,
        *,
        dimensions: int | None = None,
    ) -> EmbeddingResponse:
        """Embeddings for one text or many; adapters split big inputs into provider-sized batches."""
        items = texts if isinstance(texts, str) else list(texts)
        request = EmbeddingRequest(model=model, input=items, dimensions=dimensions)
        return await self._call(Capability.EMBEDDINGS, model, request, EmbeddingResponse)

    async def rerank(
        self,
        query: str,
        documents: Sequence[str],
        model: str = DEFAULT_RERANK_MODEL,
        *,
        top_n: int | None = None,
        return_documents: bool | None = None,
    ) -> RerankResponse:
        request = RerankRequest(
            model=model,
            query=query,
            documents=list(documents),
            top_n=top_n,
            return_documents=return_documents,
        )
        return await self._call(Capability.RERANK, model, request, RerankResponse)

    async def transcribe(
        self,
        audio: bytes | str | Path,
        model: str = DEFAULT_TRANSCRIPTION_MODEL,
        *,
        language: str | None = None,
        prompt: str | None = None,
        filename: str | None = None,
    ) -> TranscriptionResponse:
        """Speech to text from bytes or a file path."""
        if isinstance(audio, str | Path):
            path = Path(audio)
            data = await asyncio.to_thread(path.read_bytes)
            filename = filename or path.name
        else:
            data = audio
        request = TranscriptionRequest(
            model=model, audio=data, filename=filename or "audio", language=language, prompt=prompt
        )
        return await self._call(Capability.TRANSCRIPTION, model, request, TranscriptionResponse)

    async def speak(
        self,
        text: str,
        model: str = DEFAULT_SPEECH_MODEL,
        *,
        voice: str | None = None,
        language: str | None = None,
        response_format: str | None = None,
        speed: float | None = None,
    ) -> SpeechResponse:
        """Text to speech; ``SpeechResponse.audio`` holds the encoded audio (MP3 by default)."""
        request = SpeechRequest(
            model=model,
            input=text,
            voice=voice,
            language=language,
            response_format=response_format,
            speed=speed,
        )
        return await self._call(Capability.SPEECH, model, request, SpeechResponse)

    async def classify_safety(
        self, messages: MessagesLike, model: str = DEFAULT_SAFETY_MODEL
    ) -> SafetyVerdict:
        """Llama Guard verdict for the conversation's last message: safe, category codes and names."""
        request = SafetyRequest(model=model, messages=_messages(messages))
        return await self._call(Capability.SAFETY, model, request, SafetyVerdict)

    async def moderate(
        self, input: str | Sequence[str], model: str = DEFAULT_MODERATION_MODEL
    ) -> ModerationResponse:
        request = ModerationRequest(input=input if isinstance(input, str) else list(input), model=model)
        return await self._call(Capability.MODERATION, model, request, ModerationResponse)


class Client:
    """The synchronous client: the same methods as ``AsyncClient``, run on a private event loop thread."""

    def __init__(
        self,
        config: Settings | str | Path | None = None,
        *,
        app: str = "default",
        user: str | None = None,
        gateway: Engine | None = None,
    ) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="ai-workers-client", daemon=True)
        self._thread.start()
        self._closed = False
        self.aio = AsyncClient(config, app=app, user=user, gateway=gateway)

    @property
    def gateway(self) -> Engine:
        return self.aio.gateway

    def _wait(self, coro: Coroutine[Any, Any, T]) -> T:
        if self._closed:
            coro.close()
            raise RuntimeError("the client is closed")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._closed:
            return
        try:
            self._wait(self.aio.aclose())
        finally:
            self._closed = True
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop.close()

    def chat(self, messages: MessagesLike, model: str = DEFAULT_CHAT_MODEL, **params: Any) -> ChatResponse:
        return self._wait(self.aio.chat(messages, model, **params))

    def stream(
        self, messages: MessagesLike, model: str = DEFAULT_CHAT_MODEL, **params: Any
    ) -> Iterator[ChatChunk]:
        stream = self.aio.stream(messages, model, **params)
        return self._iterate(stream)

    def _iterate(self, stream: ChatStream) -> Iterator[ChatChunk]:
        try:
            while True:
                try:
                    yield self._wait(_next(stream))
                except StopAsyncIteration:
                    return
        finally:
            if not self._closed:
                self._wait(stream.aclose())

    def embed(
        self,
        texts: str | Sequence[str],
        model: str = DEFAULT_EMBEDDING_MODEL,
        *,
        dimensions: int | None = None,
    ) -> EmbeddingResponse:
        return self._wait(self.aio.embed(texts, model, dimensions=dimensions))

    def rerank(
        self,
        query: str,
        documents: Sequence[str],
        model: str = DEFAULT_RERANK_MODEL,
        *,
        top_n: int | None = None,
        return_documents: bool | None = None,
    ) -> RerankResponse:
        return self._wait(
            self.aio.rerank(query, documents, model, top_n=top_n, return_documents=return_documents)
        )

    def transcribe(
        self,
        audio: bytes | str | Path,
        model: str = DEFAULT_TRANSCRIPTION_MODEL,
        *,
        language: str | None = None,
        prompt: str | None = None,
        filename: str | None = None,
    ) -> TranscriptionResponse:
        return self._wait(
            self.aio.transcribe(audio, model, language=language, prompt=prompt, filename=filename)
        )

    def speak(
        self,
        text: str,
        model: str = DEFAULT_SPEECH_MODEL,
        *,
        voice: str | None = None,
        language: str | None = None,
        response_format: str | None = None,
        speed: float | None = None,
    ) -> SpeechResponse:
        return self._wait(
            self.aio.speak(
                text, model, voice=voice, language=language, response_format=response_format, speed=speed
            )
        )

    def classify_safety(self, messages: MessagesLike, model: str = DEFAULT_SAFETY_MODEL) -> SafetyVerdict:
        return self._wait(self.aio.classify_safety(messages, model))

    def moderate(
        self, input: str | Sequence[str], model: str = DEFAULT_MODERATION_MODEL
    ) -> ModerationResponse:
        return self._wait(self.aio.moderate(input, model))


async def _next(stream: AsyncIterator[ChatChunk]) -> ChatChunk:
    return await stream.__anext__()
