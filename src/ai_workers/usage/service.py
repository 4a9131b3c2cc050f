"""The usage service: one record per request, its cost, its budgets, alerts, audit, the database.

Two pipeline stages come from here. ``record_stage`` is the outermost: whichever way a request ends (a
response, a stream's close, an exception, a refusal by an inner stage) it sets ``ctx.finished``, the
status and error kind, prices the request, settles its budget reservation, queues ONE usage record
for the background writer and calls the listeners (metrics, health). ``budget_stage`` sits right
inside it and admits or refuses the request against its app's and user's budgets.

Nothing here touches the database on the request path: records and audit events are queued, counters
are in memory or one Redis round trip away, and pricing is arithmetic on the catalog.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import msgspec
from sqlalchemy import func, or_, select

from ai_workers.core.background import cancel_and_wait
from ai_workers.core.config import ConfigStore
from ai_workers.core.context import RequestContext
from ai_workers.core.outage import Outage
from ai_workers.core.pipeline import ChunkStream, Handler, Result
from ai_workers.core.types import AnyRequest, SpeechResponse, TranscriptionResponse, Usage
from ai_workers.db.engine import Database
from ai_workers.db.models import Budget as BudgetRow
from ai_workers.db.models import UsageRecord
from ai_workers.db.redis_client import redis_client
from ai_workers.db.shared_file import shared_state_file
from ai_workers.usage.alert_history import AlertHub
from ai_workers.usage.alerts import AlertSender
from ai_workers.usage.audit import AuditLog
from ai_workers.usage.budget_rules import BudgetRule
from ai_workers.usage.budgets import BudgetEnforcer
from ai_workers.usage.counters import Check, Reservation
from ai_workers.usage.journal import Journal
from ai_workers.usage.pricing import FreeNeuronPool, price
from ai_workers.usage.records import CACHE_HITS, status_of, usage_row
from ai_workers.usage.redis_counters import REDIS_TIMEOUT_S
from ai_workers.usage.request_text import PURGE_INTERVAL_S, purge_text
from ai_workers.usage.spool import Spool
from ai_workers.usage.writer import BatchWriter

log = logging.getLogger("ai_workers.usage")

Listener = Callable[[RequestContext], None]
# Error kinds of requests the budget stage refused: recorded, but never counted by a budget.
NOT_ADMITTED = ("budget_exceeded", "budget_counters_unavailable")
_RESERVATION = "usage.budget_reservation"


class UsageSettings(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """The ``usage:`` section of the config file."""

    flush_interval_s: float = 0.1
    max_batch: int = 1000
    write_timeout_s: float = 5.0
    retry_interval_s: float = 2.0
    spool_dir: str | None = None  # default: <data_dir>/spool
    rollup_interval_s: float = 300.0  # 0 disables the scheduled roll-up
    budget_refresh_s: float = 30.0  # how often the budgets table is re-read
    neuron_sync_s: float = 1.0  # how often the free-neuron counter is shared through Redis
    default_output_tokens: int = 1024  # reserved for chat requests without max_tokens
    budget_fail_open: bool = False  # Redis down: admit without a budget check (default: refuse, 503)
    alerts: dict[str, Any] = msgspec.field(default_factory=dict)  # usage.alert_history.AlertSettings
    daily_report: dict[str, Any] = msgspec.field(default_factory=dict)  # usage.report_delivery
    # Shared budgets are admitted against per-process leases (usage.leases); all leases on a budget hold
    # at most this percent of its limit beyond admitted requests: the bound on overshoot. 0: no leases,
    # each request reserves with a round trip to the shared counters (overshoot only beyond estimates).
    lease_bound_pct: float = 5.0


class UsageService:
    def __init__(
        self,
        config: ConfigStore,
        *,
        database: Database | None = None,
        redis_url: str | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self.config = config
        settings = config.current
        self.options = settings.section("usage", UsageSettings)
        self.clock = clock
        self.sleep = sleep
        self.database = database or Database(settings.resolved_database_url())
        spool_root = (
            Path(self.options.spool_dir) if self.options.spool_dir else settings.resolved_data_dir() / "spool"
        )
        self.spool = Spool(spool_root / "usage")
        # Rows of answered requests not stored yet, on disk at once, so SIGKILL loses none of them.
        self.journal = Journal(spool_root / "usage-journal")
        self.writer = BatchWriter(
            self.database,
            UsageRecord.__table__,  # type: ignore[arg-type]
            self.spool,
            flush_interval_s=self.options.flush_interval_s,
            max_batch=self.options.max_batch,
            write_timeout_s=self.options.write_timeout_s,
            retry_interval_s=self.options.retry_interval_s,
            journal=self.journal,
        )
        self.audit = AuditLog(self.database, Spool(spool_root / "audit"))
        self.redis_url = redis_url if redis_url is not None else settings.redis_url
        # Several worker processes without Redis share their budget counters in a file, else each would
        # admit against its own and together spend a multiple of the budget.
        shared = shared_state_file(settings, "budget-counters.db")
        self.budgets = BudgetEnforcer(
            redis_url=self.redis_url,
            clock=clock,
            default_output_tokens=self.options.default_output_tokens,
            fail_open=self.options.budget_fail_open,
            shared_path=shared,
            lease_bound_pct=self.options.lease_bound_pct,
        )
        self.budgets.fresh_baseline = self.recorded_spend
        # The free-neuron allowance is account-wide: with Redis, every gateway adds its use to one total.
        self._neuron_redis: Any = (
            redis_client(self.redis_url, timeout_s=REDIS_TIMEOUT_S, decode_responses=True)
            if self.redis_url
            else None
        )
        self.alert_hub = AlertHub(self.database, config, client=http_client, sleep=sleep)
        self.alerts = AlertSender(self.database, client=http_client, sleep=sleep, hub=self.alert_hub)
        catalog = settings.catalog
        self.free_neurons = FreeNeuronPool(catalog.free_neurons_per_day)
        self._listeners: list[Listener] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._settlements: set[asyncio.Task[None]] = set()
        self._started = False
        self.migrated = False
        self.record_stage = RecordStage(self)
        self.budget_stage = BudgetStage(self)
        self.recorded = 0  # records queued by this process (== requests finished)

    # -- listeners ----------------------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        """``listener(ctx)`` runs once per finished request, after pricing; keep it cheap and sync."""
        self._listeners.append(listener)

    # -- lifecycle ----------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._started:
            return
        self._started = True
        try:
            await self.database.migrate()
            self.migrated = True
            await self.load_state()
        except Exception as exc:
            # The gateway still serves: records go to the spool until the database answers.
            log.error("usage database unavailable at start (%s); records will be spooled", exc)
        self.adopt_orphans()
        self.writer.start()
        self.audit.start()
        loop = asyncio.get_running_loop()
        self._tasks.append(loop.create_task(self._maintenance(), name="usage-maintenance"))
        if self.options.rollup_interval_s > 0:
            self._tasks.append(loop.create_task(self._rollup_loop(), name="usage-rollup"))
        self._tasks.append(loop.create_task(self._text_purge_loop(), name="usage-text-purge"))

    async def stop(self) -> None:
        """Settle in-flight work and flush every queued record and audit event."""
        await cancel_and_wait(*self._tasks)
        self._tasks.clear()
        if self._settlements:
            await asyncio.gather(*list(self._settlements), return_exceptions=True)
        await self.alerts.aclose()
        await self.alert_hub.aclose()
        await self.writer.stop()
        await self.audit.stop()
        await self._push_neurons()
        if self._neuron_redis is not None:
            await self._neuron_redis.aclose()
        await self.budgets.aclose()
        await self.database.dispose()
        self._started = False

    async def flush(self) -> None:
        """Write everything queued so far (tests, CLI, before reports)."""
        if self._settlements:
            await asyncio.gather(*list(self._settlements), return_exceptions=True)
        await self.writer.flush()
        await self.audit.flush()

    async def load_state(self) -> None:
        """Seed budget counters and today's free-neuron use from the database; read the budgets table."""
        await self.refresh_budget_table()
        now = dt.datetime.fromtimestamp(self.clock(), dt.UTC)
        day = now.date()
        month = day.replace(day=1)
        baseline: dict[tuple[str, dt.date, str, str | None], tuple[float, int]] = {}
        async with self.database.session() as session:
            for period, start in (("daily", day), ("monthly", month)):
                since = dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC)
                admitted = _admitted()
                by_app = await session.execute(
                    select(UsageRecord.app, func.sum(UsageRecord.cost_usd), func.count())
                    .where(UsageRecord.ts >= since, admitted)
                    .group_by(UsageRecord.app)
                )
                for app, usd, count in by_app:
                    baseline[(period, start, app, None)] = (float(usd or 0), int(count))
                by_user = await session.execute(
                    select(UsageRecord.app, UsageRecord.user, func.sum(UsageRecord.cost_usd), func.count())
                    .where(UsageRecord.ts >= since, UsageRecord.user.is_not(None), admitted)
                    .group_by(UsageRecord.app, UsageRecord.user)
                )
                for app, user, usd, count in by_user:
                    baseline[(period, start, app, user)] = (float(usd or 0), int(count))
            since_day = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
            neurons = await session.scalar(
                select(func.sum(UsageRecord.neurons)).where(UsageRecord.ts >= since_day)
            )
        self.budgets.baseline = baseline
        self.free_neurons.absorb(float(neurons or 0.0), day)
        self.free_neurons.unsynced = 0.0

    async def recorded_spend(self, checks: list[Check]) -> list[tuple[float, int]]:
        """(spend, requests) each check's budget has recorded this period, summed now: the database's
        rows plus this process's rows not stored yet (queued or spooled). What a vanished shared counter
        is rebuilt from; bounded by a timeout because a budget check waits for it (a failure refuses
        the request as the counters being unreachable would)."""
        out: list[tuple[float, int]] = []
        unstored = list(self.writer.pending_rows()) + await asyncio.to_thread(self._spooled_rows)
        async with asyncio.timeout(REDIS_TIMEOUT_S * 2), self.database.session() as session:
            for check in checks:
                rule = check.budget.rule
                since = dt.datetime(check.start.year, check.start.month, check.start.day, tzinfo=dt.UTC)
                user = check.user if rule.scope == "user" else None
                stmt = select(func.sum(UsageRecord.cost_usd), func.count()).where(
                    UsageRecord.ts >= since,
                    UsageRecord.app == check.budget.app,
                    _admitted(),
                )
                if user is not None:
                    stmt = stmt.where(UsageRecord.user == user)
                usd, count = (await session.execute(stmt)).one()
                spent, requests = float(usd or 0), int(count)
                for row in unstored:
                    if _counts_for(row, check.budget.app, user, since):
                        spent += float(row.get("cost_usd") or 0)
                        requests += 1
                out.append((spent, requests))
        return out

    def _spooled_rows(self) -> list[dict[str, Any]]:
        return [row for path in self.spool.segments() for row in self.spool.read(path)]

    async def refresh_budget_table(self) -> None:
        rules: dict[str, list[BudgetRule]] = {}
        async with self.database.session() as session:
            for row in (await session.scalars(select(BudgetRow))).all():
                rules.setdefault(row.app, []).append(
                    BudgetRule(
                        period="monthly" if row.period == "monthly" else "daily",
                        usd=row.limit_usd,
                        requests=row.limit_requests,
                        scope="user" if row.scope == "user" else "app",
                        user=row.user,
                        soft_pct=row.soft_pct,
                        thresholds=list(row.thresholds) if row.thresholds else None,
                        webhook=row.webhook_url,
                        name=f"table-{row.id}",
                    )
                )
        if rules != self.budgets.table_rules:
            self.budgets.set_table_rules(rules)

    async def _maintenance(self) -> None:
        """Retry migrations after a failed start, re-read the budgets table, share free neurons."""
        last_budgets = time.monotonic()
        interval = min(self.options.neuron_sync_s, self.options.budget_refresh_s, 5.0)
        outage = Outage(log, "usage maintenance")
        while True:
            await asyncio.sleep(interval)
            try:
                if not self.migrated:
                    await self.database.migrate()
                    self.migrated = True
                    await self.load_state()
                if time.monotonic() - last_budgets >= self.options.budget_refresh_s:
                    last_budgets = time.monotonic()
                    await self.refresh_budget_table()
                await self._push_neurons()
                await self.budgets.maintain()
                self._prune_counters()
                if await asyncio.to_thread(self.journal.adopt_orphans, self.spool.directory):
                    self.writer.note_spooled()
            except Exception as exc:
                outage.failed(exc, traceback=log.isEnabledFor(logging.DEBUG))
            else:
                outage.succeeded()

    def adopt_orphans(self) -> int:
        """Recover the journals of dead processes (a SIGKILLed worker) into the spool, which the writer
        replays idempotently; at start and then periodically, so a sibling worker recovers them too."""
        rows = self.journal.adopt_orphans(self.spool.directory)
        if rows:
            self.writer.note_spooled()
        return rows

    def _prune_counters(self) -> None:
        local = self.budgets.local
        if local is not None:  # shared counters expire by themselves
            periods = self.budgets.periods
            periods.refresh()
            local.prune({periods.day.isoformat(), periods.month.isoformat()})

    async def _push_neurons(self) -> None:
        """Share this process's neuron use through Redis and adopt the account-wide total."""
        client = self._neuron_redis
        pool = self.free_neurons
        if client is None or pool.day is None:
            return
        key = f"aiw:neurons:{pool.day.isoformat()}"
        delta, pool.unsynced = pool.unsynced, 0.0
        try:
            total = float(await client.incrbyfloat(key, delta))
            await client.expire(key, 3 * 86400)
        except Exception:
            pool.unsynced += delta
            raise
        pool.absorb(total, pool.day)

    async def _rollup_loop(self) -> None:
        from ai_workers.usage.rollup import backfill_hourly, rollup_recent

        try:
            await backfill_hourly(self.database)
        except Exception as exc:
            log.warning("hourly roll-up backfill failed: %s", exc)
        while True:
            await asyncio.sleep(self.options.rollup_interval_s)
            try:
                await self.writer.flush()
                await rollup_recent(self.database, now=dt.datetime.fromtimestamp(self.clock(), dt.UTC))
            except Exception as exc:
                log.warning("daily roll-up failed: %s", exc)

    async def _text_purge_loop(self) -> None:
        """Clear request-log text past each app's retention, now and then once an hour."""
        while True:
            try:
                if self.migrated:
                    now = dt.datetime.fromtimestamp(self.clock(), dt.UTC)
                    await purge_text(self.database, self.config.current, now)
            except Exception as exc:
                log.warning("request-log text purge failed: %s", exc)
            await asyncio.sleep(PURGE_INTERVAL_S)

    # -- finishing a request ------------------------------------------------------------------------

    def finish(self, ctx: RequestContext, error: BaseException | None, result: object = None) -> None:
        """Settle one request exactly once: status, cost, budget, record, listeners."""
        if ctx.finished is not None:
            return
        ctx.finished = time.perf_counter()
        if error is not None:
            ctx.status, ctx.error_kind = status_of(error)
        elif ctx.status >= 400 and ctx.error_kind is None:
            ctx.error_kind = "error"
        if result is not None:
            _usage_from_result(ctx, result)
        list_usd = self._price(ctx)
        reservation: Reservation | None = ctx.state.pop(_RESERVATION, None)
        cost = ctx.cost_usd or 0.0
        if reservation is not None or (cost and ctx.internal):
            self._settle_budget(ctx, reservation, cost)
        self.writer.put(usage_row(ctx, list_usd))
        self.recorded += 1
        for listener in self._listeners:
            try:
                listener(ctx)
            except Exception:
                log.exception("usage listener failed")

    def _settle_budget(self, ctx: RequestContext, reservation: Reservation | None, cost: float) -> None:
        budgets = self.budgets
        local = budgets.inline
        if local is not None:
            if reservation is not None:
                snapshots = budgets.settle_now(reservation, cost)
            else:
                snapshots = local.charge_now(budgets.checks_for(ctx), cost)
            self.alerts.check(snapshots)
            return

        async def settle_shared() -> None:
            # A lost settlement would keep the reservation (and hide the spend) until the counter
            # expires, so retry a Redis blip a few times before giving up.
            for attempt in range(4):
                try:
                    if reservation is not None:
                        reservation.settled = False
                        snapshots = await budgets.settle(reservation, cost)
                    else:
                        snapshots = await budgets.charge(ctx, cost)
                except Exception as exc:
                    if attempt == 3:
                        log.error("budget settlement failed: %s", exc)
                        return
                    await self.sleep(0.2 * 2**attempt)
                else:
                    self.alerts.check(snapshots)
                    return

        # Shared counters are one Redis round trip away: settle after the response, not before it.
        task = asyncio.get_running_loop().create_task(settle_shared())
        self._settlements.add(task)
        task.add_done_callback(self._settlements.discard)

    def _price(self, ctx: RequestContext) -> float:
        """Set ctx.cost_usd (billed) and ctx.neurons; return the list price (before free neurons)."""
        if ctx.cost_usd is not None and ctx.provider is None:
            return ctx.cost_usd  # a stage priced it itself
        if (
            ctx.provider is None
            or ctx.provider_model is None
            or (ctx.cache in CACHE_HITS and not ctx.attempts)
        ):
            # No upstream call: a cache hit, a refusal, or a failure before any provider answered.
            ctx.cost_usd = 0.0
            return 0.0
        deployment = None
        for target in ctx.targets:
            if target.provider == ctx.provider and target.provider_model == ctx.provider_model:
                deployment = target.deployment
                break
        if deployment is None:
            spec = ctx.settings.catalog.find(ctx.logical_model or ctx.provider_model or ctx.requested_model)
            if spec is not None:
                for dep in spec.deployments:
                    if dep.provider == ctx.provider:
                        deployment = dep
                        break
        if deployment is None:
            ctx.cost_usd = 0.0
            return 0.0
        usage = ctx.usage
        if ctx.neurons is not None and usage.neurons is None:
            usage = Usage(usage.prompt_tokens, usage.completion_tokens, usage.total_tokens, ctx.neurons)
        catalog = ctx.settings.catalog
        list_usd, neurons = price(catalog, deployment, usage, ctx.units)
        billed = list_usd
        if neurons:
            today = dt.datetime.fromtimestamp(self.clock(), dt.UTC).date()
            free = self.free_neurons.charge(neurons, today)
            billed = max(0.0, list_usd - free * catalog.neuron_price_usd)
        ctx.neurons = neurons
        ctx.cost_usd = billed
        return list_usd


