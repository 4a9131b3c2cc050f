"""Per-key rate limits: requests and tokens per minute, answered 429 with Retry-After.

Token buckets in process memory: a bucket refills continuously at ``limit / 60`` per second up to
``limit``, so a key may burst to its per-minute limit and then sustains exactly the limit. Requests are
taken before the call; tokens are charged after it with the real count (the prompt size is not known
in tokens beforehand), and a key whose token bucket is empty is refused until it refills. With several
workers each process keeps its own buckets: the limit is per worker (documented in the README).

The limits come from the app's config (``apps.<name>.rate_limit``), so a reload changes them at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import msgspec

from ai_workers.core.config import Settings
from ai_workers.core.context import AppIdentity
from ai_workers.core.errors import RateLimitError


class RateLimitConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """``apps.<name>.rate_limit``: unset means unlimited."""

    requests_per_minute: float | None = None
    tokens_per_minute: float | None = None


class _Bucket:
    __slots__ = ("capacity", "level", "rate", "updated")

    def __init__(self, capacity: float, now: float) -> None:
        self.capacity = capacity
        self.rate = capacity / 60.0
        self.level = capacity
        self.updated = now

    def refill(self, now: float, capacity: float) -> None:
        if capacity != self.capacity:  # the limit changed in config
            self.capacity, self.rate = capacity, capacity / 60.0
        self.level = min(self.capacity, self.level + (now - self.updated) * self.rate)
        self.updated = now

    def wait_for(self, amount: float) -> float:
        """Seconds until ``amount`` is available."""
        return max(0.0, (amount - self.level) / self.rate) if self.rate > 0 else 60.0


class RateLimiter:
    """Checks and charges one key's buckets. All methods are O(1) and do no I/O."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, *, max_keys: int = 100_000) -> None:
        self.clock = clock
        self.max_keys = max_keys
        self._requests: dict[str, _Bucket] = {}
        self._tokens: dict[str, _Bucket] = {}

    @staticmethod
    def key_of(identity: AppIdentity) -> str:
        return identity.key_id or f"app:{identity.name}"

    def config_for(self, settings: Settings, identity: AppIdentity) -> RateLimitConfig:
        return settings.app_section(identity.name, "rate_limit", RateLimitConfig)

    def _bucket(self, table: dict[str, _Bucket], key: str, capacity: float, now: float) -> _Bucket:
        bucket = table.get(key)
        if bucket is None:
            if len(table) >= self.max_keys:
                table.clear()  # bounded memory; a reset only ever lets callers through, never blocks them
            bucket = table[key] = _Bucket(capacity, now)
        else:
            bucket.refill(now, capacity)
        return bucket

    def check(self, settings: Settings, identity: AppIdentity) -> None:
        """Take one request from the key's budget, or raise RateLimitError (429 + Retry-After)."""
        config = self.config_for(settings, identity)
        if config.requests_per_minute is None and config.tokens_per_minute is None:
            return
        key = self.key_of(identity)
        now = self.clock()
        if config.tokens_per_minute is not None:
            tokens = self._bucket(self._tokens, key, config.tokens_per_minute, now)
            if tokens.level < 1.0:
                raise RateLimitError(
                    f"Rate limit reached for app '{identity.name}': {config.tokens_per_minute:g} tokens per "
                    "minute.",
                    retry_after=tokens.wait_for(1.0),
                    code="tokens_per_minute",
                )
        if config.requests_per_minute is not None:
            requests = self._bucket(self._requests, key, config.requests_per_minute, now)
            if requests.level < 1.0:
                raise RateLimitError(
                    f"Rate limit reached for app '{identity.name}': {config.requests_per_minute:g} requests "
                    "per minute.",
                    retry_after=requests.wait_for(1.0),
                    code="requests_per_minute",
                )
            requests.level -= 1.0

    def charge_tokens(self, settings: Settings, identity: AppIdentity, tokens: int) -> None:
        """Charge a finished request's real token count (may take the bucket below zero)."""
        if tokens <= 0:
            return
        config = self.config_for(settings, identity)
        if config.tokens_per_minute is None:
            return
        bucket = self._bucket(self._tokens, self.key_of(identity), config.tokens_per_minute, self.clock())
        bucket.level -= tokens
