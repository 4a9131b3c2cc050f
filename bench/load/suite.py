"""The load and fault scenario: N users against ``ai-workers serve --workers 2``, faults on a timeline,
then every answered request id reconciled against the usage records.

Each user loops until the deadline: think 1-3 s, then one of streaming chat (35%), chat (35%),
embeddings (20%) or a RAG query (10%), recording status, latency and the ``x-request-id`` header. The
faults run one after another (each outage ``outage_s`` long): upstream 500 and 429 bursts, cut streams,
SIGKILL of a worker, Redis SIGSTOP/SIGCONT, PostgreSQL SIGSTOP/SIGCONT, Redis killed and restarted
empty, PostgreSQL killed (immediate stop) and restarted. Everything is on loopback and bounded: users,
duration, per-request timeout.

After the run the gateway is stopped gracefully (SIGTERM: queued records flushed), a fresh usage service
replays whatever a killed worker left in its journal, and the report checks: every request answered
completely has exactly one usage record (by request id), statuses are all expected ones, and the
budget counter in Redis agrees with the records' sum.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import signal
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import httpx
from bench.load.services import (
    GatewayProcess,
    PostgresProcess,
    RedisProcess,
    UpstreamProcess,
    gateway_config,
)

ALL_FAULTS = (
    "upstream_5xx",
    "upstream_429",
    "cut_streams",
    "kill_worker",
    "redis_sigstop",
    "db_sigstop",
    "redis_restart",
    "db_restart",
)
# What a request may answer, with the reason: anything else is unexpected.
EXPECTED = {
    200: "answered",
    429: "upstream rate limit passed on after retries",
    502: "upstream failed after retries",
    503: "budget counters unreachable (Redis down, fail-closed) or no provider",
    504: "upstream timed out",
}


@dataclass
class Options:
    users: int = 500
    duration_s: float = 60.0
    workers: int = 2
    think_s: tuple[float, float] = (1.0, 3.0)
    faults: tuple[str, ...] = ALL_FAULTS
    outage_s: float = 10.0
    budget_usd: float = 1000.0
    seed: int = 1
    timeout_s: float = 30.0
    workdir: Path | None = None
    # Users are spread over this many client processes: one Python process driving 500 users with httpx
    # spends more CPU per request than the gateway does, and its own queueing would be measured as the
    # gateway's latency. 0 picks one process per 150 users.
    client_procs: int = 0


@dataclass
class Result:
    kind: str
    status: int | str  # HTTP status, or "stream_error" / "connection_error" / "timeout"
    latency_s: float
    request_id: str | None
    complete: bool  # the whole answer arrived (JSON body, or a stream up to [DONE])
    started: float
    detail: str = ""


@dataclass
class Report:
    options: Options
    results: list[Result]
    faults: list[tuple[float, float, str]]  # (start, end, fault) in seconds since the load started
    records: dict[str, int] = field(default_factory=dict)  # request id -> status recorded
    records_by_route: Counter[str] = field(default_factory=Counter)
    budget: dict[str, Any] = field(default_factory=dict)
    gateway_exit: int | None = None
    recovered_rows: int = 0
    cpu_s: dict[str, float] = field(default_factory=dict)  # CPU seconds used during the load, by role

    # -- checks --------------------------------------------------------------------------------------

    def in_fault(self, result: Result, *names: str) -> bool:
        return any(
            name in names and start - 1 <= result.started + result.latency_s and result.started <= end + 2
            for start, end, name in self.faults
        )

    def unexpected(self) -> list[Result]:
        """Results no fault explains: a 500, or a broken connection outside a worker kill."""
        out = []
        for r in self.results:
            if isinstance(r.status, int) and r.status in EXPECTED:
                continue
            if r.status in ("connection_error", "stream_error", "timeout") and self.in_fault(
                r, "kill_worker", "cut_streams", "db_sigstop", "db_restart", "redis_sigstop", "upstream_5xx"
            ):
                continue
            out.append(r)
        return out

    def reconciliation(self) -> dict[str, Any]:
        answered = [r for r in self.results if r.complete and r.request_id and r.kind != "rag"]
        ids = [r.request_id for r in answered]
        dupes = [i for i, n in Counter(ids).items() if n > 1]
        missing = [r for r in answered if r.request_id not in self.records]
        seen = {r.request_id for r in self.results if r.request_id}
        broken = [r for r in self.results if r.request_id and not r.complete and r.kind != "rag"]
        return {
            "answered_with_id": len(answered),
            "recorded_exactly_once": len(answered) - len(missing) - len(dupes),
            "missing_records": len(missing),
            "duplicate_ids_seen_by_clients": len(dupes),
            "broken_answers_with_id": len(broken),
            "broken_answers_recorded": sum(1 for r in broken if r.request_id in self.records),
            "records_no_client_saw": sum(1 for i in self.records if i not in seen),
            "missing_examples": [(r.kind, r.status, r.request_id) for r in missing[:5]],
        }

    def percentiles(self, kind: str | None = None) -> dict[str, float]:
        lat = sorted(
            r.latency_s for r in self.results if r.status == 200 and (kind is None or r.kind == kind)
        )
        if not lat:
            return {"n": 0}

        def pick(q: float) -> float:
            return lat[min(len(lat) - 1, int(q * len(lat)))]

        return {"n": len(lat), "p50": pick(0.5), "p95": pick(0.95), "p99": pick(0.99), "max": lat[-1]}

    def table(self) -> str:
        lines = [
            f"load: {self.options.users} users, {self.options.duration_s:.0f} s, "
            f"{self.options.workers} workers, faults: {', '.join(self.options.faults) or 'none'}",
            "",
            f"{'kind':<10}{'ok':>7}{'p50 s':>9}{'p95 s':>9}{'p99 s':>9}{'max s':>9}",
        ]
        for kind in ("chat", "stream", "embed", "rag", None):
            p = self.percentiles(kind)
            name = kind or "all"
            if p["n"]:
                lines.append(
                    f"{name:<10}{p['n']:>7}{p['p50']:>9.3f}{p['p95']:>9.3f}{p['p99']:>9.3f}{p['max']:>9.3f}"
                )
        if self.cpu_s:
            answered = max(1, sum(1 for r in self.results if r.status == 200))
            lines += ["", "CPU during the load (s, and ms per answered request):"]
            for role, seconds in self.cpu_s.items():
                lines.append(f"  {role:<32}{seconds:8.1f} s {1000 * seconds / answered:8.2f} ms")
        lines += ["", "status codes (error code from the body):"]
        statuses = Counter((str(r.status), _code(r.detail)) for r in self.results)
        for (status, code), count in sorted(statuses.items()):
            lines.append(f"  {status:<18}{code:<32}{count:>7}")
        lines += ["", "faults (s since start):"]
        for start, end, name in self.faults:
            lines.append(f"  {start:6.1f} - {end:6.1f}  {name}")
        lines += ["", "reconciliation (x-request-id vs usage_records):"]
        for key, value in self.reconciliation().items():
            lines.append(f"  {key:<32}{value}")
        lines.append(f"  {'records by route':<32}{dict(self.records_by_route)}")
        lines.append(f"  {'rows recovered from journals':<32}{self.recovered_rows} (of killed workers)")
        lines += ["", "budget (Redis counter vs records):"]
        for key, value in self.budget.items():
            lines.append(f"  {key:<32}{value}")
        unexpected = self.unexpected()
        lines.append("")
        lines.append(f"unexpected results: {len(unexpected)}")
        for r in unexpected[:10]:
            lines.append(f"  {r.kind} {r.status} at {r.started:.1f}s: {r.detail[:120]}")
        return "\n".join(lines)


def _code(detail: str) -> str:
    """The ``code`` of an OpenAI-style error body, if the detail holds one."""
    found = re.search(r'"code":\s*"([^"]+)"', detail)
    return found.group(1) if found else ""


# ---------------------------------------------------------------------------------------------------
# Users


def _chat_body(rng: random.Random, *, stream: bool) -> dict[str, Any]:
    prompt = f"Summarise visit {rng.randrange(10**6)}"  # unique: no cache hit hides a request
    return {"model": "gpt-4o-mini", "stream": stream, "max_tokens": 64,
            "messages": [{"role": "user", "content": prompt}]}  # fmt: skip


async def _one(client: aiohttp.ClientSession, kind: str, rng: random.Random, started: float) -> Result:
    t0 = time.monotonic()
    rid: str | None = None
    try:
        if kind == "stream":
            body = _chat_body(rng, stream=True)
            async with client.post("/v1/chat/completions", json=body) as response:
                rid = response.headers.get("x-request-id")
                if response.status != 200:
                    text = await response.text()
                    return Result(
                        kind, response.status, time.monotonic() - t0, rid, True, started, text[:800]
                    )
                done, error = False, ""
                async for raw in response.content:
                    line = raw.decode().rstrip("\r\n")
                    if line == "data: [DONE]":
                        done = True
                    elif line.startswith("data: ") and '"error"' in line[:20]:
                        error = line
                status: int | str = 200 if done and not error else "stream_error"
                return Result(kind, status, time.monotonic() - t0, rid, done, started, error)
        if kind == "chat":
            path, body = "/v1/chat/completions", _chat_body(rng, stream=False)
        elif kind == "embed":
            path = "/v1/embeddings"
            body = {"model": "text-embedding-3-small", "input": [f"note {rng.randrange(10**6)}"]}
        else:
            path = "/api/rag/query"
            body = {"question": "How long does the pump warranty last?", "collection": "manuals"}
        async with client.post(path, json=body) as response:
            rid = response.headers.get("x-request-id")
            text = await response.text()
            return Result(kind, response.status, time.monotonic() - t0, rid, True, started,
                          "" if response.status == 200 else text[:800])  # fmt: skip
    except TimeoutError as exc:
        return Result(kind, "timeout", time.monotonic() - t0, rid, False, started, repr(exc))
    except (aiohttp.ClientError, ConnectionError) as exc:
        return Result(kind, "connection_error", time.monotonic() - t0, rid, False, started, repr(exc))


def _session(url: str, timeout_s: float, connections: int) -> aiohttp.ClientSession:
    """The load client: aiohttp, not httpx. Measured here with 200 concurrent requests against the fake
    upstream, httpx spent ~9 ms of CPU per request in its connection pool, enough to saturate a core and
    show its own queueing as the gateway's latency; the issue's probe used aiohttp too."""
    return aiohttp.ClientSession(
        base_url=url,
        timeout=aiohttp.ClientTimeout(total=timeout_s),
        connector=aiohttp.TCPConnector(limit=connections, limit_per_host=connections),
    )


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process (Linux ``/proc``), 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _client_users(url: str, indices: list[int], opts: Options, t_start: float) -> list[Result]:
    out: list[Result] = []
    async with _session(url, opts.timeout_s, len(indices) + 10) as client:
        await asyncio.gather(*(_user(client, i, opts, t_start, out) for i in indices))
    return out


def _client_process(
    url: str, indices: list[int], opts: Options, t_start: float
) -> tuple[list[Result], float]:
    """One client process's users (``time.monotonic`` is system-wide on Linux, so ``t_start`` holds)."""
    results = asyncio.run(_client_users(url, indices, opts, t_start))
    times = os.times()
    return results, times.user + times.system


