"""Overrides on the real PostgreSQL server: reason required, expiry, single use under concurrency,
revocation, and audit rows (written by the usage package's AuditLog) that hold no PHI values."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from pathlib import Path

import pytest

from ai_workers.core.errors import InvalidRequestError
from ai_workers.db.engine import Database
from ai_workers.safety.overrides import OverrideStore
from ai_workers.usage.audit import AuditLog
from ai_workers.usage.spool import Spool

pytestmark = pytest.mark.postgres


async def test_override_lifecycle_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    db = Database(postgres_url)
    await db.migrate()
    audit = AuditLog(db, Spool(tmp_path / "audit"))
    audit.start()
    now = [dt.datetime.now(dt.UTC)]
    store = OverrideStore(lambda: db, lambda: audit, max_hours=lambda: 24.0, clock=lambda: now[0])
    app = "pg-" + uuid.uuid4().hex[:8]
    try:
        for reason in (None, "", "  \n "):
            with pytest.raises(InvalidRequestError) as info:
                await store.grant(app=app, reason=reason, granted_by="admin-key-1")
            assert info.value.param == "reason" and info.value.status == 400
        with pytest.raises(InvalidRequestError):
            await store.grant(app=app, reason="ok", granted_by="a", hours=100)  # over the maximum

        # A request-scoped override is used exactly once, even by concurrent requests.
        one = await store.grant(
            app=app,
            reason="Patient requested the letter",
            granted_by="admin-key-1",
            request_id="req-123",
            kind="phi",
            phi_types=["NAME", "DATE"],
        )
        results = await asyncio.gather(
            *[store.consume(app=app, kind="phi", override_id=one.id) for _ in range(5)]
        )
        assert sum(r is not None for r in results) == 1
        assert await store.consume(app="other-app", kind="phi", override_id=one.id) is None

        # An app-wide override applies without an id, to its kind only, until it expires.
        wide = await store.grant(
            app=app, reason="Incident review export", granted_by="admin-key-2", kind="safety", hours=2
        )
        assert (await store.consume(app=app, kind="safety", override_id=None)) is not None
        assert (await store.consume(app=app, kind="phi", override_id=None)) is None
        now[0] += dt.timedelta(hours=3)
        assert (await store.consume(app=app, kind="safety", override_id=None)) is None
        now[0] -= dt.timedelta(hours=3)

        revoked = await store.revoke(wide.id, actor="admin-key-1", reason="no longer needed")
        assert revoked is not None and revoked.revoked
        assert (await store.consume(app=app, kind="safety", override_id=None)) is None
        listed = await store.list(app=app)
        assert {o.id for o in listed} == {one.id, wide.id}
        assert await store.list(app=app, active_only=True) == []

        await audit.flush()
        events = await audit.query(app=app)
        actions = sorted(e.action for e in events)
        assert actions == ["override_grant", "override_grant", "override_revoke"]
        grant = next(e for e in events if e.request_id == "req-123")
        assert grant.actor == "admin-key-1" and grant.reason == "Patient requested the letter"
        assert grant.phi_types == ["DATE", "NAME"]
    finally:
        await audit.stop()
        await db.dispose()
