"""CPU per request of the 1-worker gateway, this checkout against a git ref, in interleaved rounds.

On a shared machine one ``bench_gateway.py`` run per checkout is not comparable: the same code measured
590 and 690 us per request a minute apart. This runs both gateways (and the bare proxy) at once against
one fast upstream and measures them in turn, round after round, so load from elsewhere falls on both
alike; it prints each round and the medians. CPU is the serving process's user + system time per
request (from /proc, as ``bench_gateway.py`` measures it), at one concurrency (64 by default).

    python bench/ab_cpu.py --baseline origin/main [--rounds 6] [--duration 6] [--concurrency 64]

The baseline's ``src/`` is exported with ``git archive`` into a temporary directory; the compiled PHI
detector's extensions of this checkout are copied beside it when their sources are the same, so both
sides run the same build of the detector (``safety/phi/native.py`` checks the digests either way).
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bench_gateway as bg  # noqa: E402 - the sibling module, found through the path set above

PHI = Path("src/ai_workers/safety/phi")


def export(ref: str, into: Path) -> Path:
    """``ref``'s ``src/`` in ``into``, with this checkout's detector extensions where sources match."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    for built in [*(ROOT / PHI).glob("*.so"), ROOT / PHI / "native.json"]:
        if built.exists():
            shutil.copy2(built, into / PHI / built.name)
    return into


class Side:
    """One gateway (1 worker) serving from ``root``'s ``src/``."""

    def __init__(self, name: str, root: Path, bench: bg.Bench, stack: contextlib.ExitStack) -> None:
        self.name = name
        env = {**bench.env, "PYTHONPATH": str(root / "src")}
        data = bench.tmp / name
        config = bg.gateway_config(bench.tmp / f"{name}.yaml", bench.upstream_port, data)
        cli = [sys.executable, "-m", "ai_workers.cli.main", "--config", str(config)]
        out = subprocess.run(
            [*cli, "keys", "create", "--app", "bench"], env=env, capture_output=True, text=True
        )
        out.check_returncode()
        self.script = bg.wrk_script(bench.tmp, name, out.stdout.strip().splitlines()[-1])
        port = bg.free_port()
        proc = stack.enter_context(
            bg.process([*cli, "serve", "--port", str(port), "--workers", "1"], env, bench.tmp / f"{name}.log")
        )
        bg.wait_http(f"http://127.0.0.1:{port}/health", timeout=240)
        self.url = f"http://127.0.0.1:{port}/v1/chat/completions"
        bg.run_wrk(self.url, 8, 3, self.script)  # warm-up
        self.pids = bg.worker_pids(proc.pid)
        self.cpu: list[float] = []
        self.rps: list[float] = []


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--baseline", required=True, help="git ref to compare this checkout with")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--duration", type=int, default=6, help="seconds per measurement")
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    tmp = Path(tempfile.mkdtemp(prefix="aiw-ab-"))
    bench = bg.Bench(argparse.Namespace(concurrency=str(args.concurrency)), tmp)
    baseline = export(args.baseline, tmp / "baseline")
    upstream = [sys.executable, str(HERE / "fast_upstream.py"), str(bench.upstream_port)]
    try:
        with bg.process(upstream, bench.env, tmp / "upstream.log"), contextlib.ExitStack() as stack:
            time.sleep(0.5)
            bare_port = bg.free_port()
            bare_env = {**bench.env, "UPSTREAM_URL": bench.upstream_url}
            bare = stack.enter_context(
                bg.process(
                    [sys.executable, str(HERE / "bare_proxy.py"), str(bare_port), "1"],
                    bare_env,
                    tmp / "bare.log",
                )
            )
            bg.wait_http(f"http://127.0.0.1:{bare_port}/")
            bare_url, bare_pids = (
                f"http://127.0.0.1:{bare_port}/v1/chat/completions",
                bg.worker_pids(bare.pid),
            )
            sides = [
                Side(f"baseline {args.baseline}", baseline, bench, stack),
                Side("this checkout", ROOT, bench, stack),
            ]
            bare_cpu: list[float] = []
            for n in range(args.rounds):
                row = bg.measure("bare", bare_url, args.concurrency, args.duration, bench.direct, bare_pids)
                bare_cpu.append(row.cpu_us or 0.0)
                line = [f"round {n + 1}: bare {bare_cpu[-1]:.0f} us"]
                for side in sides:
                    row = bg.measure(
                        side.name, side.url, args.concurrency, args.duration, side.script, side.pids
                    )
                    side.cpu.append(row.cpu_us or 0.0)
                    side.rps.append(row.rps)
                    errors = f" ({row.errors} errors)" if row.errors else ""
                    line.append(f"{side.name} {side.cpu[-1]:.0f} us {row.rps:.0f} req/s{errors}")
                print("; ".join(line), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    bare_median = statistics.median(bare_cpu)
    print(f"\nCPU us per request at c={args.concurrency}, median of {args.rounds} rounds (min):")
    print(f"  {'bare proxy':<32} {bare_median:6.0f} ({min(bare_cpu):.0f})")
    for side in sides:
        median = statistics.median(side.cpu)
        print(
            f"  {side.name:<32} {median:6.0f} ({min(side.cpu):.0f})  x{median / bare_median:.1f} bare"
            f"  {statistics.median(side.rps):.0f} req/s"
        )


if __name__ == "__main__":
    main()
