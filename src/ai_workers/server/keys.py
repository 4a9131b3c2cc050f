"""App API keys: created once, stored hashed, verified from memory.

A key is ``aiw_<id>_<secret>``: ``id`` is public (it names the key in lists, logs and usage records)
and ``secret`` is 256 random bits. Only ``SHA-256(key)`` is stored. A slow password hash (bcrypt,
scrypt) protects *low-entropy* secrets from guessing after a database leak; a 256-bit random secret
cannot be guessed, so one SHA-256 is the appropriate hash and keeps verification in the microseconds.

Verification never touches the database for a known key: every live key's hash and identity is held
in memory (a snapshot refreshed in the background every few seconds, and at once after a create or
revoke made through this process). A well-formed key the snapshot does not hold yet (created a moment
ago by the CLI or another worker) is looked up by its id once before it is refused (``admit``), so it
works on its first request; misses are remembered for a second and lookups are capped per second, so
made-up keys cannot turn into a database flood. A key revoked from another process stops working
within a second (``server.key_sync``), else at the next refresh. The comparison is constant-time
(``hmac.compare_digest``).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ai_workers.core.background import BackgroundTask
from ai_workers.core.context import AppIdentity
from ai_workers.core.errors import InvalidRequestError
from ai_workers.core.outage import Outage
from ai_workers.db.models import ApiKey, App
from ai_workers.server.key_sync import KeyChanges

log = logging.getLogger("ai_workers.server.keys")

KEY_PREFIX = "aiw"
ROLES = ("app", "admin")


class SessionSource(Protocol):
    """What the key store needs from ``ai_workers.db.engine.Database``."""

    def session(self) -> AbstractAsyncContextManager[AsyncSession]: ...


@dataclass(slots=True, frozen=True)
class KeyInfo:
    """A key as listed to operators: never the secret, never the hash."""

    id: str
    app: str
    name: str | None
    role: str
    allowed_models: list[str] | None
    created_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None = None
    rotated_from: str | None = None

    def expired(self, now: dt.datetime | None = None) -> bool:
        if self.expires_at is None:
            return False
        return _aware(self.expires_at) <= (now or dt.datetime.now(dt.UTC))

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "app": self.app,
            "name": self.name,
            "role": self.role,
            "allowed_models": self.allowed_models,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "last_used_at": self.last_used_at.isoformat() if self.last_used_at else None,
            "expires_at": _aware(self.expires_at).isoformat() if self.expires_at else None,
            "rotated_from": self.rotated_from,
            "expired": self.expired(),
            "active": self.revoked_at is None and not self.expired(),
        }


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; they were stored as UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _epoch(value: dt.datetime | None) -> float | None:
    return _aware(value).timestamp() if value is not None else None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> tuple[str, str]:
    """(key id, full key). The id is 12 hex chars; the secret 32 random bytes, URL-safe base64."""
    key_id = secrets.token_hex(6)
    return key_id, f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"


def key_id_of(key: str) -> str | None:
    """The public id inside a well-formed key, else None (so garbage never reaches a lookup)."""
    prefix, _, rest = key.partition("_")
    if prefix != KEY_PREFIX:
        return None
    key_id, sep, secret = rest.partition("_")
    if not sep or len(key_id) != 12 or len(secret) < 32:
        return None
    return key_id


def _info(row: ApiKey) -> KeyInfo:
    return KeyInfo(
        id=row.id,
        app=row.app,
        name=row.name,
        role=row.role,
        allowed_models=list(row.allowed_models) if row.allowed_models is not None else None,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
        expires_at=row.expires_at,
        rotated_from=row.rotated_from,
    )


def _unexpired() -> Any:
    return or_(ApiKey.expires_at.is_(None), ApiKey.expires_at > dt.datetime.now(dt.UTC))


class KeyStore:
    """Create, list and revoke keys in the database; verify them from an in-memory snapshot."""

    def __init__(
        self, database: SessionSource, *, refresh_interval_s: float = 5.0, changes: KeyChanges | None = None
    ) -> None:
        self.database = database
        self.refresh_interval_s = refresh_interval_s
        # Announces this process's creates and revokes to the other workers and replicas, and refreshes
        # this snapshot when they announce theirs (``server.key_sync``: within a second).
        self.changes = changes
        # key id -> (hash, identity, expiry as epoch seconds or None)
        self._live: dict[str, tuple[str, AppIdentity, float | None]] = {}
        self._loaded = False
        self._used: set[str] = set()  # key ids seen since the last refresh, for last_used_at
        self._refresher = BackgroundTask("api-keys")
        self._refresh_lock = asyncio.Lock()
        self._misses: dict[str, float] = {}  # key id -> monotonic time until which it is not looked up
        self._lookups: list[float] = [0.0, 0.0]  # [window start, lookups in it]
        self._pending: dict[str, asyncio.Future[None]] = {}  # key id -> its lookup in flight
        self.max_lookups_per_s = 20
        self._refresh_outage = Outage(log, "refreshing API keys")
        self._lookup_outage = Outage(log, "looking up new API keys")

    # -- hot path ---------------------------------------------------------------------------------

    def verify(self, key: str) -> AppIdentity | None:
        """The identity behind a key, or None. Memory only; constant-time hash comparison."""
        key_id = key_id_of(key)
        if key_id is None:
            return None
        entry = self._live.get(key_id)
        if entry is None:
            return None  # the request guard already looked a new key up (``admit``)
        stored_hash, identity, expires = entry
        if not hmac.compare_digest(stored_hash, hash_key(key)):
            return None
        if expires is not None and time.time() >= expires:
            return None  # expired (a rotated key's grace period is over)
        self._used.add(key_id)
        return identity

    def is_live(self, key_id: str) -> bool:
        """Whether a key id is live (not revoked) in the snapshot: browser tokens die with their key."""
        entry = self._live.get(key_id)
        return entry is not None and (entry[2] is None or time.time() < entry[2])

    def unknown_id(self, key: str) -> str | None:
        """The id of a well-formed key the snapshot does not hold, else None (one parse, one lookup)."""
        key_id = key_id_of(key)
        if key_id is None or not self._loaded or key_id in self._live:
            return None
        return key_id

    async def admit(self, key_id: str) -> None:
        """Load one key created since the last snapshot (by the CLI or another worker; its id from
        ``unknown_id``), so that ``verify`` knows it. Recently missed ids and lookups over the per-second
        budget are left alone.

        Concurrent requests with the same new key share one lookup: an app that starts with a burst of
        requests on a freshly created key must not have most of them refused because each spent a
        lookup of the (anti-guessing) budget on the same id."""
        pending = self._pending.get(key_id)
        if pending is not None:
            await asyncio.shield(pending)
            return
        now = time.monotonic()
        if self._misses.get(key_id, 0.0) > now:
            return
        window = self._lookups
        if now - window[0] >= 1.0:
            window[0], window[1] = now, 0.0
        if window[1] >= self.max_lookups_per_s:
            return
        window[1] += 1
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending[key_id] = done
        try:
            await self._look_up(key_id, now)
        finally:
            del self._pending[key_id]
            done.set_result(None)

    async def _look_up(self, key_id: str, now: float) -> None:
        stmt = select(ApiKey).where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None), _unexpired())
        try:
            async with self.database.session() as session:
                row = (await session.scalars(stmt)).first()
                info = _info(row) if row is not None else None
        except Exception as exc:
            self._lookup_outage.failed(exc, consequence="the key is refused for now", traceback=True)
            return
        self._lookup_outage.succeeded()
        if info is None or row is None:
            if len(self._misses) > 10_000:
                self._misses.clear()
            self._misses[key_id] = now + 1.0
            return
        self._live[key_id] = (row.key_hash, self._identity(info), _epoch(info.expires_at))

    async def _safe_refresh(self) -> None:
        try:
            await self.refresh()
        except Exception as exc:
            self._refresh_outage.failed(exc, consequence="keeping the previous set", traceback=True)
        else:
            self._refresh_outage.succeeded()

    @property
    def loaded(self) -> bool:
        return self._loaded

    @property
    def has_keys(self) -> bool:
        """Whether any live key exists (the server's dev mode is only on while there are none)."""
        return bool(self._live)

    # -- management -------------------------------------------------------------------------------

    async def create(
        self,
        app: str,
        *,
        role: str = "app",
        models: Sequence[str] | None = None,
        name: str | None = None,
        expires_at: dt.datetime | None = None,
        rotated_from: str | None = None,
    ) -> tuple[KeyInfo, str]:
        """Store a new key's hash and return (its info, the key). The key is not recoverable later."""
        if role not in ROLES:
            raise InvalidRequestError(f"role must be one of {', '.join(ROLES)}", param="role")
        if not app or len(app) > 100:
            raise InvalidRequestError("app must be a name of 1 to 100 characters", param="app")
        key_id, key = new_key()
        row = ApiKey(
            id=key_id,
            app=app,
            name=name,
            key_hash=hash_key(key),
            role=role,
            allowed_models=list(models) if models else None,
            created_at=dt.datetime.now(dt.UTC),
            expires_at=expires_at,
            rotated_from=rotated_from,
        )
        async with self.database.session() as session:
            if await session.get(App, app) is None:
                session.add(App(name=app, created_at=dt.datetime.now(dt.UTC)))
                await session.flush()
            session.add(row)
            await session.commit()
            info = _info(row)
        self._live[key_id] = (row.key_hash, self._identity(info), _epoch(info.expires_at))
        if self.changes is not None:
            await self.changes.announce()
        return info, key

    async def list_keys(self, *, app: str | None = None, include_revoked: bool = False) -> list[KeyInfo]:
        stmt = select(ApiKey).order_by(ApiKey.created_at)
        if app is not None:
            stmt = stmt.where(ApiKey.app == app)
        if not include_revoked:
            stmt = stmt.where(ApiKey.revoked_at.is_(None))
        async with self.database.session() as session:
            return [_info(row) for row in (await session.scalars(stmt)).all()]

    async def revoke(self, key_id: str) -> KeyInfo | None:
        """Revoke a key (at once in this process); None when no such key exists."""
        async with self.database.session() as session:
            row = await session.get(ApiKey, key_id)
            if row is None:
                return None
            if row.revoked_at is None:
                row.revoked_at = dt.datetime.now(dt.UTC)
                await session.commit()
            info = _info(row)
        self._live.pop(key_id, None)
        if self.changes is not None:
            await self.changes.announce()
        return info

    async def set_expiry(self, key_id: str, expires_at: dt.datetime | None) -> KeyInfo | None:
        """Set (or clear, with None) when a key stops working; None when no such key exists."""
        async with self.database.session() as session:
            row = await session.get(ApiKey, key_id)
            if row is None:
                return None
            if row.revoked_at is not None:
                raise InvalidRequestError(
                    "key_id: the key is revoked; it cannot get a new expiry", param="key_id"
                )
            row.expires_at = expires_at
            await session.commit()
            info = _info(row)
        entry = self._live.get(key_id)
        if entry is not None:
            self._live[key_id] = (entry[0], entry[1], _epoch(expires_at))
        elif not info.expired():
            await self.refresh()
        if self.changes is not None:
            await self.changes.announce()
        return info

    async def rotate(self, key_id: str, *, grace: dt.timedelta) -> tuple[KeyInfo, KeyInfo, str] | None:
        """A new key with the old one's app, role, models and name; the old one keeps working for
        ``grace`` (so apps can switch without downtime), then expires. (old, new, new key) or None."""
        async with self.database.session() as session:
            row = await session.get(ApiKey, key_id)
            if row is None:
                return None
            old = _info(row)
        if old.revoked_at is not None or old.expired():
            raise InvalidRequestError(
                "key_id: the key is revoked or expired; create a new key instead", param="key_id"
            )
        info, key = await self.create(
            old.app,
            role=old.role,
            models=old.allowed_models,
            name=old.name,
            expires_at=old.expires_at,
            rotated_from=old.id,
        )
        until = dt.datetime.now(dt.UTC) + grace
        if old.expires_at is not None and _aware(old.expires_at) < until:
            until = _aware(old.expires_at)
        updated = await self.set_expiry(old.id, until)
        return (updated or old), info, key

    # -- snapshot ---------------------------------------------------------------------------------

    @staticmethod
    def _identity(info: KeyInfo) -> AppIdentity:
        models = tuple(info.allowed_models) if info.allowed_models else None
        return AppIdentity(name=info.app, role=info.role, key_id=info.id, allowed_models=models)

    async def refresh(self) -> None:
        """Reload every live key's hash and identity; write back last-used times (one batch)."""
        async with self._refresh_lock:
            stmt = select(ApiKey).where(ApiKey.revoked_at.is_(None), _unexpired())
            async with self.database.session() as session:
                rows = (await session.scalars(stmt)).all()
                self._live = {
                    row.id: (row.key_hash, self._identity(_info(row)), _epoch(row.expires_at)) for row in rows
                }
            self._loaded = True
            # The snapshot first, then the write-back, so a busy shared SQLite file ("database is locked")
            # delays last-used times, not revocations; the ids stay for the next refresh.
            used, self._used = self._used, set()
            if used:
                try:
                    async with self.database.session() as session:
                        await session.execute(
                            update(ApiKey)
                            .where(ApiKey.id.in_(used))
                            .values(last_used_at=dt.datetime.now(dt.UTC))
                        )
                        await session.commit()
                except BaseException:
                    self._used |= used
                    raise

    async def _refresh_forever(self) -> None:
        while True:
            await asyncio.sleep(self.refresh_interval_s)
            await self._safe_refresh()

    async def start(self) -> None:
        """Load the keys and keep them fresh. A database that is down at start-up does not stop the
        server: keyed requests get 503 until the background refresh succeeds."""
        try:
            await self.refresh()
        except Exception:
            log.error("loading API keys failed; retrying every %gs", self.refresh_interval_s, exc_info=True)
        self._refresher.start(self._refresh_forever)
        if self.changes is not None:
            self.changes.start(self._safe_refresh)

    async def stop(self) -> None:
        await self._refresher.stop()
        if self.changes is not None:
            await self.changes.stop()
        with contextlib.suppress(Exception):
            if self._used:
                await self.refresh()
