"""The one way the gateway opens a Redis client (budgets, cache, rate limits), so its pool settings
live in one place."""

from __future__ import annotations

from typing import Any

# redis-py's asyncio pool holds 100 connections by default and refuses the 101st command in flight
# ("Too many connections"): a gateway with more requests in flight than that would answer 503s.
MAX_CONNECTIONS = 2000


def redis_client(url: str, *, timeout_s: float, decode_responses: bool = False) -> Any:
    """An asyncio Redis client (connects lazily) whose commands give up after ``timeout_s``."""
    import redis.asyncio  # optional dependency: only gateways with a redis_url import it

    return redis.asyncio.Redis.from_url(
        url,
        socket_timeout=timeout_s,
        socket_connect_timeout=timeout_s,
        max_connections=MAX_CONNECTIONS,
        decode_responses=decode_responses,
    )