def _admitted() -> Any:
    """Records of requests the budget stage let through (what budget counters count)."""
    return or_(UsageRecord.error_kind.is_(None), UsageRecord.error_kind.not_in(NOT_ADMITTED))


def _counts_for(row: dict[str, Any], app: str, user: str | None, since: dt.datetime) -> bool:
    """Whether an unstored usage row counts toward a budget of ``app`` (and ``user``) since ``since``."""
    if row.get("app") != app or row.get("error_kind") in NOT_ADMITTED:
        return False
    if user is not None and row.get("user") != user:
        return False
    ts = row.get("ts")
    if isinstance(ts, str):
        ts = dt.datetime.fromisoformat(ts)
    return isinstance(ts, dt.datetime) and ts >= since


def _usage_from_result(ctx: RequestContext, result: object) -> None:
    """Fill tokens/units the executor did not (e.g. a cache hit answered by the cache stage)."""
    if ctx.usage.prompt_tokens or ctx.usage.completion_tokens:
        return
    usage = getattr(result, "usage", None)
    if isinstance(usage, Usage):
        ctx.usage = usage
    if isinstance(result, TranscriptionResponse) and result.duration and "audio_minutes" not in ctx.units:
        ctx.units["audio_minutes"] = result.duration / 60.0
    if isinstance(result, SpeechResponse) and "characters" not in ctx.units and result.characters:
        ctx.units["characters"] = float(result.characters)


class RecordStage:
    """Outermost stage: every request ends here exactly once (see UsageService.finish)."""

    name = "usage"

    def __init__(self, service: UsageService) -> None:
        self.service = service

    async def __call__(self, ctx: RequestContext, request: AnyRequest, call_next: Handler) -> Result:
        try:
            result = await call_next(ctx, request)
        except BaseException as exc:
            self.service.finish(ctx, exc)
            raise
        if isinstance(result, ChunkStream):
            service = self.service

            def settle(error: BaseException | None) -> None:
                service.finish(ctx, error)

            result.on_close(settle)
            return result
        self.service.finish(ctx, None, result)
        return result


class BudgetStage:
    """Admit the request against its budgets (reserving its estimated cost) or refuse it (429)."""

    name = "budget"

    def __init__(self, service: UsageService) -> None:
        self.budgets = service.budgets

    async def __call__(self, ctx: RequestContext, request: AnyRequest, call_next: Handler) -> Result:
        if not ctx.internal:
            reservation = await self.budgets.reserve(ctx, request)
            if reservation is not None:
                ctx.state[_RESERVATION] = reservation
        return await call_next(ctx, request)