async def _drive_users(url: str, opts: Options, t_start: float, report: Report) -> None:
    """Run every user, in ``opts.client_procs`` processes; their CPU goes into ``report.cpu_s``."""
    import concurrent.futures
    import multiprocessing as mp

    procs = opts.client_procs or max(1, -(-opts.users // 150))
    if procs == 1:
        before = os.times()
        report.results.extend(await _client_users(url, list(range(opts.users)), opts, t_start))
        after = os.times()
        report.cpu_s["load clients (1 process)"] = after.user + after.system - before.user - before.system
        return
    shares = [list(range(i, opts.users, procs)) for i in range(procs)]
    loop = asyncio.get_running_loop()
    with concurrent.futures.ProcessPoolExecutor(procs, mp_context=mp.get_context("spawn")) as pool:
        futures = [loop.run_in_executor(pool, _client_process, url, share, opts, t_start) for share in shares]
        client_cpu = 0.0
        for results, cpu in await asyncio.gather(*futures):
            report.results.extend(results)
            client_cpu += cpu
    report.cpu_s[f"load clients ({procs} processes)"] = client_cpu


async def _user(
    client: aiohttp.ClientSession, index: int, opts: Options, t_start: float, out: list[Result]
) -> None:
    rng = random.Random(opts.seed * 100003 + index)
    deadline = t_start + opts.duration_s
    # Users arrive spread out, from the common start.
    await asyncio.sleep(max(0.0, t_start - time.monotonic()) + rng.uniform(0, opts.think_s[1]))
    while time.monotonic() < deadline:
        kind = rng.choices(("stream", "chat", "embed", "rag"), weights=(35, 35, 20, 10))[0]
        out.append(await _one(client, kind, rng, time.monotonic() - t_start))
        await asyncio.sleep(rng.uniform(*opts.think_s))


# ---------------------------------------------------------------------------------------------------
# Faults


async def _faults(
    opts: Options, t_start: float, upstream: UpstreamProcess, gateway: GatewayProcess,
    redis: RedisProcess, postgres: PostgresProcess, log: list[tuple[float, float, str]],
) -> None:  # fmt: skip
    if not opts.faults:
        return
    # Spread over the run, leaving the first and last tenth quiet.
    slot = opts.duration_s * 0.8 / len(opts.faults)
    for i, name in enumerate(opts.faults):
        at = opts.duration_s * 0.1 + i * slot
        await asyncio.sleep(max(0.0, t_start + at - time.monotonic()))
        begin = time.monotonic() - t_start
        outage = min(opts.outage_s, slot * 0.8)
        if name in ("upstream_5xx", "upstream_429", "cut_streams"):
            # A burst: the next requests fail, for a few seconds at most. (Left queued, the faults would
            # be consumed only by the circuit breaker's trial calls and keep its circuit open for minutes.)
            if name == "upstream_5xx":
                upstream.inject("500", times=40)
                upstream.inject("503", times=20)
            elif name == "upstream_429":
                upstream.inject("429", times=40, retry_after="0")
            else:
                upstream.inject("cut_stream", times=20, match="chat", after=4)
            await asyncio.sleep(min(outage, 3.0))
            upstream.clear()
        elif name == "kill_worker":
            pids = gateway.worker_pids()
            if pids:
                os.kill(pids[0], signal.SIGKILL)
        elif name in ("redis_sigstop", "db_sigstop"):
            target = redis if name == "redis_sigstop" else postgres
            target.signal(signal.SIGSTOP)
            await asyncio.sleep(outage)
            target.signal(signal.SIGCONT)
        elif name == "redis_restart":
            redis.kill()
            await asyncio.sleep(outage)
            redis.start()
        elif name == "db_restart":
            await asyncio.to_thread(postgres.kill)
            await asyncio.sleep(outage)
            await asyncio.to_thread(postgres.restart)
        log.append((begin, time.monotonic() - t_start, name))


# ---------------------------------------------------------------------------------------------------
# Setup, run, reconcile


async def _ingest(url: str) -> None:
    manual = b"The pump warranty lasts two years from the date of purchase. Service every six months.\n" * 20
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        response = await client.post(
            "/api/rag/documents", data={"collection": "manuals"}, files=[("files", ("pump.txt", manual))]
        )
        response.raise_for_status()


async def _warm_up(url: str, workers: int) -> None:
    """A few requests of every kind per worker before the clock starts: each worker loads its models,
    index and connections on first use, which would otherwise land in the first seconds' latencies."""
    rng = random.Random(0)
    async with _session(url, 120, 100) as client:
        for _ in range(3):
            await asyncio.gather(
                *(
                    _one(client, kind, rng, 0.0)
                    for kind in ("chat", "stream", "embed", "rag")
                    for _ in range(workers * 2)
                )
            )


async def _reconcile(report: Report, config: dict[str, Any], redis_url: str) -> None:
    import datetime as dt

    import msgspec
    from sqlalchemy import func, or_, select

    from ai_workers.core.config import ConfigStore, Settings
    from ai_workers.db.models import UsageRecord
    from ai_workers.usage.service import NOT_ADMITTED, UsageService

    # A fresh usage service: replays the spool and any journal a killed worker left behind.
    svc = UsageService(ConfigStore(msgspec.convert(config, Settings)))
    await svc.start()
    report.recovered_rows += svc.adopt_orphans()
    await svc.flush()
    async with svc.database.session() as session:
        rows = (await session.execute(select(UsageRecord.id, UsageRecord.status, UsageRecord.route))).all()
        day = dt.datetime.now(dt.UTC).date()
        since = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        usd, count = (
            await session.execute(
                select(func.sum(UsageRecord.cost_usd), func.count()).where(
                    UsageRecord.app == "default",
                    UsageRecord.ts >= since,
                    or_(UsageRecord.error_kind.is_(None), UsageRecord.error_kind.not_in(NOT_ADMITTED)),
                )
            )
        ).one()
    await svc.stop()
    report.records = {r.id: r.status for r in rows}
    report.records_by_route = Counter(str(r.route) for r in rows)

    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(redis_url, decode_responses=True)
    try:
        keys = [k async for k in client.scan_iter(match="aiw:budget:default/*daily*")]
        counter = await client.hgetall(keys[0]) if keys else {}
    finally:
        await client.aclose()
    spent = float(counter.get("s", 0))
    report.budget = {
        # False when Redis lost the counter (a restart) and no process has exchanged a lease since: the
        # next exchange rebuilds it from the records (usage/redis_counters.py), so it cannot be compared.
        "counter_seeded": "b" in counter,
        "records_usd": round(float(usd or 0), 6),
        "records_admitted": int(count),
        "counter_usd": round(spent, 6),
        "counter_requests": int(counter.get("n", 0)),
        "counter_reserved_usd": round(float(counter.get("r", 0)), 6),
        "counter_in_flight": int(counter.get("q", 0)),
        "counter_minus_records_usd": round(spent - float(usd or 0), 6),
    }


async def run(opts: Options) -> Report:
    from tests.support.services import free_port

    workdir = opts.workdir or Path(tempfile.mkdtemp(prefix="aiw-load-"))
    data_dir = workdir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    postgres, redis, upstream = PostgresProcess(), RedisProcess(), UpstreamProcess()
    gateway: GatewayProcess | None = None
    report = Report(opts, [], [])
    try:
        redis.start()
        upstream.start()
        config = gateway_config(
            workdir / "gateway.yaml", upstream_url=upstream.url, database_url=postgres.url,
            redis_url=redis.url, data_dir=data_dir, workers=opts.workers, budget_usd=opts.budget_usd,
        )  # fmt: skip
        gateway = GatewayProcess(workdir / "gateway.yaml", free_port(), opts.workers, workdir / "gateway.log")
        await asyncio.to_thread(gateway.start)
        await _ingest(gateway.url)
        await _warm_up(gateway.url, opts.workers)
        watched = {"gateway workers": gateway.worker_pids(), "fake upstream": [upstream.proc.pid]}
        cpu_before = {role: sum(map(_cpu_seconds, pids)) for role, pids in watched.items()}
        # Client processes start (spawn, imports) before the clock: users begin a second later.
        t_start = time.monotonic() + (3.0 if opts.client_procs != 1 and opts.users > 150 else 0.0)
        users = asyncio.create_task(_drive_users(gateway.url, opts, t_start, report))
        await asyncio.sleep(max(0.0, t_start - time.monotonic()))
        await _faults(opts, t_start, upstream, gateway, redis, postgres, report.faults)
        await users
        for role, pids in watched.items():
            # A worker killed by a fault takes its CPU count with it: the figure is then a lower bound.
            report.cpu_s[role] = sum(map(_cpu_seconds, pids)) - cpu_before[role]
        report.gateway_exit = await asyncio.to_thread(gateway.stop)
        gateway = None
        log_text = (workdir / "gateway.log").read_text(errors="replace")
        report.recovered_rows = sum(
            int(n) for n in re.findall(r"(\d+) usage rows of a dead process recovered", log_text)
        )
        await _reconcile(report, config, redis.url)
    finally:
        if gateway is not None:
            await asyncio.to_thread(gateway.stop)
        upstream.stop()
        redis.stop()
        postgres.stop()
    return report


def main_json(report: Report) -> str:
    return json.dumps(
        {
            "reconciliation": report.reconciliation(),
            "budget": report.budget,
            "percentiles": report.percentiles(),
        }
    )
