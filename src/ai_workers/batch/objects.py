"""OpenAI's ``batch`` and ``file`` objects, built from the stored rows (the shapes the SDK parses)."""

from __future__ import annotations

from typing import Any

from ai_workers.batch.store import Counts
from ai_workers.db.models import BatchFile, BatchJob


def file_object(row: BatchFile) -> dict[str, Any]:
    return {
        "id": row.id,
        "object": "file",
        "bytes": row.size,
        "created_at": row.created_at,
        "filename": row.filename,
        "purpose": row.purpose,
        "status": "processed",
        "status_details": None,
        "expires_at": None,
    }


def batch_object(row: BatchJob, counts: Counts) -> dict[str, Any]:
    """``request_counts`` come from the lines themselves, so they are exact at any moment."""
    return {
        "id": row.id,
        "object": "batch",
        "endpoint": row.endpoint,
        "errors": {"object": "list", "data": row.errors} if row.errors else None,
        "input_file_id": row.input_file_id,
        "completion_window": row.completion_window,
        "status": row.status,
        "output_file_id": row.output_file_id,
        "error_file_id": row.error_file_id,
        "created_at": row.created_at,
        "in_progress_at": row.in_progress_at,
        "expires_at": row.expires_at,
        "finalizing_at": row.finalizing_at,
        "completed_at": row.completed_at,
        "failed_at": row.failed_at,
        "expired_at": row.expired_at,
        "cancelling_at": row.cancelling_at,
        "cancelled_at": row.cancelled_at,
        "request_counts": {
            "total": row.total or counts.total,
            "completed": counts.completed,
            "failed": counts.failed,
        },
        "metadata": row.meta,
    }
