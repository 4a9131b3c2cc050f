"""Operational alerts: stored in the alert history once, posted to a Slack-compatible webhook.

Every alert (budget threshold, circuit open, provider down, free Workers AI neurons at 80%/100%, an
error-rate spike) goes through ``AlertHub.raise_alert``. It first *claims* the alert's ``dedup_key``
with a unique insert into ``alert_events`` (INSERT ... ON CONFLICT DO NOTHING), so several workers
that see the same condition raise it once, and a condition that persists is not repeated within its
key's window (the key names the window: the day for neurons, the hour for a circuit). Only the
claiming process logs it and posts ``{"text": ...}`` (Slack's incoming-webhook shape, which Teams,
Mattermost and Discord's Slack-compatible endpoint also accept) with retries and backoff.

Alerts carry app names, providers, models and figures only: never a prompt, an answer, a user id or
a PHI value. The webhook URL is a secret (whoever has it can post): it comes from the environment
variable the config names (``usage.alerts.webhook_url_env``, default ``AI_WORKERS_ALERT_WEBHOOK_URL``)
or from ``usage.alerts.webhook_url``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import msgspec
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from ai_workers.core.config import ConfigStore
from ai_workers.db.engine import Database
from ai_workers.db.models import AlertEvent

log = logging.getLogger("ai_workers.usage.alerts")

KINDS = ("budget", "circuit_open", "provider_down", "neurons", "error_rate")


class AlertSettings(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """``usage.alerts`` in the config file."""

    webhook_url: str | None = None
    webhook_url_env: str = "AI_WORKERS_ALERT_WEBHOOK_URL"
    check_interval_s: float = 15.0  # how often circuits, neurons and the error rate are looked at
    error_rate_pct: float = 25.0  # failures (5xx, upstream errors; not refusals) in the window
    error_rate_min_requests: int = 20  # fewer requests in the window never count as a spike
    error_rate_window_s: float = 300.0
    neuron_thresholds: list[float] = msgspec.field(default_factory=lambda: [80.0, 100.0])
    max_attempts: int = 5
    base_delay_s: float = 1.0

    def resolved_webhook(self, env: Any = os.environ) -> str | None:
        return env.get(self.webhook_url_env) or self.webhook_url or None


@dataclass(slots=True)
class RaisedAlert:
    kind: str
    severity: str  # warning | critical
    subject: str
    message: str
    dedup_key: str
    app: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def alert_row(row: AlertEvent) -> dict[str, Any]:
    ts = row.ts if row.ts.tzinfo is not None else row.ts.replace(tzinfo=dt.UTC)
    return {
        "id": row.id,
        "ts": ts.isoformat(),
        "kind": row.kind,
        "severity": row.severity,
        "app": row.app,
        "subject": row.subject,
        "message": row.message,
        "details": row.details or {},
        "delivered": row.delivered,
        "delivery_error": row.delivery_error,
    }


class AlertHub:
    def __init__(
        self,
        database: Database,
        config: ConfigStore,
        *,
        client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.database = database
        self.config = config
        self._client = client
        self._own_client = client is None
        self.sleep = sleep
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def settings(self) -> AlertSettings:
        usage = self.config.current.usage
        try:
            return msgspec.convert(usage.get("alerts") or {}, AlertSettings)
        except msgspec.ValidationError as exc:
            # A typo in usage.alerts must not stop alerts: defaults (webhook from the environment).
            log.error("usage.alerts is invalid (%s); using the defaults", exc)
            return AlertSettings()

    # -- raising ------------------------------------------------------------------------------------

    async def raise_alert(
        self, alert: RaisedAlert, *, webhook: str | bool | None = True, logged: bool = False
    ) -> bool:
        """Store and deliver ``alert`` unless another process (or an earlier check) already did.

        ``webhook``: True posts to the configured webhook; a string posts there; False/None stores it
        only (its caller delivers it another way, as budget alerts with their own webhook do)."""
        if not await self._claim(alert):
            return False
        if not logged:
            log.warning("alert: %s", alert.message)
        url = self.settings.resolved_webhook() if webhook is True else webhook or None
        if url:
            error = await self.post(url, alert)
            await self.mark(alert.dedup_key, delivered=error is None, error=error)
        return True

    async def _claim(self, alert: RaisedAlert) -> bool:
        insert = postgresql.insert if self.database.is_postgres else sqlite.insert
        stmt = (
            insert(AlertEvent.__table__)  # type: ignore[arg-type]
            .values(
                ts=dt.datetime.now(dt.UTC),
                kind=alert.kind,
                severity=alert.severity,
                app=alert.app,
                subject=alert.subject[:300],
                message=alert.message,
                dedup_key=alert.dedup_key[:400],
                details=alert.details,
                delivered=False,
            )
            .on_conflict_do_nothing(index_elements=["dedup_key"])
        )
        try:
            async with self.database.engine.begin() as conn:
                result = await conn.execute(stmt)
        except Exception as exc:
            # Better a possible duplicate than a silent outage alert.
            log.error("could not store the alert in the history (%s); sending it anyway", exc)
            return True
        return bool(result.rowcount)

    async def post(self, url: str, alert: RaisedAlert) -> str | None:
        """POST the Slack-compatible body with retries; None when delivered, else why not."""
        options = self.settings
        payload = {
            "text": alert.message,
            "kind": alert.kind,
            "severity": alert.severity,
            "app": alert.app,
            "subject": alert.subject,
        }
        client = self._client
        if client is None:
            client = self._client = httpx.AsyncClient(timeout=10.0)
        reason = "not sent"
        for attempt in range(options.max_attempts):
            try:
                response = await client.post(url, json=payload)
                if response.status_code < 400:
                    return None
                reason = f"HTTP {response.status_code}"
                if response.status_code < 500 and response.status_code != 429:
                    break  # the receiver rejects it: retrying will not help
            except httpx.HTTPError as exc:
                reason = type(exc).__name__
            if attempt + 1 < options.max_attempts:
                await self.sleep(options.base_delay_s * 2**attempt)
        log.error("alert webhook failed (%s); the alert is in the history and the log only", reason)
        return reason

    async def mark(self, dedup_key: str, *, delivered: bool, error: str | None = None) -> None:
        try:
            async with self.database.session() as session:
                await session.execute(
                    update(AlertEvent)
                    .where(AlertEvent.dedup_key == dedup_key[:400])
                    .values(delivered=delivered, delivery_error=error)
                )
                await session.commit()
        except Exception as exc:
            log.warning("could not mark the alert delivered: %s", exc)

    # -- reading ------------------------------------------------------------------------------------

    async def history(
        self,
        *,
        since: dt.datetime,
        until: dt.datetime,
        app: str | None = None,
        kind: str | None = None,
        limit: int = 200,
    ) -> list[dict[str, Any]]:
        stmt = select(AlertEvent).where(AlertEvent.ts >= since, AlertEvent.ts < until)
        if app is not None:
            stmt = stmt.where(AlertEvent.app == app)
        if kind:
            stmt = stmt.where(AlertEvent.kind == kind)
        stmt = stmt.order_by(AlertEvent.id.desc()).limit(limit)
        async with self.database.session() as session:
            return [alert_row(r) for r in await session.scalars(stmt)]

    async def drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def aclose(self, timeout_s: float = 5.0) -> None:
        if self._tasks:
            _, pending = await asyncio.wait(list(self._tasks), timeout=timeout_s)
            for task in pending:
                task.cancel()
        if self._own_client and self._client is not None:
            await self._client.aclose()
