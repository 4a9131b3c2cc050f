"""Gateway overhead benchmark: the same fast fake upstream measured directly and through the gateway.

One run measures, at concurrency 1, 8 and 64, requests/s, p50 and p99 latency of non-streaming chat
completions sent by ``wrk`` (C, never the bottleneck) to

* the upstream directly (``bench/fast_upstream.py``: a raw asyncio server with a canned completion),
* ``ai-workers serve`` in front of it, with the default pipeline on: key check, rate limit, budget
  check, PHI scan, routing, usage record (queued; written by the background writer), metrics.
  The response cache is disabled for the benchmark app, or every request after the first would be a
  cache hit and the upstream would never be called,
* with ``--floor``, a bare 20-line ASGI proxy under the same server stack (``bench/bare_proxy.py``):
  what any Python gateway pays for the server and the extra loopback hop before doing any work,
* with ``--litellm``, LiteLLM's proxy configured against the same upstream (installed in its own venv:
  ``python -m venv /tmp/litellm-venv && /tmp/litellm-venv/bin/pip install 'litellm[proxy]'``).

"added" is the gateway's latency minus the upstream's at the same percentile and concurrency. After the
run it prints each gateway worker's resident memory and the gateway's own overhead histogram from
/metrics (``aiw_overhead_seconds``: time in the gateway minus time waiting on the upstream).

    python bench/bench_gateway.py [--duration 10] [--workers 1] [--floor] [--litellm]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
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

HERE = Path(__file__).resolve().parent
BODY = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello in one short sentence."}]}'
LITELLM = Path(os.environ.get("LITELLM_BIN", "/tmp/litellm-venv/bin/litellm"))

WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = [[%(body)s]]
wrk.headers["Content-Type"] = "application/json"
%(auth)s
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, "status_errors": %%d, ' ..
    '"socket_errors": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
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


def run_wrk(url: str, concurrency: int, duration: int, script: Path) -> tuple[float, float, float, int]:
    threads = 1 if concurrency < 8 else 2
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{duration}s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    data = json.loads(line[6:])
    rps = data["requests"] / (data["duration_us"] / 1e6)
    return rps, data["p50_us"] / 1000, data["p99_us"] / 1000, data["status_errors"] + data["socket_errors"]


def wrk_script(tmp: Path, name: str, token: str | None) -> Path:
    auth = f'wrk.headers["Authorization"] = "Bearer {token}"' if token else ""
    path = tmp / f"{name}.lua"
    path.write_text(WRK_SCRIPT % {"body": BODY, "auth": auth})
    return path


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far (from /proc, clock ticks)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def measure(name: str, url: str, c: int, duration: int, script: Path, pids: list[int]) -> Result:
    before = cpu_seconds(pids)
    rps, p50, p99, errors = run_wrk(url, c, duration, script)
    used = cpu_seconds(pids) - before
    requests = rps * duration
    return Result(name, c, rps, p50, p99, errors, used / requests * 1e6 if requests else None)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker_pids(pid: int) -> list[int]:
    """uvicorn's serving processes: the main process with one worker, else its children."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = [int(x) for x in children.read_text().split()] if children.exists() else []
    serving = [k for k in kids if "resource_tracker" not in Path(f"/proc/{k}/cmdline").read_text()]
    return serving or [pid]


def overhead_from_metrics(url: str) -> str:
    with urllib.request.urlopen(url + "/metrics", timeout=5) as response:
        text = response.read().decode()
    total = count = 0.0
    for line in text.splitlines():
        match = re.match(r'aiw_overhead_seconds_(sum|count)\{route="/v1/chat/completions"\} (\S+)', line)
        if match:
            if match.group(1) == "sum":
                total = float(match.group(2))
            else:
                count = float(match.group(2))
    return f"{total / count * 1000:.3f} ms mean over {int(count)} requests" if count else "n/a"


