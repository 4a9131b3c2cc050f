"""Batch throughput and what a running batch does to live traffic.

Prints lines/s for an N-line (default 10,000) embedding batch through the local model
(all-minilm-l6-v2, in the gateway process) and through a fake OpenAI upstream, then live chat latency
p50/p99 with and without an embedding batch running beside it (the issue's target: live p99 grows by
at most 20%).

The gateway runs as ``ai-workers serve`` (its own process, SQLite in a temp data dir), the fake upstream
in another process, and this process only drives them (the SDK for batches, httpx for live traffic),
so neither the load generator nor the fake competes with the gateway for its GIL.

Run: ``PYTHONPATH=src python bench/bench_batch.py [--lines 10000] [--seconds 15] [--concurrency 4]``.
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
    "fake = FakeOpenAI(api_key=sys.argv[1]).start()\n"
    "print(fake.port, flush=True)\n"
    "time.sleep(1e9)\n"
)


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


def run_batch(client: OpenAI, lines: list[dict[str, Any]]) -> float:
    """Lines/s from the batch's creation to its last line."""
    started = time.perf_counter()
    batch_id = start_batch(client, lines)
    while True:
        batch = client.batches.retrieve(batch_id)
        if batch.status in ("completed", "failed", "cancelled"):
            break
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    counts = batch.request_counts
    assert counts is not None and counts.completed == len(lines), (batch.status, counts)
    return len(lines) / elapsed


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "AI_WORKERS_DATA_DIR": str(tmp)}
    fake = subprocess.Popen(
        [sys.executable, "-c", FAKE, openai_key()], stdout=subprocess.PIPE, env=env, cwd=ROOT
    )
    procs: list[subprocess.Popen[bytes]] = [fake]
    try:
        assert fake.stdout is not None
        upstream = SimpleNamespace(url=f"http://127.0.0.1:{int(fake.stdout.readline())}/v1")
        settings = fake_settings(None, upstream, data_dir=str(tmp), rag={"warm_up": False})
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
        print(f"batch.max_concurrency = {_batch_config().max_concurrency} per process (the default)")
        rate = run_batch(client, embed_lines(args.lines, "text-embedding-3-small", "fake"))
        print(f"{args.lines} embedding lines via a fake upstream: {rate:,.0f} lines/s")
        client.embeddings.create(model="all-minilm-l6-v2", input="warm the local model up")
        rate = run_batch(client, embed_lines(args.lines, "all-minilm-l6-v2", "local"))
        print(f"{args.lines} embedding lines via the local model (all-minilm-l6-v2): {rate:,.0f} lines/s")

        alone = asyncio.run(live_latencies(url, key, args.seconds, args.concurrency))
        batch_id = start_batch(client, embed_lines(args.lines, "text-embedding-3-small", "beside"))
        time.sleep(1.0)  # the batch is running
        beside = asyncio.run(live_latencies(url, key, args.seconds, args.concurrency))
        during = client.batches.retrieve(batch_id)
        client.batches.cancel(batch_id)
        assert during.request_counts is not None
        print(f"live chat, {args.concurrency} concurrent users, {args.seconds:.0f} s each:")
        for name, values in (("alone:       ", alone), ("beside batch:", beside)):
            print(
                f"  {name} n={len(values):5d}  p50 {pct(values, 50):7.1f} ms  p99 {pct(values, 99):7.1f} ms"
            )
        print(f"  (batch lines done meanwhile: {during.request_counts.completed})")
        growth = (pct(beside, 99) / pct(alone, 99) - 1) * 100
        print(f"  live p99 growth with a batch running: {growth:+.0f}% (target: at most +20%)")
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
