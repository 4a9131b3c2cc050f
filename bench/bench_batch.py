"""Batch throughput and what a running batch does to live traffic.

Prints lines/s (and the gateway's CPU seconds per 1,000 lines) for an N-line (default 10,000) embedding
batch through the local model (all-minilm-l6-v2, in the gateway process), through a fake OpenAI upstream
(each line its own synchronous call), and through the fake Workers AI's asynchronous batch API (bge-m3:
lines gathered into queued requests of up to 500, polled). Then live chat latency p50/p99 with and
without an embedding batch running beside it (the issue's target: live p99 grows by at most 20%).

The live figures are taken side by side in one run: ``--rounds`` rounds, each one window without a
batch and one with a fresh batch running (in ABBA order, so drift on a shared machine hits both
alike); the samples are pooled, and the p99 growth is printed with a bootstrap 95% interval.

The gateway runs as ``ai-workers serve`` (its own process, SQLite in a temp data dir), the fake
upstreams in another process, and this process only drives them (the SDK for batches, httpx for live
traffic), so neither the load generator nor the fakes compete with the gateway for its GIL.

Run: ``PYTHONPATH=src python bench/bench_batch.py [--lines 10000] [--rounds 6] [--seconds 5]
[--concurrency 4] [--settle 2] [--parts throughput,live]`` (output is flushed line by line).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import msgspec
import yaml
from openai import OpenAI

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.batch.helpers import WORDS, jsonl, spelled  # noqa: E402
from tests.fakes.settings import fake_settings, openai_key  # noqa: E402
from tests.support.services import free_port  # noqa: E402

from ai_workers.db.engine import Database  # noqa: E402
from ai_workers.server.keys import KeyStore  # noqa: E402

FAKE = (
    "import sys, time\n"
    "from tests.fakes.openai import FakeOpenAI\n"
    "from tests.fakes.settings import workers_credentials\n"
    "from tests.fakes.workers_ai import FakeWorkersAI\n"
    "fake = FakeOpenAI(api_key=sys.argv[1]).start()\n"
    "workers = FakeWorkersAI(**workers_credentials()).start()\n"
    "print(fake.port, workers.port, flush=True)\n"
    "time.sleep(1e9)\n"
)
# Polling sooner than the default (2 s doubling to 60 s): the fake answers after two polls, and the
# figure should show the gateway's own cost, not the wait policy meant for real queues.
QUEUED = {"poll_s": 0.25, "max_poll_s": 1.0}


def wait_http(url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


def create_key(url: str) -> str:
    async def create() -> str:
        database = Database(url)
        try:
            await database.migrate()
            _, key = await KeyStore(database).create("bench")
            return str(key)
        finally:
            await database.dispose()

    return asyncio.run(create())


def embed_lines(n: int, model: str, tag: str) -> list[dict[str, Any]]:
    return [
        {
            "custom_id": f"{tag}-{i}",
            "method": "POST",
            "url": "/v1/embeddings",
            "body": {"model": model, "input": f"{tag} document on {spelled(i)} and the inventory"},
        }
        for i in range(n)
    ]


def start_batch(client: OpenAI, lines: list[dict[str, Any]]) -> str:
    file = client.files.create(file=("in.jsonl", jsonl(lines)), purpose="batch")
    return client.batches.create(input_file_id=file.id, endpoint="/v1/embeddings", completion_window="24h").id


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_final(client: OpenAI, batch_id: str) -> Any:
    while True:
        batch = client.batches.retrieve(batch_id)
        if batch.status in ("completed", "failed", "cancelled"):
            return batch
        time.sleep(0.1)


def run_batch(client: OpenAI, lines: list[dict[str, Any]], pid: int) -> tuple[float, float]:
    """(lines/s from the batch's creation to its last line, gateway CPU seconds per 1,000 lines)."""
    cpu = cpu_seconds(pid)
    started = time.perf_counter()
    batch = wait_final(client, start_batch(client, lines))
    elapsed = time.perf_counter() - started
    counts = batch.request_counts
    assert counts is not None and counts.completed == len(lines), (batch.status, counts)
    return len(lines) / elapsed, (cpu_seconds(pid) - cpu) / len(lines) * 1000


async def live_latencies(url: str, key: str, seconds: float, concurrency: int) -> list[float]:
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    rng = random.Random(7)

    async def user(client: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            words = " ".join(rng.choice(WORDS) for _ in range(8))  # distinct prompts: no cache hits
            t = time.perf_counter()
            response = await client.post(
                "/v1/chat/completions",
                json={
                    "model": "gpt-4o-mini",
                    "messages": [{"role": "user", "content": f"Summarise {words}"}],
                },
            )
            latencies.append((time.perf_counter() - t) * 1000)
            response.raise_for_status()

    headers = {"authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:
        await asyncio.gather(*(user(client) for _ in range(concurrency)))
    return latencies


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 2 else float("nan")


def p99_growth_interval(alone: list[float], beside: list[float], draws: int = 1000) -> tuple[float, float]:
    """A bootstrap 95% interval of the p99 growth (%): resample both sample sets, take the ratio."""
    rng = random.Random(11)
    growths = sorted(
        (pct(rng.choices(beside, k=len(beside)), 99) / pct(rng.choices(alone, k=len(alone)), 99) - 1) * 100
        for _ in range(draws)
    )
    return growths[int(draws * 0.025)], growths[int(draws * 0.975) - 1]


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=6, help="live windows with and without a batch, each")
    parser.add_argument("--seconds", type=float, default=5.0, help="one live window")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--settle", type=float, default=2.0, help="pause before each live window (a cancelled batch's "
        "last lines, usage records and database writes end before the next window starts)"
    )  # fmt: skip
    parser.add_argument("--parts", default="throughput,live", help="throughput, live, or both")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    tmp = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "AI_WORKERS_DATA_DIR": str(tmp)}
    fake = subprocess.Popen(
        [sys.executable, "-c", FAKE, openai_key()], stdout=subprocess.PIPE, env=env, cwd=ROOT
    )
    procs: list[subprocess.Popen[bytes]] = [fake]
    try:
        assert fake.stdout is not None
        openai_port, workers_port = (int(p) for p in fake.stdout.readline().split())
        upstream = SimpleNamespace(url=f"http://127.0.0.1:{openai_port}/v1")
        workers = SimpleNamespace(url=f"http://127.0.0.1:{workers_port}/client/v4")
        settings = fake_settings(
            workers, upstream, data_dir=str(tmp), rag={"warm_up": False}, batch={"queued": QUEUED}
        )
        config = tmp / "config.yaml"
        config.write_text(yaml.safe_dump(msgspec.to_builtins(settings)))
        key = create_key(settings.resolved_database_url())
        port = free_port()
        log = (tmp / "gateway.log").open("wb")
        env = {**env, **{k: v for k, v in os.environ.items() if k.startswith("AIW_FAKE_")}}
        gateway = subprocess.Popen(
            [sys.executable, "-m", "ai_workers.cli.main", "serve", "--port", str(port), "--config", str(config)],  # noqa: E501
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        procs.append(gateway)
        url = f"http://127.0.0.1:{port}"
        wait_http(url + "/health")
        client = OpenAI(base_url=url + "/v1", api_key=key, max_retries=3)
        defaults = _batch_config()
        print(
            f"batch.max_concurrency = {defaults.max_concurrency}, per_app_concurrency = "
            f"{defaults.per_app_concurrency} per process (the defaults); queued {QUEUED}"
        )
        client.embeddings.create(model="all-minilm-l6-v2", input="warm the local model up")
        for label, model, tag in (
            ()
            if "throughput" not in parts
            else (
                (
                    "a fake upstream (text-embedding-3-small, one call per line)",
                    "text-embedding-3-small",
                    "fake",
                ),
                ("the local model (all-minilm-l6-v2)", "all-minilm-l6-v2", "local"),
                ("Workers AI async batches (bge-m3, fake queued API)", "@cf/baai/bge-m3", "queued"),
            )
        ):
            rate, cpu = run_batch(client, embed_lines(args.lines, model, tag), gateway.pid)
            print(
                f"{args.lines} embedding lines via {label}: {rate:,.0f} lines/s, {cpu:.2f} CPU s per 1k lines"
            )

        if "live" not in parts:
            return
        alone: list[float] = []
        beside: list[float] = []
        done_beside = 0
        for round_no in range(args.rounds):
            order = ("alone", "beside") if round_no % 2 == 0 else ("beside", "alone")
            for phase in order:
                time.sleep(args.settle)
                if phase == "alone":
                    alone += asyncio.run(live_latencies(url, key, args.seconds, args.concurrency))
                    continue
                lines = embed_lines(args.lines, "text-embedding-3-small", f"beside{round_no}")
                batch_id = start_batch(client, lines)
                time.sleep(0.5)  # the batch is running
                beside += asyncio.run(live_latencies(url, key, args.seconds, args.concurrency))
                during = client.batches.retrieve(batch_id)
                assert during.status == "in_progress", during.status  # it ran the whole window
                client.batches.cancel(batch_id)
                final = wait_final(client, batch_id)  # its running lines end before the next window
                assert final.request_counts is not None
                done_beside += final.request_counts.completed
        print(
            f"live chat, {args.concurrency} concurrent users, {args.rounds} rounds of {args.seconds:.0f} s "
            "windows without and with a batch (ABBA order):"
        )
        for name, values in (("alone:       ", alone), ("beside batch:", beside)):
            print(
                f"  {name} n={len(values):5d}  p50 {pct(values, 50):7.1f} ms  p99 {pct(values, 99):7.1f} ms"
            )
        print(f"  (batch lines done during the 'beside' windows: {done_beside})")
        growth = (pct(beside, 99) / pct(alone, 99) - 1) * 100
        low, high = p99_growth_interval(alone, beside)
        print(
            f"  live p99 growth with a batch running: {growth:+.0f}% "
            f"(bootstrap 95% interval {low:+.0f}% .. {high:+.0f}%; target: at most +20%)"
        )
    finally:
        for proc in reversed(procs):
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def _batch_config() -> Any:
    from ai_workers.batch.config import BatchConfig

    return BatchConfig()


if __name__ == "__main__":
    main()
