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
import concurrent.futures.thread  # noqa: F401  (its exit hook must be registered before ours)
import logging
import os
import threading
import weakref
from collections.abc import AsyncIterator, Coroutine, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from ai_workers.core.config import Settings, load_settings
from ai_workers.core.context import AppIdentity, RequestContext, gateway_info
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
    GatewayInfo,
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
from ai_workers.db import fork_quiet
from ai_workers.gateway import Gateway as Engine
from ai_workers.rag.service import (
    ANSWER_MODES,
    RETRIEVAL_MODES,
    Progress,
    RagService,
    check_collection_name,
)
from ai_workers.rag.types import Answer, Collection, DocumentInfo, IngestReport

T = TypeVar("T")
log = logging.getLogger("ai_workers.client")

FORK_QUIET_S = 5.0  # the longest a fork waits for SQLite calls in flight (``db.fork_quiet``)

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
        self.info: GatewayInfo | None = None

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


UploadLike = str | Path | tuple[str, bytes]


def _read_upload(item: UploadLike) -> tuple[str, bytes]:
    if isinstance(item, tuple):
        name, data = item
        return str(name), bytes(data)
    path = Path(item)
    try:
        return path.name, path.read_bytes()
    except OSError as exc:
        raise InvalidRequestError(f"cannot read {path}: {exc.strerror or exc}", param="files") from exc


