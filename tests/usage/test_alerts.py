"""Budget alerts: at 80% and 100% by default, once per threshold and period, to a webhook and the log."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from ai_workers.core.pipeline import Pipeline
from ai_workers.core.types import Usage
from ai_workers.db.models import AlertSent
from ai_workers.usage.alerts import AlertSender
from tests.usage.helpers import answered_by, chat, chat_response, context, service

HOOK = "https://alerts.example.test/hook"


class Hook:
    """An httpx transport standing in for the webhook receiver; fails the first ``fail`` calls."""

    def __init__(self, fail: int = 0) -> None:
        self.fail = fail
        self.received: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        import json

        if self.fail:
            self.fail -= 1
            return httpx.Response(503)
        self.received.append(json.loads(request.content))
        return httpx.Response(204)


async def test_thresholds_alert_once_each_with_retries(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    hook = Hook(fail=2)
    sleeps: list[float] = []

    async def no_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    client = httpx.AsyncClient(transport=httpx.MockTransport(hook))
    budgets = [{"period": "daily", "requests": 10, "webhook": HOOK}]  # thresholds default to 80 and 100
    svc = service(
        f"sqlite+aiosqlite:///{tmp_path / 'u.db'}",
        tmp_path,
        settings={"apps": {"app1": {"budgets": budgets}}},
        http_client=client,
        sleep=no_sleep,
    )
    await svc.start()

    async def terminal(ctx: Any, request: Any) -> Any:
        answered_by(ctx, "gpt-4o", Usage(10, 10, 20))
        return chat_response("gpt-4o", ctx.usage)

    pipeline = Pipeline([svc.record_stage, svc.budget_stage], terminal)
    with caplog.at_level(logging.WARNING, logger="ai_workers.usage.alerts"):
        for _ in range(10):
            await pipeline.run(context(svc.config.current), chat())
            await svc.alerts.drain()
    assert [a["threshold_pct"] for a in hook.received] == [80.0, 100.0]
    first = hook.received[0]
    assert first["app"] == "app1" and first["requests"] == 8 and first["limit_requests"] == 10
    assert (
        first["period"] == "daily" and first["resets_at"].endswith("T00:00:00Z") and not first["hard_limit"]
    )
    assert hook.received[1]["hard_limit"] is True
    assert sleeps == [1.0, 2.0]  # two 503s retried with exponential backoff, no real sleeping
    assert sum("reached 80%" in r.message for r in caplog.records) == 1
    async with svc.database.session() as session:
        rows = (await session.scalars(select(AlertSent).order_by(AlertSent.threshold_pct))).all()
    assert [(r.threshold_pct, r.delivered) for r in rows] == [(80.0, True), (100.0, True)]

    # Another process (or a restart) crossing the same thresholds in the same period sends nothing.
    other = AlertSender(svc.database, client=client, sleep=no_sleep)
    from ai_workers.usage.alerts import Alert

    alert = svc.alerts.sent[0]
    assert isinstance(alert, Alert)
    assert await other.deliver(alert, HOOK) is False
    assert len(hook.received) == 2
    await svc.stop()
    await client.aclose()
