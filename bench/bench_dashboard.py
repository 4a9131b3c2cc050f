"""Dashboard benchmark: page weight, API latency and time to a rendered page over a large usage table.

Seeds a SQLite database with ``--records`` usage records (17 apps, 30 days, several models and
providers) through the real migrations, starts the gateway (uvicorn on loopback, no upstream needed),
signs in with an admin key in headless Chromium and prints:

* the bytes of JavaScript and CSS the page loads (raw and gzip), against the 100 KB budget;
* p50 / max latency of each JSON API a page calls (``--repeat`` calls each, one at a time);
* p50 / max time from navigation to the finished page for each section (``--repeat`` loads each).

    python bench/bench_dashboard.py [--records 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.dashboard.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer

from ai_workers.db.engine import Database
from ai_workers.db.models import AuditEvent, UsageRecord
from ai_workers.server.dashboard import load_assets

APPS = [f"app{i:02d}" for i in range(17)]
MODELS = [
    ("llama-3.1-8b-instruct-fp8-fast", "cloudflare"),
    ("llama-3.3-70b-instruct-fp8-fast", "cloudflare"),
    ("gpt-4o-mini", "openai"),
    ("gpt-4o", "openai"),
    ("bge-m3", "cloudflare"),
]
PAGES = ["overview", "costs", "budgets", "providers", "keys", "audit", "quality"]


def fake_records(count: int, rng: random.Random) -> list[dict[str, Any]]:
    now = dt.datetime.now(dt.UTC)
    rows = []
    for _ in range(count):
        model, provider = rng.choice(MODELS)
        inp, out = rng.randint(20, 2000), rng.randint(0, 800)
        failed = rng.random() < 0.02
        rows.append(
            {
                "id": uuid.uuid4().hex,
                "ts": now - dt.timedelta(seconds=rng.uniform(0, 30 * 86400)),
                "app": rng.choice(APPS),
                "user": f"user{rng.randint(1, 500)}",
                "capability": "embeddings" if model == "bge-m3" else "chat",
                "requested_model": model,
                "logical_model": model,
                "provider_model": model,
                "provider": provider,
                "arm": rng.choice([None, "a", "b"]),
                "status": 502 if failed else 200,
                "error_kind": "upstream" if failed else None,
                "input_tokens": inp,
                "output_tokens": out,
                "cost_usd": (inp * 0.15 + out * 0.6) / 1e6 * (16 if model == "gpt-4o" else 1),
                "list_cost_usd": (inp * 0.15 + out * 0.6) / 1e6 * (16 if model == "gpt-4o" else 1),
                "latency_ms": rng.uniform(80, 2500),
                "cache_hit": rng.random() < 0.1,
                "attempts": 1,
            }
        )
    return rows


async def seed(url: str, count: int) -> None:
    database = Database(url)
    await database.migrate()
    rng = random.Random(7)
    async with database.session() as session:
        for start in range(0, count, 5000):
            await session.execute(insert(UsageRecord), fake_records(min(5000, count - start), rng))
        await session.execute(
            insert(AuditEvent),
            [
                {"event_id": uuid.uuid4().hex, "app": rng.choice(APPS), "action": "phi_block",
                 "ts": dt.datetime.now(dt.UTC), "phi_types": ["NAME"]}
                for _ in range(2000)
            ],
        )  # fmt: skip
    await database.dispose()


def percentiles(samples: list[float]) -> str:
    return f"p50 {statistics.median(samples):8.1f} ms   max {max(samples):8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    assets = load_assets()
    print("Page weight (loaded by /dashboard):")
    for kind in (".js", ".css"):
        files = {n: a for n, a in assets.items() if n.endswith(kind)}
        raw = sum(len(a.body) for a in files.values())
        packed = sum(len(gzip.compress(a.body, 9)) for a in files.values())
        print(f"  {kind[1:]:>3}: {len(files)} files, {raw / 1024:6.1f} KB raw, {packed / 1024:5.1f} KB gzip")
    print(f"  html: {len(assets['dashboard.html'].body) / 1024:.1f} KB")

    data_dir = tempfile.mkdtemp(prefix="aiw-bench-dashboard-")
    os.environ["AI_WORKERS_DATA_DIR"] = data_dir
    settings = fake_settings(
        data_dir=data_dir,
        apps={name: {"budgets": [{"period": "daily", "usd": 10.0}, {"period": "monthly", "usd": 200.0}]}
              for name in APPS},
    )  # fmt: skip
    import asyncio

    started = time.perf_counter()
    asyncio.run(seed(settings.resolved_database_url(), args.records))
    print(f"\nSeeded {args.records:,} usage records in {time.perf_counter() - started:.1f} s (SQLite)")

    with LiveServer(settings) as live:
        admin = live.create_key("ops", role="admin")
        today = dt.datetime.now(dt.UTC).date()
        month = today.replace(day=1).isoformat()
        last30 = (today - dt.timedelta(days=29)).isoformat()
        calls = {
            "/api/usage (today)": ("/api/usage", {"from": today.isoformat(), "to": today.isoformat()}),
            "/api/usage (30 days)": ("/api/usage", {"from": last30, "to": today.isoformat()}),
            "/api/savings (month)": ("/api/savings", {"from": month, "to": today.isoformat()}),
            "/api/costs by app (30 d)": ("/api/costs", {"from": last30, "by": "app"}),
            "/api/costs by user (30 d)": ("/api/costs", {"from": last30, "by": "user"}),
            "/api/budgets": ("/api/budgets", {}),
            "/api/audit": ("/api/audit", {"limit": 100}),
            "/api/quality (7 d)": ("/api/quality", {}),
            "/api/circuits": ("/api/circuits", {}),
            "/api/apps": ("/api/apps", {}),
            "/health/providers": ("/health/providers", {}),
            "/admin/keys": ("/admin/keys", {}),
        }
        print(f"\nAPI latency over {args.records:,} records ({args.repeat} calls each, sequential):")
        auth = {"Authorization": f"Bearer {admin}"}
        with httpx.Client(base_url=live.url, headers=auth, timeout=120) as http:
            for label, (path, params) in calls.items():
                samples = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    response = http.get(path, params=params)
                    samples.append((time.perf_counter() - t0) * 1000)
                    response.raise_for_status()
                print(f"  {label:<28} {percentiles(samples)}")

        from playwright.sync_api import sync_playwright

        print(f"\nTime to a finished page in headless Chromium ({args.repeat} loads each, warm cache):")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{live.url}/dashboard")
            page.get_by_label("API key").fill(admin)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_selector("#shell:not([hidden])")
            for name in PAGES:
                samples = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    page.goto(f"{live.url}/dashboard#/{name}")
                    page.reload()
                    page.locator("#main .page-head").wait_for()
                    samples.append((time.perf_counter() - t0) * 1000)
                print(f"  {name:<28} {percentiles(samples)}")
            browser.close()


if __name__ == "__main__":
    main()
