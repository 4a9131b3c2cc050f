"""Budget counters in Redis hashes, shared by every gateway using the same Redis (``redis_url``).

Each reserve and each settle is one Lua script, so it is atomic across gateways. Keys expire after
``COUNTER_TTL_S``.

A Redis that restarts empty (no persistence, failover to an empty replica) loses every counter. They
used to be re-seeded from the baseline read at gateway start, forgetting all spend since then (measured
under load: +22% over budget after one restart, 1.83x after two). Now each hash carries an epoch field
``b`` written only when the counter is (re)built from a *fresh* database sum of the period
(``FreshBaseline``) plus this process's live reservations. A hash without it is "unseeded": reserve
asks for a rebuild first, and a settlement skips it (its record is in the database the rebuild sums).
Reservations remember the epoch they were made in and release only in that epoch, so a reservation
made before the restart cannot subtract from a counter that never held it.

Each reservation is also a member ``token|owner|estimate`` of the sorted set ``<key>:res``, scored by
its expiry; its owner (this process) refreshes ``aiw:budget-owner:<owner>`` every few seconds. A
gateway killed with SIGKILL never settles: any other gateway's periodic reclaim (and every refusal)
releases the reservations whose owner key has lapsed or which expired, and a settlement releases only
a member it can still remove, so none is released twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import secrets
import time
from typing import Any

from ai_workers.db.redis_client import redis_client
from ai_workers.usage.budget_rules import Budget
from ai_workers.usage.counters import (
    COUNTER_TTL_S,
    Baseline,
    Check,
    Counter,
    FreshBaseline,
    LeaseGrant,
    LeaseTerms,
    SharedCounters,
    Snapshot,
    Violation,
)

log = logging.getLogger("ai_workers.usage.redis_counters")

# Check every budget, then reserve on all of them, in one atomic step. A key without its epoch ``b``
# (absent, or Redis restarted empty) is not guessed at: the script returns {-1, i...} for the caller to
# rebuild those counters from the database first. On success, returns {0, epoch of each key}.
_RESERVE_LUA = """
local est = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local missing = {}
for i, key in ipairs(KEYS) do
  if redis.call('HEXISTS', key, 'b') == 0 then missing[#missing + 1] = i end
end
if #missing > 0 then
  table.insert(missing, 1, -1)
  return missing
end
local epochs = {0}
for i, key in ipairs(KEYS) do
  local base = 2 + (i - 1) * 2
  local v = redis.call('HMGET', key, 's', 'r', 'n', 'q', 'b')
  local s = tonumber(v[1]) or 0
  local r = tonumber(v[2]) or 0
  local n = tonumber(v[3]) or 0
  local q = tonumber(v[4]) or 0
  local lu = tonumber(ARGV[base + 1])
  local lr = tonumber(ARGV[base + 2])
  if lu >= 0 and s + r + est > lu then return {i, 'usd', tostring(s + r)} end
  if lr >= 0 and n + q + 1 > lr then return {i, 'requests', tostring(n + q)} end
  epochs[#epochs + 1] = v[5]
end
local extra = 2 + 2 * #KEYS
local member = ARGV[extra + 1]
for i, key in ipairs(KEYS) do
  redis.call('HINCRBYFLOAT', key, 'r', est)
  redis.call('HINCRBY', key, 'q', 1)
  redis.call('EXPIRE', key, ttl)
  if member ~= '' then
    redis.call('ZADD', key .. ':res', ARGV[extra + 2], member)
    redis.call('EXPIRE', key .. ':res', ttl)
  end
end
if ARGV[extra + 3] ~= '' then redis.call('SET', ARGV[extra + 3], '1', 'EX', ARGV[extra + 4]) end
return epochs
"""

# (Re)build unseeded counters: s, n from a fresh database sum, r, q from the caller's live reservations.
# A key another gateway rebuilt meanwhile is left alone. Returns each key's epoch afterwards.
_SEED_LUA = """
local ttl = tonumber(ARGV[1])
local out = {}
local expires = ARGV[2]
for i, key in ipairs(KEYS) do
  local base = 2 + (i - 1) * 6
  if redis.call('HEXISTS', key, 'b') == 0 then
    redis.call('DEL', key, key .. ':res')
    redis.call('HSET', key, 's', ARGV[base + 1], 'n', ARGV[base + 2], 'r', ARGV[base + 3],
               'q', ARGV[base + 4], 'b', ARGV[base + 5])
    redis.call('EXPIRE', key, ttl)
    for m in string.gmatch(ARGV[base + 6], '[^\\n]+') do
      redis.call('ZADD', key .. ':res', expires, m)
    end
    redis.call('EXPIRE', key .. ':res', ttl)
  end
  out[#out + 1] = redis.call('HGET', key, 'b')
end
return out
"""

# Release the reservation (only in the epoch it was made in) and add the actual cost; returns spent and
# requests per key for alerts. An unseeded key is not touched: the next reserve rebuilds it from the
# database, where this request's record is.
_SETTLE_LUA = """
local est = tonumber(ARGV[1])
local actual = tonumber(ARGV[2])
local reserved = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local out = {}
for i, key in ipairs(KEYS) do
  local epoch = redis.call('HGET', key, 'b')
  if not epoch then
    out[#out + 1] = '0'
    out[#out + 1] = 0
  else
    local member = ARGV[4 + #KEYS + 1]
    if reserved == 1 and (ARGV[4 + i] == '*' or (epoch == ARGV[4 + i]
        and redis.call('ZREM', key .. ':res', member) == 1)) then
      redis.call('HINCRBYFLOAT', key, 'r', -est)
      redis.call('HINCRBY', key, 'q', -1)
    end
    local s = redis.call('HINCRBYFLOAT', key, 's', actual)
    local n = redis.call('HINCRBY', key, 'n', 1)
    redis.call('EXPIRE', key, ttl)
    out[#out + 1] = tostring(s)
    out[#out + 1] = n
  end
end
return out
"""

# Release the reservations whose owner's heartbeat key has lapsed (a killed gateway) or which expired.
_RECLAIM_LUA = """
local now = tonumber(ARGV[1])
local released = 0
for _, key in ipairs(KEYS) do
  local zkey = key .. ':res'
  local members = redis.call('ZRANGE', zkey, 0, -1, 'WITHSCORES')
  for j = 1, #members, 2 do
    local m = members[j]
    local _, owner, est = string.match(m, '^([^|]*)|([^|]*)|(.*)$')
    if owner and (tonumber(members[j + 1]) < now or redis.call('EXISTS', ARGV[2] .. owner) == 0) then
      redis.call('ZREM', zkey, m)
      if redis.call('HEXISTS', key, 'b') == 1 then
        redis.call('HINCRBYFLOAT', key, 'r', -tonumber(est))
        redis.call('HINCRBY', key, 'q', -1)
      end
      released = released + 1
    end
  end
end
return released
"""

# A lease exchange (``usage.leases``): give back the lease this process holds on every key (what the
# key's ``:lease`` hash says it holds: a lease reclaimed meanwhile is not released twice), count the spend
# settled against it, then grant a new one sized as ``counters.lease_grant`` does. Unseeded keys: as the
# reserve script, {-1, i...} and nothing written. Else {violation index or 0, unit, used, usd, n, then
# spent and requests per key}.
_EXCHANGE_LUA = """
local token, owner = ARGV[1], ARGV[2]
local spent, used = tonumber(ARGV[3]), tonumber(ARGV[4])
local keep_u, keep_n = tonumber(ARGV[5]), tonumber(ARGV[6])
local ask_u, ask_n = tonumber(ARGV[7]), tonumber(ARGV[8])
local want_u, want_n = tonumber(ARGV[9]), tonumber(ARGV[10])
local ttl, held_until = tonumber(ARGV[11]), ARGV[12]
local missing = {}
for i, key in ipairs(KEYS) do
  if redis.call('HEXISTS', key, 'b') == 0 then missing[#missing + 1] = i end
end
if #missing > 0 then
  table.insert(missing, 1, -1)
  return missing
end
local rows = {}
for i, key in ipairs(KEYS) do
  local held = redis.call('HGET', key .. ':lease', token)
  if held then
    local _, hu, hn = string.match(held, '^([^|]*)|([^|]*)|([^|]*)|')
    redis.call('HINCRBYFLOAT', key, 'r', -tonumber(hu))
    if tonumber(hn) ~= 0 then redis.call('HINCRBY', key, 'q', 0 - tonumber(hn)) end
    redis.call('HDEL', key .. ':lease', token)
  end
  if spent ~= 0 then redis.call('HINCRBYFLOAT', key, 's', spent) end
  if used ~= 0 then redis.call('HINCRBY', key, 'n', used) end
  local v = redis.call('HMGET', key, 's', 'r', 'n', 'q')
  rows[i] = {tonumber(v[1]) or 0, math.max(0, tonumber(v[2]) or 0), tonumber(v[3]) or 0,
             math.max(0, tonumber(v[4]) or 0)}
end
local inf = math.huge
local room_u, room_n, bound_u, bound_n = inf, inf, inf, inf
local violation = nil
for i, key in ipairs(KEYS) do
  local base = 12 + (i - 1) * 4
  local lu, lr = tonumber(ARGV[base + 1]), tonumber(ARGV[base + 2])
  local bu, bn = tonumber(ARGV[base + 3]), tonumber(ARGV[base + 4])
  local row = rows[i]
  if violation == nil and lu >= 0 then
    local room = lu - row[1] - row[2]
    if ask_u > 0 and room - keep_u < ask_u then
      violation = {i, 'usd', tostring(row[1] + row[2])}
    end
    room_u = math.min(room_u, room)
    bound_u = math.min(bound_u, bu - row[2])
  end
  if violation == nil and lr >= 0 then
    local room = lr - row[3] - row[4]
    if ask_n > 0 and room - keep_n < ask_n then
      violation = {i, 'requests', tostring(row[3] + row[4])}
    end
    room_n = math.min(room_n, room)
    bound_n = math.min(bound_n, bn - row[4])
  end
end
local gu, gn
if violation then
  gu, gn = keep_u, keep_n
else
  gu = keep_u + ask_u + math.max(0, math.min(want_u, room_u, bound_u) - keep_u - ask_u)
  gn = keep_n + ask_n + math.max(0, math.floor(math.min(want_n, room_n, bound_n)) - keep_n - ask_n)
  violation = {0, '', '0'}
end
for i, key in ipairs(KEYS) do
  if gu > 0 or gn > 0 then
    redis.call('HINCRBYFLOAT', key, 'r', gu)
    if gn ~= 0 then redis.call('HINCRBY', key, 'q', gn) end
    redis.call('HSET', key .. ':lease', token, owner .. '|' .. tostring(gu) .. '|' .. gn .. '|' .. held_until)
    redis.call('EXPIRE', key .. ':lease', ttl)
  end
  redis.call('EXPIRE', key, ttl)
end
if ARGV[#ARGV - 1] ~= '' then redis.call('SET', ARGV[#ARGV - 1], '1', 'EX', ARGV[#ARGV]) end
local out = {violation[1], violation[2], violation[3], tostring(gu), gn}
for i = 1, #KEYS do
  out[#out + 1] = tostring(rows[i][1])
  out[#out + 1] = rows[i][3]
end
return out
"""

# Rebuild unseeded counters for leases: as _SEED_LUA, with this process's leases as the ``:lease`` hash.
_LEASE_SEED_LUA = """
local ttl = tonumber(ARGV[1])
local out = {}
for i, key in ipairs(KEYS) do
  local base = 1 + (i - 1) * 6
  if redis.call('HEXISTS', key, 'b') == 0 then
    redis.call('DEL', key, key .. ':res', key .. ':lease')
    redis.call('HSET', key, 's', ARGV[base + 1], 'n', ARGV[base + 2], 'r', ARGV[base + 3],
               'q', ARGV[base + 4], 'b', ARGV[base + 5])
    redis.call('EXPIRE', key, ttl)
    for token, value in string.gmatch(ARGV[base + 6], '([^\\n=]+)=([^\\n]+)') do
      redis.call('HSET', key .. ':lease', token, value)
    end
    redis.call('EXPIRE', key .. ':lease', ttl)
  end
  out[#out + 1] = redis.call('HGET', key, 'b')
end
return out
"""

# Give back the leases whose owner's heartbeat has lapsed (a killed gateway) or which expired.
_LEASE_RECLAIM_LUA = """
local now = tonumber(ARGV[1])
local released = 0
for _, key in ipairs(KEYS) do
  local lkey = key .. ':lease'
  local fields = redis.call('HGETALL', lkey)
  for j = 1, #fields, 2 do
    local owner, hu, hn, until_ = string.match(fields[j + 1], '^([^|]*)|([^|]*)|([^|]*)|(.*)$')
    if owner and (tonumber(until_) < now or redis.call('EXISTS', ARGV[2] .. owner) == 0) then
      redis.call('HDEL', lkey, fields[j])
      if redis.call('HEXISTS', key, 'b') == 1 then
        redis.call('HINCRBYFLOAT', key, 'r', -tonumber(hu))
        if tonumber(hn) ~= 0 then redis.call('HINCRBY', key, 'q', 0 - tonumber(hn)) end
      end
      released = released + 1
    end
  end
end
return released
"""

REDIS_TIMEOUT_S = 2.0
LEASE_TTL_S = 60.0  # a lease not renewed for this long is reclaimed (its owner renews it every second)
OWNER_TTL_S = 30  # a gateway whose heartbeat is this old is dead: its reservations are released
RESERVATION_TTL_S = 900.0  # longer than any request may take
RECLAIM_INTERVAL_S = 5.0


class RedisCounters(SharedCounters):
    """Counters shared by every gateway process using the same Redis (``redis_url``)."""

    def __init__(
        self,
        url: str,
        baseline: Baseline,
        *,
        prefix: str = "aiw:budget:",
        fresh_baseline: FreshBaseline | None = None,
        owner_ttl_s: int = OWNER_TTL_S,
    ) -> None:
        """``baseline``: the start-time snapshot, only for status reads of a counter no one touched yet.
        ``fresh_baseline``: what an unseeded counter is rebuilt from (else ``baseline``, for tools and
        benchmarks without a database)."""
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
        self.fresh_baseline = fresh_baseline
        self._reserve = self.client.register_script(_RESERVE_LUA)
        self._seed = self.client.register_script(_SEED_LUA)
        self._settle = self.client.register_script(_SETTLE_LUA)
        self._reclaim_script = self.client.register_script(_RECLAIM_LUA)
        self._exchange = self.client.register_script(_EXCHANGE_LUA)
        self._lease_seed = self.client.register_script(_LEASE_SEED_LUA)
        self._lease_reclaim = self.client.register_script(_LEASE_RECLAIM_LUA)
        # This process's leases: token -> (keys, usd, requests, the value stored in each ``:lease`` hash),
        # what a rebuild puts back after Redis lost the counters.
        self._leases: dict[str, tuple[list[str], str]] = {}
        self.owner = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.owner_ttl_s = owner_ttl_s
        self._owner_prefix = "aiw:budget-owner:"
        self._touched: set[str] = set()  # counter keys this process reserved on (reclaimed periodically)
        self._next_reclaim = 0.0  # reclaiming before a refusal: at most once a second
        self._next_periodic = 0.0
        self.reclaimed = 0
        # This process's reservations in flight: token -> (keys, estimate, epoch per key). A rebuild
        # counts them in; a settlement releases them only in the epoch they were made in.
        self._live: dict[str, tuple[list[str], float, list[str]]] = {}
        # Settlements sent but not confirmed (Redis failing): no longer counted by a rebuild (the one in
        # Redis may have landed), but their epochs are kept for the retry. Bounded: oldest dropped.
        self._settling: dict[str, list[str]] = {}
        self._rebuild_lock = asyncio.Lock()  # one rebuild at a time: concurrent misses query once
        self.rebuilds = 0  # counters this process rebuilt (tests, status)

    async def reserve(self, checks: list[Check], estimate: float, *, token: str = "") -> Violation | None:
        keys = [self.prefix + c.key for c in checks]
        args: list[Any] = [repr(estimate), COUNTER_TTL_S]
        for check in checks:
            rule = check.budget.rule
            args += [
                repr(rule.usd) if rule.usd is not None else -1,
                rule.requests if rule.requests is not None else -1,
            ]
        member = f"{token}|{self.owner}|{estimate!r}" if token else ""
        args += [
            member,
            repr(time.time() + RESERVATION_TTL_S),
            self._owner_prefix + self.owner,
            self.owner_ttl_s,
        ]
        if time.monotonic() < self._down_until:
            raise ConnectionError("the budget counters were unreachable moments ago")
        if len(self._touched) > 10_000:
            self._touched.clear()
        self._touched.update(keys)
        for _ in range(3):
            result = await self._call(self._reserve, keys, args)
            if int(result[0]) == -1:  # unseeded counters: rebuild them, then check again
                async with self._rebuild_lock:
                    await self._rebuild([checks[int(i) - 1] for i in result[1:]])
                continue
            if int(result[0]) != 0:
                if time.monotonic() >= self._next_reclaim and await self._reclaim_keys(keys):
                    continue  # a dead gateway's reservations held the room
                return Violation(int(result[0]) - 1, str(result[1]), float(result[2]))
            if token:
                self._live[token] = (keys, estimate, [str(e) for e in result[1:]])
            return None
        raise ConnectionError("the budget counters keep vanishing (Redis restarting?)")

    async def exchange(self, checks: list[Check], terms: LeaseTerms) -> LeaseGrant:
        keys = [self.prefix + c.key for c in checks]
        if time.monotonic() < self._down_until:
            raise ConnectionError("the budget counters were unreachable moments ago")
        if len(self._touched) > 10_000:
            self._touched.clear()
        self._touched.update(keys)
        spent, used = terms.spent, terms.used
        for attempt in range(4):
            held_until = repr(time.time() + LEASE_TTL_S)
            args: list[Any] = [terms.token, self.owner, repr(spent), used, repr(terms.keep_usd), terms.keep_n]
            args += [repr(terms.ask_usd), terms.ask_n, repr(terms.want_usd), terms.want_n]
            args += [COUNTER_TTL_S, held_until]
            for check, (bound_usd, bound_n) in zip(checks, terms.bounds, strict=True):
                rule = check.budget.rule
                args += [
                    repr(rule.usd) if rule.usd is not None else -1,
                    rule.requests if rule.requests is not None else -1,
                    repr(bound_usd),
                    repr(bound_n),
                ]
            args += [self._owner_prefix + self.owner, self.owner_ttl_s]
            result = await self._call(self._exchange, keys, args)
            if int(result[0]) == -1:
                # Redis lost counters: rebuilt from the database's sum, which already holds this
                # process's records (written or pending), so the spend settled since the last exchange
                # is not added again.
                async with self._rebuild_lock:
                    await self._rebuild_leases([checks[int(i) - 1] for i in result[1:]])
                spent, used = 0.0, 0
                continue
            usd, n = float(result[3]), int(result[4])
            if usd > 0 or n > 0:
                self._leases[terms.token] = (keys, f"{self.owner}|{usd!r}|{n}|{held_until}")
            else:
                self._leases.pop(terms.token, None)
            flat = result[5:]
            counters = [(float(flat[2 * i]), int(flat[2 * i + 1])) for i in range(len(keys))]
            violation = None
            if int(result[0]) != 0:
                violation = Violation(int(result[0]) - 1, str(result[1]), float(result[2]))
                if attempt == 0 and time.monotonic() >= self._next_reclaim and await self._reclaim_keys(keys):
                    continue  # a dead gateway's lease held the room
            return LeaseGrant(usd, n, violation, counters)
        raise ConnectionError("the budget counters keep vanishing (Redis restarting?)")

    async def _rebuild_leases(self, checks: list[Check]) -> None:
        """Seed counters missing their epoch from a fresh database sum plus this process's leases on
        them; other gateways' leases count again at their next exchange (the guarantee's bound)."""
        pipe = self.client.pipeline(transaction=False)
        for check in checks:
            pipe.hexists(self.prefix + check.key, "b")
        checks = [c for c, seeded in zip(checks, await pipe.execute(), strict=True) if not seeded]
        if not checks:
            return
        if self.fresh_baseline is not None:
            fresh = await self.fresh_baseline(checks)
        else:
            fresh = [self._baseline(c) for c in checks]
        epoch = secrets.token_hex(8)
        keys = [self.prefix + c.key for c in checks]
        args: list[Any] = [COUNTER_TTL_S]
        for key, (spent, requests) in zip(keys, fresh, strict=True):
            held = [(token, value) for token, (ks, value) in self._leases.items() if key in ks]
            usd = sum(float(value.split("|")[1]) for _, value in held)
            n = sum(int(value.split("|")[2]) for _, value in held)
            members = "\n".join(f"{token}={value}" for token, value in held)
            args += [repr(spent), requests, repr(usd), n, epoch, members]
        epochs = await self._call(self._lease_seed, keys, args)
        won = sum(1 for now in epochs if str(now) == epoch)
        if won:
            self.rebuilds += won
            log.warning("rebuilt %d budget counter(s) missing from Redis from the database", won)

    async def _reclaim_keys(self, keys: list[str]) -> int:
        self._next_reclaim = time.monotonic() + 1.0
        now = [repr(time.time()), self._owner_prefix]
        released = int(await self._call(self._reclaim_script, keys, now))
        released += int(await self._call(self._lease_reclaim, keys, now))
        if released:
            self.reclaimed += released
            log.warning("released %d budget reservations of dead gateways or expired", released)
        return released

    async def maintain(self) -> int:
        """Every few seconds (the usage service's maintenance): refresh this process's heartbeat and
        reclaim dead or expired reservations on the counters it uses. Returns how many it released."""
        await self.client.set(self._owner_prefix + self.owner, "1", ex=self.owner_ttl_s)
        if not self._touched or time.monotonic() < self._next_periodic:
            return 0
        self._next_periodic = time.monotonic() + RECLAIM_INTERVAL_S
        return await self._reclaim_keys(sorted(self._touched))

    async def _call(self, script: Any, keys: list[str], args: list[Any]) -> Any:
        try:
            return await script(keys=keys, args=args)
        except Exception as exc:
            if isinstance(exc, self._unreachable) and not isinstance(exc, self._not_unreachable):
                self._down_until = time.monotonic() + REDIS_TIMEOUT_S
            raise

    async def _rebuild(self, checks: list[Check]) -> None:
        """Seed counters that are missing their epoch from a fresh database sum plus the reservations
        this process holds on them (other gateways' in-flight requests count when they settle)."""
        pipe = self.client.pipeline(transaction=False)
        for check in checks:
            pipe.hexists(self.prefix + check.key, "b")
        checks = [c for c, seeded in zip(checks, await pipe.execute(), strict=True) if not seeded]
        if not checks:
            return  # rebuilt while this request waited for the lock
        if self.fresh_baseline is not None:
            fresh = await self.fresh_baseline(checks)
        else:
            fresh = [self._baseline(c) for c in checks]
        epoch = secrets.token_hex(8)
        keys = [self.prefix + c.key for c in checks]
        args: list[Any] = [COUNTER_TTL_S, repr(time.time() + RESERVATION_TTL_S)]
        for key, (spent, requests) in zip(keys, fresh, strict=True):
            held = [(token, est) for token, (ks, est, _) in self._live.items() if key in ks]
            members = "\n".join(f"{token}|{self.owner}|{est!r}" for token, est in held)
            args += [repr(spent), requests, repr(sum(est for _, est in held)), len(held), epoch, members]
        epochs = await self._call(self._seed, keys, args)
        won = 0
        for key, now in zip(keys, epochs, strict=True):
            if str(now) != epoch:
                continue  # another gateway rebuilt it first: our reservations are not in it
            won += 1
            for ks, _, held_epochs in self._live.values():
                if key in ks:
                    held_epochs[ks.index(key)] = epoch
        if won:
            self.rebuilds += won
            log.warning("rebuilt %d budget counter(s) missing from Redis from the database", won)

    async def _apply(
        self, checks: list[Check], estimate: float, actual: float, *, reserved: bool, token: str = ""
    ) -> list[Snapshot]:
        keys = [self.prefix + c.key for c in checks]
        epochs = [""] * len(keys)  # matches no epoch: releases nothing
        if reserved and not token:
            epochs = ["*"] * len(keys)  # made without a token (not by the enforcer): release in any epoch
        elif reserved:
            held = self._live.pop(token, None)
            if held is not None:
                self._settling[token] = held[2]
                if len(self._settling) > 10_000:
                    del self._settling[next(iter(self._settling))]
            epochs = self._settling.get(token, epochs)
        member = f"{token}|{self.owner}|{estimate!r}" if token else ""
        args = [repr(estimate), repr(actual), 1 if reserved else 0, COUNTER_TTL_S, *epochs, member]
        flat = await self._call(self._settle, keys, args)
        self._settling.pop(token, None)
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
