"""The console's Safety page: redactions, blocks and flagged content by app, type and day.

Counts only, never values: usage records keep how many identifiers were redacted and their *types*,
the audit log keeps blocks with identifier types and content-safety categories. Three grouped queries
over the date range (the usage records' ``ts`` index and ``ix_usage_app_ts``), plus one over the
audit log; JSON lists of types are grouped as text and expanded here.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
from typing import Any

from sqlalchemy import String, case, cast, func, select

from ai_workers.db.engine import Database
from ai_workers.db.models import AuditEvent, UsageRecord
from ai_workers.usage.reports import _day_expr, day_range

BLOCK_ACTIONS = ("phi_block", "safety_block")
OVERRIDE_ACTIONS = ("override_grant", "override_used", "override_revoke")
MAX_CATEGORY_ROWS = 20_000


def _types(raw: Any) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, list):
        return [str(t) for t in raw]
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return []
    return [str(t) for t in value] if isinstance(value, list) else []


async def safety_summary(
    database: Database, first: dt.date, last: dt.date, *, app: str | None = None
) -> dict[str, Any]:
    start, end = day_range(first, last)
    day = _day_expr(database).label("day")
    in_range = [UsageRecord.ts >= start, UsageRecord.ts < end]
    if app is not None:
        in_range.append(UsageRecord.app == app)
    per_day = (
        select(
            day,
            UsageRecord.app,
            func.count(),
            func.sum(case((UsageRecord.phi_redactions > 0, 1), else_=0)),
            func.sum(UsageRecord.phi_redactions),
            func.sum(case((UsageRecord.safety == "blocked", 1), else_=0)),
            func.sum(case((UsageRecord.safety == "flagged", 1), else_=0)),
        )
        .where(*in_range)
        .group_by(day, UsageRecord.app)
        .order_by(day, UsageRecord.app)
    )
    types_text = cast(UsageRecord.phi_types, String)
    per_type = (
        select(
            UsageRecord.app,
            types_text,
            UsageRecord.safety,
            func.count(),
            func.sum(UsageRecord.phi_redactions),
        )
        .where(*in_range, UsageRecord.phi_types.is_not(None))
        .group_by(UsageRecord.app, types_text, UsageRecord.safety)
    )
    audit_range = [AuditEvent.ts >= start, AuditEvent.ts < end]
    if app is not None:
        audit_range.append(AuditEvent.app == app)
    audit_text = cast(AuditEvent.phi_types, String)
    blocks = (
        select(AuditEvent.app, AuditEvent.action, audit_text, func.count())
        .where(*audit_range, AuditEvent.action.in_(BLOCK_ACTIONS + OVERRIDE_ACTIONS))
        .group_by(AuditEvent.app, AuditEvent.action, audit_text)
    )
    categories_stmt = (
        select(AuditEvent.app, AuditEvent.details)
        .where(*audit_range, AuditEvent.action == "safety_block")
        .limit(MAX_CATEGORY_ROWS)
    )
    async with database.session() as session:
        day_rows = (await session.execute(per_day)).all()
        type_rows = (await session.execute(per_type)).all()
        block_rows = (await session.execute(blocks)).all()
        category_rows = (await session.execute(categories_stmt)).all()

    days = [
        {
            "day": str(r[0]),
            "app": r[1],
            "requests": int(r[2]),
            "redacted_requests": int(r[3] or 0),
            "redactions": int(r[4] or 0),
            "blocked": int(r[5] or 0),
            "flagged": int(r[6] or 0),
        }
        for r in day_rows
    ]
    # Identifier types: requests that held each type, per app, and how those requests ended.
    found: dict[tuple[str, str], dict[str, int]] = collections.defaultdict(
        lambda: {"requests": 0, "redacted": 0, "blocked": 0}
    )
    for app_name, raw, verdict, count, redactions in type_rows:
        for phi_type in _types(raw):
            entry = found[(app_name, phi_type)]
            entry["requests"] += int(count)
            if verdict == "blocked":
                entry["blocked"] += int(count)
            elif redactions:
                entry["redacted"] += int(count)
    by_type = [
        {"app": a, "type": t, **v}
        for (a, t), v in sorted(found.items(), key=lambda kv: (-kv[1]["requests"], kv[0]))
    ]
    actions: collections.Counter[tuple[str, str]] = collections.Counter()
    block_types: collections.Counter[tuple[str, str]] = collections.Counter()
    for app_name, action, raw, count in block_rows:
        actions[(app_name, action)] += int(count)
        if action == "phi_block":
            for phi_type in _types(raw):
                block_types[(app_name, phi_type)] += int(count)
    categories: collections.Counter[tuple[str, str]] = collections.Counter()
    for app_name, details in category_rows:
        listed = (details or {}).get("safety_categories")
        for category in listed if isinstance(listed, list) and listed else ["(none given)"]:
            categories[(app_name, str(category))] += 1
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "days": days,
        "types": by_type,
        "actions": [{"app": a, "action": act, "count": n} for (a, act), n in sorted(actions.items())],
        "blocked_types": [{"app": a, "type": t, "count": n} for (a, t), n in sorted(block_types.items())],
        "flagged_categories": [
            {"app": a, "category": c, "count": n} for (a, c), n in sorted(categories.items())
        ],
        "totals": {
            "requests": sum(d["requests"] for d in days),
            "redacted_requests": sum(d["redacted_requests"] for d in days),
            "redactions": sum(d["redactions"] for d in days),
            "blocked": sum(d["blocked"] for d in days),
            "flagged": sum(d["flagged"] for d in days),
            "overrides_used": sum(n for (_, act), n in actions.items() if act == "override_used"),
        },
    }
