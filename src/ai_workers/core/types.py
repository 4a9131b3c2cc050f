"""Wire types shared by every layer, shaped like OpenAI's API.

The gateway speaks OpenAI's request and response shapes internally too, so the HTTP layer decodes a
body straight into these structs and a provider adapter translates them to its own wire format. msgspec
is used instead of pydantic because decoding and encoding sit on the hot path of every request: it
validates while parsing and is several times faster (see bench/bench_gateway.py).

Every struct is a plain value: no I/O, no behaviour beyond small helpers, so all packages may import it.
"""

from __future__ import annotations

import enum
import time
import uuid
from typing import Annotated, Any, Literal

import msgspec

# An output-token limit: at least 1, and at most a million (no model writes more in one answer). The
# upper bound turns ``max_tokens: 1e18`` into a 400 naming the field instead of a value passed upstream
# (or overflowing a provider's 32-bit field).
MAX_OUTPUT_TOKENS = 1_000_000
OutputTokens = Annotated[int, msgspec.Meta(ge=1, le=MAX_OUTPUT_TOKENS)]

# ---------------------------------------------------------------------------------------------------
# Capabilities


class Capability(enum.StrEnum):
    """What a model can do; the catalog tags each model with exactly one."""

    CHAT = "chat"
    EMBEDDINGS = "embeddings"
    RERANK = "rerank"
    TRANSCRIPTION = "speech-to-text"
    SPEECH = "text-to-speech"
    SAFETY = "safety"
    MODERATION = "moderation"


# ---------------------------------------------------------------------------------------------------
# Chat


class ImageURL(msgspec.Struct, omit_defaults=True):
    url: str
    detail: str | None = None


class ContentPart(msgspec.Struct, omit_defaults=True):
    """One part of a multi-part message: ``{"type": "text", "text": ...}`` or an ``image_url`` part."""

    type: str
    text: str | None = None
    image_url: ImageURL | None = None
    input_audio: dict[str, Any] | None = None


class FunctionCall(msgspec.Struct, omit_defaults=True):
    name: str | None = None
    arguments: str | None = None


class ToolCall(msgspec.Struct, omit_defaults=True):
    id: str | None = None
    type: str = "function"
    function: FunctionCall | None = None
    index: int | None = None


class Message(msgspec.Struct, omit_defaults=True):
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None
    name: str | None = None
    tool_calls: list[ToolCall] | None = None
    tool_call_id: str | None = None

    def text(self) -> str:
        """The message's text, joining text parts of a multi-part message."""
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "\n".join(part.text for part in self.content if part.type == "text" and part.text)

    def has_image(self) -> bool:
        return isinstance(self.content, list) and any(p.type == "image_url" for p in self.content)


class StreamOptions(msgspec.Struct, omit_defaults=True):
    include_usage: bool | None = None


class ChatRequest(msgspec.Struct, omit_defaults=True, kw_only=True):
    """``POST /v1/chat/completions``. Unknown fields are ignored, as OpenAI-compatible servers do."""

    model: str
    messages: list[Message]
    # Bounds every provider shares (a negative max_tokens or temperature is nobody's valid input); upper
    # bounds differ by provider (temperature is 0-2 at OpenAI, 0-5 at Workers AI), so those are theirs.
    max_tokens: OutputTokens | None = None
    max_completion_tokens: OutputTokens | None = None
    temperature: Annotated[float, msgspec.Meta(ge=0)] | None = None
    top_p: Annotated[float, msgspec.Meta(ge=0)] | None = None
    n: Annotated[int, msgspec.Meta(ge=1, le=128)] | None = None
    logprobs: bool | None = None
    top_logprobs: Annotated[int, msgspec.Meta(ge=0, le=20)] | None = None
    logit_bias: dict[str, float] | None = None
    stream: bool | None = None
    stream_options: StreamOptions | None = None
    stop: str | list[str] | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    seed: int | None = None
    tools: list[dict[str, Any]] | None = None
    tool_choice: str | dict[str, Any] | None = None
    parallel_tool_calls: bool | None = None
    response_format: dict[str, Any] | None = None
    reasoning_effort: str | None = None  # OpenAI reasoning models: minimal, low, medium, high
    user: str | None = None
    metadata: dict[str, str] | None = None

    def output_limit(self) -> int | None:
        return self.max_completion_tokens if self.max_completion_tokens is not None else self.max_tokens


