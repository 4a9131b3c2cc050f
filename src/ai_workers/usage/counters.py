"""The interface of budget counters, the data they exchange, and what the shared backends have in common.

A backend keeps, per counter key, the spend and requests counted so far and those reserved by requests
in flight. Three exist, one module each: this process's memory (``usage.memory_counters``), a SQLite
file the worker processes of one machine share (``usage.shared_counters``) and Redis hashes that
several gateways share (``usage.redis_counters``). ``usage.budgets`` depends on ``BudgetCounters``
only; it uses ``LocalCounters`` for the in-process backend, whose calls need no await and cannot fail,
so the request path settles them inline instead of in a background task.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from ai_workers.usage.budget_rules import Budget

COUNTER_TTL_S = 40 * 86400  # longer than any period; shared counters expire by themselves after it


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
    # Names this reservation in a shared backend, so it is released exactly once: by its settlement,
    # or by the backend reclaiming it when its process died or it expired (empty for local counters).
    token: str = ""


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


Baseline = Callable[[Check], tuple[float, int]]
"""The (spend, requests) already recorded in the database for a check's period: a new counter's start."""

FreshBaseline = Callable[[list[Check]], Awaitable[list[tuple[float, int]]]]
"""The same, summed from the database *now* (plus rows this process has not stored yet): what a shared
counter that vanished (Redis restarted empty) is rebuilt from, never the snapshot read at start."""


@dataclass(slots=True)
class LeaseTerms:
    """One exchange of a process's lease with shared counters (``usage.leases``), done atomically: give
    back the lease held until now, count what was settled against it since the last exchange, then
    grant a new one. Amounts are per dimension (dollars, requests) and apply to every counter of the
    lease's checks alike."""

    token: str  # names the lease in the shared store, with its owner, so a dead owner's is reclaimed
    spent: float  # settled against the lease since the last exchange
    used: int
    keep_usd: float  # always granted: requests already admitted locally (and what they may still admit)
    keep_n: int
    ask_usd: float  # a new request waiting on this exchange: granted only if it fits, else a Violation
    ask_n: int
    want_usd: float  # the lease this process aims to hold (granted as far as room and the bound allow)
    want_n: int
    bounds: list[tuple[float, float]]  # per check: (usd, requests) all leases together may hold


@dataclass(slots=True)
class LeaseGrant:
    """What an exchange granted: the new lease, the refusal of ``ask`` if it did not fit, and each
    counter's spend and requests after it (for alerts)."""

    usd: float
    requests: int
    violation: Violation | None
    counters: list[tuple[float, int]]


class BudgetCounters(Protocol):
    """What the budget enforcer needs from a counter backend."""

    async def reserve(self, checks: list[Check], estimate: float, *, token: str = "") -> Violation | None:
        """Check every budget, then reserve ``estimate`` (and one request) on all, as one atomic step.
        ``token`` names the reservation (``Reservation.token``) for backends that track it."""
        ...

    async def settle(self, reservation: Reservation, actual: float) -> list[Snapshot]:
        """Release the reservation and count the actual cost."""
        ...

    async def charge(self, checks: list[Check], actual: float) -> list[Snapshot]:
        """Count spend without a reservation (a stage's internal sub-request)."""
        ...

    async def read(self, checks: list[Check]) -> list[Counter]: ...

    async def scan_users(self, budget: Budget, start: dt.date) -> list[str]:
        """Users with a counter for a per-user budget this period (for status pages)."""
        ...

    async def aclose(self) -> None: ...


class InlineSettle(Protocol):
    """Counters whose settlement needs no await (memory counters, and leases over shared ones)."""

    def settle_now(self, reservation: Reservation, actual: float) -> list[Snapshot]: ...

    def charge_now(self, checks: list[Check], actual: float) -> list[Snapshot]: ...


class LocalCounters(BudgetCounters, InlineSettle, Protocol):
    """Counters in this process: the same operations without an await, and pruning of past periods
    (shared backends expire their keys themselves)."""

    def reserve_now(self, checks: list[Check], estimate: float) -> Violation | None: ...

    def prune(self, current: set[str]) -> int:
        """Forget counters of past periods; returns how many."""
        ...


