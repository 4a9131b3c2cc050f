"""Budget alerts: once per budget, threshold and period, to the log and a webhook.

"Once" holds across processes and restarts: the ``alerts_sent`` table's unique key
(budget, period start, threshold) is claimed with INSERT ... ON CONFLICT DO NOTHING before anything is
sent, and only the process whose insert landed sends. Delivery runs in background tasks (never on the
request path): the webhook gets a JSON POST, retried with exponential backoff on errors and 5xx.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from ai_workers.db.engine import Database
from ai_workers.db.models import AlertSent
from ai_workers.usage.alert_history import AlertHub, RaisedAlert
from ai_workers.usage.budgets import crossed_thresholds, period_end
from ai_workers.usage.counters import Snapshot

log = logging.getLogger("ai_workers.usage.alerts")


@dataclass(slots=True, frozen=True)
class Alert:
    app: str
    budget: str
    scope: str
    user: str | None
    period: str
    period_start: str
    resets_at: str
    threshold_pct: float
    spent_usd: float
    limit_usd: float | None
    requests: int
    limit_requests: int | None
    hard_limit: bool  # the 100% threshold: further requests are being refused

    def message(self) -> str:
        who = self.app if self.user is None else f"{self.app} (user {self.user})"
        limit = f"${self.limit_usd:.2f}" if self.limit_usd is not None else f"{self.limit_requests} requests"
        return (
            f"Budget alert: {who} reached {self.threshold_pct:g}% of its {self.period} budget {self.budget} "
            f"(spent ${self.spent_usd:.4f}, {self.requests} requests, limit {limit}); resets {self.resets_at}"
        )


class AlertSender:
    def __init__(
        self,
        database: Database,
        *,
        client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        max_attempts: int = 5,
        base_delay_s: float = 1.0,
        hub: AlertHub | None = None,
    ) -> None:
        self.database = database
        self.hub = hub  # the alert history (and the configured webhook for budgets without their own)
        self._client = client
        self._own_client = client is None
        self.sleep = sleep
        self.max_attempts = max_attempts
        self.base_delay_s = base_delay_s
        self._seen: set[tuple[str, str, float]] = set()  # this process already handled it
        self._tasks: set[asyncio.Task[None]] = set()
        self.sent: list[Alert] = []  # delivered or logged by this process (tests, status)

    def check(self, snapshots: list[Snapshot]) -> None:
        """Called after each settlement; schedules an alert for each newly crossed threshold."""
        for snap in snapshots:
            thresholds = crossed_thresholds(snap)
            if not thresholds:
                continue
            check = snap.check
            for threshold in thresholds:
                seen_key = (check.key, check.start.isoformat(), threshold)
                if seen_key in self._seen:
                    continue
                self._seen.add(seen_key)
                rule = check.budget.rule
                alert = Alert(
                    app=check.budget.app,
                    budget=check.budget.key + (f"|{check.user}" if check.budget.per_user else ""),
                    scope=rule.scope,
                    user=check.user if rule.scope == "user" else None,
                    period=rule.period,
                    period_start=check.start.isoformat(),
                    resets_at=period_end(rule.period, check.start).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    threshold_pct=threshold,
                    spent_usd=round(snap.spent, 6),
                    limit_usd=rule.usd,
                    requests=snap.requests,
                    limit_requests=rule.requests,
                    hard_limit=threshold >= 100,
                )
                self._spawn(self.deliver(alert, rule.webhook))

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def deliver(self, alert: Alert, webhook: str | None) -> bool:
        """Claim the alert in the database, log it, POST it; False when another process sent it."""
        claimed = await self._claim(alert)
        if not claimed:
            return False
        log.warning("%s", alert.message())
        self.sent.append(alert)
        raised = self._history_entry(alert)
        if self.hub is not None:
            # A budget with its own webhook gets the payload below; others the configured alert webhook.
            await self.hub.raise_alert(raised, webhook=not webhook, logged=True)
        if webhook:
            delivered = await self._post(webhook, alert)
            if delivered:
                await self._mark_delivered(alert)
            if self.hub is not None:
                await self.hub.mark(
                    raised.dedup_key, delivered=delivered, error=None if delivered else "failed"
                )
        return True

    @staticmethod
    def _history_entry(alert: Alert) -> RaisedAlert:
        return RaisedAlert(
            kind="budget",
            severity="critical" if alert.hard_limit else "warning",
            subject=alert.budget,
            message=alert.message(),
            dedup_key=f"budget|{alert.budget}|{alert.period_start}|{alert.threshold_pct:g}",
            app=alert.app,
            details=asdict(alert),
        )

    async def _claim(self, alert: Alert) -> bool:
        table = AlertSent.__table__
        insert = postgresql.insert if self.database.is_postgres else sqlite.insert
        stmt = (
            insert(table)  # type: ignore[arg-type]
            .values(
                budget_key=alert.budget,
                period_start=dt.date.fromisoformat(alert.period_start),
                threshold_pct=alert.threshold_pct,
                app=alert.app,
                spent_usd=alert.spent_usd,
                limit_usd=alert.limit_usd,
                sent_at=dt.datetime.now(dt.UTC),
                delivered=False,
            )
            .on_conflict_do_nothing(index_elements=["budget_key", "period_start", "threshold_pct"])
        )
        for attempt in range(self.max_attempts):
            try:
                async with self.database.engine.begin() as conn:
                    result = await conn.execute(stmt)
                return bool(result.rowcount)
            except Exception as exc:
                if attempt + 1 == self.max_attempts:
                    # Better a possible duplicate than a silent budget breach.
                    log.error("could not record alert in the database (%s); sending anyway", exc)
                    return True
                await self.sleep(self.base_delay_s * 2**attempt)
        return True

    async def _post(self, url: str, alert: Alert) -> bool:
        payload = {"type": "budget_alert", "text": alert.message(), **asdict(alert)}
        client = self._client
        if client is None:
            client = self._client = httpx.AsyncClient(timeout=10.0)
        for attempt in range(self.max_attempts):
            try:
                response = await client.post(url, json=payload)
                if response.status_code < 500 and response.status_code != 429:
                    if response.status_code >= 400:
                        log.error("alert webhook rejected the alert: HTTP %d", response.status_code)
                        return False
                    return True
                reason = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                reason = type(exc).__name__
            if attempt + 1 < self.max_attempts:
                log.info("alert webhook failed (%s); retrying", reason)
                await self.sleep(self.base_delay_s * 2**attempt)
        log.error("alert webhook failed after %d attempts; the alert is in the log only", self.max_attempts)
        return False

    async def _mark_delivered(self, alert: Alert) -> None:
        try:
            async with self.database.session() as session:
                await session.execute(
                    update(AlertSent)
                    .where(
                        AlertSent.budget_key == alert.budget,
                        AlertSent.period_start == dt.date.fromisoformat(alert.period_start),
                        AlertSent.threshold_pct == alert.threshold_pct,
                    )
                    .values(delivered=True)
                )
        except Exception as exc:
            log.warning("could not mark alert delivered: %s", exc)

    async def drain(self) -> None:
        """Wait for alerts in flight (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def aclose(self, timeout_s: float = 5.0) -> None:
        if self._tasks:
            _, pending = await asyncio.wait(list(self._tasks), timeout=timeout_s)
            for task in pending:
                task.cancel()
        if self._own_client and self._client is not None:
            await self._client.aclose()
