"""Usage records lose the ``(arm, ts)`` index, which no query could use.

Every answered request inserts one ``usage_records`` row, and each secondary index is one more B-tree
the writer updates (and one more page written to the WAL and again at its checkpoint) per row. No query
of the product filters or orders records by ``arm``: the quality report (``routing/quality.py``)
selects by time, capability and app and groups arms in Python, the request log only shows a record's
arm. So ``ix_usage_arm_ts`` was maintained on every insert and read by nothing.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain DROP INDEX (no batch copy), on SQLite as on PostgreSQL.
    op.drop_index("ix_usage_arm_ts", table_name="usage_records")


def downgrade() -> None:
    op.create_index("ix_usage_arm_ts", "usage_records", ["arm", "ts"], unique=False)
