"""The one way the gateway opens a Redis client (budgets, cache, rate limits, shared circuits), so its
pool settings live in one place."""

from __future__ import annotations

from typing import Any

# redis-py's asyncio pool holds 100 connections by default and refuses the 101st command in flight
# ("Too many connections"): a gateway with more requests in flight than that would answer 503s.
MAX_CONNECTIONS = 2000
# Connections kept open once a burst is over; the rest are closed as they come back to the pool.
MAX_IDLE_CONNECTIONS = 16
# Optional uses of Redis (cache, shared rate-limit buckets, circuit sharing): a command that takes
# longer than this counts as Redis being away, and the caller falls back (a miss, local buckets).
OPTIONAL_TIMEOUT_S = 0.25
# ...after which those uses skip Redis for this long before one trial command.
OPTIONAL_COOLDOWN_S = 5.0


def redis_client(
    url: str,
    *,
    timeout_s: float,
    decode_responses: bool = False,
    fail_fast_cooldown_s: float | None = None,
    max_idle: int = MAX_IDLE_CONNECTIONS,
) -> Any:
    """An asyncio Redis client (connects lazily) whose commands give up after ``timeout_s``.

    With ``fail_fast_cooldown_s`` a timed-out or refused command makes the client skip Redis (raising
    ``db.fast_redis.RedisSkipped``) for that many seconds: for optional uses, which must never cost a
    request more than doing without Redis (see db/fast_redis.py).
    """
    from ai_workers.db.fast_redis import fast_fail_client  # optional dependency: imports redis-py

    return fast_fail_client(
        url,
        timeout_s=timeout_s,
        max_connections=MAX_CONNECTIONS,
        max_idle=max_idle,
        cooldown_s=fail_fast_cooldown_s,
        decode_responses=decode_responses,
    )


def optional_redis_client(url: str, *, decode_responses: bool = False) -> Any:
    """A client for an optional use of Redis: short timeouts and fail-fast (see ``redis_client``)."""
    return redis_client(
        url,
        timeout_s=OPTIONAL_TIMEOUT_S,
        decode_responses=decode_responses,
        fail_fast_cooldown_s=OPTIONAL_COOLDOWN_S,
    )
