"""Budgets: per app or per user, daily or monthly, in dollars and/or requests, enforced under load.

A request *reserves* its estimated maximum cost when it is admitted and *settles* with the actual cost
when it ends. Admission requires ``spent + reserved + estimate <= limit`` (and likewise one more
request for request limits), so concurrent requests cannot all slip under the limit at once: spend can
only pass the limit when requests cost more than their estimates, and then by at most what the
requests in flight cost beyond them. Output is estimated at its upper bound (``max_tokens``, else the
default); input at about four characters per token (``pricing.CostEstimator``, no tokenizer), which text
that tokenizes denser (digits, very short words, non-Latin scripts) can exceed: measured, 60 concurrent
prompts of 300 two-character words passed a $0.01 budget by one request's cost ($0.00125).

Counters live in this process's memory (a dict lookup and a few float operations: the check adds a
few microseconds); when ``redis_url`` is set, in Redis hashes updated by Lua scripts, so several
gateways share one budget atomically; and for ``serve --workers N`` without Redis, in a SQLite file the
worker processes share (``usage.shared_counters``). They are seeded from the database at start (this
period's records) and roll over by themselves, since each counter's key names its period.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import msgspec

from ai_workers.core.config import Settings
from ai_workers.core.context import RequestContext
from ai_workers.core.errors import AIWorkersError, BudgetExceededError
from ai_workers.core.types import AnyRequest
from ai_workers.db.redis_client import redis_client
from ai_workers.usage.pricing import CostEstimator

if TYPE_CHECKING:
    from ai_workers.usage.shared_counters import SqliteCounters

log = logging.getLogger("ai_workers.usage.budgets")

Period = Literal["daily", "monthly"]
Scope = Literal["app", "user"]
DEFAULT_THRESHOLDS = (80.0, 100.0)


class BudgetRule(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """One budget as configured under ``apps.<name>.budgets`` (or a row of the budgets table).

    ``scope: user`` with no ``user`` (or ``"*"``) gives *each* user of the app their own budget.
    """

    period: Period = "daily"
    usd: float | None = None
    requests: int | None = None
    scope: Scope = "app"
    user: str | None = None
    soft_pct: float = 80.0
    thresholds: list[float] | None = None
    webhook: str | None = None
    name: str | None = None


class BudgetUnavailableError(AIWorkersError):
    """The shared budget counters (Redis) cannot be reached, and the app has a hard budget."""

    status = 503
    type = "budget_unavailable"
    code = "budget_counters_unavailable"


@dataclass(slots=True, frozen=True)
class Budget:
    """A rule bound to its app, with everything the hot path needs precomputed."""

    app: str
    rule: BudgetRule
    key: str  # stable identity, e.g. "billing/user:*/daily"; alerts_sent.budget_key
    thresholds: tuple[float, ...]

    @property
    def per_user(self) -> bool:
        return self.rule.scope == "user" and self.rule.user in (None, "*")

    def applies_to(self, user: str | None) -> bool:
        if self.rule.scope == "app":
            return True
        if user is None:
            return False
        return self.per_user or self.rule.user == user

    def describe(self, user: str | None) -> str:
        who = f"app '{self.app}'" if self.rule.scope == "app" else f"user '{user}' of app '{self.app}'"
        label = f" '{self.rule.name}'" if self.rule.name else ""
        return f"the {self.rule.period} budget{label} of {who}"


def compile_budgets(app: str, rules: Iterable[BudgetRule]) -> list[Budget]:
    out: list[Budget] = []
    for rule in rules:
        who = "app" if rule.scope == "app" else f"user:{rule.user or '*'}"
        key = f"{app}/{who}/{rule.period}" + (f"/{rule.name}" if rule.name else "")
        thresholds = set(rule.thresholds if rule.thresholds is not None else DEFAULT_THRESHOLDS)
        thresholds.add(rule.soft_pct)
        thresholds.add(100.0)
        out.append(Budget(app, rule, key, tuple(sorted(t for t in thresholds if t > 0))))
    return out


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
# Counters


@dataclass(slots=True)
class Counter:
    spent: float = 0.0
    reserved: float = 0.0
    requests: int = 0
    reserved_requests: int = 0


@dataclass(slots=True)
class Check:
    budget: Budget
    key: str
    start: dt.date
    user: str | None


@dataclass(slots=True)
class Reservation:
    checks: list[Check]
    estimate: float
    settled: bool = False


@dataclass(slots=True)
class Violation:
    index: int
    unit: str  # "usd" or "requests"
    used: float


@dataclass(slots=True)
class Snapshot:
    """A counter after settlement, for alert checks."""

    check: Check
    spent: float
    requests: int


class MemoryCounters:
    """One process's counters. Single-threaded (the event loop), so plain arithmetic is atomic."""

    shared = False

    def __init__(self, baseline: Callable[[Check], tuple[float, int]]) -> None:
        self._counters: dict[str, Counter] = {}
        self._baseline = baseline

    def _get(self, check: Check) -> Counter:
        counter = self._counters.get(check.key)
        if counter is None:
            spent, requests = self._baseline(check)
            counter = self._counters[check.key] = Counter(spent=spent, requests=requests)
        return counter

    async def reserve(self, checks: list[Check], estimate: float) -> Violation | None:
        return self.reserve_now(checks, estimate)

    def reserve_now(self, checks: list[Check], estimate: float) -> Violation | None:
        counters = [self._get(c) for c in checks]
        for index, (check, counter) in enumerate(zip(checks, counters, strict=True)):
            rule = check.budget.rule
            if rule.usd is not None and counter.spent + counter.reserved + estimate > rule.usd:
                return Violation(index, "usd", counter.spent + counter.reserved)
            if rule.requests is not None and counter.requests + counter.reserved_requests + 1 > rule.requests:
                return Violation(index, "requests", counter.requests + counter.reserved_requests)
        for counter in counters:
            counter.reserved += estimate
            counter.reserved_requests += 1
        return None

    async def settle(self, reservation: Reservation, actual: float) -> list[Snapshot]:
        return self.settle_now(reservation, actual)

    def settle_now(self, reservation: Reservation, actual: float) -> list[Snapshot]:
        out = []
        for check in reservation.checks:
            counter = self._get(check)
            counter.reserved = max(0.0, counter.reserved - reservation.estimate)
            counter.reserved_requests = max(0, counter.reserved_requests - 1)
            counter.spent += actual
            counter.requests += 1
            out.append(Snapshot(check, counter.spent, counter.requests))
        return out

    async def charge(self, checks: list[Check], actual: float) -> list[Snapshot]:
        return self.charge_now(checks, actual)

    def charge_now(self, checks: list[Check], actual: float) -> list[Snapshot]:
        """Add spend without a reservation (a stage's internal sub-request)."""
        out = []
        for check in checks:
            counter = self._get(check)
            counter.spent += actual
            counter.requests += 1
            out.append(Snapshot(check, counter.spent, counter.requests))
        return out

    async def read(self, checks: list[Check]) -> list[Counter]:
        return [self._get(c) for c in checks]

    def keys(self) -> list[str]:
        return list(self._counters)

    def prune(self, current: set[str]) -> int:
        """Forget counters of past periods (keys end with their period start); returns how many."""
        stale = [k for k in self._counters if k.rsplit("|", 1)[-1] not in current]
        for key in stale:
            del self._counters[key]
        return len(stale)

    async def aclose(self) -> None:
        return None


