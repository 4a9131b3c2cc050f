"""PostgreSQL row-level security: an app's database role reads only its own rows, for real."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import text

from ai_workers.db.engine import Database
from ai_workers.db.models import AuditEvent, Feedback, UsageRecord
from ai_workers.db.rls import create_app_role
from ai_workers.usage.rollup import rollup_day

TABLES = ("usage_records", "daily_summaries", "feedback", "audit_log", "usage_by_day")


def as_role(url: str, role: str) -> str:
    return url.replace("postgresql+asyncpg://postgres@", f"postgresql+asyncpg://{role}@")


async def seed(db: Database) -> None:
    now = dt.datetime.now(dt.UTC)
    async with db.session() as session:
        for app in ("alpha", "beta"):
            for i in range(3 if app == "alpha" else 2):
                session.add(
                    UsageRecord(
                        id=uuid.uuid4().hex, ts=now, app=app, capability="chat", status=200,
                        latency_ms=10.0 + i, provider="openai", logical_model="gpt-4o",
                        input_tokens=10, output_tokens=5, cost_usd=0.01, list_cost_usd=0.01,
                        cache_hit=False, attempts=1, phi_redactions=0, stream=False,
                    )
                )  # fmt: skip
            session.add(Feedback(request_id="r-" + app, app=app, rating=1))
            session.add(AuditEvent(event_id=uuid.uuid4().hex, app=app, action="phi_block", phi_types=["SSN"]))
    await rollup_day(db, now.date())


async def visible_apps(url: str, *, setting: str | None = None) -> dict[str, set[str]]:
    db = Database(url)
    try:
        async with db.engine.connect() as conn:
            if setting is not None:
                await conn.execute(text("SELECT set_config('app.current_app', :v, false)"), {"v": setting})
            return {
                t: set((await conn.execute(text(f"SELECT DISTINCT app FROM {t}"))).scalars()) for t in TABLES
            }
    finally:
        await db.dispose()


async def test_an_app_role_reads_only_its_own_rows(pg_database: str) -> None:
    db = Database(pg_database)
    await db.migrate()
    await seed(db)
    suffix = uuid.uuid4().hex[:8]
    alpha_role = await create_app_role(db, "alpha", role=f"aiw_app_alpha_{suffix}")
    beta_role = await create_app_role(db, "beta", role=f"aiw_app_beta_{suffix}")

    everything = await visible_apps(pg_database)  # the gateway's own role: not restricted
    assert all(apps == {"alpha", "beta"} for apps in everything.values())

    alpha = await visible_apps(as_role(pg_database, alpha_role))
    assert all(apps == {"alpha"} for apps in alpha.values()), alpha
    beta = await visible_apps(as_role(pg_database, beta_role))
    assert all(apps == {"beta"} for apps in beta.values()), beta

    # The session setting is for the trusted reader pool only; an app role cannot use it to look around.
    sneaky = await visible_apps(as_role(pg_database, alpha_role), setting="beta")
    assert all(apps == {"alpha"} for apps in sneaky.values())

    async with db.engine.connect() as conn:
        count = await conn.scalar(text("SELECT count(*) FROM usage_records"))
    assert count == 5

    # Writing is not granted at all.
    app_db = Database(as_role(pg_database, alpha_role))
    with pytest.raises(Exception, match="permission denied"):
        async with app_db.engine.begin() as conn:
            await conn.execute(text("DELETE FROM usage_records"))
    await app_db.dispose()
    await db.dispose()


async def test_the_reader_pool_sees_the_app_named_by_its_session_setting(pg_database: str) -> None:
    db = Database(pg_database)
    await db.migrate()
    await seed(db)
    reader = f"aiw_dash_{uuid.uuid4().hex[:8]}"
    async with db.engine.begin() as conn:
        await conn.exec_driver_sql(f'CREATE ROLE "{reader}" LOGIN IN ROLE aiw_reader')
    url = as_role(pg_database, reader)
    assert all(apps == {"beta"} for apps in (await visible_apps(url, setting="beta")).values())
    assert all(apps == {"alpha"} for apps in (await visible_apps(url, setting="alpha")).values())
    assert all(apps == set() for apps in (await visible_apps(url)).values())  # no app chosen: nothing
    await db.dispose()
