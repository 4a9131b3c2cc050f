"""The request log: one usage record per request, newest first, filtered, paged by keyset.

A page is "the next ``limit`` records older than the cursor" (``ts`` then ``id``, both descending), so
page 500 costs the same as page 1 and a record written meanwhile never shifts a page; there is no
OFFSET and no COUNT(*) over a million rows. Each filter is served by an index on ``usage_records``
(``app``, ``user``, ``logical_model``, ``provider``, ``status``, each followed by ``ts``).

What a record holds is counts and identifiers (``usage/records.py``): the user is the gateway's
pseudonym, PHI is types and counts, never values. Prompt and answer text exists only for apps that opt
in (``core.request_text``), PHI-redacted; only the detail view returns it, never a list or the CSV.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, and_, func, literal, or_, select, text
from sqlalchemy.orm import defer

from ai_workers.core.errors import InvalidRequestError
from ai_workers.core.request_text import is_truncated
from ai_workers.db.engine import Database
from ai_workers.db.models import UsageRecord
from ai_workers.usage.hourly import PHI_BLOCK_CODES

MAX_PAGE = 200
STATUS_FILTERS = ("ok", "error", "4xx", "5xx")
CACHE_FILTERS = ("hit", "miss")
SAFETY_FILTERS = ("safe", "flagged", "blocked")
# Said by the API and the page when a record holds no text (the usual case: text is opt-in per app).
CONTENT_NOT_STORED = (
    "Prompt and answer text is not stored for this request: records keep counts and identifiers only, "
    "unless the app opts in (apps.<name>.request_log.store_text), and stored text is PHI-redacted and "
    "cleared after the app's retention_days."
)
CONTENT_NOTE = (
    "Lists and CSV exports never carry prompt or answer text; a request's detail view shows it when "
    "its app opted in (PHI-redacted, kept for the app's retention period)."
)

# The columns a list row carries (the detail view adds the rest).
LIST_COLUMNS = (
    "id", "ts", "app", "user", "requested_model", "logical_model", "provider", "status", "error_kind",
    "stream", "latency_ms", "overhead_ms", "input_tokens", "output_tokens", "cost_usd", "cache",
    "phi_redactions", "phi_types", "phi_counts", "safety", "attempts", "capability", "route",
)  # fmt: skip


@dataclass(slots=True)
class LogFilter:
    """What the caller asked for; ``app`` is already scoped to what the key may read."""

    since: dt.datetime
    until: dt.datetime
    app: str | None = None
    user: str | None = None
    model: str | None = None
    provider: str | None = None
    status: str | None = None  # ok | error | 4xx | 5xx | an exact code
    cache: str | None = None  # hit | miss
    phi: bool | None = None  # True: PHI found (redacted or blocked)
    safety: str | None = None
    q: str | None = None  # a request id (or its start) or a user pseudonym
    q_part: str | None = None  # which half of ``q`` a query serves: "id" or "user" (see ``page``)

    def where(self, stmt: Select[Any]) -> Select[Any]:
        r = UsageRecord
        if self.q_part != "id":  # an id search walks the primary key; ``page`` applies the dates
            stmt = stmt.where(r.ts >= self.since, r.ts < self.until)
        if self.app is not None:
            stmt = stmt.where(r.app == self.app)
        if self.user:
            stmt = stmt.where(r.user == self.user)
        if self.model:
            stmt = stmt.where(r.logical_model == self.model)
        if self.provider:
            stmt = stmt.where(r.provider == self.provider)
        if self.status:
            stmt = stmt.where(_status_condition(self.status))
        if self.cache == "hit":
            stmt = stmt.where(r.cache_hit.is_(True))
        elif self.cache == "miss":
            stmt = stmt.where(r.cache_hit.is_(False))
        if self.phi is True:
            # PHI found: redacted, or a PHI block (a passed-through PHI request under "allow" counts
            # neither; its types are still listed on the record).
            blocked = func.coalesce(r.error_kind, literal("")).in_(PHI_BLOCK_CODES)
            stmt = stmt.where(or_(r.phi_redactions > 0, blocked))
        if self.safety == "blocked":
            stmt = stmt.where(FAILED, r.safety == "blocked")  # a block is always a refusal (4xx)
        elif self.safety:
            stmt = stmt.where(r.safety == self.safety)
        if self.q_part == "id":
            stmt = stmt.where(r.id >= self.q, r.id < (self.q or "") + "\uffff")
        elif self.q_part == "user":
            stmt = stmt.where(r.user == self.q)
        return stmt


# Written as a literal, the same text as the partial index ``ix_usage_errors_ts``'s condition: a
# planner uses a partial index only for a query that repeats its condition (a bound parameter does not).
FAILED = text("usage_records.status >= 400")


def _status_condition(value: str) -> Any:
    status = UsageRecord.status
    if value == "ok":
        return status < 400
    if value == "error":
        return FAILED
    if value == "4xx":
        return and_(FAILED, status < 500)
    if value == "5xx":
        return and_(FAILED, status >= 500)
    if value.isdigit() and len(value) == 3:
        return and_(FAILED, status == int(value)) if int(value) >= 400 else status == int(value)
    raise InvalidRequestError(
        f"status: expected one of {', '.join(STATUS_FILTERS)} or a 3-digit code, got '{value}'",
        param="status",
    )


def encode_cursor(ts: dt.datetime, request_id: str) -> str:
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=dt.UTC)
    raw = f"{ts.astimezone(dt.UTC).isoformat()}|{request_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, request_id = raw.split("|", 1)
        return dt.datetime.fromisoformat(stamp), request_id
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidRequestError(
            "cursor: not a cursor from this API; pass next_cursor from the previous page", param="cursor"
        ) from None


def _aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def list_row(record: UsageRecord) -> dict[str, Any]:
    row = {name: getattr(record, name) for name in LIST_COLUMNS}
    row["ts"] = _aware(record.ts).isoformat()
    row["phi_types"] = record.phi_types or []
    row["phi_counts"] = record.phi_counts or {}
    row["model"] = record.logical_model or record.requested_model
    row["cache_hit"] = record.cache_hit
    return row


def detail_row(record: UsageRecord) -> dict[str, Any]:
    row = list_row(record)
    row.update(
        {
            "key_id": record.key_id,
            "provider_model": record.provider_model,
            "tier": record.tier,
            "route_reason": record.route_reason,
            "arm": record.arm,
            "units": record.units or {},
            "neurons": record.neurons,
            "list_cost_usd": record.list_cost_usd,
            "upstream_ms": record.upstream_ms,
            "attempt_log": record.attempt_log or [],
            "content": content(record),
        }
    )
    return row


def content(record: UsageRecord) -> dict[str, Any]:
    """The record's text if its app opted in and retention has not cleared it (already redacted)."""
    if record.prompt_text is None and record.answer_text is None:
        return {"stored": False, "message": CONTENT_NOT_STORED}
    return {
        "stored": True,
        "redacted": True,
        "prompt": record.prompt_text,
        "answer": record.answer_text,
        "truncated": is_truncated(record.prompt_text) or is_truncated(record.answer_text),
        "message": "PHI-redacted text (placeholders such as [NAME_1] stand for what was found), kept "
        "for the app's retention period.",
    }


