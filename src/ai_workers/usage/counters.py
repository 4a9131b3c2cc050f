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


class LocalCounters(BudgetCounters, Protocol):
    """Counters in this process: the same operations without an await, and pruning of past periods
    (shared backends expire their keys themselves)."""

    def reserve_now(self, checks: list[Check], estimate: float) -> Violation | None: ...

    def settle_now(self, reservation: Reservation, actual: float) -> list[Snapshot]: ...

    def charge_now(self, checks: list[Check], actual: float) -> list[Snapshot]: ...

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
    async def _apply(
        self, checks: list[Check], estimate: float, actual: float, *, reserved: bool, token: str = ""
    ) -> list[Snapshot]:
        """Release reservation ``token`` (``estimate`` and one request) if ``reserved`` and the backend
        still holds it, then add ``actual`` and one request."""
