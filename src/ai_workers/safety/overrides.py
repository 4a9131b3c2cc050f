"""Admin overrides past a PHI or content-safety block: one request, or one app for a limited time.

Rules the code enforces: a non-empty reason is required (InvalidRequestError, 400), every override has
an expiry no later than ``safety.override_max_hours``, a request-scoped override is used once, and every
grant, use and revocation is written to the audit log with who, when, why and identifier *types*.

The table (``overrides``) lives in the usage database (owner: usage package); lookups happen only when a
request would otherwise be blocked, so the hot path never touches the database.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import or_, select, update

from ai_workers.core.errors import ConfigurationError, InvalidRequestError
from ai_workers.db.models import Override

KINDS = ("phi", "safety", "all")


class DatabaseHandle(Protocol):
    """What safety needs of the gateway database (``db.engine.Database``): sessions."""

    def session(self) -> Any: ...


class AuditSink(Protocol):
    """What safety needs of the audit log (``usage.audit.AuditLog``): queue an event, or write it now."""

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
    ) -> str: ...

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
    ) -> str: ...


@dataclass(slots=True, frozen=True)
class OverrideInfo:
    """An override as the API shows it (no PHI: ids, app, kind, reason, who, times, state)."""

    id: str
    app: str
    kind: str
    reason: str
    granted_by: str
    created_at: dt.datetime
    expires_at: dt.datetime
    request_id: str | None
    used: bool
    revoked: bool

    @classmethod
    def of(cls, row: Override) -> OverrideInfo:
        return cls(
            id=row.id,
            app=row.app,
            kind=row.kind,
            reason=row.reason,
            granted_by=row.granted_by,
            created_at=_aware(row.created_at),
            expires_at=_aware(row.expires_at),
            request_id=row.request_id,
            used=row.used,
            revoked=row.revoked,
        )

    def active(self, now: dt.datetime) -> bool:
        return not self.revoked and not (self.request_id and self.used) and self.expires_at > now

    def to_dict(self, now: dt.datetime | None = None) -> dict[str, Any]:
        now = now or dt.datetime.now(dt.UTC)
        return {
            "id": self.id,
            "app": self.app,
            "kind": self.kind,
            "scope": "request" if self.request_id else "app",
            "request_id": self.request_id,
            "reason": self.reason,
            "granted_by": self.granted_by,
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "used": self.used,
            "revoked": self.revoked,
            "active": self.active(now),
        }


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


class OverrideStore:
    """Grant, list, revoke and consume overrides. ``database`` returns the usage Database (or None)."""

    def __init__(
        self,
        database: Callable[[], DatabaseHandle | None],
        audit: Callable[[], AuditSink | None],
        *,
        max_hours: Callable[[], float] = lambda: 72.0,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._database = database
        self._audit = audit
        self._max_hours = max_hours
        self._clock = clock

    def _db(self) -> DatabaseHandle:
        db = self._database()
        if db is None:
            raise ConfigurationError("Overrides need the gateway database, which is not configured.")
        return db

    async def _write_audit(self, **fields: Any) -> None:
        audit = self._audit()
        if audit is not None:
            await audit.write(**fields)

    async def grant(
        self,
        *,
        app: str,
        reason: str | None,
        granted_by: str,
        kind: str = "all",
        request_id: str | None = None,
        hours: float | None = None,
        phi_types: list[str] | None = None,
    ) -> OverrideInfo:
        """A new override. Without a reason (or with only whitespace) it is refused with a 400."""
        if reason is None or not reason.strip():
            raise InvalidRequestError(
                "An override needs a reason (why this block may be passed).", param="reason"
            )
        if not app or not app.strip():
            raise InvalidRequestError("An override needs the app it applies to.", param="app")
        if kind not in KINDS:
            raise InvalidRequestError(f"kind must be one of {', '.join(KINDS)}.", param="kind")
        limit = self._max_hours()
        if hours is None:
            hours = 1.0 if request_id is None else 24.0
        if not (0 < hours <= limit):
            raise InvalidRequestError(f"hours must be more than 0 and at most {limit:g}.", param="hours")
        now = self._clock()
        row = Override(
            id="ovr_" + uuid.uuid4().hex[:20],
            app=app,
            request_id=request_id,
            kind=kind,
            reason=reason.strip(),
            granted_by=granted_by,
            created_at=now,
            expires_at=now + dt.timedelta(hours=hours),
            used=False,
            revoked=False,
        )
        async with self._db().session() as session:
            session.add(row)
        info = OverrideInfo.of(row)
        await self._write_audit(
            app=app,
            action="override_grant",
            actor=granted_by,
            request_id=request_id,
            reason=info.reason,
            phi_types=phi_types,
            details={
                "override_id": info.id,
                "kind": kind,
                "expires_at": info.expires_at.isoformat(),
                "scope": "request" if request_id else "app",
            },
        )
        return info

    async def list(self, *, app: str | None = None, active_only: bool = False) -> list[OverrideInfo]:
        stmt = select(Override).order_by(Override.created_at.desc()).limit(500)
        if app:
            stmt = stmt.where(Override.app == app)
        async with self._db().session() as session:
            rows = (await session.execute(stmt)).scalars().all()
        infos = [OverrideInfo.of(r) for r in rows]
        if active_only:
            now = self._clock()
            infos = [i for i in infos if i.active(now)]
        return infos

    async def get(self, override_id: str) -> OverrideInfo | None:
        async with self._db().session() as session:
            row = await session.get(Override, override_id)
        return OverrideInfo.of(row) if row is not None else None

    async def revoke(self, override_id: str, *, actor: str, reason: str | None = None) -> OverrideInfo | None:
        async with self._db().session() as session:
            row = await session.get(Override, override_id)
            if row is None:
                return None
            row.revoked = True
        info = OverrideInfo.of(row)
        await self._write_audit(
            app=info.app,
            action="override_revoke",
            actor=actor,
            request_id=info.request_id,
            reason=(reason or "").strip() or None,
            details={"override_id": info.id},
        )
        return info

    async def consume(self, *, app: str, kind: str, override_id: str | None) -> OverrideInfo | None:
        """The override that lets this request past a ``kind`` block, if any (a request-scoped one is
        marked used atomically, so two concurrent requests cannot both pass with it)."""
        db = self._database()
        if db is None:
            return None
        now = self._clock()
        kinds = (kind, "all")
        async with db.session() as session:
            if override_id:
                row = await session.get(Override, override_id)
                if row is None or row.app != app or row.kind not in kinds or row.revoked:
                    return None
                if _aware(row.expires_at) <= now:
                    return None
                if row.request_id is not None:
                    claimed = await session.execute(
                        update(Override)
                        .where(Override.id == row.id, Override.used.is_(False))
                        .values(used=True)
                    )
                    if getattr(claimed, "rowcount", 0) != 1:
                        return None
                    row.used = True
                return OverrideInfo.of(row)
            stmt = (
                select(Override)
                .where(
                    Override.app == app,
                    Override.request_id.is_(None),
                    Override.kind.in_(kinds),
                    or_(Override.revoked.is_(False), Override.revoked.is_(None)),
                    Override.expires_at > now,
                )
                .order_by(Override.expires_at.desc())
                .limit(1)
            )
            found = (await session.execute(stmt)).scalars().first()
            return OverrideInfo.of(found) if found is not None else None
