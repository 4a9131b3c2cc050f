"""Console administration: apps with a policy, key expiry and rotation, alert history, report claims.

* ``apps`` gains ``registered`` (created as an app, with its policy) plus ``phi_policy``,
  ``allowed_models`` and ``updated_at``: apps made in the console, admin API or CLI live here and take
  effect on every worker without a restart.
* ``api_keys`` gains ``expires_at`` (key expiry, and the grace period of a rotated key) and
  ``rotated_from``.
* ``alert_events``: the alert history page, de-duplicated by a unique ``dedup_key``.
* ``report_deliveries``: one claim row per scheduled report and day, so one worker of many sends it.
* ``ix_usage_key_ts``: spend per key without a scan of the usage records.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("apps", schema=None) as batch_op:
        batch_op.add_column(sa.Column("registered", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("phi_policy", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("allowed_models", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("rotated_from", sa.String(length=40), nullable=True))
    op.create_table(
        "alert_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("app", sa.String(length=100), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("dedup_key", sa.String(length=400), nullable=False),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("delivered", sa.Boolean(), nullable=False),
        sa.Column("delivery_error", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedup_key"),
    )
    with op.batch_alter_table("alert_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_events_ts"), ["ts"], unique=False)
    op.create_table(
        "report_deliveries",
        sa.Column("report", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered", sa.Boolean(), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("report", "day"),
    )
    with op.batch_alter_table("usage_records", schema=None) as batch_op:
        batch_op.create_index("ix_usage_key_ts", ["key_id", "ts"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("usage_records", schema=None) as batch_op:
        batch_op.drop_index("ix_usage_key_ts")
    op.drop_table("report_deliveries")
    with op.batch_alter_table("alert_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_events_ts"))
    op.drop_table("alert_events")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_column("rotated_from")
        batch_op.drop_column("expires_at")
    with op.batch_alter_table("apps", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
        batch_op.drop_column("allowed_models")
        batch_op.drop_column("phi_policy")
        batch_op.drop_column("registered")