# Check every budget, then reserve on all of them, in one atomic step. A key that does not exist yet is
# seeded from the database baseline passed in ARGV (first process to touch it wins).
_RESERVE_LUA = """
local est = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  local base = 2 + (i - 1) * 4
  if redis.call('EXISTS', key) == 0 then
    redis.call('HSET', key, 's', ARGV[base + 3], 'n', ARGV[base + 4], 'r', 0, 'q', 0)
  end
  local v = redis.call('HMGET', key, 's', 'r', 'n', 'q')
  local s = tonumber(v[1]) or 0
  local r = tonumber(v[2]) or 0
  local n = tonumber(v[3]) or 0
  local q = tonumber(v[4]) or 0
  local lu = tonumber(ARGV[base + 1])
  local lr = tonumber(ARGV[base + 2])
  if lu >= 0 and s + r + est > lu then return {i, 'usd', tostring(s + r)} end
  if lr >= 0 and n + q + 1 > lr then return {i, 'requests', tostring(n + q)} end
end
for i, key in ipairs(KEYS) do
  redis.call('HINCRBYFLOAT', key, 'r', est)
  redis.call('HINCRBY', key, 'q', 1)
  redis.call('EXPIRE', key, ttl)
end
return {0}
"""

# Release the reservation and add the actual cost; returns spent and requests per key for alerts.
_SETTLE_LUA = """
local est = tonumber(ARGV[1])
local actual = tonumber(ARGV[2])
local reserved = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local out = {}
for i, key in ipairs(KEYS) do
  if reserved == 1 then
    redis.call('HINCRBYFLOAT', key, 'r', -est)
    redis.call('HINCRBY', key, 'q', -1)
  end
  local s = redis.call('HINCRBYFLOAT', key, 's', actual)
  local n = redis.call('HINCRBY', key, 'n', 1)
  redis.call('EXPIRE', key, ttl)
  out[#out + 1] = tostring(s)
  out[#out + 1] = n
end
return out
"""

COUNTER_TTL_S = 40 * 86400  # longer than any period; keys expire by themselves after it


REDIS_TIMEOUT_S = 2.0


