"""Budget leases: shared budgets (Redis, or the file the workers of one host share) without a round trip
per request.

Each process takes a *lease* — a slice of what remains of a budget, in dollars and in requests — from
the shared counters and admits requests against it locally: admission and settlement are a few float
operations on the event loop, no I/O. A background task (every ``REFRESH_S``) tops the lease up when
less than half of it is left, reports what was spent against it since the last exchange, and gives it
back after ``IDLE_S`` without requests. A request that finds its process's lease too small waits for one
exchange (as every request did before leases); that is the only round trip on the request path.

A lease is held in the shared counters exactly as a reservation is (``reserved`` = the sum of all
outstanding leases), owned by this process and expiring, so the shared backends' existing machinery
returns a dead process's unused lease: the SQLite file's ``flock`` liveness check, Redis' heartbeat key.

Guarantee (per budget counter, USD and requests alike):

* A lease is granted only out of the room left under the limit (``spent + all leases <= limit`` after
  every exchange), and requests are admitted only within their process's lease, so spend passes the
  limit only as it did without leases — by what requests cost beyond their estimates — plus, after the
  shared counters were lost (Redis restarted empty and rebuilt from the database), what other processes
  still admit against leases they took before the loss: **overshoot <= the sum of outstanding leases**.
* All leases on a counter together hold at most its *bound* beyond what admitted requests need
  (``lease_bound_pct`` of the limit: ``usage.lease_bound_pct`` globally, or ``lease_pct`` on one budget
  rule); each process asks for a quarter of it. The bound is also what leases can withhold from other
  processes near the limit (a request may be refused while up to the bound sits unused in other
  processes' leases, until they are given back after ``IDLE_S``), and ``/api/budgets`` reports it with
  what is outstanding.
* A process killed with SIGKILL loses at most the spend it settled since its last exchange (under
  ``REFRESH_S``) from the shared counter (its usage records still reach the database), and its unused
  lease returns once its death is seen (a few seconds).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import math
import os
import time
import uuid
from dataclasses import dataclass, field

from ai_workers.core.background import BackgroundTask
from ai_workers.core.outage import Outage
from ai_workers.usage.budget_rules import Budget
from ai_workers.usage.counters import (
    Check,
    Counter,
    LeaseGrant,
    LeaseTerms,
    Reservation,
    SharedCounters,
    Snapshot,
    Violation,
)

log = logging.getLogger("ai_workers.usage.leases")

REFRESH_S = 0.1  # how often leases are topped up and their spend reported; how long a refusal stands
IDLE_S = 1.0  # a lease without requests for this long is given back
RENEW_S = 10.0  # an unused but held lease is renewed this often (the shared store expires it after 60 s)
DEFAULT_BOUND_PCT = 5.0
SHARE = 4  # each process asks for 1/SHARE of the bound


def bounds_for(check: Check, default_pct: float) -> tuple[float, float]:
    """(USD, requests) that all leases on ``check``'s counter may hold together."""
    rule = check.budget.rule
    pct = (rule.lease_pct if rule.lease_pct is not None else default_pct) / 100.0
    usd = rule.usd * pct if rule.usd is not None else math.inf
    requests = float(math.floor(rule.requests * pct)) if rule.requests is not None else math.inf
    return usd, requests


@dataclass(slots=True)
class _Lease:
    checks: list[Check]
    token: str
    bounds: list[tuple[float, float]]
    limits_usd: bool
    limits_n: bool
    held_usd: float = 0.0
    held_n: int = 0
    inflight_usd: float = 0.0
    inflight_n: int = 0
    spent: float = 0.0  # settled since the last exchange
    used: int = 0
    counters: list[tuple[float, int]] = field(default_factory=list)  # spend, requests at the last exchange
    last_use: float = 0.0
    last_exchange: float = 0.0
    busy: asyncio.Future[None] | None = None
    closing: bool = False  # an exchange giving the lease back is in flight: admissions wait for it
    # The shared counters refused a request moments ago: refuse the same way locally until then, so a
    # client hammering a spent budget does not turn every refusal into a round trip.
    refused: Violation | None = None
    refused_until: float = 0.0

    def fits(self, estimate: float) -> bool:
        if self.limits_usd and self.held_usd - self.spent - self.inflight_usd < estimate:
            return False
        return not (self.limits_n and self.held_n - self.used - self.inflight_n < 1)

    def want(self) -> tuple[float, int]:
        usd = min(b[0] for b in self.bounds) / SHARE
        n = min(b[1] for b in self.bounds) / SHARE
        return (usd if math.isfinite(usd) else 0.0), (int(n) if math.isfinite(n) else 0)


