"""Budget counters in this process's memory: one gateway process, no Redis, no worker processes.

A dict lookup and a few float operations: the check adds a few microseconds. Single-threaded (the event
loop), so plain arithmetic is atomic, and every operation also has a ``*_now`` form the request path
calls without an await.
"""

from __future__ import annotations

import datetime as dt

from ai_workers.usage.budget_rules import Budget
from ai_workers.usage.counters import Baseline, Check, Counter, Reservation, Snapshot, Violation


class MemoryCounters:
    """One process's counters. Single-threaded (the event loop), so plain arithmetic is atomic."""

    def __init__(self, baseline: Baseline) -> None:
        self._counters: dict[str, Counter] = {}
        self._baseline = baseline

    def _get(self, check: Check) -> Counter:
        counter = self._counters.get(check.key)
        if counter is None:
            spent, requests = self._baseline(check)
            counter = self._counters[check.key] = Counter(spent=spent, requests=requests)
        return counter

    async def reserve(self, checks: list[Check], estimate: float, *, token: str = "") -> Violation | None:
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

    async def scan_users(self, budget: Budget, start: dt.date) -> list[str]:
        """Users with a counter for a per-user budget this period (only those this process touched)."""
        prefix = f"{budget.key}|"
        suffix = f"|{start.isoformat()}"
        return sorted(
            k[len(prefix) : -len(suffix)]
            for k in self._counters
            if k.startswith(prefix) and k.endswith(suffix)
        )

    def prune(self, current: set[str]) -> int:
        """Forget counters of past periods (keys end with their period start); returns how many."""
        stale = [k for k in self._counters if k.rsplit("|", 1)[-1] not in current]
        for key in stale:
            del self._counters[key]
        return len(stale)

    async def aclose(self) -> None:
        return None