class SharedCounters(abc.ABC):
    """Counters outside this process (SQLite file, Redis): settling and charging are the same single
    atomic write, with or without a reservation to release, so a backend implements that write once."""

    async def settle(self, reservation: Reservation, actual: float) -> list[Snapshot]:
        return await self._apply(
            reservation.checks, reservation.estimate, actual, reserved=True, token=reservation.token
        )

    async def charge(self, checks: list[Check], actual: float) -> list[Snapshot]:
        return await self._apply(checks, 0.0, actual, reserved=False) if checks else []

    async def maintain(self) -> int:
        """Periodic upkeep (heartbeat, reclaiming dead workers' reservations); returns how many
        reservations it released."""
        return 0

    @abc.abstractmethod
    async def reserve(self, checks: list[Check], estimate: float, *, token: str = "") -> Violation | None:
        """As ``BudgetCounters.reserve``."""

    @abc.abstractmethod
    async def read(self, checks: list[Check]) -> list[Counter]: ...

    @abc.abstractmethod
    async def scan_users(self, budget: Budget, start: dt.date) -> list[str]: ...

    @abc.abstractmethod
    async def aclose(self) -> None: ...

    @abc.abstractmethod
    async def exchange(self, checks: list[Check], terms: LeaseTerms) -> LeaseGrant:
        """Give back lease ``terms.token`` (what the store holds for it, if it still does: a reclaimed
        lease is not released twice), add ``spent``/``used``, then grant ``keep + ask + extra`` where
        the extra is at most ``want - keep - ask``, the room left under every limit, and the room left
        under every bound (all leases outstanding on the counter together); ``ask`` is granted only if
        it fits under every limit, else the grant is ``keep`` and ``violation`` says where."""

    @abc.abstractmethod
    async def _apply(
        self, checks: list[Check], estimate: float, actual: float, *, reserved: bool, token: str = ""
    ) -> list[Snapshot]:
        """Release reservation ``token`` (``estimate`` and one request) if ``reserved`` and the backend
        still holds it, then add ``actual`` and one request."""


def lease_grant(
    checks: list[Check], rows: list[tuple[float, float, int, int]], terms: LeaseTerms
) -> tuple[float, int, Violation | None]:
    """The grant of ``LeaseTerms`` over counters ``rows`` = (spent, reserved, requests, in flight) per
    check, after the old lease was given back and the spend counted (the SQLite backend's arithmetic;
    the Redis script repeats it in Lua)."""
    inf = float("inf")
    room_usd = room_n = bound_usd = bound_n = inf
    for index, (check, (spent, reserved, requests, in_flight)) in enumerate(zip(checks, rows, strict=True)):
        rule = check.budget.rule
        if rule.usd is not None:
            room = rule.usd - spent - reserved
            if terms.ask_usd > 0 and room - terms.keep_usd < terms.ask_usd:
                return terms.keep_usd, terms.keep_n, Violation(index, "usd", spent + reserved)
            room_usd = min(room_usd, room)
            bound_usd = min(bound_usd, terms.bounds[index][0] - reserved)
        if rule.requests is not None:
            room_r = rule.requests - requests - in_flight
            if terms.ask_n > 0 and room_r - terms.keep_n < terms.ask_n:
                return terms.keep_usd, terms.keep_n, Violation(index, "requests", requests + in_flight)
            room_n = min(room_n, room_r)
            bound_n = min(bound_n, terms.bounds[index][1] - in_flight)
    base_usd, base_n = terms.keep_usd + terms.ask_usd, terms.keep_n + terms.ask_n
    extra_usd = max(0.0, min(terms.want_usd, room_usd, bound_usd) - base_usd)
    extra_n = max(0.0, min(terms.want_n, room_n, bound_n) - base_n)
    return base_usd + extra_usd, base_n + int(extra_n), None
