"""The one interface every provider adapter implements.

An adapter translates the gateway's OpenAI-shaped requests to one upstream's wire format and back, and
turns every upstream failure into a ``ProviderError`` whose ``kind`` tells the resilience layer whether
to retry. It does not retry, fall back, price or record anything itself: those are the executor's and
the pipeline's jobs, so adapters stay small. A capability an adapter lacks raises
``UnsupportedCapabilityError`` through the defaults below.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from ai_workers.core.config import ProviderConfig
from ai_workers.core.errors import UnsupportedCapabilityError
from ai_workers.core.types import (
    ChatChunk,
    ChatRequest,
    ChatResponse,
    EmbeddingRequest,
    EmbeddingResponse,
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
)


@dataclass(slots=True, frozen=True)
class CallOptions:
    """Per-call limits the executor passes down."""

    timeout_s: float = 60.0
    connect_timeout_s: float = 5.0
    request_id: str | None = None


class Provider:
    """Base class: subclasses override the capabilities their upstream offers."""

    kind: str = "base"

    def __init__(self, name: str, config: ProviderConfig) -> None:
        self.name = name
        self.config = config

    @property
    def trusted_with_phi(self) -> bool:
        return self.config.trusted_with_phi

    def _unsupported(self, what: str) -> UnsupportedCapabilityError:
        return UnsupportedCapabilityError(f"provider '{self.name}' ({self.kind}) does not support {what}")

    def check_configured(self) -> None:
        """Raise ConfigurationError naming the environment variable to set, if a credential is missing."""

    async def chat(self, model_id: str, request: ChatRequest, options: CallOptions) -> ChatResponse:
        raise self._unsupported("chat")

    def stream_chat(
        self, model_id: str, request: ChatRequest, options: CallOptions
    ) -> AsyncIterator[ChatChunk]:
        raise self._unsupported("streaming chat")

    async def embed(
        self, model_id: str, request: EmbeddingRequest, options: CallOptions
    ) -> EmbeddingResponse:
        raise self._unsupported("embeddings")

    async def rerank(self, model_id: str, request: RerankRequest, options: CallOptions) -> RerankResponse:
        raise self._unsupported("rerank")

    async def transcribe(
        self, model_id: str, request: TranscriptionRequest, options: CallOptions
    ) -> TranscriptionResponse:
        raise self._unsupported("speech-to-text")

    async def speak(self, model_id: str, request: SpeechRequest, options: CallOptions) -> SpeechResponse:
        raise self._unsupported("text-to-speech")

    async def classify_safety(
        self, model_id: str, request: SafetyRequest, options: CallOptions
    ) -> SafetyVerdict:
        raise self._unsupported("safety classification")

    async def moderate(
        self, model_id: str, request: ModerationRequest, options: CallOptions
    ) -> ModerationResponse:
        raise self._unsupported("moderation")

    async def aclose(self) -> None:
        """Release connections."""