class Usage(msgspec.Struct, omit_defaults=True):
    """Token counts, plus Cloudflare's neurons where the provider reports them."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    neurons: float | None = None


class AssistantMessage(msgspec.Struct):
    role: str = "assistant"
    content: str | None = None
    tool_calls: list[ToolCall] | None = msgspec.field(default=None)
    refusal: str | None = None


class ChatChoice(msgspec.Struct):
    index: int
    message: AssistantMessage
    finish_reason: str | None = "stop"
    logprobs: dict[str, Any] | None = None  # OpenAI's {content: [{token, logprob, top_logprobs}]}, as given


class GatewayInfo(msgspec.Struct, omit_defaults=True):
    """What the gateway adds to a response (``x_ai_workers`` field): where it went, what it cost, why."""

    provider: str | None = None
    provider_model: str | None = None
    latency_ms: float | None = None
    cost_usd: float | None = None
    neurons: float | None = None
    tier: str | None = None
    route_reason: str | None = None
    arm: str | None = None
    cache: str | None = None
    cache_similarity: float | None = None
    phi_redactions: int | None = None
    phi_types: list[str] | None = None
    safety: str | None = None
    safety_categories: list[str] | None = None
    attempts: int | None = None
    request_id: str | None = None


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:24]}"


class ChatResponse(msgspec.Struct, kw_only=True):
    id: str = msgspec.field(default_factory=lambda: new_id("chatcmpl"))
    object: str = "chat.completion"
    created: int = msgspec.field(default_factory=lambda: int(time.time()))
    model: str
    choices: list[ChatChoice]
    usage: Usage = msgspec.field(default_factory=Usage)
    system_fingerprint: str | None = None
    x_ai_workers: GatewayInfo | None = None

    @property
    def text(self) -> str:
        """The first choice's text: the common case, without indexing."""
        return (self.choices[0].message.content or "") if self.choices else ""


class Delta(msgspec.Struct, omit_defaults=True):
    role: str | None = None
    content: str | None = None
    tool_calls: list[ToolCall] | None = None


class ChunkChoice(msgspec.Struct):
    index: int
    delta: Delta
    finish_reason: str | None = None
    logprobs: dict[str, Any] | None = None


class ChatChunk(msgspec.Struct, kw_only=True):
    id: str
    object: str = "chat.completion.chunk"
    created: int = msgspec.field(default_factory=lambda: int(time.time()))
    model: str
    choices: list[ChunkChoice]
    usage: Usage | None = None
    x_ai_workers: GatewayInfo | None = None

    @property
    def text(self) -> str:
        return "".join(c.delta.content or "" for c in self.choices)


# ---------------------------------------------------------------------------------------------------
# Embeddings and rerank


class EmbeddingRequest(msgspec.Struct, omit_defaults=True, kw_only=True):
    model: str
    input: str | list[str]
    encoding_format: Literal["float", "base64"] | None = None
    dimensions: int | None = None
    user: str | None = None

    def texts(self) -> list[str]:
        return [self.input] if isinstance(self.input, str) else list(self.input)


class Embedding(msgspec.Struct):
    index: int
    embedding: list[float] | str
    object: str = "embedding"


class EmbeddingResponse(msgspec.Struct, kw_only=True):
    object: str = "list"
    data: list[Embedding]
    model: str
    usage: Usage = msgspec.field(default_factory=Usage)
    x_ai_workers: GatewayInfo | None = None

    def vectors(self) -> list[list[float]]:
        out: list[list[float]] = []
        for item in sorted(self.data, key=lambda e: e.index):
            if isinstance(item.embedding, str):
                raise TypeError("base64 embeddings: decode them before calling vectors()")
            out.append(item.embedding)
        return out


