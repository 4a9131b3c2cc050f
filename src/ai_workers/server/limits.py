"""Per-key rate limits: requests and tokens per minute, answered 429 with Retry-After.

Token buckets: a bucket refills continuously at ``limit / 60`` per second up to ``limit``, so a key may
burst to its per-minute limit and then sustains exactly the limit. Requests are taken before the call;
tokens are charged after it with the real count (the prompt size is not known in tokens beforehand),
and a key whose token bucket is empty is refused until it refills.

With ``redis_url`` set the buckets live in Redis (one atomic Lua script per check, on Redis' clock), so
every worker and host shares one limit per key. Without Redis, the worker processes of one ``serve
--workers N`` share their buckets in a SQLite file in the data dir (one ``BEGIN IMMEDIATE`` transaction
per check, like the shared budget counters), so N workers hold one limit, not N; a single process keeps
them in memory. If the shared store fails, the check falls back to this process' own buckets rather
than refusing traffic: a rate limit protects capacity, it is not a security control.

Shared buckets are not consulted per request: each process takes a *lease* of requests from the
shared requests bucket (up to a quarter of ``lease_pct`` of the limit, default 5%) and admits locally
while it lasts; a background task (every ``REFRESH_S``) tops it up, sends the token charges counted
since the last exchange, refreshes this process's view of the tokens bucket, and gives an idle lease
back. Requests are only ever admitted against requests taken from the shared bucket, so the requests
limit holds across processes exactly as before; a lease only moves *when* a process may use them
(within the bound). Token charges reach the shared bucket up to ``REFRESH_S`` late, so the tokens
limit may be passed by what the processes' requests use in that time. A process killed with leased
requests in hand loses them for the rest of their refill (a minute at most): they are never admitted.

The limits come from the app's config (``apps.<name>.rate_limit``), so a reload changes them at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from ai_workers.core.background import BackgroundTask
from ai_workers.core.config import Settings
from ai_workers.core.context import AppIdentity
from ai_workers.core.errors import RateLimitError
from ai_workers.core.outage import Outage
from ai_workers.db.shared_file import SharedSqlite

log = logging.getLogger("ai_workers.server.limits")


class RateLimitConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """``apps.<name>.rate_limit``: unset means unlimited."""

    requests_per_minute: float | None = None
    tokens_per_minute: float | None = None
    # With shared buckets: the requests all leases may hold, in percent of the per-minute limit (each
    # process asks for a quarter of it); 0 takes one request per round trip.
    lease_pct: float = 5.0


REFRESH_S = 0.1  # leases topped up and token charges sent this often
IDLE_S = 1.0  # a lease unused this long is given back


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


# KEYS: requests bucket, tokens bucket. ARGV: requests/min, tokens/min (-1: no limit).
# Returns {0, 0} when allowed (one request taken), else {1 or 2, seconds to wait} (1: requests, 2: tokens).
_CHECK = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local function level(key, capacity)
  local data = redis.call('HMGET', key, 'level', 'ts')
  local lvl = tonumber(data[1]) or capacity
  local ts = tonumber(data[2]) or now
  return math.min(capacity, lvl + math.max(0, now - ts) * capacity / 60)
end
local rpm, tpm = tonumber(ARGV[1]), tonumber(ARGV[2])
if tpm >= 0 then
  local tokens = level(KEYS[2], tpm)
  if tokens < 1 then return {2, tostring((1 - tokens) / (tpm / 60))} end
end
if rpm >= 0 then
  local requests = level(KEYS[1], rpm)
  if requests < 1 then return {1, tostring((1 - requests) / (rpm / 60))} end
  redis.call('HSET', KEYS[1], 'level', tostring(requests - 1), 'ts', tostring(now))
  redis.call('EXPIRE', KEYS[1], 120)
end
return {0, '0'}
"""

