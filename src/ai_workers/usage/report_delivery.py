"""Delivering the daily report: to a webhook (Slack-compatible ``{"text": ...}``) and/or by email
through the configured SMTP server, once a day across all workers.

``usage.daily_report`` in the config names the channels; secrets come from environment variables the
config names (the webhook URL, the SMTP password), never from the file. The server's background task
(``DailyReportScheduler``) wakes every minute; after ``send_at_utc`` it claims yesterday's report with
a row in ``report_deliveries`` (a primary-key insert, so exactly one worker of many wins, also across
restarts) and delivers it. ``ai-workers report daily --deliver`` sends one on demand (no claim).

The report is the same one ``ai-workers report daily`` prints: figures per app, provider and model
(requests, tokens, cost, latency, errors), nothing about prompts, answers or users.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import smtplib
import ssl
from collections.abc import Awaitable, Callable, Mapping
from email.message import EmailMessage
from typing import Any

import httpx
import msgspec
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from ai_workers.core.background import BackgroundTask
from ai_workers.core.config import ConfigStore, Settings
from ai_workers.core.errors import InvalidRequestError
from ai_workers.core.outage import Outage
from ai_workers.db.engine import Database
from ai_workers.db.models import ReportDelivery
from ai_workers.usage.reports import Report, daily_report, render
from ai_workers.usage.rollup import rollup_range

log = logging.getLogger("ai_workers.usage.report_delivery")


class DailyReportSettings(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """``usage.daily_report`` in the config file."""

    webhook_url: str | None = None
    webhook_url_env: str = "AI_WORKERS_REPORT_WEBHOOK_URL"
    email_to: list[str] = msgspec.field(default_factory=list)
    email_from: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password_env: str = "AI_WORKERS_SMTP_PASSWORD"  # noqa: S105 - the variable's name
    smtp_security: str = "starttls"  # starttls | ssl | none (a relay on localhost)
    send_at_utc: str = "07:00"  # yesterday's report goes out after this time of day (UTC)
    max_attempts: int = 4
    base_delay_s: float = 2.0

    def webhook(self, env: Mapping[str, str] = os.environ) -> str | None:
        return env.get(self.webhook_url_env) or self.webhook_url or None

    def channels(self, env: Mapping[str, str] = os.environ) -> list[str]:
        out = ["webhook"] if self.webhook(env) else []
        if self.email_to and self.smtp_host:
            out.append("email")
        return out


def report_settings(settings: Settings) -> DailyReportSettings:
    try:
        return msgspec.convert(settings.usage.get("daily_report") or {}, DailyReportSettings)
    except msgspec.ValidationError as exc:
        raise InvalidRequestError(f"usage.daily_report: {exc}", param="usage.daily_report") from None


async def build_daily(database: Database, day: dt.date) -> Report:
    await rollup_range(database, day, day)
    return await daily_report(database, day)


def _summary(report: Report, day: dt.date) -> str:
    totals = dict(zip(report.columns, report.totals or [], strict=False))
    if not report.rows:
        return f"ai-workers daily report for {day.isoformat()}: no requests."
    cost = totals.get("cost_usd")
    requests = totals.get("requests")
    figure = f"{requests} requests" if requests is not None else f"{len(report.rows)} rows"
    money = f", ${float(cost):.4f}" if isinstance(cost, int | float) else ""
    return f"ai-workers daily report for {day.isoformat()}: {figure}{money}."


class ReportSender:
    """Sends one rendered report to the configured channels; returns the channels that took it."""

    def __init__(
        self,
        options: DailyReportSettings,
        *,
        client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        env: Mapping[str, str] = os.environ,
    ) -> None:
        self.options = options
        self.client = client
        self.sleep = sleep
        self.env = env

    async def send(self, report: Report, day: dt.date) -> tuple[list[str], list[str]]:
        """(delivered channels, errors)."""
        delivered: list[str] = []
        errors: list[str] = []
        channels = self.options.channels(self.env)
        if not channels:
            raise InvalidRequestError(
                "usage.daily_report: no delivery channel is configured (a webhook URL, or email_to with "
                "smtp_host)",
                param="usage.daily_report",
            )
        markdown = render(report, "md")
        summary = _summary(report, day)
        if "webhook" in channels:
            error = await self._post(summary + "\n\n" + markdown)
            if error:
                errors.append(f"webhook: {error}")
            else:
                delivered.append("webhook")
        if "email" in channels:
            try:
                await self._retry(lambda: asyncio.to_thread(self._send_email, report, day, summary, markdown))
            except (OSError, smtplib.SMTPException) as exc:
                errors.append(f"email: {type(exc).__name__}: {exc}")
            else:
                delivered.append("email")
        return delivered, errors

    async def _retry(self, attempt: Callable[[], Awaitable[Any]]) -> Any:
        for n in range(self.options.max_attempts):
            try:
                return await attempt()
            except (OSError, smtplib.SMTPException):
                if n + 1 == self.options.max_attempts:
                    raise
                await self.sleep(self.options.base_delay_s * 2**n)
        return None

    async def _post(self, text: str) -> str | None:
        url = self.options.webhook(self.env)
        assert url is not None
        client = self.client or httpx.AsyncClient(timeout=15.0)
        reason = "not sent"
        try:
            for n in range(self.options.max_attempts):
                try:
                    response = await client.post(url, json={"text": text})
                    if response.status_code < 400:
                        return None
                    reason = f"HTTP {response.status_code}"
                    if response.status_code < 500 and response.status_code != 429:
                        break
                except httpx.HTTPError as exc:
                    reason = type(exc).__name__
                if n + 1 < self.options.max_attempts:
                    await self.sleep(self.options.base_delay_s * 2**n)
        finally:
            if self.client is None:
                await client.aclose()
        return reason

    def _send_email(self, report: Report, day: dt.date, summary: str, markdown: str) -> None:
        """Blocking (smtplib): runs in a worker thread."""
        options = self.options
        message = EmailMessage()
        message["Subject"] = f"ai-workers daily report {day.isoformat()}"
        message["From"] = options.email_from or f"ai-workers@{options.smtp_host}"
        message["To"] = ", ".join(options.email_to)
        message.set_content(summary + "\n\n" + markdown)
        message.add_attachment(
            render(report, "csv").encode("utf-8"),
            maintype="text",
            subtype="csv",
            filename=f"ai-workers-daily-{day.isoformat()}.csv",
        )
        host, port = options.smtp_host or "localhost", options.smtp_port
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if options.smtp_security == "ssl":
            smtp = smtplib.SMTP_SSL(host, port, timeout=30, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=30)
        with smtp:
            if options.smtp_security == "starttls":
                smtp.starttls(context=context)
            password = self.env.get(options.smtp_password_env)
            if options.smtp_username and password:
                smtp.login(options.smtp_username, password)
            smtp.send_message(message)


class DailyReportScheduler:
    """The server's once-a-day delivery of yesterday's report (see the module docstring)."""

    def __init__(
        self,
        database: Database,
        config: ConfigStore,
        *,
        clock: Callable[[], float] | None = None,
        interval_s: float = 60.0,
        client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.database = database
        self.config = config
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC).timestamp())
        self.interval_s = interval_s
        self.client = client
        self.sleep = sleep
        self._task = BackgroundTask("daily-report")
        self._outage = Outage(log, "delivering the daily report")

    def due(self, options: DailyReportSettings) -> dt.date | None:
        """The day whose report is due now (yesterday, once past send_at_utc), else None."""
        now = dt.datetime.fromtimestamp(self.clock(), dt.UTC)
        try:
            hour, minute = (int(part) for part in options.send_at_utc.split(":"))
        except ValueError:
            log.error("usage.daily_report.send_at_utc must be HH:MM, got %r", options.send_at_utc)
            return None
        if (now.hour, now.minute) < (hour, minute):
            return None
        return now.date() - dt.timedelta(days=1)

    async def run_once(self) -> list[str] | None:
        """Deliver the due report if this process wins its claim; the channels delivered, else None."""
        options = report_settings(self.config.current)
        if not options.channels():
            return None
        day = self.due(options)
        if day is None or not await self._claim(day):
            return None
        report = await build_daily(self.database, day)
        delivered, errors = await ReportSender(options, client=self.client, sleep=self.sleep).send(
            report, day
        )
        async with self.database.session() as session:
            await session.execute(
                update(ReportDelivery)
                .where(ReportDelivery.report == "daily", ReportDelivery.day == day)
                .values(
                    delivered=bool(delivered) and not errors,
                    channels=delivered,
                    error="; ".join(errors) or None,
                )
            )
            await session.commit()
        if errors:
            log.error("daily report for %s: %s", day, "; ".join(errors))
        else:
            log.info("daily report for %s delivered by %s", day, ", ".join(delivered))
        return delivered

    async def _claim(self, day: dt.date) -> bool:
        insert = postgresql.insert if self.database.is_postgres else sqlite.insert
        stmt = (
            insert(ReportDelivery.__table__)  # type: ignore[arg-type]
            .values(report="daily", day=day, claimed_at=dt.datetime.now(dt.UTC), delivered=False)
            .on_conflict_do_nothing(index_elements=["report", "day"])
        )
        async with self.database.engine.begin() as conn:
            result = await conn.execute(stmt)
        return bool(result.rowcount)

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            try:
                await self.run_once()
            except Exception as exc:
                self._outage.failed(exc)
            else:
                self._outage.succeeded()

    def start(self) -> None:
        self._task.start(self._loop)

    async def stop(self) -> None:
        await self._task.stop()
