"""Row-level security (PostgreSQL) and reporting views (both dialects).

Two ways to read only one app's rows, for a dashboard or an app's own analytics:

* a per-app database role: ``ai_workers.db.rls.create_app_role`` creates a LOGIN role, records it in
  ``app_roles`` and grants SELECT; the ``app_role_rows`` policy lets it see rows whose ``app`` is mapped
  to ``current_user``. The role cannot widen this: ``app_roles`` is read-only to it.
* the shared ``aiw_reader`` role for a trusted connection pool: it sees rows of the app named by the
  session setting ``app.current_app`` (``SET app.current_app = 'billing'``). Only roles granted
  ``aiw_reader`` get this policy, so an app role cannot pick another app by setting it.

The gateway's own role owns the tables and so bypasses the policies (RLS is enabled, not forced).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RLS_TABLES = ("usage_records", "daily_summaries", "feedback", "audit_log")

_DAY_EXPR = {"postgresql": "(ts AT TIME ZONE 'UTC')::date", "sqlite": "date(ts)"}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    day = _DAY_EXPR.get(dialect, "date(ts)")
    # security_invoker: the view applies the *reader's* row-level security, not its owner's.
    options = " WITH (security_invoker = true)" if dialect == "postgresql" else ""
    # A reporting view over the raw records: per day, app, provider and model, always current (the
    # daily_summaries table is the rolled-up, faster copy with p95 latency).
    op.execute(
        f"""
        CREATE VIEW usage_by_day{options} AS
        SELECT {day} AS day, app, COALESCE(provider, '') AS provider,
               COALESCE(logical_model, requested_model, '') AS model,
               COUNT(*) AS requests,
               SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors,
               SUM(CASE WHEN cache_hit THEN 1 ELSE 0 END) AS cache_hits,
               SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,
               SUM(COALESCE(neurons, 0)) AS neurons, SUM(cost_usd) AS cost_usd,
               AVG(latency_ms) AS avg_latency_ms
        FROM usage_records
        GROUP BY 1, 2, 3, 4
        """
    )
    if dialect != "postgresql":
        return
    op.execute(
        """
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'aiw_reader') THEN
                CREATE ROLE aiw_reader NOLOGIN;
            END IF;
        END $$
        """
    )
    op.execute("GRANT SELECT ON app_roles TO aiw_reader")
    for table in RLS_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"""
            CREATE POLICY app_role_rows ON {table} FOR SELECT TO PUBLIC
            USING (app IN (SELECT r.app FROM app_roles r WHERE r.role_name = current_user))
            """
        )
        op.execute(
            f"""
            CREATE POLICY session_app_rows ON {table} FOR SELECT TO aiw_reader
            USING (app = current_setting('app.current_app', true))
            """
        )
        op.execute(f"GRANT SELECT ON {table} TO aiw_reader")
    op.execute("GRANT SELECT ON usage_by_day TO aiw_reader")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in RLS_TABLES:
            op.execute(f"DROP POLICY IF EXISTS session_app_rows ON {table}")
            op.execute(f"DROP POLICY IF EXISTS app_role_rows ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP VIEW IF EXISTS usage_by_day")
