"""Gateway benchmark: every way of running the gateway side by side, against one fast fake upstream.

One run measures non-streaming chat completions sent by ``wrk`` (C, never the bottleneck) at
concurrency 8 and 64 (``--concurrency``) to each mode, and prints them in one table:

* ``upstream``: the fast fake upstream directly (``bench/fast_upstream.py``), the baseline;
* ``bare proxy``: a 20-line ASGI proxy under the same server stack (``bench/bare_proxy.py``): what any
  Python gateway pays for the server and the extra hop before doing any work (one worker);
* ``1 worker``: ``ai-workers serve`` with the default pipeline (key check, rate limit, budget, routing,
  PHI scan, usage record, metrics) on the embedded defaults (SQLite); the cache is off for the bench
  app, or every request after the first would be a hit;
* ``N workers``: the same with ``--workers N`` (``--workers``, default 2), embedded defaults;
* ``N workers+redis`` (``--redis``): the same with ``redis_url`` set (budgets, limits, cache in Redis);
* ``N replicas+nginx`` (``--replicas N``): N replicas (one worker each) behind Debian's nginx, sharing
  PostgreSQL and Redis (``bench/replicas.py``, ``docs/deploy/replicas.md``);
* ``litellm`` (``--litellm``): LiteLLM's proxy against the same upstream (in its own venv:
  ``python -m venv /tmp/litellm-venv && /tmp/litellm-venv/bin/pip install 'litellm[proxy]'``).

Columns: req/s at c=64, the serving processes' CPU time per request at c=64 (from /proc: robust on a
busy machine; nginx's own CPU is listed apart), p50/p99 at each concurrency, the mean of the
``x-ai-workers-overhead-ms`` header (time in the gateway minus time waiting on the upstream), and each
serving process's resident memory after the run. ``--soak N`` first sends N requests to the 1-worker
gateway and reports its RSS before and after (the RSS-growth target is per 100k requests) and the usage
writer's backlog when the load stops: requests answered whose records were not in the database yet
(the records stored in the 10 s after the load stopped, read from the SQLite file: a writer that falls
behind holds them in memory; the last requests in flight, up to 64, count too).

    python bench/bench_gateway.py [--duration 10] [--workers 2] [--redis] [--replicas 3] [--litellm]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# "other" cores above this during a measurement: the row is flagged as measured on a busy machine.
BUSY_MACHINE_CORES = 0.2
HERE = Path(__file__).resolve().parent
BODY = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello in one short sentence."}]}'
LITELLM = Path(os.environ.get("LITELLM_BIN", "/tmp/litellm-venv/bin/litellm"))

WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = [[%(body)s]]
wrk.headers["Content-Type"] = "application/json"
%(auth)s
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) oh_sum = 0; oh_n = 0 end
function response(status, headers, body)
  local v = headers["x-ai-workers-overhead-ms"]
  if v then oh_sum = oh_sum + tonumber(v); oh_n = oh_n + 1 end
end
done = function(summary, latency, requests)
  local e = summary.errors
  local s, n = 0, 0
  for _, t in ipairs(threads) do s = s + t:get("oh_sum"); n = n + t:get("oh_n") end
  io.write(string.format(
    'BENCH {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, "status_errors": %%d, ' ..
    '"socket_errors": %%d, "overhead_sum_ms": %%f, "overhead_n": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout, s, n))
end
"""


@dataclass
class Result:
    target: str
    concurrency: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_us: float | None = None  # the target's own CPU time per request (noise-robust on a busy machine)
    overhead_ms: float | None = None  # mean x-ai-workers-overhead-ms header
    extra_cpu_us: float | None = None  # nginx's CPU time per request (replicas mode)
    cores: dict[str, float] | None = None  # cores each role used during the run (CPU s / wall s)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


