"""batch jobs: files, batches and their lines (the durable queue of the Batch API)

Revision ID: 0004
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "batch_files",
        sa.Column("id", sa.String(length=60), nullable=False),
        sa.Column("app", sa.String(length=100), nullable=False),
        sa.Column("purpose", sa.String(length=30), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("batch_id", sa.String(length=60), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_batch_files_app_created", "batch_files", ["app", "created_at"])
    op.create_table(
        "batch_jobs",
        sa.Column("id", sa.String(length=60), nullable=False),
        sa.Column("app", sa.String(length=100), nullable=False),
        sa.Column("identity", sa.JSON(), nullable=False),
        sa.Column("endpoint", sa.String(length=200), nullable=False),
        sa.Column("input_file_id", sa.String(length=60), nullable=False),
        sa.Column("completion_window", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=True),
        sa.Column("in_progress_at", sa.BigInteger(), nullable=True),
        sa.Column("finalizing_at", sa.BigInteger(), nullable=True),
        sa.Column("completed_at", sa.BigInteger(), nullable=True),
        sa.Column("failed_at", sa.BigInteger(), nullable=True),
        sa.Column("expired_at", sa.BigInteger(), nullable=True),
        sa.Column("cancelling_at", sa.BigInteger(), nullable=True),
        sa.Column("cancelled_at", sa.BigInteger(), nullable=True),
        sa.Column("errors", sa.JSON(), nullable=True),
        sa.Column("metadata", sa.JSON(), nullable=True),
        sa.Column("output_file_id", sa.String(length=60), nullable=True),
        sa.Column("error_file_id", sa.String(length=60), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_batch_jobs_app_created", "batch_jobs", ["app", "created_at"])
    op.create_index("ix_batch_jobs_status", "batch_jobs", ["status"])
    op.create_table(
        "batch_lines",
        sa.Column("batch_id", sa.String(length=60), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("custom_id", sa.String(length=512), nullable=False),
        sa.Column("url", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("owner", sa.String(length=80), nullable=True),
        sa.Column("lease_until", sa.Float(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("error_code", sa.String(length=80), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("request_id", sa.String(length=60), nullable=True),
        sa.Column("finished_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("batch_id", "idx"),
        sa.UniqueConstraint("batch_id", "custom_id", name="uq_batch_line_custom_id"),
    )
    op.create_index("ix_batch_lines_batch_state", "batch_lines", ["batch_id", "state"])


def downgrade() -> None:
    op.drop_index("ix_batch_lines_batch_state", table_name="batch_lines")
    op.drop_table("batch_lines")
    op.drop_index("ix_batch_jobs_status", table_name="batch_jobs")
    op.drop_index("ix_batch_jobs_app_created", table_name="batch_jobs")
    op.drop_table("batch_jobs")
    op.drop_index("ix_batch_files_app_created", table_name="batch_files")
    op.drop_table("batch_files")
