"""Request log and charts: per-type PHI counts on usage records, an hourly roll-up, an index for errors.

* ``usage_records.phi_counts``: how many identifiers of each type a request carried (counts, never
  values), for the request log's detail view.
* ``usage_hourly``: usage per hour, app, provider and model with a latency histogram (``lat_NN``), so
  charts, the overview and p50/p95 over any selection read a few hundred rows instead of a million.
* ``ix_usage_errors_ts``: a partial index on ``ts`` of the failed and refused requests (status >= 400):
  the request log's "errors" and "blocked" filters walk it instead of every record in the range.

On PostgreSQL the new table gets the same row-level security policies as the other usage tables (0002).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LATENCY_COLUMNS = [f"lat_{i:02d}" for i in range(24)]  # ai_workers.db.models.LATENCY_COLUMNS


def upgrade() -> None:
    # Plain ALTERs (no batch copy): SQLite adds a nullable column in place, and the usage_by_day view
    # over this table stays valid.
    op.add_column("usage_records", sa.Column("phi_counts", sa.JSON(), nullable=True))
    op.create_index(
        "ix_usage_errors_ts",
        "usage_records",
        ["ts"],
        unique=False,
        sqlite_where=sa.text("status >= 400"),
        postgresql_where=sa.text("status >= 400"),
    )
    op.create_table(
        "usage_hourly",
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("app", sa.String(length=100), nullable=False),
        sa.Column("provider", sa.String(length=60), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("cache_hits", sa.Integer(), nullable=False),
        sa.Column("input_tokens", sa.BigInteger(), nullable=False),
        sa.Column("output_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("list_cost_usd", sa.Float(), nullable=False),
        sa.Column("latency_ms_sum", sa.Float(), nullable=False),
        sa.Column("phi_requests", sa.Integer(), nullable=False),
        sa.Column("phi_redactions", sa.Integer(), nullable=False),
        sa.Column("phi_blocks", sa.Integer(), nullable=False),
        sa.Column("safety_blocks", sa.Integer(), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in LATENCY_COLUMNS],
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("hour", "app", "provider", "model"),
    )
    op.create_index("ix_usage_hourly_app_hour", "usage_hourly", ["app", "hour"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE usage_hourly ENABLE ROW LEVEL SECURITY")
        op.execute(
            """
            CREATE POLICY app_role_rows ON usage_hourly FOR SELECT TO PUBLIC
            USING (app IN (SELECT r.app FROM app_roles r WHERE r.role_name = current_user))
            """
        )
        op.execute(
            """
            CREATE POLICY session_app_rows ON usage_hourly FOR SELECT TO aiw_reader
            USING (app = current_setting('app.current_app', true))
            """
        )
        op.execute("GRANT SELECT ON usage_hourly TO aiw_reader")


def downgrade() -> None:
    op.drop_index("ix_usage_hourly_app_hour", table_name="usage_hourly")
    op.drop_table("usage_hourly")
    op.drop_index("ix_usage_errors_ts", table_name="usage_records")
    op.drop_column("usage_records", "phi_counts")
