"""A gateway worker to kill: run as ``python -m tests.usage.killed_worker <db url> <data dir> <limit>``.

It answers ``ANSWERED`` requests of app ``app1`` through the usage stages (a budget of ``limit``
requests a day in the workers' shared counter file), holds ``IN_FLIGHT`` more reserved and waiting,
prints the answered request ids as one JSON line and sleeps: the test SIGKILLs it there. The writer's
flush interval is an hour, so no answered row has reached the database by then.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from ai_workers.core.pipeline import Pipeline
from ai_workers.core.types import Usage
from tests.usage.helpers import answered_by, chat, chat_response, context, service

ANSWERED = 4
IN_FLIGHT = 3


def settings(limit: int) -> dict[str, Any]:
    return {
        "server": {"workers": 2},  # budget counters in the shared file, as ``serve --workers 2``
        "usage": {"flush_interval_s": 3600.0},
        "apps": {"app1": {"budgets": [{"period": "daily", "requests": limit}]}},
    }


async def main(db_url: str, data_dir: Path, limit: int) -> None:
    svc = service(db_url, data_dir, settings=settings(limit))
    await svc.start()
    never = asyncio.Event()

    async def answer(ctx: Any, request: Any) -> Any:
        if ctx.state.get("hold"):
            await never.wait()
        answered_by(ctx, "gpt-4o", Usage(10, 10, 20))
        return chat_response("gpt-4o", ctx.usage)

    pipeline = Pipeline([svc.record_stage, svc.budget_stage], answer)
    ids = []
    for _ in range(ANSWERED):
        ctx = context(svc.config.current)
        await pipeline.run(ctx, chat())
        ids.append(ctx.request_id)
    held = []
    for _ in range(IN_FLIGHT):
        ctx = context(svc.config.current)
        ctx.state["hold"] = True
        held.append(asyncio.create_task(pipeline.run(ctx, chat())))
    await asyncio.sleep(0.3)  # all reserved
    print(json.dumps(ids), flush=True)
    await never.wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])))