class LeaseCounters:
    """``BudgetCounters`` over shared counters (``SqliteCounters`` or ``RedisCounters``), admitting
    locally against leases. ``settle_now`` and ``charge_now`` need no await."""

    def __init__(self, shared: SharedCounters, *, bound_pct: float = DEFAULT_BOUND_PCT) -> None:
        self.shared = shared
        self.bound_pct = bound_pct
        self._prefix = f"lease-{os.getpid()}-{uuid.uuid4().hex[:8]}-"
        self._leases: dict[tuple[str, ...], _Lease] = {}
        self._refill = BackgroundTask("budget-leases")
        self._outage = Outage(log, "refreshing budget leases")  # one line per outage, not per tick
        self.exchanges = 0  # round trips to the shared counters (tests, status)

    # -- admission -----------------------------------------------------------------------------------

    def _lease(self, checks: list[Check]) -> _Lease:
        key = tuple(c.key for c in checks)
        lease = self._leases.get(key)
        if lease is None:
            lease = self._leases[key] = _Lease(
                checks=list(checks),
                token=self._prefix + uuid.uuid4().hex[:12],
                bounds=[bounds_for(c, self.bound_pct) for c in checks],
                limits_usd=any(c.budget.rule.usd is not None for c in checks),
                limits_n=any(c.budget.rule.requests is not None for c in checks),
            )
        return lease

    async def reserve(self, checks: list[Check], estimate: float, *, token: str = "") -> Violation | None:
        """Admit against this process's lease; only when it is too small, wait for one exchange."""
        lease = self._lease(checks)
        for _ in range(3):
            if lease.busy is not None and (lease.closing or not lease.fits(estimate)):
                await asyncio.shield(lease.busy)
                continue
            if lease.fits(estimate):
                lease.inflight_usd += estimate
                lease.inflight_n += 1
                lease.last_use = time.monotonic()
                self._start()
                return None
            if lease.refused is not None and time.monotonic() < lease.refused_until:
                return lease.refused
            grant = await self._exchange(lease, ask=(estimate, 1))
            if grant.violation is not None:
                lease.refused, lease.refused_until = grant.violation, time.monotonic() + REFRESH_S
            return grant.violation  # None: admitted by the exchange itself
        # Still no room after waiting on other exchanges: one more, for this request alone.
        grant = await self._exchange(lease, ask=(estimate, 1))
        return grant.violation

    def _charge_lease(self, lease: _Lease, actual: float) -> list[Snapshot]:
        lease.spent += actual
        lease.used += 1
        lease.last_use = time.monotonic()
        self._start()
        counters = lease.counters or [(0.0, 0)] * len(lease.checks)
        return [
            Snapshot(check, spent + lease.spent, requests + lease.used)
            for check, (spent, requests) in zip(lease.checks, counters, strict=True)
        ]

    def settle_now(self, reservation: Reservation, actual: float) -> list[Snapshot]:
        lease = self._lease(reservation.checks)
        lease.inflight_usd = max(0.0, lease.inflight_usd - reservation.estimate)
        lease.inflight_n = max(0, lease.inflight_n - 1)
        return self._charge_lease(lease, actual)

    def charge_now(self, checks: list[Check], actual: float) -> list[Snapshot]:
        return self._charge_lease(self._lease(checks), actual) if checks else []

    async def settle(self, reservation: Reservation, actual: float) -> list[Snapshot]:
        return self.settle_now(reservation, actual)

    async def charge(self, checks: list[Check], actual: float) -> list[Snapshot]:
        return self.charge_now(checks, actual)

    # -- exchanges -----------------------------------------------------------------------------------

    async def _exchange(
        self, lease: _Lease, *, ask: tuple[float, int] = (0.0, 0), give_back: bool = False
    ) -> LeaseGrant:
        """One round trip: give back the lease, report its spend, take a new one. Requests admitted
        while it is in flight draw on the old lease, so the new one keeps all of it that is not spent
        (``keep``), unless it is given back (``give_back``: nothing in flight, admissions wait)."""
        while lease.busy is not None:
            await asyncio.shield(lease.busy)
        loop = asyncio.get_running_loop()
        lease.busy = loop.create_future()
        lease.closing = give_back
        spent, used = lease.spent, lease.used
        if give_back:
            keep_usd, keep_n = lease.inflight_usd, lease.inflight_n
            want_usd, want_n = 0.0, 0
        else:
            keep_usd = max(lease.inflight_usd, lease.held_usd - spent)
            keep_n = max(lease.inflight_n, lease.held_n - used)
            want_usd, want_n = lease.want()
        if not lease.limits_usd:
            keep_usd = want_usd = 0.0
        if not lease.limits_n:
            keep_n = want_n = 0
        terms = LeaseTerms(
            token=lease.token,
            spent=spent,
            used=used,
            keep_usd=keep_usd,
            keep_n=keep_n,
            ask_usd=ask[0] if lease.limits_usd else 0.0,
            ask_n=ask[1] if lease.limits_n else 0,
            want_usd=want_usd,
            want_n=want_n,
            bounds=lease.bounds,
        )
        try:
            grant = await self.shared.exchange(lease.checks, terms)
            self.exchanges += 1
            lease.spent -= spent
            lease.used -= used
            lease.held_usd, lease.held_n = grant.usd, grant.requests
            lease.counters = grant.counters
            lease.last_exchange = time.monotonic()
            if ask[1] and grant.violation is None:  # the asking request is admitted
                lease.inflight_usd += ask[0]
                lease.inflight_n += 1
                lease.last_use = time.monotonic()
                self._start()
            return grant
        finally:
            busy, lease.busy, lease.closing = lease.busy, None, False
            busy.set_result(None)

    def _start(self) -> None:
        self._refill.start_every(REFRESH_S, self.refresh, self._outage, "admitting within the leases held")

    async def refresh(self) -> None:
        """Top up low leases, report spend, give back idle ones (the background task; tests call it)."""
        now = time.monotonic()
        for key, lease in list(self._leases.items()):
            if lease.busy is not None:
                continue
            idle = now - lease.last_use >= IDLE_S and lease.inflight_n == 0
            held = lease.held_usd > 0 or lease.held_n > 0
            if idle and (held or lease.spent or lease.used):
                await self._exchange(lease, give_back=True)
            elif idle:
                if now - lease.last_use >= 60.0:
                    del self._leases[key]
            else:
                want_usd, want_n = lease.want()
                low = (
                    lease.limits_usd and lease.held_usd - lease.spent - lease.inflight_usd < want_usd / 2
                ) or (lease.limits_n and lease.held_n - lease.used - lease.inflight_n < want_n / 2)
                if low or lease.spent or lease.used or now - lease.last_exchange >= RENEW_S:
                    await self._exchange(lease)

    async def give_back(self) -> None:
        """Return every lease and report its spend (shutdown)."""
        for lease in list(self._leases.values()):
            if lease.held_usd or lease.held_n or lease.spent or lease.used:
                with contextlib.suppress(Exception):
                    await self._exchange(lease, give_back=True)

    # -- status and upkeep ---------------------------------------------------------------------------

    def outstanding(self) -> tuple[float, int]:
        """This process's leases: (USD, requests) held."""
        return sum(x.held_usd for x in self._leases.values()), sum(x.held_n for x in self._leases.values())

    async def read(self, checks: list[Check]) -> list[Counter]:
        """The shared counters (``reserved`` = all processes' leases) plus this process's unreported spend."""
        counters = await self.shared.read(checks)
        for lease in self._leases.values():
            for check, counter in zip(checks, counters, strict=True):
                if check.key in {c.key for c in lease.checks}:
                    counter.spent += lease.spent
                    counter.requests += lease.used
        return counters

    async def scan_users(self, budget: Budget, start: dt.date) -> list[str]:
        return await self.shared.scan_users(budget, start)

    async def maintain(self) -> int:
        return await self.shared.maintain()

    async def aclose(self) -> None:
        await self._refill.stop()
        await self.give_back()
        await self.shared.aclose()
