"""Budget counters in Redis hashes, shared by every gateway using the same Redis (``redis_url``).

Each reserve and each settle is one Lua script, so it is atomic across gateways. Keys are seeded from
the database baseline by the first process to touch them and expire after ``COUNTER_TTL_S``.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from ai_workers.db.redis_client import redis_client
from ai_workers.usage.budget_rules import Budget
from ai_workers.usage.counters import (
    COUNTER_TTL_S,
    Baseline,
    Check,
    Counter,
    SharedCounters,
    Snapshot,
    Violation,
)

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

REDIS_TIMEOUT_S = 2.0


class RedisCounters(SharedCounters):
    """Counters shared by every gateway process using the same Redis (``redis_url``)."""

    def __init__(self, url: str, baseline: Baseline, *, prefix: str = "aiw:budget:") -> None:
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
