"""``ai-workers report ...`` and ``GET /api/usage|costs|savings|budgets`` on a seeded database."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from ai_workers.cli.main import app as cli
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer
from tests.usage.helpers import MIX_ACTUAL, MIX_BASELINE, seed_mix, service

BUDGETS = {"app1": {"budgets": [{"period": "monthly", "usd": 5.0}]}, "app2": {"budgets": [{"usd": 1.0}]}}


async def seed(url: str, data_dir: Path) -> None:
    svc = service(url, data_dir)
    await svc.start()
    seed_mix(svc)
    await svc.stop()


def test_report_commands_print_tables_and_write_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'usage.db'}"
    asyncio.run(seed(url, tmp_path))
    monkeypatch.setenv("AI_WORKERS_DATABASE_URL", url)
    monkeypatch.setenv("COLUMNS", "80")  # output is captured (not a terminal): tables must not be cut to fit
    runner = CliRunner()
    today = dt.datetime.now(dt.UTC).date().isoformat()

    shown = runner.invoke(cli, ["report", "costs", "--from", today, "--to", today, "--by", "model"])
    assert shown.exit_code == 0, shown.output
    assert "gpt-4o-mini" in shown.output and "llama-3.3-70b" in shown.output
    table = runner.invoke(cli, ["report", "daily", "--date", today])  # eleven columns
    assert table.exit_code == 0, table.output
    assert "…" not in table.output and "p95_latency_ms" in table.output and "llama-3.3-70b" in table.output

    out = tmp_path / "savings.json"
    saved = runner.invoke(
        cli, ["report", "savings", "--from", today, "--format", "json", "--output", str(out)]
    )
    assert saved.exit_code == 0, saved.output
    totals = json.loads(out.read_text())["totals"]
    assert totals["baseline_usd"] == pytest.approx(MIX_BASELINE)
    assert totals["actual_usd"] == pytest.approx(MIX_ACTUAL)

    daily = runner.invoke(cli, ["report", "daily", "--date", today, "--format", "csv"])
    assert daily.exit_code == 0, daily.output
    rows = list(csv.DictReader(io.StringIO(daily.output)))
    assert sum(int(r["requests"]) for r in rows if r["app"] != "total") == 10
    markdown = runner.invoke(cli, ["report", "daily", "--date", today, "--format", "md"]).output
    lines = [line.split("|")[1:-1] for line in markdown.splitlines() if line.startswith("| ")]
    header, body = [c.strip() for c in lines[0]], [[c.strip() for c in line] for line in lines[1:]]
    latencies = [row[header.index(col)] for row in body for col in ("avg_latency_ms", "p95_latency_ms")]
    assert latencies and all(re.fullmatch(r"[\d,]+\.\d", c) for c in latencies if c), markdown

    md = tmp_path / "costs.md"
    result = runner.invoke(
        cli, ["report", "costs", "--by", "user", "-f", "md", "-o", str(md), "--app", "app1"]
    )
    assert result.exit_code == 0 and md.read_text().startswith("# Costs by user")

    bad = runner.invoke(cli, ["report", "costs", "--by", "colour"])
    assert bad.exit_code == 1 and "Cannot group by 'colour'" in bad.output
    rolled = runner.invoke(cli, ["report", "rollup", "--from", today, "--to", today])
    assert rolled.exit_code == 0 and "summary rows" in rolled.output


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("usage-api")
    url = f"sqlite+aiosqlite:///{data_dir / 'usage.db'}"
    asyncio.run(seed(url, data_dir))
    settings = fake_settings(database_url=url, data_dir=str(data_dir), apps=BUDGETS)
    with LiveServer(settings) as server:
        yield server


def get(live: LiveServer, path: str, key: str, **params: Any) -> httpx.Response:
    return httpx.get(live.url + path, params=params, headers={"Authorization": f"Bearer {key}"}, timeout=30)


def test_admins_see_every_app_and_an_app_sees_only_itself(live: LiveServer) -> None:
    admin = live.create_key("ops", role="admin")
    app1 = live.create_key("app1")

    costs = get(live, "/api/costs", admin, by="app")
    assert costs.status_code == 200
    assert {r["app"] for r in costs.json()["rows"]} == {"app1", "app2"}
    own = get(live, "/api/costs", app1, by="model")
    assert own.status_code == 200 and "app1" in own.json()["title"]
    assert {r["model"] for r in own.json()["rows"]} == {"llama-3.3-70b-instruct-fp8-fast", "gpt-4o", "bge-m3"}
    forbidden = get(live, "/api/costs", app1, app="app2")
    assert forbidden.status_code == 403 and forbidden.json()["error"]["param"] == "app"

    usage = get(live, "/api/usage", admin).json()
    assert {r["app"]: r["requests"] for r in usage["rows"]} == {"app1": 7, "app2": 3}

    savings = get(live, "/api/savings", admin).json()
    assert savings["baseline_model"] == "gpt-4o"
    assert savings["totals"]["baseline_usd"] == pytest.approx(MIX_BASELINE)

    budgets = get(live, "/api/budgets", admin).json()["data"]
    assert {(b["app"], b["period"]) for b in budgets} == {("app1", "monthly"), ("app2", "daily")}
    app1_budget = next(b for b in budgets if b["app"] == "app1")
    assert app1_budget["limit_usd"] == 5.0 and app1_budget["spent_usd"] > 0  # seeded from the records
    mine = get(live, "/api/budgets", app1).json()["data"]
    assert [b["app"] for b in mine] == ["app1"]

    assert get(live, "/api/costs", admin, by="colour").status_code == 400
    assert get(live, "/api/usage", admin, **{"from": "yesterday"}).status_code == 400
    assert httpx.get(live.url + "/api/costs", headers={"x-forwarded-for": "1.2.3.4"}).status_code == 401
