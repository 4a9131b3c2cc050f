"""Request log text: opt-in, PHI-redacted prompt and answer text on usage records.

* ``usage_records.prompt_text`` / ``answer_text``: nullable; set only for apps with
  ``request_log.store_text`` (``core.request_text``), always in redacted form, and cleared by the
  retention purge (``usage.request_text``) once older than the app's ``retention_days``.
* ``ix_usage_text_app_ts``: a partial index of the records still holding text, so the hourly purge
  reads those only, never every record.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT_HELD = "prompt_text IS NOT NULL OR answer_text IS NOT NULL"  # ai_workers.db.models.TEXT_HELD


def upgrade() -> None:
    # Plain ALTERs (no batch copy): SQLite adds a nullable column in place.
    op.add_column("usage_records", sa.Column("prompt_text", sa.Text(), nullable=True))
    op.add_column("usage_records", sa.Column("answer_text", sa.Text(), nullable=True))
    op.create_index(
        "ix_usage_text_app_ts",
        "usage_records",
        ["app", "ts"],
        unique=False,
        sqlite_where=sa.text(TEXT_HELD),
        postgresql_where=sa.text(TEXT_HELD),
    )


def downgrade() -> None:
    op.drop_index("ix_usage_text_app_ts", table_name="usage_records")
    op.drop_column("usage_records", "answer_text")
    op.drop_column("usage_records", "prompt_text")
