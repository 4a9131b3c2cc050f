"""Watches for the operational conditions worth an alert and raises them through ``AlertHub``.

Every ``usage.alerts.check_interval_s`` (15 s) it looks at:

* circuits (the routing health monitor's snapshot): each open circuit is a ``circuit_open`` alert,
  and a provider whose every known model has an open circuit a ``provider_down`` one (at most once
  per provider/model and hour);
* the free Workers AI neuron allocation (the usage service's pool): 80% and 100% of today's
  allocation, once per threshold and day;
* the error rate of the requests this process finished in the last ``error_rate_window_s`` (5 min):
  failures (5xx: upstream errors, timeouts; refusals such as budgets, rate limits and policy blocks
  are the gateway doing its job and do not count) at or above ``error_rate_pct`` with at least
  ``error_rate_min_requests`` requests, once per window. Each worker judges the traffic it served;
  the claim in the history table makes several workers raise it once.
"""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from ai_workers.core.background import BackgroundTask
from ai_workers.core.context import RequestContext
from ai_workers.core.outage import Outage
from ai_workers.usage.alert_history import AlertHub, RaisedAlert

_MAX_SECONDS = 86_400

log = logging.getLogger("ai_workers.usage.alerts")


class AlertMonitor:
    def __init__(
        self,
        hub: AlertHub,
        *,
        circuits: Callable[[], list[dict[str, Any]]] | None = None,
        neurons: Any = None,  # usage.pricing.FreeNeuronPool: free_per_day, used, day
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.hub = hub
        self.circuits = circuits
        self.neurons = neurons
        self.clock = clock
        # [second, requests, failed] per wall-clock second with traffic: bounded by the window's length
        # (300 entries for 5 min), not by the request rate (a tuple per request was ~40 MB at 1,600 req/s).
        self._outcomes: collections.deque[list[int]] = collections.deque()
        self._task = BackgroundTask("alert-monitor")
        self._outage = Outage(log, "checking alert conditions")

    def observe(self, ctx: RequestContext) -> None:
        """Usage listener: remember when each finished request failed (cheap, synchronous)."""
        if ctx.internal:  # the gateway's own subcalls: their parent request is counted
            return
        second = int(self.clock())
        outcomes = self._outcomes
        if outcomes and outcomes[-1][0] == second:
            last = outcomes[-1]
        else:
            last = [second, 0, 0]
            outcomes.append(last)
            if len(outcomes) > _MAX_SECONDS:
                outcomes.popleft()  # a window longer than a day is cut to a day
        last[1] += 1
        if ctx.status >= 500:
            last[2] += 1

    async def check(self) -> list[RaisedAlert]:
        """Raise every alert whose condition holds now; returns those this call claimed."""
        raised: list[RaisedAlert] = []
        for alert in [*self._circuit_alerts(), *self._neuron_alerts(), *self._error_rate_alerts()]:
            if await self.hub.raise_alert(alert):
                raised.append(alert)
        return raised

    def _hour(self) -> str:
        return dt.datetime.fromtimestamp(self.clock(), dt.UTC).strftime("%Y-%m-%dT%H")

    def _circuit_alerts(self) -> list[RaisedAlert]:
        if self.circuits is None:
            return []
        out: list[RaisedAlert] = []
        by_provider: dict[str, list[dict[str, Any]]] = {}
        hour = self._hour()
        for target in self.circuits():
            provider, model = str(target.get("provider")), str(target.get("model"))
            by_provider.setdefault(provider, []).append(target)
            if target.get("state") != "open":
                continue
            rate = target.get("window_error_rate")
            figure = f"{rate * 100:.0f}% of recent calls failed" if isinstance(rate, int | float) else ""
            last = target.get("last_error_kind") or "errors"
            out.append(
                RaisedAlert(
                    kind="circuit_open",
                    severity="warning",
                    subject=f"{provider}/{model}",
                    message=f"Circuit open: {provider} / {model} is skipped after {last} ({figure}); "
                    "requests fall back to the next target until it recovers.",
                    dedup_key=f"circuit_open|{provider}/{model}|{hour}",
                    details={
                        "provider": provider,
                        "model": model,
                        "last_error_kind": last,
                        "error_rate": rate,
                    },
                )
            )
        for provider, targets in by_provider.items():
            if targets and all(t.get("state") == "open" for t in targets):
                out.append(
                    RaisedAlert(
                        kind="provider_down",
                        severity="critical",
                        subject=provider,
                        message=f"Provider down: every model of {provider} ({len(targets)}) has an open "
                        "circuit; its traffic goes to fallbacks or fails.",
                        dedup_key=f"provider_down|{provider}|{hour}",
                        details={"provider": provider, "models": [t.get("model") for t in targets]},
                    )
                )
        return out

    def _neuron_alerts(self) -> list[RaisedAlert]:
        pool = self.neurons
        if pool is None or not pool.free_per_day:
            return []
        today = dt.datetime.fromtimestamp(self.clock(), dt.UTC).date()
        if pool.day != today:
            return []
        share = float(pool.used) / float(pool.free_per_day) * 100
        out = []
        for threshold in sorted(self.hub.settings.neuron_thresholds):
            if share < threshold:
                continue
            after = (
                "further Workers AI use is billed" if threshold >= 100 else "the router prefers free neurons"
            )
            out.append(
                RaisedAlert(
                    kind="neurons",
                    severity="critical" if threshold >= 100 else "warning",
                    subject=f"free neurons {threshold:g}%",
                    message=f"Workers AI free neurons: {share:.1f}% of today's {pool.free_per_day:,.0f} used "
                    f"(threshold {threshold:g}%); {after} until 00:00 UTC.",
                    dedup_key=f"neurons|{today.isoformat()}|{threshold:g}",
                    details={"used": round(float(pool.used), 2), "free_per_day": pool.free_per_day},
                )
            )
        return out

    def _error_rate_alerts(self) -> list[RaisedAlert]:
        options = self.hub.settings
        now = self.clock()
        horizon = now - options.error_rate_window_s
        outcomes = self._outcomes
        while outcomes and outcomes[0][0] < horizon:
            outcomes.popleft()
        total = sum(entry[1] for entry in outcomes)
        failed = sum(entry[2] for entry in outcomes)
        if total < options.error_rate_min_requests or failed * 100 < options.error_rate_pct * total:
            return []
        window = int(now // options.error_rate_window_s)
        minutes = options.error_rate_window_s / 60
        return [
            RaisedAlert(
                kind="error_rate",
                severity="critical",
                subject="error rate",
                message=f"Error-rate spike: {failed} of {total} requests failed in the last {minutes:g} min "
                f"({failed / total:.0%}, threshold {options.error_rate_pct:g}%).",
                dedup_key=f"error_rate|{window}",
                details={"failed": failed, "requests": total, "window_s": options.error_rate_window_s},
            )
        ]

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.hub.settings.check_interval_s)
            try:
                await self.check()
            except Exception as exc:
                self._outage.failed(exc)
            else:
                self._outage.succeeded()

    def start(self) -> None:
        self._task.start(self._loop)

    async def stop(self) -> None:
        await self._task.stop()