class AsyncRag:
    """``client.rag``: documents and questions over the app's RAG collections.

    Every model call (embeddings, rerank, chat) runs through the gateway pipeline as the client's app,
    so it is cached, costed and recorded (route ``rag``) like any other call.
    """

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def _service(self) -> RagService:
        await self._client._ensure_started()
        client = self._client
        return await client.gateway.rag.service(client.app, user=client.user)

    async def ingest(
        self,
        path: str | Path,
        *,
        collection: str,
        embedding_model: str | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Ingest one file or every supported file under a folder. Unchanged files are skipped, changed
        ones replace their chunks; a bad file is reported in the result, not raised.
        ``progress(item, done, total)`` is called after each file."""
        service = await self._service()
        return await service.ingest_path(
            self._client.app.name,
            check_collection_name(collection),
            path,
            embedding_model=embedding_model,
            progress=progress,
        )

    async def upload(
        self,
        files: Sequence[UploadLike],
        *,
        collection: str,
        embedding_model: str | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Ingest file contents: paths (read here) or ``(file name, bytes)`` pairs."""
        check_collection_name(collection)
        single_pair = isinstance(files, tuple) and len(files) == 2 and isinstance(files[1], bytes)
        if isinstance(files, str | Path) or single_pair:
            raise InvalidRequestError("files: expected a list of paths or (name, bytes) pairs", param="files")
        loaded = await asyncio.to_thread(lambda: [_read_upload(item) for item in files])
        if not loaded:
            raise InvalidRequestError("files: give at least one file", param="files")
        service = await self._service()
        return await service.ingest_bytes(
            self._client.app.name, collection, loaded, embedding_model=embedding_model, progress=progress
        )

    async def query(
        self,
        question: str,
        *,
        collection: str,
        document_ids: Sequence[str] | None = None,
        top_k: int | None = None,
        mode: str = "rerank",
        answer_mode: str = "auto",
        embedding_model: str | None = None,
    ) -> Answer:
        """Retrieve (``mode``: bm25, dense, hybrid or rerank) and answer with citations
        (``answer_mode``: auto, generative, extractive, or none for sources only)."""
        if mode not in RETRIEVAL_MODES:
            raise InvalidRequestError(f"mode: must be one of {', '.join(RETRIEVAL_MODES)}", param="mode")
        if answer_mode not in ANSWER_MODES:
            raise InvalidRequestError(
                f"answer_mode: must be one of {', '.join(ANSWER_MODES)}", param="answer_mode"
            )
        if top_k is not None and not 1 <= top_k <= 100:
            raise InvalidRequestError("top_k: must be between 1 and 100", param="top_k")
        service = await self._service()
        return await service.query(
            self._client.app.name,
            question,
            check_collection_name(collection),
            document_ids=list(document_ids) if document_ids is not None else None,
            top_k=top_k,
            mode=mode,
            answer_mode=answer_mode,
            embedding_model=embedding_model,
        )

    async def documents(self, collection: str) -> list[DocumentInfo]:
        service = await self._service()
        return await service.list_documents(self._client.app.name, check_collection_name(collection))

    async def delete_document(self, collection: str, document_id: str) -> bool:
        """True when the document existed and is gone; its chunks are no longer retrievable."""
        service = await self._service()
        return await service.delete_document(
            self._client.app.name, check_collection_name(collection), document_id
        )

    async def collections(self) -> list[Collection]:
        service = await self._service()
        return await service.list_collections(self._client.app.name)

    async def drop_collection(self, collection: str) -> None:
        service = await self._service()
        await service.drop_collection(self._client.app.name, check_collection_name(collection))


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
        self.rag = AsyncRag(self)

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
        translate: bool = False,
    ) -> TranscriptionResponse:
        """Speech to text from bytes or a file path; ``translate=True`` writes English whatever is spoken."""
        if isinstance(audio, str | Path):
            path = Path(audio)
            data = await asyncio.to_thread(path.read_bytes)
            filename = filename or path.name
        else:
            data = audio
        request = TranscriptionRequest(
            model=model,
            audio=data,
            filename=filename or "audio",
            language=language,
            prompt=prompt,
            task="translate" if translate else "transcribe",
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
        self._options = (config, app, user, gateway)
        self._start()
        self.rag = SyncRag(self)
        _OPEN_CLIENTS.add(self)

    def _start(self) -> None:
        config, app, user, gateway = self._options
        self._pid = os.getpid()
        self._fork_release: threading.Event | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="ai-workers-client", daemon=True)
        self._thread.start()
        self._aio = AsyncClient(config, app=app, user=user, gateway=gateway)
        # Scripts often never call close(): their usage records (cost, budget spend) sit in the batch
        # writer until a flush, and the loop thread is a daemon that dies silently at exit. A finalizer
        # runs the same shutdown when the client is collected or, at the latest, at interpreter exit
        # (from _close_open_clients, not atexit: by atexit time the thread pools it needs are gone).
        self._finalizer = weakref.finalize(self, _shut_down, self._loop, self._thread, self._aio)
        self._finalizer.atexit = False

    @property
    def aio(self) -> AsyncClient:
        """The async client the calls run on (this process's own, after a fork)."""
        self._in_this_process()
        return self._aio

    def _in_this_process(self) -> None:
        """A forked child (multiprocessing, a prefork worker, gunicorn --preload) inherits the client but
        not its loop thread: every call would wait forever. The child gets its own loop and gateway;
        the parent's are left to the parent (closing them here would flush its records twice)."""
        if self._pid == os.getpid():
            return
        self._finalizer.detach()
        if self._options[3] is not None:
            raise RuntimeError(
                "this Client was made in another process (before a fork) around a Gateway object, which "
                "cannot be rebuilt here; make the Client in each process"
            )
        self._start()

    def _park_for_fork(self) -> None:
        """Before ``os.fork``: wait until no SQLite call runs in this client's gateway, then hold its loop
        until the fork is done, so the child cannot inherit a SQLite mutex held for ever
        (``db.fork_quiet``). Bounded: after FORK_QUIET_S the fork goes ahead regardless."""
        if self._pid != os.getpid() or self._closed or threading.current_thread() is self._thread:
            return
        parked, release = threading.Event(), threading.Event()

        async def park() -> None:
            await fork_quiet.until_idle(FORK_QUIET_S)
            parked.set()
            # Blocks the loop thread on purpose: nothing may start a SQLite call until the fork is done.
            release.wait(FORK_QUIET_S)

        self._fork_release = release
        asyncio.run_coroutine_threadsafe(park(), self._loop)
        parked.wait(FORK_QUIET_S + 1.0)

    def _release_after_fork(self) -> None:
        release, self._fork_release = self._fork_release, None
        if release is not None:
            release.set()

    @property
    def _closed(self) -> bool:
        return not self._finalizer.alive

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
        """Flush usage records, close upstream connections and stop the loop thread (idempotent)."""
        if self._pid != os.getpid():
            self._finalizer.detach()  # the parent's loop and records: the parent closes them
            return
        self._finalizer()

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
        translate: bool = False,
    ) -> TranscriptionResponse:
        return self._wait(
            self.aio.transcribe(
                audio, model, language=language, prompt=prompt, filename=filename, translate=translate
            )
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


_OPEN_CLIENTS: weakref.WeakSet[Client] = weakref.WeakSet()


def _close_open_clients() -> None:
    for client in list(_OPEN_CLIENTS):
        try:
            client.close()
        except Exception:
            log.exception("closing an ai-workers Client at exit failed")


# Runs when the interpreter exits, before thread pools shut down (asyncio.to_thread, which the flush
# and the spool use, fails after that) and before non-daemon threads are joined. This is the hook
# concurrent.futures itself uses; later registrations run first, and that module is imported above.
threading._register_atexit(_close_open_clients)  # type: ignore[attr-defined]


def _park_clients_before_fork() -> None:
    for client in list(_OPEN_CLIENTS):
        client._park_for_fork()


def _release_clients_after_fork() -> None:
    for client in list(_OPEN_CLIENTS):
        client._release_after_fork()


# multiprocessing's fork start method, prefork servers and os.fork() run these; subprocess does not
# (it forks in C and execs at once).
os.register_at_fork(before=_park_clients_before_fork, after_in_parent=_release_clients_after_fork)


def _shut_down(loop: asyncio.AbstractEventLoop, thread: threading.Thread, aio: AsyncClient) -> None:
    """``Client``'s shutdown, kept off the instance so its finalizer does not keep the client alive."""
    if threading.current_thread() is thread:
        # Collected on its own loop thread, which cannot wait for itself: close, then stop, from there.
        async def close_then_stop() -> None:
            try:
                await aio.aclose()
            finally:
                loop.stop()

        loop.create_task(close_then_stop())
        return
    try:
        asyncio.run_coroutine_threadsafe(aio.aclose(), loop).result()
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        if not thread.is_alive():
            loop.close()


class SyncRag:
    """``Client.rag``: the same methods as ``AsyncClient.rag``, run on the client's event loop thread."""

    def __init__(self, client: Client) -> None:
        self._client = client

    @property
    def _aio(self) -> AsyncRag:
        return self._client.aio.rag

    def ingest(
        self,
        path: str | Path,
        *,
        collection: str,
        embedding_model: str | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        return self._client._wait(
            self._aio.ingest(path, collection=collection, embedding_model=embedding_model, progress=progress)
        )

    def upload(
        self,
        files: Sequence[UploadLike],
        *,
        collection: str,
        embedding_model: str | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        return self._client._wait(
            self._aio.upload(files, collection=collection, embedding_model=embedding_model, progress=progress)
        )

    def query(
        self,
        question: str,
        *,
        collection: str,
        document_ids: Sequence[str] | None = None,
        top_k: int | None = None,
        mode: str = "rerank",
        answer_mode: str = "auto",
        embedding_model: str | None = None,
    ) -> Answer:
        return self._client._wait(
            self._aio.query(
                question,
                collection=collection,
                document_ids=document_ids,
                top_k=top_k,
                mode=mode,
                answer_mode=answer_mode,
                embedding_model=embedding_model,
            )
        )

    def documents(self, collection: str) -> list[DocumentInfo]:
        return self._client._wait(self._aio.documents(collection))

    def delete_document(self, collection: str, document_id: str) -> bool:
        return self._client._wait(self._aio.delete_document(collection, document_id))

    def collections(self) -> list[Collection]:
        return self._client._wait(self._aio.collections())

    def drop_collection(self, collection: str) -> None:
        self._client._wait(self._aio.drop_collection(collection))


async def _next(stream: AsyncIterator[ChatChunk]) -> ChatChunk:
    return await stream.__anext__()
