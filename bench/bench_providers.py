"""Provider-layer benchmark: what the executor + adapters + pooled httpx client cost per request.

Two measurements, both without the rest of the pipeline (see bench_gateway.py for the whole gateway):

1. In-process, no network (``httpx.MockTransport`` answering a canned upstream body): the CPU time our
   layer adds per call: request translation, the executor's attempt bookkeeping, httpx, msgspec decode.
   Reported for OpenAI chat, Workers AI chat (envelope), Workers AI streaming (20 SSE events) and
   bge-m3 embeddings (8 texts x 1024 dims).
2. Over loopback against ``bench/fast_upstream.py`` (a separate process): requests/s and latency at
   concurrency 1 and 64 through one provider's shared keep-alive pool, next to the same requests made
   with a bare ``httpx.AsyncClient`` (the floor).

    python bench/bench_providers.py [--requests 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx2 as httpx

from ai_workers.core.config import ConfigStore, ProviderConfig, load_settings
from ai_workers.core.context import AppIdentity, RequestContext
from ai_workers.core.pipeline import ChunkStream
from ai_workers.core.types import Capability, ChatRequest, EmbeddingRequest, Message
from ai_workers.providers.cloudflare import CloudflareProvider
from ai_workers.providers.executor import Executor
from ai_workers.providers.openai import OpenAIProvider
from ai_workers.providers.registry import ProviderRegistry
from ai_workers.routing.targets import resolve_targets

HERE = Path(__file__).resolve().parent
ENV = {
    "BENCH_CF_TOKEN": "bench-" + "token",
    "BENCH_CF_ACCOUNT": "bench-" + "account",
    "BENCH_OA_KEY": "bench-" + "key",
}

OPENAI_BODY = json.dumps(
    {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "gpt-4o-mini",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": "Hello there!"}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15},
    }
).encode()
CF_BODY = json.dumps(
    {
        "result": {
            "response": "Hello there!",
            "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15},
        },
        "success": True,
        "errors": [],
        "messages": [],
    }
).encode()
CF_STREAM = (
    "".join(f'data: {{"response":"tok{i} ","p":"abc"}}\n\n' for i in range(20))
    + 'data: {"response":"","usage":{"prompt_tokens":12,"completion_tokens":20,"total_tokens":32}}\n\n'
    + "data: [DONE]\n\n"
).encode()
EMBED_BODY = json.dumps(
    {
        "result": {"shape": [8, 1024], "data": [[0.01 * (i % 7)] * 1024 for i in range(8)], "pooling": "cls"},
        "success": True,
        "errors": [],
        "messages": [],
    }
).encode()


def mock_transport() -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/chat/completions"):
            return httpx.Response(200, content=OPENAI_BODY, headers={"content-type": "application/json"})
        if path.endswith("bge-m3"):
            return httpx.Response(200, content=EMBED_BODY, headers={"content-type": "application/json"})
        if b'"stream":true' in request.content:
            return httpx.Response(200, content=CF_STREAM, headers={"content-type": "text/event-stream"})
        return httpx.Response(200, content=CF_BODY, headers={"content-type": "application/json"})

    return httpx.MockTransport(handler)


def build(transport: httpx.AsyncBaseTransport | None, openai_url: str = "http://upstream.invalid/v1"):
    os.environ.update(ENV)
    settings = load_settings(env={})
    providers = dict(settings.providers)
    providers["cloudflare"] = ProviderConfig(
        type="cloudflare",
        base_url="http://upstream.invalid/client/v4",
        api_token_env="BENCH_CF_TOKEN",
        account_id_env="BENCH_CF_ACCOUNT",
    )
    providers["openai"] = ProviderConfig(type="openai", base_url=openai_url, api_key_env="BENCH_OA_KEY")
    fields = {name: getattr(settings, name) for name in settings.__struct_fields__}
    settings = settings.__class__(**{**fields, "providers": providers})
    store = ConfigStore(settings)
    factories = {
        "cloudflare": lambda name, cfg: CloudflareProvider(name, cfg, transport=transport),
        "openai": lambda name, cfg: OpenAIProvider(name, cfg, transport=transport),
    }
    registry = ProviderRegistry(store, factories=factories)
    return settings, registry, Executor(store, registry)


def context(
    settings, model: str, capability: Capability = Capability.CHAT, stream: bool = False
) -> RequestContext:
    ctx = RequestContext(settings, AppIdentity("bench"), capability, model, stream=stream)
    _, ctx.targets = resolve_targets(settings, ctx.app, capability, model)
    return ctx


async def per_call_us(fn: Callable[[], Awaitable[object]], n: int) -> tuple[float, float, float]:
    for _ in range(200):  # warm-up: pools, caches, code paths
        await fn()
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - t0) * 1e6)
    samples.sort()
    return statistics.fmean(samples), samples[len(samples) // 2], samples[int(len(samples) * 0.99)]


async def in_process(n: int) -> None:
    settings, registry, executor = build(mock_transport())
    messages = [Message(role="user", content="Say hello in one short sentence.")]

    async def openai_chat() -> None:
        await executor(context(settings, "gpt-4o-mini"), ChatRequest(model="gpt-4o-mini", messages=messages))

    async def cf_chat() -> None:
        await executor(
            context(settings, "llama-3.3-70b"), ChatRequest(model="llama-3.3-70b", messages=messages)
        )

    async def cf_stream() -> None:
        request = ChatRequest(model="llama-3.3-70b", messages=messages, stream=True)
        stream = await executor(context(settings, "llama-3.3-70b", stream=True), request)
        assert isinstance(stream, ChunkStream)
        async for _ in stream:
            pass

    async def bare_httpx() -> None:
        await bare.post("http://upstream.invalid/v1/chat/completions", content=b"{}")

    async def embed() -> None:
        request = EmbeddingRequest(model="bge-m3", input=[f"text {i}" for i in range(8)])
        await executor(context(settings, "bge-m3", Capability.EMBEDDINGS), request)

    bare = httpx.AsyncClient(transport=mock_transport())
    print(f"1. in-process, httpx.MockTransport, {n} sequential calls each (mean / p50 / p99, microseconds)")
    for label, fn in [
        ("bare httpx POST (floor)", bare_httpx),
        ("OpenAI chat via executor", openai_chat),
        ("Workers AI chat via executor", cf_chat),
        ("Workers AI stream, 20 events", cf_stream),
        ("bge-m3 embed, 8 x 1024", embed),
    ]:
        mean, p50, p99 = await per_call_us(fn, n)
        print(f"   {label:32s} {mean:8.0f} {p50:8.0f} {p99:8.0f}")
    await bare.aclose()
    await registry.aclose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_upstream() -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    upstream = subprocess.Popen([sys.executable, str(HERE / "fast_upstream.py"), str(port)])
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return upstream, port


async def loopback(n: int, upstream: subprocess.Popen[bytes], port: int) -> None:
    try:
        settings, registry, executor = build(None, f"http://127.0.0.1:{port}/v1")
        messages = [Message(role="user", content="Say hello in one short sentence.")]
        bare = httpx.AsyncClient(limits=httpx.Limits(max_connections=200, max_keepalive_connections=200))
        body = json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}).encode()

        async def via_executor() -> None:
            await executor(
                context(settings, "gpt-4o-mini"), ChatRequest(model="gpt-4o-mini", messages=messages)
            )

        async def via_bare() -> None:
            r = await bare.post(f"http://127.0.0.1:{port}/v1/chat/completions", content=body)
            r.json()

        print(f"2. loopback to bench/fast_upstream.py (separate process), {n} requests")
        print("   path                 conc   req/s    p50 ms   p99 ms")
        for label, fn in [("bare httpx (floor)", via_bare), ("executor + adapter", via_executor)]:
            for concurrency in (1, 64):
                for _ in range(100):
                    await fn()
                latencies: list[float] = []
                queue = iter(range(n))

                async def worker() -> None:
                    for _ in queue:
                        t0 = time.perf_counter()
                        await fn()
                        latencies.append(time.perf_counter() - t0)

                t0 = time.perf_counter()
                await asyncio.gather(*(worker() for _ in range(concurrency)))
                elapsed = time.perf_counter() - t0
                latencies.sort()
                p50 = latencies[len(latencies) // 2] * 1000
                p99 = latencies[int(len(latencies) * 0.99)] * 1000
                print(f"   {label:20s} {concurrency:4d} {n / elapsed:8.0f} {p50:8.2f} {p99:8.2f}")
        await bare.aclose()
        await registry.aclose()
    finally:
        upstream.terminate()
        upstream.wait(5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, httpx {httpx.__version__}, {os.cpu_count()} CPUs")
    asyncio.run(in_process(args.requests))
    upstream, port = start_upstream()
    asyncio.run(loopback(args.requests, upstream, port))


if __name__ == "__main__":
    main()