# KEYS: tokens bucket. ARGV: tokens/min, tokens used.
_CHARGE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local capacity, used = tonumber(ARGV[1]), tonumber(ARGV[2])
local data = redis.call('HMGET', KEYS[1], 'level', 'ts')
local lvl = tonumber(data[1]) or capacity
local ts = tonumber(data[2]) or now
lvl = math.min(capacity, lvl + math.max(0, now - ts) * capacity / 60) - used
redis.call('HSET', KEYS[1], 'level', tostring(lvl), 'ts', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(60 + 60 * math.max(0, -lvl) / capacity))
return 1
"""


# A lease exchange. KEYS: requests bucket, tokens bucket. ARGV: requests/min, tokens/min (-1: no limit),
# requests wanted, requests needed (0 or 1: a request waits on this exchange), tokens to charge, requests
# given back. Returns {0, 0, granted, tokens level} or {1 or 2, seconds to wait, 0, tokens level}.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local function level(key, capacity)
  local data = redis.call('HMGET', key, 'level', 'ts')
  local lvl = tonumber(data[1]) or capacity
  local ts = tonumber(data[2]) or now
  return math.min(capacity, lvl + math.max(0, now - ts) * capacity / 60)
end
local rpm, tpm = tonumber(ARGV[1]), tonumber(ARGV[2])
local want, need = tonumber(ARGV[3]), tonumber(ARGV[4])
local charge, back = tonumber(ARGV[5]), tonumber(ARGV[6])
local tokens = -1
if tpm >= 0 then
  tokens = level(KEYS[2], tpm) - charge
  if charge ~= 0 then
    redis.call('HSET', KEYS[2], 'level', tostring(tokens), 'ts', tostring(now))
    redis.call('EXPIRE', KEYS[2], math.ceil(60 + 60 * math.max(0, -tokens) / tpm))
  end
end
local requests = 0
if rpm >= 0 then requests = math.min(rpm, level(KEYS[1], rpm) + back) end
local function store(lvl)
  if rpm >= 0 then
    redis.call('HSET', KEYS[1], 'level', tostring(lvl), 'ts', tostring(now))
    redis.call('EXPIRE', KEYS[1], 120)
  end
end
if tpm >= 0 and tokens < 1 then
  store(requests)
  return {2, tostring((1 - tokens) / (tpm / 60)), 0, tostring(tokens)}
end
if rpm < 0 then return {0, '0', want, tostring(tokens)} end
local granted = math.max(0, math.min(want, math.floor(requests)))
if granted < need then
  store(requests)
  return {1, tostring((need - requests) / (rpm / 60)), 0, tostring(tokens)}
end
store(requests - granted)
return {0, '0', granted, tostring(tokens)}
"""


