"""Feedback closes the loop: propose per-app tier thresholds from thumbs per tier, apply only if enabled.

Why: the router is trained offline; an app's real traffic may need a different cut between tiers (a
clinic app whose "simple" answers get thumbs down needs more requests on the medium model). Users'
thumbs (``POST /v1/feedback``) joined with the usage records say how each tier is doing, and each
auto-routed record keeps the router's score in ``route_reason`` (``tier=simple score=1.3``), so the
effect of moving a threshold can be counted on the app's own recent traffic.

The rule, per app and per boundary between a tier and the next (its ``max_score``), kept simple on
purpose so an operator can predict it:

* **lower** the boundary by ``step`` when the tier's satisfaction (thumbs up / rated, at least
  ``min_rated`` ratings) is below ``target_satisfaction``: its hardest requests move up a tier;
* **raise** it by ``step`` when the requests just under the boundary (the top ``step`` of the tier's
  scores, at least ``min_rated`` ratings) are rated at or above ``raise_satisfaction``: the cheap tier
  copes at its edge, so the edge can move and save cost;
* never move further than ``max_shift`` from the configured value, and keep boundaries ascending.

Never silently: every proposal is logged by the routing stage and shown by ``ai-workers report
quality`` with its effect per tier (how many of the window's requests would have changed tier). It
takes effect only with ``routing.recalibration.apply: true``; otherwise it is advice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import msgspec
from sqlalchemy import case, func, select

from ai_workers.core.config import Settings
from ai_workers.db.models import Feedback, UsageRecord
from ai_workers.routing.config import AppRoutingConfig, RecalibrationConfig, RoutingConfig, TierConfig
from ai_workers.routing.quality import SessionSource

_SCORE = re.compile(r"tier=([\w-]+) score=(-?\d+(?:\.\d+)?)")


@dataclass(slots=True)
class RoutedSample:
    """One auto-routed request of the window: its tier, router score and rating (+1, -1 or 0)."""

    tier: str
    score: float | None
    rating: int


@dataclass(slots=True)
class Proposal:
    """A proposed move of one tier boundary for one app, with the evidence and its effect."""

    app: str
    tier: str  # the boundary is this tier's max_score
    configured: float
    current: float  # in force now (configured, or configured plus applied recalibrations)
    proposed: float
    reason: str
    satisfaction: float | None
    rated: int
    effect: dict[str, int] = field(default_factory=dict)  # tier -> change in request count over the window
    applied: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        effect = ", ".join(f"{t} {n:+d}" for t, n in self.effect.items() if n) or "no requests move"
        return (
            f"app {self.app}: {self.tier} max_score {self.current:g} -> {self.proposed:g} ({self.reason}; "
            f"effect over the window: {effect})"
        )


def parse_score(route_reason: str | None) -> float | None:
    """The router score recorded in a usage record's route_reason, if it was auto-routed."""
    if not route_reason:
        return None
    match = _SCORE.search(route_reason)
    return float(match.group(2)) if match else None


def configured_tiers(settings: Settings, app: str) -> dict[str, TierConfig]:
    """The tier table an app's auto requests use: its own ``routing.tiers`` or the global one."""
    global_cfg = settings.section("routing", RoutingConfig)
    app_cfg = settings.app_section(app, "routing", AppRoutingConfig)
    return app_cfg.tiers if app_cfg.tiers is not None else global_cfg.tiers


async def load_samples(
    db: SessionSource, *, since: dt.datetime, app: str | None = None
) -> dict[str, list[RoutedSample]]:
    """Auto-routed chat requests since ``since``, per app, with their score and net rating."""
    votes = (
        select(
            Feedback.request_id.label("request_id"),
            func.sum(case((Feedback.rating > 0, 1), else_=0)).label("up"),
            func.sum(case((Feedback.rating < 0, 1), else_=0)).label("down"),
        )
        .group_by(Feedback.request_id)
        .subquery()
    )
    query = (
        select(UsageRecord.app, UsageRecord.tier, UsageRecord.route_reason, votes.c.up, votes.c.down)
        .outerjoin(votes, votes.c.request_id == UsageRecord.id)
        .where(UsageRecord.ts >= since)
        .where(UsageRecord.capability == "chat")
        .where(UsageRecord.tier.is_not(None))
    )
    if app is not None:
        query = query.where(UsageRecord.app == app)
    out: dict[str, list[RoutedSample]] = {}
    async with db.session() as session:
        for row_app, tier, reason, up, down in await session.execute(query):
            up, down = up or 0, down or 0
            rating = 0 if not (up or down) else (1 if up >= down else -1)  # as the quality report counts
            out.setdefault(row_app, []).append(RoutedSample(str(tier), parse_score(reason), rating))
    return out