def gateway_config(tmp: Path, upstream_port: int) -> Path:
    config = tmp / "gateway.yaml"
    config.write_text(
        f"""
data_dir: {tmp / "data"}
log_level: warning
providers:
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
    return config


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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--workers", type=int, default=1, help="gateway worker processes")
    parser.add_argument("--concurrency", default="1,8,64")
    parser.add_argument("--litellm", action="store_true", help="also measure LiteLLM's proxy")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also measure a bare ASGI proxy under the same server stack (bench/bare_proxy.py)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, configs)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    levels = [int(c) for c in args.concurrency.split(",")]

    tmp = Path(tempfile.mkdtemp(prefix="aiw-bench-"))
    env = {
        **os.environ,
        "BENCH_UPSTREAM_KEY": "bench-" + "upstream",
        "AI_WORKERS_DATA_DIR": str(tmp / "data"),
    }
    env.pop("AI_WORKERS_CONFIG", None)
    upstream_port, gateway_port = free_port(), free_port()
    upstream_url = f"http://127.0.0.1:{upstream_port}/v1/chat/completions"
    gateway_base = f"http://127.0.0.1:{gateway_port}"
    config = gateway_config(tmp, upstream_port)
    results: list[Result] = []

    upstream_cmd = [sys.executable, str(HERE / "fast_upstream.py"), str(upstream_port)]
    with process(upstream_cmd, env, tmp / "upstream.log") as upstream:
        time.sleep(0.5)
        key = subprocess.run(
            ["ai-workers", "--config", str(config), "keys", "create", "--app", "bench"],
            env=env, capture_output=True, text=True, check=True,
        ).stdout.strip().splitlines()[-1]  # fmt: skip
        direct = wrk_script(tmp, "direct", None)
        through = wrk_script(tmp, "gateway", key)
        serve = ["ai-workers", "--config", str(config), "serve", "--port", str(gateway_port)]
        serve += ["--workers", str(args.workers)]
        with process(serve, env, tmp / "gateway.log") as gateway:
            wait_http(gateway_base + "/health")
            run_wrk(gateway_base + "/v1/chat/completions", 8, 2, through)  # warm-up: pools, caches
            gateway_pids = worker_pids(gateway.pid)
            for c in levels:
                for name, url, script, pids in (
                    ("upstream", upstream_url, direct, [upstream.pid]),
                    ("ai-workers", gateway_base + "/v1/chat/completions", through, gateway_pids),
                ):
                    results.append(measure(name, url, c, args.duration, script, pids))
            rss = [rss_mb(pid) for pid in gateway_pids]
            overhead = overhead_from_metrics(gateway_base)

        if args.floor:
            floor_port = free_port()
            cmd = [sys.executable, str(HERE / "bare_proxy.py"), str(floor_port), str(args.workers)]
            with process(cmd, {**env, "UPSTREAM_URL": upstream_url}, tmp / "bare_proxy.log") as bare:
                wait_http(f"http://127.0.0.1:{floor_port}/")
                url = f"http://127.0.0.1:{floor_port}/v1/chat/completions"
                run_wrk(url, 8, 2, direct)
                bare_pids = worker_pids(bare.pid)
                for c in levels:
                    results.append(measure("bare proxy", url, c, args.duration, direct, bare_pids))

        if args.litellm:
            if not LITELLM.exists():
                sys.exit(f"LiteLLM not found at {LITELLM} (see the module docstring to install it)")
            litellm_port = free_port()
            master = "sk-" + secrets.token_urlsafe(24)  # LiteLLM refuses to start without a strong one
            lenv = {**env, "LITELLM_LOG": "ERROR", "LITELLM_TELEMETRY": "False", "LITELLM_MASTER_KEY": master}
            cmd = [
                str(LITELLM),
                "--config",
                str(litellm_config(tmp, upstream_port)),
                "--port",
                str(litellm_port),
            ]
            with process(cmd, lenv, tmp / "litellm.log") as litellm:
                wait_http(f"http://127.0.0.1:{litellm_port}/health/liveliness", timeout=180)
                url = f"http://127.0.0.1:{litellm_port}/v1/chat/completions"
                via_litellm = wrk_script(tmp, "litellm", master)
                run_wrk(url, 8, 2, via_litellm)
                for c in levels:
                    results.append(measure("litellm", url, c, args.duration, via_litellm, [litellm.pid]))

    report(results, rss, overhead, args)
    if args.keep:
        print(f"\nlogs and configs kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


def report(results: list[Result], rss: list[float], overhead: str, args: argparse.Namespace) -> None:
    base = {r.concurrency: r for r in results if r.target == "upstream"}
    print(f"\nnon-streaming chat, {args.duration}s per row, workers: {args.workers}, cores: {os.cpu_count()}")
    header = f"{'target':<11} {'conc':>4} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
    header += f"{'added p50':>10} {'added p99':>10} {'errors':>6} {'CPU us/req':>10}"
    print(header)
    print("-" * len(header))
    for r in sorted(
        results,
        key=lambda r: (r.concurrency, ["upstream", "bare proxy", "ai-workers", "litellm"].index(r.target)),
    ):
        if r.target == "upstream":
            added50 = added99 = ""
        else:
            added50 = f"{r.p50_ms - base[r.concurrency].p50_ms:+.3f}"
            added99 = f"{r.p99_ms - base[r.concurrency].p99_ms:+.3f}"
        print(
            f"{r.target:<11} {r.concurrency:>4} {r.rps:>9.0f} {r.p50_ms:>8.3f} {r.p99_ms:>8.3f} "
            f"{added50:>10} {added99:>10} {r.errors:>6} {r.cpu_us or 0:>10.0f}"
        )
    print(f"\ngateway RSS per worker after the run: {', '.join(f'{m:.0f} MB' for m in rss)}")
    scope = " (the worker that answered /metrics)" if args.workers > 1 else ""
    print(f"gateway-reported overhead (x-ai-workers-overhead-ms){scope}: {overhead}")
    ours = {r.concurrency: r for r in results if r.target == "ai-workers"}
    theirs = {r.concurrency: r for r in results if r.target == "litellm"}
    if 64 in ours:
        checks = [
            ("added p50 at c=1 <= 1 ms", 1 in ours and ours[1].p50_ms - base[1].p50_ms <= 1.0),
            ("added p99 at c=64 <= 10 ms", ours[64].p99_ms - base[64].p99_ms <= 10.0),
            (">= 2000 req/s at c=64", ours[64].rps >= 2000),
            ("RSS < 150 MB per worker", all(m < 150 for m in rss)),
        ]
        if 64 in theirs:
            ratio = ours[64].rps / theirs[64].rps if theirs[64].rps else float("inf")
            checks.append((f">= 20x LiteLLM req/s at c=64 (x{ratio:.1f})", ratio >= 20))
        print("\ntargets: " + "; ".join(f"{name}: {'PASS' if ok else 'FAIL'}" for name, ok in checks))


if __name__ == "__main__":
    main()
