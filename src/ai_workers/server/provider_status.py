"""One honest word per provider for the console: healthy, degraded, down, idle or not configured.

"Configured" (credentials present) says nothing about whether calls succeed: a provider answering
9.7% of calls is *down*, whatever its credentials. The status comes from the success rate of the
calls made in the last few minutes and from its models' circuit breakers:

* down: every known model's circuit is open, or under 50% of at least ``MIN_CALLS`` calls succeeded;
* degraded: under 95% of calls succeeded, or some model's circuit is open or half-open;
* idle: no calls recently and no open circuit (nothing to judge by);
* healthy: otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

MIN_CALLS = 5
DOWN_BELOW = 0.5
DEGRADED_BELOW = 0.95


def provider_status(
    *, configured: bool, calls: int, success_rate: float | None, circuits: Sequence[Mapping[str, Any]]
) -> tuple[str, str]:
    """(status, the reason in words)."""
    if not configured:
        return "not_configured", "credentials or settings are missing"
    open_models = [str(c.get("model")) for c in circuits if c.get("state") == "open"]
    half_open = [str(c.get("model")) for c in circuits if c.get("state") == "half_open"]
    if circuits and len(open_models) == len(circuits):
        return "down", f"circuit open for every model ({len(open_models)})"
    if calls and success_rate is not None:
        share = f"{success_rate * 100:.1f}% of {calls} recent calls succeeded"
        if calls >= MIN_CALLS and success_rate < DOWN_BELOW:
            return "down", share
        if success_rate < DEGRADED_BELOW:
            return "degraded", share
    if open_models:
        return "degraded", f"circuit open for {', '.join(open_models)}"
    if half_open:
        return "degraded", f"circuit half-open (testing) for {', '.join(half_open)}"
    if not calls:
        return "idle", "no calls in the last few minutes"
    return "healthy", f"{(success_rate or 0) * 100:.1f}% of {calls} recent calls succeeded"
