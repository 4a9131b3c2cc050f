"""Retention of the request log's text: clear prompt/answer text older than each app's retention.

Text is opt-in per app (``core.request_text``); whatever was stored is kept for that app's
``request_log.retention_days`` (default 7; apps without their own section follow the default app's,
as for every policy), then cleared. The record itself stays: its counts, cost and timings feed
reports for longer.
Idempotent (an UPDATE of rows still holding text), so every worker may run it; ``UsageService`` does
once an hour. The partial index ``ix_usage_text_app_ts`` keeps it to the records that hold text.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, text, update

from ai_workers.core.config import Settings
from ai_workers.core.request_text import config_for
from ai_workers.db.engine import Database
from ai_workers.db.models import TEXT_HELD, UsageRecord

PURGE_INTERVAL_S = 3600.0


async def purge_text(database: Database, settings: Settings, now: dt.datetime) -> int:
    """Clear text past its app's retention; returns how many records lost their text."""
    held = text(f"({TEXT_HELD})")  # parenthesised: an OR must not swallow the other conditions
    r = UsageRecord
    retention = {name: config_for(settings, name).retention_days for name in settings.apps}
    cleared = 0
    async with database.session() as session:
        for app, days in retention.items():
            stmt = (
                update(r)
                .where(held, r.app == app, r.ts < now - dt.timedelta(days=days))
                .values(prompt_text=None, answer_text=None)
            )
            cleared += (await session.execute(stmt)).rowcount or 0  # type: ignore[attr-defined]
        # Apps without a section of their own take the default app's policy (``Settings.app``).
        days = config_for(settings, settings.default_app).retention_days
        others = and_(held, r.ts < now - dt.timedelta(days=days))
        if retention:
            others = and_(others, r.app.not_in(list(retention)))
        stmt = update(r).where(others).values(prompt_text=None, answer_text=None)
        cleared += (await session.execute(stmt)).rowcount or 0  # type: ignore[attr-defined]
    return cleared
