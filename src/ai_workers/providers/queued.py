"""The seam for Workers AI's asynchronous batches: a batch line's call can join a queued upstream request.

A batch line runs through the whole pipeline like a live request (key, budget, PHI redaction, routing,
cache); only its last step differs. When the batch worker runs a line it sets ``current`` to a
``QueuedCall`` for that line; a provider that has a queued API (``QueuedBatchAPI``, Workers AI) asks it
whether this call should be queued (``queued_call``) and, if so, hands it the upstream input it built.
The batch side (``batch/queued.py``) gathers the lines of one batch for one model into one queued
request, polls it, and gives each call back its own answer, which the provider turns into the same
typed response a synchronous call returns. Every other call, including the pipeline's own subcalls
(Llama Guard, cache embeddings) and a fallback to another provider, runs synchronously as before.

A ``ContextVar`` rather than a pipeline field: the value must reach the provider call of this line's
request only, through stages that know nothing about batches, and a subcall made for the line has its
own request id, which ``accepts`` refuses.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol

from ai_workers.core.types import ChatRequest, ChatResponse, EmbeddingRequest, EmbeddingResponse, Usage
from ai_workers.providers.base import CallOptions

QueueableRequest = ChatRequest | EmbeddingRequest
QueueableResponse = ChatResponse | EmbeddingResponse


@dataclass(slots=True)
class QueuedItem:
    """One line's answer in a finished queued request."""

    success: bool
    result: Any = None  # the model's own result object, as a synchronous call's ``result``
    error: str | None = None


@dataclass(slots=True)
class QueuedPoll:
    """What one poll of a queued request said: still ``queued``/``running``, or ``done`` with the
    answers by ``external_reference`` and the usage Workers AI reports for the whole request."""

    status: str
    items: dict[str, QueuedItem] = field(default_factory=dict)
    usage: Usage | None = None

    @property
    def done(self) -> bool:
        return self.status == "done"


class QueuedBatchAPI(Protocol):
    """What a provider with an asynchronous batch API offers (``CloudflareProvider``)."""

    name: str

    def queued_input(self, model_id: str, request: QueueableRequest) -> dict[str, Any] | None:
        """The line's upstream input, or None when it cannot go in a queued request."""
        ...

    def queued_answer(
        self, model_id: str, request: QueueableRequest, result: Any, usage: Usage | None
    ) -> QueueableResponse:
        """The typed response for one line's ``result``; ``usage`` is its share when the result has none."""
        ...

    async def submit_queued(self, model_id: str, inputs: list[dict[str, Any]], options: CallOptions) -> str:
        """Queue ``inputs`` (each with its ``external_reference``) as one request: its ``request_id``."""
        ...

    async def poll_queued(self, model_id: str, request_id: str, options: CallOptions) -> QueuedPoll: ...


class QueuedCall(Protocol):
    """The batch worker's side, set in ``current`` for the duration of one line's pipeline run."""

    def accepts(self, provider: str, model_id: str, request_id: str | None) -> bool: ...

    async def run(
        self,
        api: QueuedBatchAPI,
        model_id: str,
        request: QueueableRequest,
        upstream_input: dict[str, Any],
        options: CallOptions,
    ) -> QueueableResponse: ...


class RunSynchronously(Exception):
    """Raised by ``QueuedCall.run`` when Workers AI refused the line in a queued request on its own (a
    4xx): the provider then makes the ordinary synchronous call, as for a model without the flag."""


current: ContextVar[QueuedCall | None] = ContextVar("ai_workers_queued_call", default=None)


def queued_call(provider: str, model_id: str, options: CallOptions) -> QueuedCall | None:
    """The batch line's ``QueuedCall`` if this provider call should be queued, else None."""
    call = current.get()
    if call is None or not call.accepts(provider, model_id, options.request_id):
        return None
    return call
