"""The overhead stage: what the gateway itself added to a request, set before its usage record.

Why a stage: the usage record is written by the outermost stage as soon as the inner ones return, before
the HTTP layer sends anything, so an overhead set only by the HTTP layer reached the record for streams
alone (and, for them, it held the upstream's time to first token). Sitting right inside the record
stage, this sets ``ctx.overhead_ms`` to elapsed time minus time spent waiting on upstreams
(``ctx.upstream_wait_ms``, kept by the executor) when the answer, or a stream's first token, is ready.
The HTTP layer refreshes it when the response leaves (adding rendering), which a stream's record, written
when the stream ends, then carries.
"""

from __future__ import annotations

from ai_workers.core.context import RequestContext
from ai_workers.core.pipeline import Handler, Result
from ai_workers.core.types import AnyRequest


class OverheadStage:
    name = "overhead"

    async def __call__(self, ctx: RequestContext, request: AnyRequest, call_next: Handler) -> Result:
        try:
            return await call_next(ctx, request)
        finally:
            ctx.overhead_ms = ctx.own_ms()