def _satisfaction(samples: Sequence[RoutedSample]) -> tuple[float | None, int]:
    rated = [s.rating for s in samples if s.rating]
    if not rated:
        return None, 0
    return sum(1 for r in rated if r > 0) / len(rated), len(rated)


def _tier_of(score: float, names: Sequence[str], bounds: Sequence[float]) -> str:
    for name, bound in zip(names, bounds, strict=False):
        if score < bound:
            return name
    return names[-1]


def propose(
    app: str,
    tiers: dict[str, TierConfig],
    samples: Sequence[RoutedSample],
    config: RecalibrationConfig,
    current: dict[str, float] | None = None,
) -> list[Proposal]:
    """Proposals for one app's boundaries from its window of samples (pure: no I/O, easy to test)."""
    names = list(tiers)
    configured = [float(tiers[n].max_score or 0.0) for n in names[:-1]]
    now = [float((current or {}).get(n, b)) for n, b in zip(names, configured, strict=False)]
    proposals: list[Proposal] = []
    new = list(now)
    for i, name in enumerate(names[:-1]):
        in_tier = [s for s in samples if s.tier == name]
        satisfaction, rated = _satisfaction(in_tier)
        edge = [s for s in in_tier if s.score is not None and now[i] - config.step <= s.score < now[i]]
        edge_satisfaction, edge_rated = _satisfaction(edge)
        move = 0.0
        reason = ""
        if (
            satisfaction is not None
            and rated >= config.min_rated
            and satisfaction < config.target_satisfaction
        ):
            move = -config.step
            reason = (
                f"{name} satisfaction {satisfaction:.0%} over {rated} rated < target "
                f"{config.target_satisfaction:.0%}"
            )
        elif (
            edge_satisfaction is not None
            and edge_rated >= config.min_rated
            and edge_satisfaction >= config.raise_satisfaction
        ):
            move = config.step
            reason = (
                f"{name} requests near the boundary rated {edge_satisfaction:.0%} over {edge_rated} "
                f">= {config.raise_satisfaction:.0%}"
            )
            satisfaction, rated = edge_satisfaction, edge_rated
        if not move:
            continue
        target = min(max(now[i] + move, configured[i] - config.max_shift), configured[i] + config.max_shift)
        low = new[i - 1] if i > 0 else float("-inf")
        high = new[i + 1] if i + 1 < len(new) else float("inf")
        target = round(min(max(target, low + 0.01), high - 0.01), 3)
        if target == now[i]:
            continue
        new[i] = target
        proposals.append(Proposal(app, name, configured[i], now[i], target, reason, satisfaction, rated))
    if proposals:
        # Effect: how the window's requests would have been tiered under the proposed boundaries.
        before: dict[str, int] = dict.fromkeys(names, 0)
        after: dict[str, int] = dict.fromkeys(names, 0)
        for s in samples:
            if s.score is not None:
                before[_tier_of(s.score, names, now)] += 1
                after[_tier_of(s.score, names, new)] += 1
        effect = {n: after[n] - before[n] for n in names}
        for p in proposals:
            p.effect = effect
    return proposals


async def recalibrate(
    db: SessionSource,
    settings: Settings,
    *,
    current: dict[str, dict[str, float]] | None = None,
    app: str | None = None,
    now: dt.datetime | None = None,
) -> list[Proposal]:
    """Proposals for every app with auto-routed traffic in the configured window (nothing is applied)."""
    config = settings.section("routing", RoutingConfig).recalibration
    since = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=config.window_days)
    out: list[Proposal] = []
    for name, samples in sorted((await load_samples(db, since=since, app=app)).items()):
        tiers = configured_tiers(settings, name)
        out.extend(propose(name, tiers, samples, config, (current or {}).get(name)))
    return out


def apply_thresholds(tiers: dict[str, TierConfig], thresholds: dict[str, float]) -> dict[str, TierConfig]:
    """The tier table with recalibrated ``max_score`` values (tiers not named keep theirs)."""
    return {
        name: msgspec.structs.replace(tier, max_score=thresholds[name]) if name in thresholds else tier
        for name, tier in tiers.items()
    }