class RedisCounters:
    """Counters shared by every gateway process using the same Redis (``redis_url``)."""

    shared = True

    def __init__(
        self, url: str, baseline: Callable[[Check], tuple[float, int]], *, prefix: str = "aiw:budget:"
    ) -> None:
        # Budget checks sit on every budgeted request's path: a hung Redis must cost at most a couple of
        # seconds, and once it is found unreachable the next checks fail at once for as long instead of
        # each waiting again.
        self.client: Any = redis_client(url, timeout_s=REDIS_TIMEOUT_S, decode_responses=True)
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import MaxConnectionsError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        self._unreachable = (TimeoutError, OSError, RedisConnectionError, RedisTimeoutError)
        self._not_unreachable = MaxConnectionsError  # our own pool is full, Redis is fine
        self._down_until = 0.0
        self.prefix = prefix
        self._baseline = baseline
        self._reserve = self.client.register_script(_RESERVE_LUA)
        self._settle = self.client.register_script(_SETTLE_LUA)

    async def reserve(self, checks: list[Check], estimate: float) -> Violation | None:
        keys = [self.prefix + c.key for c in checks]
        args: list[Any] = [repr(estimate), COUNTER_TTL_S]
        for check in checks:
            rule = check.budget.rule
            spent, requests = self._baseline(check)
            args += [
                repr(rule.usd) if rule.usd is not None else -1,
                rule.requests if rule.requests is not None else -1,
                repr(spent),
                requests,
            ]
        if time.monotonic() < self._down_until:
            raise ConnectionError("the budget counters were unreachable moments ago")
        try:
            result = await self._reserve(keys=keys, args=args)
        except Exception as exc:
            if isinstance(exc, self._unreachable) and not isinstance(exc, self._not_unreachable):
                self._down_until = time.monotonic() + REDIS_TIMEOUT_S
            raise
        if int(result[0]) == 0:
            return None
        return Violation(int(result[0]) - 1, str(result[1]), float(result[2]))

    async def settle(self, reservation: Reservation, actual: float) -> list[Snapshot]:
        return await self._apply(reservation.checks, reservation.estimate, actual, reserved=True)

    async def charge(self, checks: list[Check], actual: float) -> list[Snapshot]:
        return await self._apply(checks, 0.0, actual, reserved=False) if checks else []

    async def _apply(
        self, checks: list[Check], estimate: float, actual: float, *, reserved: bool
    ) -> list[Snapshot]:
        keys = [self.prefix + c.key for c in checks]
        args = [repr(estimate), repr(actual), 1 if reserved else 0, COUNTER_TTL_S]
        flat = await self._settle(keys=keys, args=args)
        return [Snapshot(c, float(flat[2 * i]), int(flat[2 * i + 1])) for i, c in enumerate(checks)]

    async def read(self, checks: list[Check]) -> list[Counter]:
        pipe = self.client.pipeline(transaction=False)
        for check in checks:
            pipe.hmget(self.prefix + check.key, "s", "r", "n", "q")
        out = []
        for check, values in zip(checks, await pipe.execute(), strict=True):
            if values[0] is None:
                spent, requests = self._baseline(check)
                out.append(Counter(spent=spent, requests=requests))
            else:
                s, r, n, q = values
                out.append(Counter(float(s or 0), float(r or 0), int(n or 0), int(q or 0)))
        return out

    async def scan_users(self, budget: Budget, start: dt.date) -> list[str]:
        """Users with a counter for a per-user budget this period (for status pages)."""
        pattern = f"{self.prefix}{budget.key}|*|{start.isoformat()}"
        users = []
        async for key in self.client.scan_iter(match=pattern, count=500):
            users.append(key[len(self.prefix) + len(budget.key) + 1 :].rsplit("|", 1)[0])
        return users

    async def aclose(self) -> None:
        await self.client.aclose()


Counters: TypeAlias = "MemoryCounters | RedisCounters | SqliteCounters"


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
        self.counters: Counters
        if redis_url:
            self.counters = RedisCounters(redis_url, self._baseline_for)
        elif shared_path is not None:
            from ai_workers.usage.shared_counters import SqliteCounters

            self.counters = SqliteCounters(shared_path, self._baseline_for, ttl_s=COUNTER_TTL_S)
        else:
            self.counters = MemoryCounters(self._baseline_for)

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
        counters = self.counters
        if isinstance(counters, MemoryCounters):
            violation = counters.reserve_now(checks, estimate)
        else:
            try:
                violation = await counters.reserve(checks, estimate)
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
        return Reservation(checks, estimate)

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
        """In-memory counters only: settle without an await."""
        assert isinstance(self.counters, MemoryCounters)
        if reservation.settled:
            return []
        reservation.settled = True
        return self.counters.settle_now(reservation, actual)

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
                    out.append(self._status_row(budget, check.user, start, counter))
        return out

    async def _users_with_counters(self, budget: Budget, start: dt.date) -> list[str]:
        if not isinstance(self.counters, MemoryCounters):
            return await self.counters.scan_users(budget, start)
        prefix = f"{budget.key}|"
        suffix = f"|{start.isoformat()}"
        users = {
            k[len(prefix) : -len(suffix)]
            for k in self.counters.keys()  # noqa: SIM118 - a method, not a dict
            if k.startswith(prefix) and k.endswith(suffix)
        }
        users |= {
            u
            for (p, s, a, u) in self.baseline
            if a == budget.app and p == budget.rule.period and s == start and u
        }
        return sorted(users)

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