@contextlib.contextmanager
def process(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def run_wrk(url: str, concurrency: int, duration: int, script: Path) -> dict[str, float]:
    threads = 1 if concurrency < 8 else 2
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{duration}s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    data = json.loads(line[6:])
    return {
        "rps": data["requests"] / (data["duration_us"] / 1e6),
        "requests": data["requests"],
        "p50_ms": data["p50_us"] / 1000,
        "p99_ms": data["p99_us"] / 1000,
        "errors": data["status_errors"] + data["socket_errors"],
        "overhead_ms": data["overhead_sum_ms"] / data["overhead_n"] if data["overhead_n"] else -1.0,
    }


def wrk_script(tmp: Path, name: str, token: str | None) -> Path:
    auth = f'wrk.headers["Authorization"] = "Bearer {token}"' if token else ""
    path = tmp / f"{name}.lua"
    path.write_text(WRK_SCRIPT % {"body": BODY, "auth": auth})
    return path


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far (from /proc, clock ticks)."""
    return sum(cpu_each(pids))


def cpu_each(pids: list[int]) -> list[float]:
    """Each process's user + system CPU time so far (seconds; 0 for a process that has gone)."""
    ticks = os.sysconf("SC_CLK_TCK")
    out = []
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            out.append(0.0)
            continue
        out.append((int(fields[11]) + int(fields[12])) / ticks)
    return out


def machine_ticks() -> tuple[int, int]:
    """(all, idle) CPU ticks of the whole machine so far, summed over its cores (/proc/stat)."""
    values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return sum(values[:8]), values[3] + values[4]  # user..steal; idle + iowait


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(
    name: str,
    url: str,
    c: int,
    duration: int,
    script: Path,
    pids: list[int],
    extra: list[int] | None = None,
    upstream: int | None = None,
) -> Result:
    """One wrk run, with the CPU each role used meanwhile: the serving processes (each), the upstream,
    wrk itself, nginx, the machine's idle cores, and "other" (the rest of the machine: on a shared
    machine, other people's work; it tells whether a mode was starved of a core)."""
    roles_before = cpu_each(pids), cpu_each([upstream] if upstream else []), children_cpu()
    extra_before, ticks_before, wall = cpu_seconds(extra or []), machine_ticks(), time.monotonic()
    got = run_wrk(url, c, duration, script)
    wall = time.monotonic() - wall
    serving = [a - b for a, b in zip(cpu_each(pids), roles_before[0], strict=True)]
    up = sum(cpu_each([upstream] if upstream else [])) - sum(roles_before[1])
    wrk_cpu = children_cpu() - roles_before[2]
    extra_used = cpu_seconds(extra or []) - extra_before
    ticks_after = machine_ticks()
    all_ticks, idle_ticks = (ticks_after[0] - ticks_before[0]), (ticks_after[1] - ticks_before[1])
    ncores = os.cpu_count() or 1
    idle = ncores * idle_ticks / all_ticks if all_ticks else 0.0
    busy = ncores - idle
    cores = {f"worker {i + 1}": x / wall for i, x in enumerate(serving)}
    cores |= {"upstream": up / wall, "wrk": wrk_cpu / wall}
    if extra:
        cores["nginx"] = extra_used / wall
    cores["other"] = max(0.0, busy - sum(cores.values()))
    cores["idle"] = idle
    used, n = sum(serving), got["requests"]
    return Result(
        name, c, got["rps"], got["p50_ms"], got["p99_ms"], int(got["errors"]),
        used / n * 1e6 if n else None,
        got["overhead_ms"] if got["overhead_ms"] >= 0 else None,
        extra_used / n * 1e6 if n and extra else None,
        cores,
    )  # fmt: skip


def rss_mb(pid: int) -> float:
    """Resident memory in MB; 0 for a process that has gone (a worker uvicorn restarted)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def usage_records(data_dir: Path) -> int:
    """Rows in the gateway's usage_records table (its SQLite file in ``data_dir``), read-only."""
    import sqlite3

    with contextlib.closing(
        sqlite3.connect(f"file:{data_dir / 'ai-workers.db'}?mode=ro", uri=True, timeout=30)
    ) as db:
        return int(db.execute("SELECT count(*) FROM usage_records").fetchone()[0])


def worker_pids(pid: int) -> list[int]:
    """uvicorn's serving processes: the main process with one worker, else its children."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = [int(x) for x in children.read_text().split()] if children.exists() else []
    serving = [k for k in kids if "resource_tracker" not in Path(f"/proc/{k}/cmdline").read_text()]
    return serving or [pid]


def gateway_config(
    path: Path,
    upstream_port: int,
    data_dir: Path,
    *,
    redis_url: str | None = None,
    database_url: str | None = None,
) -> Path:
    shared = ""
    if redis_url:
        shared += f"redis_url: {redis_url}\n"
    if database_url:
        shared += f"database_url: {database_url}\n"
    path.write_text(
        f"""
data_dir: {data_dir}
log_level: warning
{shared}providers:
  openai:
    type: openai
    base_url: http://127.0.0.1:{upstream_port}/v1
    api_key_env: BENCH_UPSTREAM_KEY
  cloudflare: {{type: cloudflare, enabled: false}}
apps:
  bench:
    cache: {{enabled: false}}
    budgets: [{{period: daily, usd: 1000000}}]
    rate_limit: {{requests_per_minute: 100000000}}
"""
    )
    return path


def litellm_config(tmp: Path, upstream_port: int) -> Path:
    config = tmp / "litellm.yaml"
    config.write_text(
        f"""
model_list:
  - model_name: gpt-4o-mini
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: http://127.0.0.1:{upstream_port}/v1
      api_key: bench-not-a-real-key
litellm_settings:
  telemetry: false
"""
    )
    return config


class Bench:
    """Runs every mode against one upstream and collects the rows."""

    def __init__(self, args: argparse.Namespace, tmp: Path) -> None:
        self.args, self.tmp = args, tmp
        self.levels = [int(c) for c in args.concurrency.split(",")]
        self.env = {**os.environ, "BENCH_UPSTREAM_KEY": "bench-" + "upstream"}
        self.env.pop("AI_WORKERS_CONFIG", None)
        self.env.pop("AI_WORKERS_DATA_DIR", None)
        self.env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent / "src"), self.env.get("PYTHONPATH", "")])
        self.upstream_port = free_port()
        self.upstream_url = f"http://127.0.0.1:{self.upstream_port}/v1/chat/completions"
        self.results: list[Result] = []
        self.rss: dict[str, list[float]] = {}
        self.soak: tuple[float, float, int] | None = None
        self.backlog: tuple[int, int] | None = None  # records stored at the soak's end, and in the 10 s after
        self.direct = wrk_script(tmp, "direct", None)
        self.upstream_pid: int | None = None

    def cli(self, config: Path, *args: str) -> list[str]:
        return [sys.executable, "-m", "ai_workers.cli.main", "--config", str(config), *args]

    def key(self, config: Path) -> str:
        command = self.cli(config, "keys", "create", "--app", "bench")
        out = subprocess.run(command, env=self.env, capture_output=True, text=True, check=True).stdout
        return out.strip().splitlines()[-1]

    def run_levels(
        self, name: str, url: str, script: Path, pids: list[int], extra: list[int] | None = None
    ) -> None:
        run_wrk(url, 8, 2, script)  # warm-up: pools, caches, the first requests' imports
        for c in self.levels:
            self.results.append(
                measure(name, url, c, self.args.duration, script, pids, extra, self.upstream_pid)
            )
        self.rss[name] = [rss_mb(pid) for pid in pids]

    def upstream_direct(self, upstream_pid: int) -> None:
        self.run_levels("upstream", self.upstream_url, self.direct, [upstream_pid])  # its own row
        self.upstream_pid = upstream_pid  # every later row lists the upstream's CPU apart

    def bare_proxy(self) -> None:
        port = free_port()
        cmd = [sys.executable, str(HERE / "bare_proxy.py"), str(port), "1"]
        with process(
            cmd, {**self.env, "UPSTREAM_URL": self.upstream_url}, self.tmp / "bare_proxy.log"
        ) as bare:
            wait_http(f"http://127.0.0.1:{port}/")
            url = f"http://127.0.0.1:{port}/v1/chat/completions"
            self.run_levels("bare proxy", url, self.direct, worker_pids(bare.pid))

    def gateway(self, name: str, workers: int, *, redis_url: str | None = None, soak: int = 0) -> None:
        data = self.tmp / name.replace(" ", "-").replace("+", "-")
        config = gateway_config(self.tmp / f"{data.name}.yaml", self.upstream_port, data, redis_url=redis_url)
        script = wrk_script(self.tmp, data.name, self.key(config))
        port = free_port()
        serve = self.cli(config, "serve", "--port", str(port), "--workers", str(workers))
        with process(serve, self.env, self.tmp / f"{data.name}.log") as gateway:
            base = f"http://127.0.0.1:{port}"
            wait_http(base + "/health", timeout=240)
            url = base + "/v1/chat/completions"
            run_wrk(url, 8, 2, script)
            pids = worker_pids(gateway.pid)
            if soak:
                before = max(rss_mb(p) for p in pids)
                sent = 0
                while sent < soak:
                    sent += int(run_wrk(url, 64, 10, script)["requests"])
                self.soak = (before, max(rss_mb(p) for p in pids), sent)
                at_end = usage_records(data)
                time.sleep(10)
                self.backlog = (at_end, usage_records(data) - at_end)
            self.run_levels(name, url, script, pids)

    def replicas(self, n: int, redis_url: str) -> None:
        from bench.load.services import PostgresProcess
        from bench.replicas import Nginx, Replica

        postgres = PostgresProcess()
        replicas: list[Replica] = []
        nginx: Nginx | None = None
        try:
            for i in range(n):
                config = gateway_config(
                    self.tmp / f"replica-{i}.yaml", self.upstream_port, self.tmp / f"replica-{i}",
                    redis_url=redis_url, database_url=postgres.url,
                )  # fmt: skip
                replicas.append(Replica(i, config, self.tmp / f"replica-{i}.log"))
            key = self.key(replicas[0].config)  # also migrates the shared database before the replicas start
            for replica in replicas:
                replica.start(self.env)
            for replica in replicas:
                replica.wait_ready()
                wait_http(replica.url + "/health", timeout=240)
            nginx = Nginx([r.port for r in replicas], self.tmp / "nginx", workers=1)
            nginx.start()
            pids = [p for r in replicas for p in r.pids()]
            script = wrk_script(self.tmp, "replicas", key)
            self.run_levels(
                f"{n} replicas+nginx", nginx.url + "/v1/chat/completions", script, pids, nginx.pids()
            )
        finally:
            if nginx is not None:
                nginx.stop()
            for replica in replicas:
                replica.stop()
            postgres.stop()

    def litellm(self) -> None:
        if not LITELLM.exists():
            sys.exit(f"LiteLLM not found at {LITELLM} (see the module docstring to install it)")
        port = free_port()
        master = "sk-" + secrets.token_urlsafe(24)  # LiteLLM refuses to start without a strong one
        env = {**self.env, "LITELLM_LOG": "ERROR", "LITELLM_TELEMETRY": "False", "LITELLM_MASTER_KEY": master}
        cmd = [
            str(LITELLM),
            "--config",
            str(litellm_config(self.tmp, self.upstream_port)),
            "--port",
            str(port),
        ]
        with process(cmd, env, self.tmp / "litellm.log") as proc:
            wait_http(f"http://127.0.0.1:{port}/health/liveliness", timeout=180)
            url = f"http://127.0.0.1:{port}/v1/chat/completions"
            self.run_levels("litellm", url, wrk_script(self.tmp, "litellm", master), [proc.pid])


@contextlib.contextmanager
def redis(tmp: Path) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        sys.path.insert(0, str(HERE.parent))
        from tests.support.services import redis_binary

        binary = redis_binary()
    port = free_port()
    cmd = [
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(tmp),
    ]
    with process(cmd, dict(os.environ), tmp / "redis.log"):
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the multi-worker modes")
    parser.add_argument("--concurrency", default="8,64")
    parser.add_argument("--redis", action="store_true", help="also measure N workers with redis_url set")
    parser.add_argument("--replicas", type=int, default=0, help="also measure N replicas behind nginx")
    parser.add_argument("--litellm", action="store_true", help="also measure LiteLLM's proxy")
    parser.add_argument(
        "--soak", type=int, default=0, help="requests sent to the 1-worker gateway first (RSS)"
    )
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)  # always measured now
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, configs)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    if args.replicas:
        sys.path.insert(0, str(HERE.parent))
        from bench.replicas import nginx_binary

        if nginx_binary() is None:
            sys.exit("nginx is not installed: apt-get install -y nginx-light")

    tmp = Path(tempfile.mkdtemp(prefix="aiw-bench-"))
    bench = Bench(args, tmp)
    upstream_cmd = [sys.executable, str(HERE / "fast_upstream.py"), str(bench.upstream_port)]
    with process(upstream_cmd, bench.env, tmp / "upstream.log") as upstream, contextlib.ExitStack() as stack:
        time.sleep(0.5)
        bench.upstream_direct(upstream.pid)
        bench.bare_proxy()
        bench.gateway("1 worker", 1, soak=args.soak)
        bench.gateway(f"{args.workers} workers", args.workers)
        redis_url = stack.enter_context(redis(tmp)) if args.redis or args.replicas else None
        if args.redis and redis_url:
            bench.gateway(f"{args.workers} workers+redis", args.workers, redis_url=redis_url)
        if args.replicas and redis_url:
            bench.replicas(args.replicas, redis_url)
        if args.litellm:
            bench.litellm()
    report(bench)
    if args.keep:
        print(f"\nlogs and configs kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


def report(bench: Bench) -> None:
    args = bench.args
    rows: dict[str, dict[int, Result]] = {}
    for r in bench.results:
        rows.setdefault(r.target, {})[r.concurrency] = r
    top = max(bench.levels)
    print(f"\nnon-streaming chat, {args.duration}s per measurement, cores: {os.cpu_count()}")
    header = f"{'mode':<20} {f'c={top} req/s':>12} {'CPU us/req':>10} {'x bare':>6}"
    for c in bench.levels:
        header += f" {f'p50 c={c}':>9} {f'p99 c={c}':>9}"
    header += f" {'overhead ms':>11} {'errors':>6}  RSS MB per process"
    print(header)
    print("-" * len(header))
    bare = rows.get("bare proxy", {}).get(top)
    for name, by_c in rows.items():
        r = by_c[top]
        ratio = f"{r.cpu_us / bare.cpu_us:.1f}" if bare and bare.cpu_us and r.cpu_us else "-"
        line = f"{name:<20} {r.rps:>12.0f} {r.cpu_us or 0:>10.0f} {ratio:>6}"
        for c in bench.levels:
            line += f" {by_c[c].p50_ms:>9.2f} {by_c[c].p99_ms:>9.2f}"
        overhead = f"{r.overhead_ms:.3f}" if r.overhead_ms is not None else "-"
        errors = sum(x.errors for x in by_c.values())
        line += f" {overhead:>11} {errors:>6}  {', '.join(f'{m:.0f}' for m in bench.rss.get(name, []))}"
        print(line)
    for name, by_c in rows.items():
        if by_c[top].extra_cpu_us is not None:
            print(
                f"{name}: nginx's own CPU per request at c={top}: {by_c[top].extra_cpu_us:.0f} us "
                "(not in the row)"
            )
    print(f"\ncores used during each run (CPU seconds per wall second; the machine has {os.cpu_count()})")
    for name, by_c in rows.items():
        for c in bench.levels:
            cores = by_c[c].cores or {}
            serving = [v for k, v in cores.items() if k.startswith("worker ")]
            rest = "  ".join(f"{k} {v:.2f}" for k, v in cores.items() if not k.startswith("worker "))
            each = " + ".join(f"{v:.2f}" for v in serving)
            print(f"{name:<20} c={c:<3} serving {each:<24} {rest}")
    starved = [
        f"{name} c={c} ({by_c[c].cores['other']:.2f})"
        for name, by_c in rows.items()
        for c in bench.levels
        if (by_c[c].cores or {}).get("other", 0.0) > BUSY_MACHINE_CORES
    ]
    if starved:
        print(
            f"WARNING: other processes used more than {BUSY_MACHINE_CORES} of a core during "
            + ", ".join(starved)
            + ": those rows were measured on a busy machine"
        )
    if bench.soak is not None:
        before, after, sent = bench.soak
        print(
            f"1 worker RSS: {before:.0f} MB before, {after:.0f} MB after {sent:,} requests "
            f"(+{after - before:.0f} MB)"
        )
    if bench.backlog is not None:
        print(
            f"usage writer backlog when the load stopped: {bench.backlog[1]:,} records stored in the 10 s "
            f"after ({bench.backlog[0]:,} before)"
        )
    checks = targets(bench, rows, top)
    if checks:
        print("\ntargets (issue 22): " + "; ".join(f"{n}: {'PASS' if ok else 'FAIL'}" for n, ok in checks))


def targets(bench: Bench, rows: dict[str, dict[int, Result]], top: int) -> list[tuple[str, bool]]:
    one = rows.get("1 worker")
    bare = rows.get("bare proxy")
    if one is None or bare is None:
        return []
    checks: list[tuple[str, bool]] = []
    if one[top].cpu_us and bare[top].cpu_us:
        ratio = one[top].cpu_us / bare[top].cpu_us
        checks.append((f"1 worker CPU/req <= 3.5x bare proxy (x{ratio:.2f})", ratio <= 3.5))
    lite = rows.get("litellm")
    if lite and lite[top].cpu_us and one[top].cpu_us:
        ratio = lite[top].cpu_us / one[top].cpu_us
        checks.append((f">= 50x below LiteLLM's CPU/req (x{ratio:.0f})", ratio >= 50))
    if bench.soak is not None:
        checks.append((f"RSS <= 150 MB after {bench.soak[2]:,} requests", bench.soak[1] <= 150))
    n = bench.args.workers
    for name in (f"{n} workers", f"{n} workers+redis"):
        multi = rows.get(name)
        if multi is None:
            continue
        gain = multi[top].rps / one[top].rps
        checks.append((f"{name} c={top} >= 1.2x 1 worker (x{gain:.2f})", gain >= 1.2))
        tails = all(multi[c].p99_ms <= 3 * multi[c].p50_ms for c in bench.levels)
        checks.append((f"{name} p99 <= 3x p50", tails))
    embedded, shared = rows.get(f"{n} workers"), rows.get(f"{n} workers+redis")
    if embedded and shared and embedded[top].cpu_us and shared[top].cpu_us:
        ratio = shared[top].cpu_us / embedded[top].cpu_us
        checks.append((f"redis CPU/req <= 1.3x embedded (x{ratio:.2f})", ratio <= 1.3))
    return checks


if __name__ == "__main__":
    main()