class RerankRequest(msgspec.Struct, omit_defaults=True, kw_only=True):
    """Cohere/Jina request shape, which LiteLLM and most rerank servers also accept."""

    model: str
    query: str
    documents: list[str]
    top_n: int | None = None
    return_documents: bool | None = None
    user: str | None = None


class RerankDocument(msgspec.Struct):
    text: str


class RerankResult(msgspec.Struct, omit_defaults=True):
    index: int
    relevance_score: float
    document: RerankDocument | None = None


class RerankResponse(msgspec.Struct, kw_only=True):
    id: str = msgspec.field(default_factory=lambda: new_id("rerank"))
    model: str
    results: list[RerankResult]
    usage: Usage = msgspec.field(default_factory=Usage)
    x_ai_workers: GatewayInfo | None = None


# ---------------------------------------------------------------------------------------------------
# Audio


class TranscriptionRequest(msgspec.Struct, omit_defaults=True, kw_only=True):
    model: str
    audio: bytes
    filename: str = "audio"
    language: str | None = None
    prompt: str | None = None
    response_format: str | None = None
    temperature: float | None = None
    user: str | None = None
    # "translate": English text from speech in any language (OpenAI's /audio/translations, Whisper's task)
    task: Literal["transcribe", "translate"] = "transcribe"


class TranscriptionResponse(msgspec.Struct, omit_defaults=True, kw_only=True):
    text: str
    language: str | None = None
    duration: float | None = None
    segments: list[dict[str, Any]] | None = None
    usage: Usage | None = None
    x_ai_workers: GatewayInfo | None = None


class SpeechRequest(msgspec.Struct, omit_defaults=True, kw_only=True):
    model: str
    input: str
    voice: str | None = None
    response_format: str | None = None
    speed: float | None = None
    language: str | None = None
    user: str | None = None


class SpeechResponse(msgspec.Struct, kw_only=True):
    audio: bytes
    content_type: str
    characters: int = 0
    duration_seconds: float | None = None
    x_ai_workers: GatewayInfo | None = None


# ---------------------------------------------------------------------------------------------------
# Safety and moderation


class SafetyRequest(msgspec.Struct, omit_defaults=True, kw_only=True):
    """Classify a conversation (Llama Guard style): the last message is judged in its context."""

    model: str
    messages: list[Message]
    user: str | None = None


class SafetyVerdict(msgspec.Struct, omit_defaults=True, kw_only=True):
    safe: bool
    categories: list[str] = msgspec.field(default_factory=list)
    category_names: list[str] = msgspec.field(default_factory=list)
    scores: dict[str, float] | None = None
    model: str | None = None
    usage: Usage | None = None
    x_ai_workers: GatewayInfo | None = None


class ModerationRequest(msgspec.Struct, omit_defaults=True, kw_only=True):
    input: str | list[str]
    model: str | None = None

    def texts(self) -> list[str]:
        return [self.input] if isinstance(self.input, str) else list(self.input)


class ModerationResult(msgspec.Struct):
    flagged: bool
    categories: dict[str, bool]
    category_scores: dict[str, float]


class ModerationResponse(msgspec.Struct, kw_only=True):
    id: str = msgspec.field(default_factory=lambda: new_id("modr"))
    model: str
    results: list[ModerationResult]
    x_ai_workers: GatewayInfo | None = None


# ---------------------------------------------------------------------------------------------------
# Attempts: what the resilience layer reports about each provider call


class Attempt(msgspec.Struct, omit_defaults=True, kw_only=True):
    provider: str
    model: str
    status: int | None
    latency_ms: float
    ok: bool
    error_kind: str | None = None
    retry_after: float | None = None
    message: str | None = None


AnyRequest = (
    ChatRequest
    | EmbeddingRequest
    | RerankRequest
    | TranscriptionRequest
    | SpeechRequest
    | SafetyRequest
    | ModerationRequest
)
AnyResponse = (
    ChatResponse
    | EmbeddingResponse
    | RerankResponse
    | TranscriptionResponse
    | SpeechResponse
    | SafetyVerdict
    | ModerationResponse
)
