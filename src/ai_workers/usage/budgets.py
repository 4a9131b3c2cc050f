"""Budgets: per app or per user, daily or monthly, in dollars and/or requests, enforced under load.

A request *reserves* its estimated maximum cost when it is admitted and *settles* with the actual cost
when it ends. Admission requires ``spent + reserved + estimate <= limit`` (and likewise one more
request for request limits), so concurrent requests cannot all slip under the limit at once: spend can
only pass the limit when requests cost more than their estimates, and then by at most what the
requests in flight cost beyond them. Output is estimated at its upper bound (``max_tokens``, else the
default); input at about four characters per token (``pricing.CostEstimator``, no tokenizer), which text
that tokenizes denser (digits, very short words, non-Latin scripts) can exceed: measured, 60 concurrent
prompts of 300 two-character words passed a $0.01 budget by one request's cost ($0.00125).

Counters (``usage.counters``) live in this process's memory (``usage.memory_counters``: the check adds a
few microseconds); when ``redis_url`` is set, in Redis hashes updated by Lua scripts, so several
gateways share one budget atomically (``usage.redis_counters``); and for ``serve --workers N`` without
Redis, in a SQLite file the worker processes share (``usage.shared_counters``). Shared counters are
not consulted per request: each process admits against a lease it takes from them (``usage.leases``,
where the guarantee is stated: overshoot is at most the sum of outstanding leases, a configurable
bound reported on ``/api/budgets``). They are seeded from
the database at start (this period's records) and roll over by themselves, since each counter's key
names its period; a shared counter that vanishes (Redis restarted empty) is rebuilt from the database's
sum at that moment, not from the start-time snapshot.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import msgspec

from ai_workers.core.config import Settings
from ai_workers.core.context import RequestContext
from ai_workers.core.errors import AIWorkersError, BudgetExceededError
from ai_workers.core.types import AnyRequest
from ai_workers.usage.budget_rules import Budget, BudgetRule, compile_budgets
from ai_workers.usage.counters import (
    COUNTER_TTL_S,
    BudgetCounters,
    Check,
    Counter,
    FreshBaseline,
    InlineSettle,
    LocalCounters,
    Reservation,
    SharedCounters,
    Snapshot,
    Violation,
)
from ai_workers.usage.leases import DEFAULT_BOUND_PCT, LeaseCounters, bounds_for
from ai_workers.usage.memory_counters import MemoryCounters
from ai_workers.usage.pricing import CostEstimator
from ai_workers.usage.redis_counters import RedisCounters
from ai_workers.usage.shared_counters import SqliteCounters

log = logging.getLogger("ai_workers.usage.budgets")


class BudgetUnavailableError(AIWorkersError):
    """The shared budget counters (Redis) cannot be reached, and the app has a hard budget."""

    status = 503
    type = "budget_unavailable"
    code = "budget_counters_unavailable"


# ---------------------------------------------------------------------------------------------------
# Periods


@dataclass(slots=True)
class PeriodClock:
    """UTC period starts for ``now``, recomputed only when the day changes (cheap on the hot path)."""

    clock: Callable[[], float] = time.time
    _day_index: int = -1
    day: dt.date = dt.date(1970, 1, 1)
    month: dt.date = dt.date(1970, 1, 1)

    def refresh(self) -> None:
        day_index = int(self.clock() // 86400)
        if day_index != self._day_index:
            self._day_index = day_index
            self.day = dt.date(1970, 1, 1) + dt.timedelta(days=day_index)
            self.month = self.day.replace(day=1)

    def start(self, period: str) -> dt.date:
        return self.day if period == "daily" else self.month


def period_end(period: str, start: dt.date) -> dt.datetime:
    if period == "daily":
        end = start + dt.timedelta(days=1)
    else:
        end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return dt.datetime(end.year, end.month, end.day, tzinfo=dt.UTC)


def counter_key(budget: Budget, user: str | None, start: dt.date) -> str:
    who = user if budget.per_user else (budget.rule.user or "")
    return f"{budget.key}|{who}|{start.isoformat()}"


# ---------------------------------------------------------------------------------------------------
# The enforcer


@dataclass(slots=True)
class BudgetStatus:
    app: str
    budget: str
    scope: str
    user: str | None
    period: str
    period_start: str
    resets_at: str
    limit_usd: float | None
    limit_requests: int | None
    spent_usd: float
    reserved_usd: float
    requests: int
    percent: float
    soft_pct: float
    # Leases (shared counters only): what all processes hold together now, and the most they may hold
    # beyond admitted requests (the bound on overshoot); None for a single process's memory counters.
    leased_usd: float | None = None
    leased_requests: int | None = None
    lease_bound_usd: float | None = None
    lease_bound_requests: int | None = None


class BudgetEnforcer:
    """Reserve/settle against the budgets that apply to a request; raise BudgetExceededError."""

    def __init__(
        self,
        *,
        redis_url: str | None = None,
        clock: Callable[[], float] = time.time,
        default_output_tokens: int = 1024,
        fail_open: bool = False,
        shared_path: Path | None = None,
        lease_bound_pct: float = DEFAULT_BOUND_PCT,
    ) -> None:
        """``redis_url``: counters in Redis (several machines). Else ``shared_path``: counters in a SQLite
        file the worker processes of one machine share. Else this process's memory (one process)."""
        self.periods = PeriodClock(clock)
        self.clock = clock
        self.default_output_tokens = default_output_tokens
        self.fail_open = fail_open
        # (period, period start, app, user or None) -> (usd, requests) already recorded in the database.
        self.baseline: dict[tuple[str, dt.date, str, str | None], tuple[float, int]] = {}
        self.table_rules: dict[str, list[BudgetRule]] = {}  # from the budgets table
        self._compiled: dict[tuple[int, str], list[Budget]] = {}
        self._compiled_for: Settings | None = None
        self._estimators: dict[int, CostEstimator] = {}
        # How requests name a user (the gateway makes ids holding an identifier a pseudonym): a rule
        # naming one user is matched, keyed and reported under the same name.
        self.user_key: Callable[[str], str] = lambda user: user
        self.counters: BudgetCounters
        self.fresh_baseline: FreshBaseline | None = None
        # The same counters when they live in this process: callers then reserve and settle inline
        # (no await, nothing that can fail); None when they are shared and a round trip away.
        self.local: LocalCounters | None = None
        # Counters settled without an await: the local ones, or the leases over shared ones.
        self.inline: InlineSettle | None = None
        self.leases: LeaseCounters | None = None
        self.lease_bound_pct = lease_bound_pct
        shared: SharedCounters | None = None
        if redis_url:
            shared = RedisCounters(redis_url, self._baseline_for, fresh_baseline=self._fresh_baseline_for)
        elif shared_path is not None:
            shared = SqliteCounters(shared_path, self._baseline_for, ttl_s=COUNTER_TTL_S)
        if shared is not None and lease_bound_pct > 0:
            self.counters = self.inline = self.leases = LeaseCounters(shared, bound_pct=lease_bound_pct)
        elif shared is not None:  # bound 0: no leases, one round trip per request (exact to estimates)
            self.counters = shared
        else:
            self.counters = self.local = self.inline = MemoryCounters(self._baseline_for)

    async def _fresh_baseline_for(self, checks: list[Check]) -> list[tuple[float, int]]:
        """A vanished shared counter's start: the database's sum now (``fresh_baseline``, set by the usage
        service), else the snapshot read at start (no database: tools, benchmarks)."""
        if self.fresh_baseline is not None:
            return await self.fresh_baseline(checks)
        return [self._baseline_for(c) for c in checks]

    def _baseline_for(self, check: Check) -> tuple[float, int]:
        rule = check.budget.rule
        user = check.user if rule.scope == "user" else None
        return self.baseline.get((rule.period, check.start, check.budget.app, user), (0.0, 0))

    def set_table_rules(self, rules: dict[str, list[BudgetRule]]) -> None:
        self.table_rules = rules
        self._compiled.clear()

    def budgets_for(self, settings: Settings, app: str) -> list[Budget]:
        if self._compiled_for is not settings:
            self._compiled.clear()
            self._estimators.clear()
            self._compiled_for = settings
        key = (id(settings), app)
        found = self._compiled.get(key)
        if found is None:
            raw = settings.app(app).budgets
            rules = list(msgspec.convert(raw, list[BudgetRule])) if raw else []
            rules += self.table_rules.get(app, [])
            rules = [
                msgspec.structs.replace(r, user=self.user_key(r.user))
                if r.scope == "user" and r.user not in (None, "*")
                else r
                for r in rules
            ]
            found = self._compiled[key] = compile_budgets(app, rules)
        return found

    def estimator(self, settings: Settings) -> CostEstimator:
        est = self._estimators.get(id(settings))
        if est is None:
            est = self._estimators[id(settings)] = CostEstimator(
                settings.catalog, default_output_tokens=self.default_output_tokens
            )
        return est

    def checks_for(self, ctx: RequestContext) -> list[Check]:
        budgets = self.budgets_for(ctx.settings, ctx.app.name)
        if not budgets:
            return []
        periods = self.periods
        periods.refresh()
        user = ctx.user
        checks = []
        for budget in budgets:
            if budget.applies_to(user):
                start = periods.start(budget.rule.period)
                checks.append(Check(budget, counter_key(budget, user, start), start, user))
        return checks

    async def reserve(self, ctx: RequestContext, request: AnyRequest) -> Reservation | None:
        """Admit the request (reserving its estimate) or raise BudgetExceededError."""
        checks = self.checks_for(ctx)
        if not checks:
            return None
        estimate = self.estimator(ctx.settings).estimate(ctx.requested_model, ctx.capability, request)
        token = ""
        if self.local is not None:
            violation = self.local.reserve_now(checks, estimate)
        else:
            token = uuid.uuid4().hex if self.leases is None else ""
            try:
                violation = await self.counters.reserve(checks, estimate, token=token)
            except Exception as exc:
                if self.fail_open:
                    log.warning("budget counters unavailable (%s); admitting without a check", exc)
                    return None
                raise BudgetUnavailableError(
                    "The shared budget counters cannot be reached, so this app's budget cannot be "
                    "checked; the request was not sent. Try again shortly."
                ) from exc
        if violation is not None:
            raise self._exceeded(checks[violation.index], violation, estimate)
        return Reservation(checks, estimate, token=token)

    def _exceeded(self, check: Check, violation: Violation, estimate: float) -> BudgetExceededError:
        rule = check.budget.rule
        resets = period_end(rule.period, check.start)
        resets_at = resets.strftime("%Y-%m-%dT%H:%M:%SZ")
        what = check.budget.describe(check.user)
        if violation.unit == "usd":
            detail = (
                f"${rule.usd:.2f} is used up (spent and in flight: ${violation.used:.4f}; this request "
                f"may cost up to ${estimate:.4f})"
            )
        else:
            detail = f"{rule.requests} requests are used up"
        message = f"Budget exceeded: {what}: {detail}. It resets at {resets_at}."
        return BudgetExceededError(
            message,
            budget=check.budget.key,
            resets_at=resets_at,
            retry_after=max(1.0, resets.timestamp() - self.clock()),
        )

    async def settle(self, reservation: Reservation, actual: float) -> list[Snapshot]:
        if reservation.settled:
            return []
        reservation.settled = True
        return await self.counters.settle(reservation, actual)

    def settle_now(self, reservation: Reservation, actual: float) -> list[Snapshot]:
        """Local counters or leases only (``self.inline``): settle without an await."""
        assert self.inline is not None
        if reservation.settled:
            return []
        reservation.settled = True
        return self.inline.settle_now(reservation, actual)

    async def charge(self, ctx: RequestContext, actual: float) -> list[Snapshot]:
        """Count an unreserved request (internal sub-requests are charged, never refused)."""
        checks = self.checks_for(ctx)
        return await self.counters.charge(checks, actual) if checks else []

    # -- status for the dashboard and CLI -----------------------------------------------------------

    async def status(self, settings: Settings, apps: Iterable[str]) -> list[BudgetStatus]:
        self.periods.refresh()
        out: list[BudgetStatus] = []
        for app in apps:
            for budget in self.budgets_for(settings, app):
                start = self.periods.start(budget.rule.period)
                users: list[str | None] = [budget.rule.user if budget.rule.scope == "user" else None]
                if budget.per_user:
                    users = [u for u in await self._users_with_counters(budget, start)]
                checks = [Check(budget, counter_key(budget, u, start), start, u) for u in users]
                if budget.per_user and not checks:
                    out.append(self._status_row(budget, None, start, Counter()))
                for check, counter in zip(checks, await self.counters.read(checks), strict=True):
                    row = self._status_row(budget, check.user, start, counter)
                    if self.leases is not None:
                        bound_usd, bound_n = bounds_for(check, self.lease_bound_pct)
                        row.leased_usd, row.leased_requests = (
                            round(counter.reserved, 6),
                            counter.reserved_requests,
                        )
                        row.lease_bound_usd = round(bound_usd, 6) if budget.rule.usd is not None else None
                        row.lease_bound_requests = int(bound_n) if budget.rule.requests is not None else None
                    out.append(row)
        return out

    async def _users_with_counters(self, budget: Budget, start: dt.date) -> list[str]:
        users = await self.counters.scan_users(budget, start)
        if self.local is None:
            return users
        # Local counters exist only for users this process has served since it started: add those
        # whose spend this period is in the database baseline.
        found = set(users)
        found |= {
            u
            for (p, s, a, u) in self.baseline
            if a == budget.app and p == budget.rule.period and s == start and u
        }
        return sorted(found)

    def _status_row(self, budget: Budget, user: str | None, start: dt.date, counter: Counter) -> BudgetStatus:
        rule = budget.rule
        pct = 0.0
        if rule.usd:
            pct = max(pct, counter.spent / rule.usd * 100)
        if rule.requests:
            pct = max(pct, counter.requests / rule.requests * 100)
        return BudgetStatus(
            app=budget.app,
            budget=budget.key,
            scope=rule.scope,
            user=user if rule.scope == "user" else None,
            period=rule.period,
            period_start=start.isoformat(),
            resets_at=period_end(rule.period, start).strftime("%Y-%m-%dT%H:%M:%SZ"),
            limit_usd=rule.usd,
            limit_requests=rule.requests,
            spent_usd=round(counter.spent, 6),
            reserved_usd=round(counter.reserved, 6),
            requests=counter.requests,
            percent=round(pct, 2),
            soft_pct=rule.soft_pct,
        )

    async def maintain(self) -> int:
        """Shared counters' periodic upkeep: release the reservations of dead workers and expired ones."""
        counters = self.counters
        if isinstance(counters, LeaseCounters | SharedCounters):
            return await counters.maintain()
        return 0

    async def aclose(self) -> None:
        await self.counters.aclose()


def crossed_thresholds(snapshot: Snapshot) -> list[float]:
    """Thresholds (percent) the counter is at or above now."""
    rule = snapshot.check.budget.rule
    pct = 0.0
    if rule.usd:
        pct = snapshot.spent / rule.usd * 100
    if rule.requests:
        pct = max(pct, snapshot.requests / rule.requests * 100)
    return [t for t in snapshot.check.budget.thresholds if pct >= t]
