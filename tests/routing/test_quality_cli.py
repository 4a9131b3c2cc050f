"""``ai-workers report quality`` against the configured (SQLite) database."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid

import typer
from typer.testing import CliRunner

from ai_workers.cli.quality import quality
from ai_workers.core.config import load_settings
from ai_workers.db.engine import Database
from ai_workers.db.models import Feedback, UsageRecord


def seed() -> None:
    async def run() -> None:
        db = Database(load_settings().resolved_database_url())
        await db.migrate()
        now = dt.datetime.now(dt.UTC)
        rows = [
            UsageRecord(
                id=uuid.uuid4().hex,
                ts=now,
                app="triage",
                capability="chat",
                provider=p,
                arm=a,
                status=s,
                latency_ms=lat,
                cost_usd=c,
            )
            for p, a, s, lat, c in [
                ("cloudflare", "ab:workers", 200, 120.0, 0.0001),
                ("cloudflare", "ab:workers", 502, 900.0, 0.0),
                ("openai", "ab:openai", 200, 300.0, 0.002),
            ]
        ]
        async with db.session() as s:
            s.add_all(rows)
            s.add(Feedback(request_id=rows[0].id, app="triage", rating=1))
            s.add(Feedback(request_id=rows[2].id, app="triage", rating=-1))
        await db.dispose()

    asyncio.run(run())


def cli() -> typer.Typer:
    app = typer.Typer()
    app.command()(quality)
    app.command("noop")(lambda: None)  # two commands: typer keeps "quality" as a sub-command
    return app


def test_quality_report_table_and_json() -> None:
    seed()
    runner = CliRunner()
    result = runner.invoke(cli(), ["quality", "--days", "1"])
    assert result.exit_code == 0, result.output
    assert "Quality since" in result.output and "300" in result.output
    result = runner.invoke(cli(), ["quality", "--json", "--by", "arm"])
    rows = {r["group"]["arm"]: r for r in json.loads(result.output)}
    assert rows["ab:workers"]["requests"] == 2 and rows["ab:workers"]["satisfaction"] == 1.0
    assert rows["ab:workers"]["error_rate"] == 0.5 and rows["ab:workers"]["latency_p95_ms"] > 800
    assert rows["ab:openai"]["satisfaction"] == 0.0
    bad = runner.invoke(cli(), ["quality", "--by", "colour"])
    assert bad.exit_code == 1