class SqliteBuckets:
    """The Redis scripts' buckets in a file the worker processes of one machine share
    (``db.shared_file``), on the wall clock every process shares."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._file = SharedSqlite(path, self._setup)

    def _setup(self, db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE IF NOT EXISTS buckets (key TEXT PRIMARY KEY, level REAL, ts REAL)")
        db.execute("DELETE FROM buckets WHERE ts < ?", (self.clock() - 3600,))

    @staticmethod
    def _level(db: sqlite3.Connection, key: str, capacity: float, now: float) -> float:
        row = db.execute("SELECT level, ts FROM buckets WHERE key = ?", (key,)).fetchone()
        if row is None:
            return capacity
        return float(min(capacity, row[0] + max(0.0, now - row[1]) * capacity / 60.0))

    @staticmethod
    def _store(db: sqlite3.Connection, key: str, level: float, now: float) -> None:
        db.execute("INSERT OR REPLACE INTO buckets VALUES (?, ?, ?)", (key, level, now))

    async def check(self, key: str, rpm: float, tpm: float) -> tuple[int, float]:
        """As the ``_CHECK`` script: (0, 0) and one request taken, else (1 or 2, seconds to wait)."""

        def work(db: sqlite3.Connection) -> tuple[int, float]:
            now = self.clock()
            if tpm >= 0 and (tokens := self._level(db, key + ":tok", tpm, now)) < 1:
                return 2, (1 - tokens) / (tpm / 60.0)
            if rpm >= 0:
                requests = self._level(db, key + ":req", rpm, now)
                if requests < 1:
                    return 1, (1 - requests) / (rpm / 60.0)
                self._store(db, key + ":req", requests - 1, now)
            return 0, 0.0

        return await self._file.run(work)

    async def charge(self, key: str, tpm: float, used: int) -> None:
        def work(db: sqlite3.Connection) -> None:
            now = self.clock()
            self._store(db, key + ":tok", self._level(db, key + ":tok", tpm, now) - used, now)

        await self._file.run(work)

    async def take(
        self, key: str, rpm: float, tpm: float, want: int, need: int, charge: int, back: int
    ) -> tuple[int, float, int, float]:
        """As the ``_TAKE`` script."""

        def work(db: sqlite3.Connection) -> tuple[int, float, int, float]:
            now = self.clock()
            tokens = -1.0
            if tpm >= 0:
                tokens = self._level(db, key + ":tok", tpm, now) - charge
                if charge:
                    self._store(db, key + ":tok", tokens, now)
            requests = min(rpm, self._level(db, key + ":req", rpm, now) + back) if rpm >= 0 else 0.0
            if tpm >= 0 and tokens < 1:
                if rpm >= 0:
                    self._store(db, key + ":req", requests, now)
                return 2, (1 - tokens) / (tpm / 60.0), 0, tokens
            if rpm < 0:
                return 0, 0.0, want, tokens
            granted = max(0, min(want, math.floor(requests)))
            if granted < need:
                self._store(db, key + ":req", requests, now)
                return 1, (need - requests) / (rpm / 60.0), 0, tokens
            self._store(db, key + ":req", requests - granted, now)
            return 0, 0.0, granted, tokens

        return await self._file.run(work)

    async def aclose(self) -> None:
        await self._file.aclose()


@dataclass(slots=True)
class _Lease:
    """This process's requests taken from one key's shared bucket, and its token charges not sent yet."""

    identity: AppIdentity
    config: RateLimitConfig
    requests: int = 0
    charge: int = 0  # tokens used since the last exchange
    tokens: float = math.inf  # the shared tokens bucket's level at the last exchange (inf: no limit)
    tokens_at: float = 0.0  # when (monotonic)
    last_use: float = 0.0
    busy: asyncio.Future[None] | None = None
    closing: bool = False

    def want(self) -> int:
        rpm = self.config.requests_per_minute
        if rpm is None:
            return 0
        return max(1, math.floor(rpm * self.config.lease_pct / 100.0 / 4))

    def tokens_now(self, now: float) -> float:
        tpm = self.config.tokens_per_minute
        if tpm is None or not math.isfinite(self.tokens):
            return math.inf
        return min(tpm, self.tokens + (now - self.tokens_at) * tpm / 60.0) - self.charge


def _exceeded(identity: AppIdentity, what: str, limit: float, wait: float) -> RateLimitError:
    unit = "requests" if what == "requests_per_minute" else "tokens"
    return RateLimitError(
        f"Rate limit reached for app '{identity.name}': {limit:g} {unit} per minute.",
        retry_after=wait,
        code=what,
    )


class RateLimiter:
    """Checks and charges one key's buckets: in Redis when given a client, else in this process."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        *,
        redis: Any | None = None,
        shared: SqliteBuckets | None = None,
        prefix: str = "aiw:rl:",
        max_keys: int = 100_000,
    ) -> None:
        self.clock = clock
        self.redis = redis
        self.shared = shared if redis is None else None
        self._outage = Outage(log, "shared rate-limit buckets")
        self.prefix = prefix
        self.max_keys = max_keys
        self._requests: dict[str, _Bucket] = {}
        self._tokens: dict[str, _Bucket] = {}
        self._check_script = redis.register_script(_CHECK) if redis is not None else None
        self._charge_script = redis.register_script(_CHARGE) if redis is not None else None
        self._take_script = redis.register_script(_TAKE) if redis is not None else None
        self._leases: dict[str, _Lease] = {}
        self._refill = BackgroundTask("rate-limit-leases")
        self.exchanges = 0  # round trips to the shared buckets (tests)

    @staticmethod
    def key_of(identity: AppIdentity) -> str:
        if identity.token_id is not None:  # browser tokens: one bucket per end user of the app
            return f"user:{identity.name}:{identity.user}"
        return identity.key_id or f"app:{identity.name}"

    def config_for(self, settings: Settings, identity: AppIdentity) -> RateLimitConfig:
        return settings.app_section(identity.name, "rate_limit", RateLimitConfig)

    async def check(self, settings: Settings, identity: AppIdentity) -> None:
        """Take one request from the key's budget, or raise RateLimitError (429 + Retry-After)."""
        config = self.config_for(settings, identity)
        if config.requests_per_minute is None and config.tokens_per_minute is None:
            return  # the common case: no awaits, no work
        if self._check_script is not None or self.shared is not None:
            try:
                await self._check_shared(config, identity)
            except RateLimitError:
                self._outage.succeeded()
                raise
            except Exception as exc:
                self._outage.failed(exc, consequence="using this process' own buckets")
            else:
                self._outage.succeeded()
                return
        self.check_local(config, identity)

    async def _check_shared(self, config: RateLimitConfig, identity: AppIdentity) -> None:
        key = self.prefix + self.key_of(identity)
        lease = self._leases.get(key)
        if lease is None:
            if len(self._leases) >= self.max_keys:
                self._leases.clear()  # bounded memory; leased requests dropped are never admitted
            lease = self._leases[key] = _Lease(identity, config)
        lease.config, lease.identity = config, identity  # a reload changes the limits at once
        for _ in range(3):
            if lease.busy is not None and (lease.closing or not self._fits(lease)):
                await asyncio.shield(lease.busy)
                continue
            if self._fits(lease):
                lease.requests -= 1 if config.requests_per_minute is not None else 0
                lease.last_use = time.monotonic()
                self._start()
                return
            break
        code, wait = await self._exchange(key, lease, need=1)
        if code == 1:
            raise _exceeded(identity, "requests_per_minute", config.requests_per_minute or 0, wait)
        if code == 2:
            raise _exceeded(identity, "tokens_per_minute", config.tokens_per_minute or 0, wait)
        lease.last_use = time.monotonic()
        self._start()

    @staticmethod
    def _fits(lease: _Lease) -> bool:
        if lease.config.requests_per_minute is not None and lease.requests < 1:
            return False
        return lease.tokens_now(time.monotonic()) >= 1

    async def _exchange(
        self, key: str, lease: _Lease, *, need: int, give_back: bool = False
    ) -> tuple[int, float]:
        """One round trip to the shared buckets: send token charges, give back or top up the lease; with
        ``need`` 1, one request of it is this caller's (admitted unless the code says why not)."""
        while lease.busy is not None:
            await asyncio.shield(lease.busy)
        lease.busy = asyncio.get_running_loop().create_future()
        lease.closing = give_back
        config = lease.config
        rpm = config.requests_per_minute if config.requests_per_minute is not None else -1
        tpm = config.tokens_per_minute if config.tokens_per_minute is not None else -1
        charge, back = lease.charge, lease.requests if give_back else 0
        want = need if give_back else max(need, lease.want() - lease.requests)
        try:
            if self._take_script is not None:
                result = await self._take_script(
                    keys=[key + ":req", key + ":tok"], args=[rpm, tpm, want, need, charge, back]
                )
                code, wait, granted, tokens = (
                    int(result[0]),
                    float(result[1]),
                    int(result[2]),
                    float(result[3]),
                )
            else:
                assert self.shared is not None
                code, wait, granted, tokens = await self.shared.take(key, rpm, tpm, want, need, charge, back)
            self.exchanges += 1
            lease.charge -= charge
            lease.requests -= back
            if code == 0 and rpm >= 0:
                lease.requests += granted - need
            if tpm >= 0:
                lease.tokens, lease.tokens_at = tokens, time.monotonic()
            return code, wait
        finally:
            busy, lease.busy, lease.closing = lease.busy, None, False
            busy.set_result(None)

    def _start(self) -> None:
        self._refill.start_every(REFRESH_S, self.refresh, self._outage, "rate-limit leases not refreshed")

    async def refresh(self) -> None:
        """Send token charges, top up low leases, give idle ones back (the background task)."""
        now = time.monotonic()
        for key, lease in list(self._leases.items()):
            if lease.busy is not None:
                continue
            if now - lease.last_use >= IDLE_S:
                if lease.requests > 0 or lease.charge:
                    await self._exchange(key, lease, need=0, give_back=True)
                elif now - lease.last_use >= 60.0:
                    del self._leases[key]
            elif lease.charge or lease.requests < lease.want() / 2:
                await self._exchange(key, lease, need=0)

    def _bucket(self, table: dict[str, _Bucket], key: str, capacity: float, now: float) -> _Bucket:
        bucket = table.get(key)
        if bucket is None:
            if len(table) >= self.max_keys:
                table.clear()  # bounded memory; a reset only ever lets callers through, never blocks them
            bucket = table[key] = _Bucket(capacity, now)
        else:
            bucket.refill(now, capacity)
        return bucket

    def check_local(self, config: RateLimitConfig, identity: AppIdentity) -> None:
        key = self.key_of(identity)
        now = self.clock()
        if config.tokens_per_minute is not None:
            tokens = self._bucket(self._tokens, key, config.tokens_per_minute, now)
            if tokens.level < 1.0:
                raise _exceeded(identity, "tokens_per_minute", config.tokens_per_minute, tokens.wait_for(1.0))
        if config.requests_per_minute is not None:
            requests = self._bucket(self._requests, key, config.requests_per_minute, now)
            if requests.level < 1.0:
                raise _exceeded(
                    identity, "requests_per_minute", config.requests_per_minute, requests.wait_for(1.0)
                )
            requests.level -= 1.0

    async def charge_tokens(self, settings: Settings, identity: AppIdentity, tokens: int) -> None:
        """Charge a finished request's real token count (may take the bucket below zero)."""
        if tokens <= 0:
            return
        config = self.config_for(settings, identity)
        if config.tokens_per_minute is None:
            return
        if self._charge_script is not None or self.shared is not None:
            key = self.prefix + self.key_of(identity)
            lease = self._leases.get(key)
            if lease is not None:  # sent with the lease's next exchange
                lease.charge += tokens
                return
            try:
                if self._charge_script is not None:
                    await self._charge_script(keys=[key + ":tok"], args=[config.tokens_per_minute, tokens])
                else:
                    assert self.shared is not None
                    await self.shared.charge(key, config.tokens_per_minute, tokens)
            except Exception as exc:
                self._outage.failed(exc, consequence="using this process' own buckets")
            else:
                self._outage.succeeded()
                return
        bucket = self._bucket(self._tokens, self.key_of(identity), config.tokens_per_minute, self.clock())
        bucket.level -= tokens

    async def aclose(self) -> None:
        await self._refill.stop()
        for key, lease in list(self._leases.items()):
            if lease.requests > 0 or lease.charge:
                with contextlib.suppress(Exception):
                    await self._exchange(key, lease, need=0, give_back=True)
        if self.redis is not None:
            await self.redis.aclose()
        if self.shared is not None:
            await self.shared.aclose()
