"""Budget rules as configured, and bound to their app (``Budget``).

The plain data every other budget module shares: the counters (``usage.counters`` and its backends)
read a rule's limits, the enforcer (``usage.budgets``) matches rules to requests. It imports nothing
from either, so neither depends on the other through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import msgspec

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
    # What leases on this budget may hold together beyond admitted requests, in percent of the limit
    # (``usage.leases``; default ``usage.lease_bound_pct``): the most spend can pass the limit by.
    lease_pct: float | None = None


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
