"""PostgreSQL row-level security helpers: give an app a database role that reads only its own rows.

The policies themselves live in migration 0002; this module creates the roles they name. Role and app
names are validated and quoted because DDL cannot take bind parameters.
"""

from __future__ import annotations

import re

from sqlalchemy import text

from ai_workers.core.errors import InvalidRequestError
from ai_workers.db.engine import Database

RLS_TABLES = ("usage_records", "daily_summaries", "feedback", "audit_log", "usage_by_day")
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def default_role_name(app: str) -> str:
    """``aiw_app_<app>`` with anything outside [a-z0-9_] replaced, cut to PostgreSQL's 63 bytes."""
    return ("aiw_app_" + re.sub(r"[^a-z0-9_]", "_", app.lower()))[:63]


async def create_app_role(
    db: Database, app: str, *, role: str | None = None, password: str | None = None
) -> str:
    """Create (or update) a LOGIN role that can SELECT only ``app``'s rows; returns the role name."""
    if not db.is_postgres:
        raise InvalidRequestError("Row-level security needs PostgreSQL; this database is SQLite.")
    role = role or default_role_name(app)
    if not _ROLE_NAME.match(role):
        raise InvalidRequestError(
            f"Invalid role name {role!r}: use lowercase letters, digits and _.", param="role"
        )
    async with db.engine.begin() as conn:
        exists = await conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
        verb = "ALTER" if exists else "CREATE"
        if password is None:
            await conn.exec_driver_sql(f'{verb} ROLE "{role}" LOGIN')
        else:
            quoted = password.replace("'", "''")
            await conn.exec_driver_sql(f"{verb} ROLE \"{role}\" LOGIN PASSWORD '{quoted}'")
        for table in (*RLS_TABLES, "app_roles"):
            await conn.exec_driver_sql(f'GRANT SELECT ON {table} TO "{role}"')
        await conn.execute(
            text(
                "INSERT INTO app_roles (role_name, app, created_at) VALUES (:r, :a, now()) "
                "ON CONFLICT (role_name) DO UPDATE SET app = excluded.app"
            ),
            {"r": role, "a": app},
        )
    return role


async def drop_app_role(db: Database, role: str) -> None:
    if not _ROLE_NAME.match(role):
        raise InvalidRequestError(f"Invalid role name {role!r}.", param="role")
    async with db.engine.begin() as conn:
        await conn.execute(text("DELETE FROM app_roles WHERE role_name = :r"), {"r": role})
        for table in (*RLS_TABLES, "app_roles"):
            await conn.exec_driver_sql(f'REVOKE ALL ON {table} FROM "{role}"')
        await conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
