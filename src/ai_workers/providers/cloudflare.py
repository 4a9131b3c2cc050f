"""Cloudflare Workers AI over its REST API: ``POST {base}/accounts/{account_id}/ai/run/{model}``.

Every answer comes in Cloudflare's envelope ``{"result": ..., "success": true, "errors": [], "messages":
[]}``; failures as ``{"success": false, "errors": [{"code": N, "message": ...}]}``. Codes 3036 (daily free
allocation used up) and 3040 (out of capacity) are rate limits whatever the HTTP status, so the executor
waits or falls back instead of failing the request.

Each model family has its own input schema, translated here from the gateway's OpenAI-shaped requests:
chat ``messages`` (``max_tokens`` always sent: older models default to 256 and cut answers short),
streaming SSE ``data: {"response": "..."}`` lines ending in ``data: [DONE]``, vision (Llama 3.2 Vision
takes the image as an array of bytes; newer models take OpenAI image parts), embeddings ``{"text": [...]}``,
rerank ``{"query", "contexts"}``, Whisper ``{"audio": base64}``, MeloTTS ``{"prompt", "lang"}`` and Llama
Guard ``messages`` whose verdict is parsed into S1-S14 categories. ``/ai/run`` has no ``stop`` (the
gateway cuts the text itself, see providers.stop) and gives one choice (``n`` > 1 moves on to the next
target, or is a 400 naming ``n``).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx2
import msgspec

from ai_workers.core.config import ProviderConfig
from ai_workers.core.errors import InvalidRequestError, UnsupportedCapabilityError
from ai_workers.core.types import (
    AssistantMessage,
    ChatChoice,
    ChatChunk,
    ChatRequest,
    ChatResponse,
    ChunkChoice,
    Delta,
    Embedding,
    EmbeddingRequest,
    EmbeddingResponse,
    FunctionCall,
    Message,
    RerankDocument,
    RerankRequest,
    RerankResponse,
    RerankResult,
    SafetyRequest,
    SafetyVerdict,
    SpeechRequest,
    SpeechResponse,
    ToolCall,
    TranscriptionRequest,
    TranscriptionResponse,
    Usage,
    new_id,
)
from ai_workers.providers.audio import mp3_duration_seconds
from ai_workers.providers.base import CallOptions
from ai_workers.providers.http import (
    HTTPProvider,
    Response,
    encode_json,
    estimate_tokens,
    kind_for_status,
    parse_retry_after,
)
from ai_workers.providers.llama_guard import VerdictParseError, parse_verdict
from ai_workers.providers.queued import (
    QueueableRequest,
    QueueableResponse,
    QueuedItem,
    QueuedPoll,
    RunSynchronously,
    queued_call,
)
from ai_workers.providers.stop import cut_response, cut_stream, stop_strings

DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4"
DEFAULT_MAX_TOKENS = 1024
MAX_EMBEDDING_TEXTS = 100  # Workers AI text-embedding models take at most 100 texts per request

# Error codes that are not the caller's fault (https://developers.cloudflare.com/workers-ai/platform/errors/).
RATE_LIMIT_CODES = frozenset({3036, 3040})  # daily free allocation used up; out of capacity
TIMEOUT_CODES = frozenset({3007, 3008})  # request timeout, aborted (both HTTP 408)
LICENSE_CODE = 5016  # the model needs a one-time "agree" prompt from the account owner

# Models whose image input is the ``image`` field as bytes (an integer array) rather than message parts.
IMAGE_BYTES_MODELS = frozenset(
    {
        "@cf/meta/llama-3.2-11b-vision-instruct",
        "@cf/llava-hf/llava-1.5-7b-hf",
        "@cf/unum/uform-gen2-qwen-500m",
    }
)
# Models whose structured output is ``guided_json`` (a JSON schema) instead of ``response_format``.
GUIDED_JSON_MODELS = frozenset({"@cf/qwen/qwq-32b"})
# Older Whisper models take the audio as an integer array; whisper-large-v3-turbo takes base64.
AUDIO_BYTES_MODELS = frozenset({"@cf/openai/whisper", "@cf/openai/whisper-tiny-en"})

_CHAT_PARAMS = (
    "temperature",
    "top_p",
    "seed",
    "presence_penalty",
    "frequency_penalty",
    "response_format",
    "tools",
)


class _Error(msgspec.Struct):
    code: int | str | None = None
    message: str = ""


class _Envelope(msgspec.Struct):
    result: Any = None
    success: bool | None = None
    errors: list[_Error] = msgspec.field(default_factory=list)


class _ChatResult(msgspec.Struct):
    response: Any = None
    tool_calls: list[dict[str, Any]] | None = None
    usage: Usage | None = None
    choices: list[dict[str, Any]] | None = None


class _StreamEvent(msgspec.Struct):
    response: str | None = None
    tool_calls: list[dict[str, Any]] | None = None
    usage: Usage | None = None
    choices: list[dict[str, Any]] | None = None


class _EmbeddingResult(msgspec.Struct):
    data: list[list[float]]
    shape: list[int] | None = None
    usage: Usage | None = None


class _QueuedResponse(msgspec.Struct):
    id: int | None = None
    result: Any = None
    success: bool | None = None
    external_reference: str | int | None = None
    errors: list[_Error] = msgspec.field(default_factory=list)


class _RerankItem(msgspec.Struct):
    id: int
    score: float


class _RerankResult(msgspec.Struct):
    response: list[_RerankItem]
    usage: Usage | None = None


class _TranscriptionInfo(msgspec.Struct):
    language: str | None = None
    duration: float | None = None


class _Word(msgspec.Struct):
    word: str | None = None
    start: float | None = None
    end: float | None = None


class _WhisperResult(msgspec.Struct):
    text: str
    word_count: int | None = None
    segments: list[dict[str, Any]] | None = None
    transcription_info: _TranscriptionInfo | None = None
    vtt: str | None = None
    words: list[_Word] | None = None  # the older @cf/openai/whisper: no transcription_info

    def duration(self) -> float | None:
        """Seconds of audio: reported by whisper-large-v3-turbo; for the older model (priced per audio
        minute too) the end of the last word, a lower bound, rather than no duration (and no cost)."""
        if self.transcription_info is not None and self.transcription_info.duration is not None:
            return self.transcription_info.duration
        ends = [w.end for w in self.words or () if w.end is not None]
        return max(ends) if ends else None


class _TTSResult(msgspec.Struct):
    audio: str


class _GuardResult(msgspec.Struct):
    response: Any = None
    usage: Usage | None = None


_envelope_decoder = msgspec.json.Decoder(_Envelope)
_event_decoder = msgspec.json.Decoder(_StreamEvent)


class CloudflareProvider(HTTPProvider):
    kind = "cloudflare"

    def __init__(
        self, name: str, config: ProviderConfig, *, transport: httpx2.AsyncBaseTransport | None = None
    ):
        super().__init__(name, config, transport=transport)
        self.base_url = (config.base_url or DEFAULT_BASE_URL).rstrip("/")
        self.required_env = tuple(v for v in (config.api_token_env, config.account_id_env) if v)
        self.default_max_tokens = int(config.options.get("default_max_tokens", DEFAULT_MAX_TOKENS))
        self.image_bytes_models = IMAGE_BYTES_MODELS | set(config.options.get("image_bytes_models", ()))

    # -- plumbing -----------------------------------------------------------------------------------

    def _url(self, model_id: str) -> str:
        return f"{self.base_url}/accounts/{self.env(self.config.account_id_env)}/ai/run/{model_id}"

    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.env(self.config.api_token_env)}",
            "Content-Type": "application/json",
        }

    def _raise_error(self, model: str, status: int, body: bytes, headers: Mapping[str, str]) -> None:
        errors: list[_Error] = []
        with contextlib.suppress(msgspec.DecodeError, msgspec.ValidationError):
            errors = _envelope_decoder.decode(body).errors
        code = errors[0].code if errors else None
        try:
            numeric = int(code) if code is not None else None
        except ValueError:
            numeric = None
        if numeric in RATE_LIMIT_CODES:
            kind = "rate_limit"
        elif numeric in TIMEOUT_CODES:
            kind = "timeout"
        elif status >= 400:
            kind = kind_for_status(status)
        else:
            kind = "bad_response"  # HTTP 200 with success: false
        message = "; ".join(f"{e.code}: {e.message}" for e in errors) or f"HTTP {status}"
        if numeric == LICENSE_CODE:
            message += " (the account owner must first send the prompt 'agree' to this model)"
        raise self.error(
            model,
            kind,
            message,
            status=status,
            retry_after=parse_retry_after(headers.get("retry-after")),
            code=code,
        )

    async def _post(self, model_id: str, payload: dict[str, Any], options: CallOptions) -> Response:
        response = await self.send(
            model_id,
            "POST",
            self._url(model_id),
            options,
            headers=self._headers(),
            content=encode_json(payload),
        )
        if response.status_code >= 400:
            self._raise_error(model_id, response.status_code, response.content, response.headers)
        return response

    async def _run(
        self, model_id: str, payload: dict[str, Any], options: CallOptions, kind: type[Any]
    ) -> Any:
        """POST to the model, unwrap the envelope and validate ``result`` against ``kind``."""
        return self._result(model_id, await self._post(model_id, payload, options), kind)

    def _result(self, model_id: str, response: Response, kind: type[Any]) -> Any:
        body = response.content
        try:
            envelope = _envelope_decoder.decode(body)
        except msgspec.DecodeError as exc:
            raise self.error(
                model_id, "bad_response", f"malformed JSON: {exc}", status=response.status_code
            ) from exc
        except msgspec.ValidationError as exc:
            raise self.error(model_id, "bad_response", f"not a Workers AI envelope: {exc}") from exc
        if envelope.success is False or envelope.result is None:
            self._raise_error(model_id, response.status_code, body, response.headers)
        return self.convert(model_id, envelope.result, kind)

    # -- chat ---------------------------------------------------------------------------------------

    def _chat_payload(self, model_id: str, request: ChatRequest, *, stream: bool) -> dict[str, Any]:
        if request.n is not None and request.n > 1:
            # One answer per call; the executor moves on to a target that can give n (e.g. OpenAI).
            raise UnsupportedCapabilityError(
                f"n: Workers AI returns one choice per request; '{model_id}' cannot give n={request.n}",
                param="n",
            )
        for field in ("logprobs", "top_logprobs", "logit_bias"):
            if getattr(request, field):
                # Workers AI has neither; an answer without them would look like a model that gave none.
                raise UnsupportedCapabilityError(
                    f"{field}: Workers AI does not return token log probabilities or take logit_bias "
                    f"('{model_id}')",
                    param=field,
                )
        image: dict[str, Any] = {}
        payload: dict[str, Any] = {"messages": self._messages(model_id, request.messages, image), **image}
        payload["max_tokens"] = request.output_limit() or self.default_max_tokens
        for field in _CHAT_PARAMS:
            value = getattr(request, field)
            if value is not None:
                payload[field] = value
        if model_id in GUIDED_JSON_MODELS and "response_format" in payload:
            payload["guided_json"] = _guided_json(payload.pop("response_format"))
        if stream:
            payload["stream"] = True
        return payload

    def _messages(
        self, model_id: str, messages: list[Message], extra: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Messages in Workers AI's form; for byte-image models the image moves to ``extra['image']``."""
        out: list[dict[str, Any]] = []
        bytes_image = model_id in self.image_bytes_models
        for message in messages:
            item: dict[str, Any] = msgspec.to_builtins(message)
            if item["role"] == "developer":
                item["role"] = "system"
            if isinstance(message.content, list):
                if bytes_image or not message.has_image():
                    item["content"] = message.text()
                for part in message.content:
                    if part.type == "image_url" and part.image_url is not None:
                        # Workers AI takes images inline only ("HTTP URL will not be accepted").
                        image = _data_url_bytes(part.image_url.url)
                        if bytes_image:
                            extra["image"] = list(image)
            out.append(item)
        return out

    def _chat_response(self, model_id: str, result: _ChatResult, request: ChatRequest) -> ChatResponse:
        if result.choices is not None:  # newer models answer in OpenAI's chat.completion shape
            converted: ChatResponse = self.convert(
                model_id,
                {"model": model_id, "choices": result.choices, "usage": result.usage or Usage()},
                ChatResponse,
            )
            return converted
        content = result.response
        if content is not None and not isinstance(content, str):
            content = msgspec.json.encode(content).decode()  # JSON mode: Workers AI returns the object
        tool_calls = _tool_calls(result.tool_calls)
        usage = result.usage or _estimated_usage(request, content or "")
        limit = request.output_limit() or self.default_max_tokens
        finish = "tool_calls" if tool_calls else ("length" if usage.completion_tokens >= limit else "stop")
        message = AssistantMessage(
            content=content if content is not None or tool_calls else "", tool_calls=tool_calls
        )
        return ChatResponse(
            model=model_id, choices=[ChatChoice(index=0, message=message, finish_reason=finish)], usage=usage
        )

    async def chat(self, model_id: str, request: ChatRequest, options: CallOptions) -> ChatResponse:
        if isinstance(queued := await self._queued(model_id, request, options), ChatResponse):
            return queued
        result = await self._run(
            model_id, self._chat_payload(model_id, request, stream=False), options, _ChatResult
        )
        response = self._chat_response(model_id, result, request)
        stops = stop_strings(request.stop)
        return cut_response(response, stops) if stops else response

    def stream_chat(
        self, model_id: str, request: ChatRequest, options: CallOptions
    ) -> AsyncIterator[ChatChunk]:
        payload = self._chat_payload(model_id, request, stream=True)
        stops = stop_strings(request.stop)
        chunks = self._stream_chunks(model_id, payload, options)
        return cut_stream(chunks, stops) if stops else chunks

    async def _stream_chunks(
        self, model_id: str, payload: dict[str, Any], options: CallOptions
    ) -> AsyncIterator[ChatChunk]:
        response = await self.open_stream(
            model_id, self._url(model_id), options, headers=self._headers(), content=encode_json(payload)
        )
        chunk_id = new_id("chatcmpl")
        try:
            if response.status_code >= 400:
                body = await response.aread()
                self._raise_error(model_id, response.status_code, body, response.headers)
            first = True
            calls_sent = 0
            usage: Usage | None = None
            async for data in self.sse_data(model_id, response):
                try:
                    event = _event_decoder.decode(data)
                except (msgspec.DecodeError, msgspec.ValidationError) as exc:
                    raise self.error(model_id, "bad_response", f"malformed stream event: {exc}") from exc
                if event.choices is not None:
                    chunk = self.convert(
                        model_id,
                        {"id": chunk_id, "model": model_id, "choices": event.choices, "usage": event.usage},
                        ChatChunk,
                    )
                    yield chunk
                    continue
                tool_calls = _tool_calls(event.tool_calls, first_index=calls_sent)
                calls_sent += len(tool_calls or [])
                if event.response or tool_calls or first:
                    delta = Delta(
                        role="assistant" if first else None,
                        content=event.response or None,
                        tool_calls=tool_calls,
                    )
                    yield ChatChunk(id=chunk_id, model=model_id, choices=[ChunkChoice(index=0, delta=delta)])
                    first = False
                if event.usage is not None:
                    usage = event.usage  # Workers AI sends it before [DONE]; OpenAI's order puts it last
            limit = payload["max_tokens"]
            if calls_sent:
                finish = "tool_calls"
            else:
                finish = "length" if usage is not None and usage.completion_tokens >= limit else "stop"
            yield ChatChunk(
                id=chunk_id,
                model=model_id,
                choices=[ChunkChoice(index=0, delta=Delta(), finish_reason=finish)],
            )
            if usage is not None:
                yield ChatChunk(id=chunk_id, model=model_id, choices=[], usage=usage)
        finally:
            await response.aclose()

    # -- other capabilities -------------------------------------------------------------------------

    async def embed(
        self, model_id: str, request: EmbeddingRequest, options: CallOptions
    ) -> EmbeddingResponse:
        if request.encoding_format == "base64":
            raise InvalidRequestError("Workers AI returns float embeddings only", param="encoding_format")
        if isinstance(queued := await self._queued(model_id, request, options), EmbeddingResponse):
            return queued
        texts = request.texts()
        data: list[Embedding] = []
        usage = Usage()
        for start in range(0, max(len(texts), 1), MAX_EMBEDDING_TEXTS):
            batch = texts[start : start + MAX_EMBEDDING_TEXTS]
            result: _EmbeddingResult = await self._run(model_id, {"text": batch}, options, _EmbeddingResult)
            if len(result.data) != len(batch):
                raise self.error(
                    model_id, "bad_response", f"{len(result.data)} vectors for {len(batch)} texts"
                )
            data.extend(Embedding(index=start + i, embedding=vector) for i, vector in enumerate(result.data))
            tokens = result.usage.prompt_tokens if result.usage else estimate_tokens(batch)
            usage.prompt_tokens += tokens
            usage.total_tokens += tokens
        if request.dimensions is not None and data and len(data[0].embedding) != request.dimensions:
            # Workers AI's embedding models have no reduced-size output (OpenAI's text-embedding-3 do):
            # vectors of another size than asked for would break the caller's index, so refuse.
            raise InvalidRequestError(
                f"dimensions: {model_id} gives {len(data[0].embedding)}-dimensional vectors; "
                f"it cannot return {request.dimensions}",
                param="dimensions",
            )
        return EmbeddingResponse(data=data, model=model_id, usage=usage)

    # -- asynchronous batches (``?queueRequest=true``; providers/queued.py, batch/queued.py) ----------

    async def _queued(
        self, model_id: str, request: QueueableRequest, options: CallOptions
    ) -> QueueableResponse | None:
        """A batch line for an async-batch model, answered through a queued request; None: call as usual
        (not such a line, an input that cannot be queued, or refused in a queued request on its own)."""
        queued = queued_call(self.name, model_id, options)
        if queued is None or (upstream_input := self.queued_input(model_id, request)) is None:
            return None
        try:
            return await queued.run(self, model_id, request, upstream_input, options)
        except RunSynchronously:
            return None

    def queued_input(self, model_id: str, request: QueueableRequest) -> dict[str, Any] | None:
        """One line's input in a queued request: the synchronous call's body (chat), or ``{"text"}``
        (embeddings, at most 100 texts: a larger line runs synchronously, in pieces)."""
        if isinstance(request, ChatRequest):
            return self._chat_payload(model_id, request, stream=False)
        texts = request.texts()
        if not texts or len(texts) > MAX_EMBEDDING_TEXTS or request.encoding_format == "base64":
            return None
        return {"text": texts}

    def queued_answer(
        self, model_id: str, request: QueueableRequest, result: Any, usage: Usage | None
    ) -> QueueableResponse:
        """A line's ``result`` from a finished queued request as the synchronous call's response.
        ``usage``: the line's share of the request's usage, for results that carry none of their own."""
        if isinstance(request, ChatRequest):
            chat: _ChatResult = self.convert(model_id, result, _ChatResult)
            if chat.usage is None and usage is not None and chat.choices is None:
                chat.usage = usage
            response = self._chat_response(model_id, chat, request)
            stops = stop_strings(request.stop)
            return cut_response(response, stops) if stops else response
        vectors: _EmbeddingResult = self.convert(model_id, result, _EmbeddingResult)
        texts = request.texts()
        if len(vectors.data) != len(texts):
            raise self.error(model_id, "bad_response", f"{len(vectors.data)} vectors for {len(texts)} texts")
        if request.dimensions is not None and vectors.data and len(vectors.data[0]) != request.dimensions:
            raise InvalidRequestError(
                f"dimensions: {model_id} gives {len(vectors.data[0])}-dimensional vectors; "
                f"it cannot return {request.dimensions}",
                param="dimensions",
            )
        line_usage = vectors.usage or usage
        tokens = line_usage.prompt_tokens if line_usage is not None else estimate_tokens(texts)
        return EmbeddingResponse(
            data=[Embedding(index=i, embedding=v) for i, v in enumerate(vectors.data)],
            model=model_id,
            usage=Usage(prompt_tokens=tokens, total_tokens=tokens),
        )

    async def _queue_post(self, model_id: str, payload: dict[str, Any], options: CallOptions) -> Any:
        response = await self.send(
            model_id,
            "POST",
            self._url(model_id) + "?queueRequest=true",
            options,
            headers=self._headers(),
            content=encode_json(payload),
        )
        if response.status_code >= 400:
            self._raise_error(model_id, response.status_code, response.content, response.headers)
        return self._result(model_id, response, dict)

    async def submit_queued(self, model_id: str, inputs: list[dict[str, Any]], options: CallOptions) -> str:
        """Queue ``inputs`` as one asynchronous batch request; Workers AI answers ``{"status": "queued",
        "request_id"}``. A 429 (with its ``Retry-After``) or 5xx is a retryable ``ProviderError``."""
        result = await self._queue_post(model_id, {"requests": inputs}, options)
        request_id = result.get("request_id")
        if not isinstance(request_id, str) or not request_id:
            raise self.error(model_id, "bad_response", "queued request answered without a request_id")
        return request_id

    async def poll_queued(self, model_id: str, request_id: str, options: CallOptions) -> QueuedPoll:
        """Ask for a queued request: ``queued``/``running`` while it waits, then ``responses`` (each with
        its ``id``, the input's position, and its ``external_reference``) and the request's ``usage``."""
        result = await self._queue_post(model_id, {"request_id": request_id}, options)
        responses = result.get("responses")
        if responses is None:
            status = result.get("status")
            if status not in ("queued", "running"):
                raise self.error(model_id, "bad_response", f"queued request in unknown state {status!r}")
            return QueuedPoll(status=str(status))
        decoded: list[_QueuedResponse] = self.convert(model_id, responses, list[_QueuedResponse])
        items: dict[str, QueuedItem] = {}
        for item in decoded:
            ref = item.external_reference if item.external_reference is not None else f"#{item.id}"
            error = "; ".join(f"{e.code}: {e.message}" for e in item.errors) or None
            items[str(ref)] = QueuedItem(success=item.success is not False, result=item.result, error=error)
        usage = self.convert(model_id, result["usage"], Usage) if result.get("usage") else None
        return QueuedPoll(status="done", items=items, usage=usage)

    async def rerank(self, model_id: str, request: RerankRequest, options: CallOptions) -> RerankResponse:
        payload: dict[str, Any] = {
            "query": request.query,
            "contexts": [{"text": d} for d in request.documents],
        }
        if request.top_n is not None:
            payload["top_k"] = request.top_n
        result: _RerankResult = await self._run(model_id, payload, options, _RerankResult)
        results: list[RerankResult] = []
        for item in sorted(result.response, key=lambda r: r.score, reverse=True):
            if not 0 <= item.id < len(request.documents):
                raise self.error(model_id, "bad_response", f"rerank id {item.id} out of range")
            document = RerankDocument(text=request.documents[item.id]) if request.return_documents else None
            results.append(RerankResult(index=item.id, relevance_score=item.score, document=document))
        if request.top_n is not None:
            results = results[: request.top_n]
        tokens = estimate_tokens([request.query] * len(request.documents) + request.documents)
        usage = result.usage or Usage(prompt_tokens=tokens, total_tokens=tokens)
        return RerankResponse(model=model_id, results=results, usage=usage)

    async def transcribe(
        self, model_id: str, request: TranscriptionRequest, options: CallOptions
    ) -> TranscriptionResponse:
        audio: Any = (
            list(request.audio)
            if model_id in AUDIO_BYTES_MODELS
            else base64.b64encode(request.audio).decode("ascii")
        )
        payload: dict[str, Any] = {"audio": audio}
        if model_id in AUDIO_BYTES_MODELS and request.task == "translate":
            raise UnsupportedCapabilityError(
                f"model: '{model_id}' only transcribes; whisper-large-v3-turbo translates", param="model"
            )
        if model_id not in AUDIO_BYTES_MODELS:
            payload["task"] = request.task
            if request.language:
                payload["language"] = request.language
            if request.prompt:
                payload["initial_prompt"] = request.prompt
        result: _WhisperResult = await self._run(model_id, payload, options, _WhisperResult)
        info = result.transcription_info
        return TranscriptionResponse(
            text=result.text,
            language=info.language if info else None,
            duration=result.duration(),
            segments=result.segments,
        )

    async def speak(self, model_id: str, request: SpeechRequest, options: CallOptions) -> SpeechResponse:
        if request.response_format not in (None, "mp3"):
            raise InvalidRequestError("Workers AI MeloTTS returns MP3 only", param="response_format")
        payload = {"prompt": request.input, "lang": request.language or "en"}
        response = await self._post(model_id, payload, options)
        if response.headers.get("content-type", "").startswith("audio/"):
            audio = response.content  # the schema's second form: the MP3 itself, not an envelope
        else:
            result: _TTSResult = self._result(model_id, response, _TTSResult)
            try:
                audio = base64.b64decode(result.audio, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise self.error(model_id, "bad_response", "audio is not valid base64") from exc
        if not audio:
            raise self.error(model_id, "bad_response", "empty audio")
        return SpeechResponse(
            audio=audio,
            content_type="audio/mpeg",
            characters=len(request.input),
            duration_seconds=mp3_duration_seconds(audio),
        )

    async def classify_safety(
        self, model_id: str, request: SafetyRequest, options: CallOptions
    ) -> SafetyVerdict:
        # Llama Guard judges a user/assistant conversation whose roles must alternate; system and tool
        # turns are not part of it, and consecutive turns of one role are joined.
        messages: list[dict[str, str]] = []
        for m in request.messages:
            if m.role not in ("user", "assistant"):
                continue
            if messages and messages[-1]["role"] == m.role:
                messages[-1]["content"] += "\n\n" + m.text()
            else:
                messages.append({"role": m.role, "content": m.text()})
        if not messages:
            raise InvalidRequestError(
                "safety classification needs a user or assistant message", param="messages"
            )
        payload = {"messages": messages, "max_tokens": 64, "temperature": 0}
        result: _GuardResult = await self._run(model_id, payload, options, _GuardResult)
        try:
            return parse_verdict(result.response, model=model_id, usage=result.usage)
        except VerdictParseError as exc:
            raise self.error(model_id, "bad_response", f"unreadable Llama Guard verdict: {exc}") from exc


def _guided_json(response_format: Any) -> dict[str, Any]:
    """OpenAI's ``response_format`` as the JSON schema ``guided_json`` expects."""
    if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
        spec = response_format.get("json_schema") or {}
        schema = spec.get("schema") if isinstance(spec, dict) else None
        if isinstance(schema, dict):
            return schema
    return {"type": "object"}


def _data_url_bytes(url: str) -> bytes:
    if not url.startswith("data:") or ";base64," not in url:
        raise InvalidRequestError(
            "Workers AI vision models need the image inline as a base64 data: URL", param="messages"
        )
    try:
        return base64.b64decode(url.split(";base64,", 1)[1], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidRequestError("the image data: URL is not valid base64", param="messages") from exc


def _tool_calls(raw: list[dict[str, Any]] | None, *, first_index: int | None = None) -> list[ToolCall] | None:
    """Workers AI's ``{"name", "arguments": {...}}`` (older models) or OpenAI-style calls, as ToolCalls.
    In a stream (``first_index`` set) each call gets the next index, counted over the whole stream: a
    stream delta's index names its call, so two calls sent in two events must not both be 0."""
    if not raw:
        return None
    calls: list[ToolCall] = []
    for i, call in enumerate(raw):
        fn = call.get("function") if isinstance(call.get("function"), dict) else call
        assert isinstance(fn, dict)
        arguments = fn.get("arguments")
        if not isinstance(arguments, str):
            arguments = msgspec.json.encode(arguments if arguments is not None else {}).decode()
        calls.append(
            ToolCall(
                id=call.get("id") or new_id("call"),
                function=FunctionCall(name=fn.get("name"), arguments=arguments),
                index=first_index + i if first_index is not None else None,
            )
        )
    return calls


def _estimated_usage(request: ChatRequest, answer: str) -> Usage:
    prompt = estimate_tokens(m.text() for m in request.messages)
    completion = estimate_tokens([answer])
    return Usage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion)
