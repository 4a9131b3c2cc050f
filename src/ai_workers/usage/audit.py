"""The audit log: blocks, overrides and admin actions, written off the request path.

``write`` only queues the event (no database round trip), the same batch writer as usage records
stores it, and the spool keeps it if the database is down. Callers pass identifier *types* and
reasons, never PHI values; ``details`` must not contain prompt text either (it is stored as JSON).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select

from ai_workers.db.engine import Database
from ai_workers.db.models import AuditEvent
from ai_workers.usage.spool import Spool
from ai_workers.usage.writer import BatchWriter


class AuditLog:
    def __init__(self, database: Database, spool: Spool, *, flush_interval_s: float = 0.2) -> None:
        self.database = database
        self.writer = BatchWriter(
            database,
            AuditEvent.__table__,  # type: ignore[arg-type]
            spool,
            conflict_columns=("event_id",),
            flush_interval_s=flush_interval_s,
        )

    def record(
        self,
        *,
        app: str,
        action: str,
        actor: str | None = None,
        request_id: str | None = None,
        reason: str | None = None,
        phi_types: list[str] | None = None,
        details: dict[str, Any] | None = None,
    ) -> str:
        """Queue one event (synchronous, cheap) and return its event id."""
        event_id = uuid.uuid4().hex
        self.writer.put(
            {
                "event_id": event_id,
                "ts": dt.datetime.now(dt.UTC),
                "app": app,
                "actor": actor,
                "action": action,
                "request_id": request_id,
                "reason": reason,
                "phi_types": sorted(set(phi_types)) if phi_types else None,
                "details": details,
            }
        )
        return event_id

    async def write(
        self,
        *,
        app: str,
        action: str,
        actor: str | None = None,
        request_id: str | None = None,
        reason: str | None = None,
        phi_types: list[str] | None = None,
        details: dict[str, Any] | None = None,
    ) -> str:
        """Async spelling of ``record`` for callers in coroutines; it never waits on the database."""
        return self.record(
            app=app,
            action=action,
            actor=actor,
            request_id=request_id,
            reason=reason,
            phi_types=phi_types,
            details=details,
        )

    def start(self) -> None:
        self.writer.start()

    async def stop(self) -> None:
        await self.writer.stop()

    async def flush(self) -> None:
        await self.writer.flush()

    async def query(
        self,
        *,
        app: str | None = None,
        action: str | None = None,
        request_id: str | None = None,
        since: dt.datetime | None = None,
        limit: int = 100,
    ) -> list[AuditEvent]:
        """Newest events first, for the dashboard and tests (flush first to include queued ones)."""
        stmt = select(AuditEvent).order_by(AuditEvent.ts.desc(), AuditEvent.id.desc()).limit(limit)
        if app is not None:
            stmt = stmt.where(AuditEvent.app == app)
        if action is not None:
            stmt = stmt.where(AuditEvent.action == action)
        if request_id is not None:
            stmt = stmt.where(AuditEvent.request_id == request_id)
        if since is not None:
            stmt = stmt.where(AuditEvent.ts >= since)
        async with self.database.session() as session:
            return list((await session.scalars(stmt)).all())


async def write_now(
    database: Database,
    *,
    app: str,
    action: str,
    actor: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Store one event at once, for short-lived processes (the CLI) that have no batch writer running."""
    async with database.session() as session:
        session.add(
            AuditEvent(
                event_id=uuid.uuid4().hex,
                ts=dt.datetime.now(dt.UTC),
                app=app,
                actor=actor,
                action=action,
                details=details,
            )
        )
        await session.commit()
