"""ai-workers: one typed client and gateway for Cloudflare Workers AI, OpenAI and local models.

from ai_workers import Client
with Client(app="intake-app") as client:
    print(client.chat("Summarise this note ...", model="llama-3.3-70b").text)
"""

from typing import TYPE_CHECKING, Any

from ai_workers.core.errors import (
    AIWorkersError,
    AuthenticationError,
    BudgetExceededError,
    ConfigurationError,
    InvalidRequestError,
    ModelNotFoundError,
    PermissionDeniedError,
    PolicyBlockedError,
    ProviderError,
    RateLimitError,
    SafetyCheckFailedError,
    UnsupportedCapabilityError,
    UpstreamFailedError,
)
from ai_workers.core.types import (
    Attempt,
    ChatChunk,
    ChatRequest,
    ChatResponse,
    ContentPart,
    EmbeddingResponse,
    ImageURL,
    Message,
    ModerationResponse,
    RerankResponse,
    SafetyVerdict,
    SpeechResponse,
    TranscriptionResponse,
    Usage,
)

if TYPE_CHECKING:
    from ai_workers.client import AsyncClient, ChatStream, Client, image_part

__version__ = "0.1.0"

_LAZY = {"AsyncClient", "ChatStream", "Client", "image_part"}


def __getattr__(name: str) -> Any:
    # The client pulls in the whole gateway; importing it lazily keeps `import ai_workers.core...` light
    # and free of import cycles for the packages the gateway itself imports.
    if name in _LAZY:
        from ai_workers import client

        return getattr(client, name)
    raise AttributeError(f"module 'ai_workers' has no attribute {name!r}")


__all__ = [
    "AIWorkersError",
    "AsyncClient",
    "Attempt",
    "AuthenticationError",
    "BudgetExceededError",
    "ChatChunk",
    "ChatRequest",
    "ChatResponse",
    "ChatStream",
    "Client",
    "ConfigurationError",
    "ContentPart",
    "EmbeddingResponse",
    "ImageURL",
    "InvalidRequestError",
    "Message",
    "ModelNotFoundError",
    "ModerationResponse",
    "PermissionDeniedError",
    "PolicyBlockedError",
    "ProviderError",
    "RateLimitError",
    "RerankResponse",
    "SafetyCheckFailedError",
    "SafetyVerdict",
    "SpeechResponse",
    "TranscriptionResponse",
    "UnsupportedCapabilityError",
    "UpstreamFailedError",
    "Usage",
    "image_part",
]
