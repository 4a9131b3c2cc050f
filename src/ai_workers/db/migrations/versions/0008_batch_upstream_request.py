"""Batch lines sent in a Workers AI asynchronous batch remember that upstream request.

* ``batch_lines.upstream_request_id``: the ``request_id`` Workers AI gave the queued request
  (``?queueRequest=true``) that carries the line, set once the request is accepted. A line claimed again
  after a restart or a crash, with this set and no result yet, polls that request instead of sending
  the line upstream a second time (``batch/queued.py``). Nullable: lines that ran synchronously never
  have one.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ALTER (no batch copy): SQLite adds a nullable column in place.
    op.add_column("batch_lines", sa.Column("upstream_request_id", sa.String(80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("batch_lines") as batch:
        batch.drop_column("upstream_request_id")