async def page(
    database: Database, flt: LogFilter, *, limit: int, cursor: str | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    """One page, newest first, and the cursor of the next (None at the end).

    A search (``q``) is a request id's start *or* a user: two queries, each on its own index (the
    primary key, ``ix_usage_user_ts``), merged here; one query with OR would walk every record."""
    parts = [flt] if not flt.q else [replace(flt, q_part="id"), replace(flt, q_part="user")]
    records: list[UsageRecord] = []
    after = decode_cursor(cursor) if cursor else None
    async with database.session() as session:
        for part in parts:
            # A page never shows text: leave the (opt-in, up to 32 KB) text columns in the database.
            stmt = part.where(select(UsageRecord)).options(
                defer(UsageRecord.prompt_text), defer(UsageRecord.answer_text)
            )
            if part.q_part == "id":
                # Ids matching a prefix are few: fetch them by the key alone (a date range or an
                # ORDER BY ts in SQL would make the planner walk the ts index instead).
                records += [
                    r for r in await session.scalars(stmt.limit(ID_MATCHES)) if _within(r, flt, after)
                ]
                continue
            if after is not None:
                ts, request_id = after
                stmt = stmt.where(UsageRecord.ts <= ts, or_(UsageRecord.ts < ts, UsageRecord.id < request_id))
            stmt = stmt.order_by(UsageRecord.ts.desc(), UsageRecord.id.desc()).limit(limit + 1)
            records += list(await session.scalars(stmt))
    if len(parts) > 1:
        unique = {r.id: r for r in records}
        records = sorted(unique.values(), key=lambda r: (_aware(r.ts), r.id), reverse=True)
    more = len(records) > limit
    records = records[:limit]
    following = encode_cursor(records[-1].ts, records[-1].id) if more and records else None
    return [list_row(r) for r in records], following


ID_MATCHES = 1000


def _within(record: UsageRecord, flt: LogFilter, after: tuple[dt.datetime, str] | None) -> bool:
    ts = _aware(record.ts)
    if not flt.since <= ts < flt.until:
        return False
    return after is None or (ts, record.id) < (_aware(after[0]), after[1])


async def detail(database: Database, request_id: str, app: str | None) -> dict[str, Any] | None:
    stmt = select(UsageRecord).where(UsageRecord.id == request_id)
    if app is not None:
        stmt = stmt.where(UsageRecord.app == app)
    async with database.session() as session:
        record = await session.scalar(stmt)
    return None if record is None else detail_row(record)


async def export(database: Database, flt: LogFilter, *, max_rows: int) -> AsyncIterator[dict[str, Any]]:
    """Up to ``max_rows`` records, newest first, fetched a page at a time (for the CSV stream)."""
    cursor: str | None = None
    sent = 0
    while sent < max_rows:
        rows, cursor = await page(database, flt, limit=min(1000, max_rows - sent), cursor=cursor)
        for row in rows:
            yield row
        sent += len(rows)
        if cursor is None:
            return


CSV_COLUMNS = (
    "id", "ts", "app", "user", "model", "provider", "status", "error_kind", "latency_ms", "overhead_ms",
    "input_tokens", "output_tokens", "cost_usd", "cache", "phi_redactions", "phi_types", "safety", "attempts",
)  # fmt: skip


def csv_values(row: dict[str, Any]) -> list[Any]:
    values = []
    for name in CSV_COLUMNS:
        value = row.get(name)
        if name == "phi_types":
            counts = row.get("phi_counts") or {}
            value = " ".join(f"{t}:{counts[t]}" if t in counts else t for t in value or [])
        values.append(value)
    return values
