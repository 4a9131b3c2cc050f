"""Building batch input files and reading a finished batch's output through the official SDK."""

from __future__ import annotations

import json
import time
from typing import Any

from openai import OpenAI

# Fast polling and short leases, so a test's batch and its recovery take seconds, not minutes.
FAST_BATCH = {
    "max_concurrency": 16,
    "per_app_concurrency": 16,
    "poll_s": 0.05,
    "lease_s": 3.0,
    "retry_base_s": 0.05,
    "claim_size": 16,
}


WORDS = ("apple", "river", "stone", "cloud", "maple", "ember", "orbit", "piano", "tulip", "zebra")


def spelled(i: int) -> str:
    """A distinct phrase per number, without digits (the PHI filter would redact a bare number, and
    the redacted prompts would then share one cache entry)."""
    return " ".join(WORDS[int(d)] for d in str(i))


def chat_line(i: int, model: str = "gpt-4o-mini") -> dict[str, Any]:
    return {
        "custom_id": f"chat-{i}",
        "method": "POST",
        "url": "/v1/chat/completions",
        "body": {
            "model": model,
            "messages": [{"role": "user", "content": f"Summarise the note on {spelled(i)}."}],
        },
    }


def embed_line(i: int, model: str = "text-embedding-3-small") -> dict[str, Any]:
    return {
        "custom_id": f"embed-{i}",
        "method": "POST",
        "url": "/v1/embeddings",
        "body": {"model": model, "input": f"document on {spelled(i)} and the quarterly inventory"},
    }


def jsonl(lines: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def submit(client: OpenAI, lines: list[dict[str, Any]], endpoint: str = "/v1/chat/completions") -> str:
    uploaded = client.files.create(file=("input.jsonl", jsonl(lines)), purpose="batch")
    batch = client.batches.create(
        input_file_id=uploaded.id,
        endpoint=endpoint,  # type: ignore[arg-type]
        completion_window="24h",
        metadata={"test": "yes"},
    )
    assert batch.status == "in_progress", batch
    assert batch.request_counts is not None and batch.request_counts.total == len(lines)
    return batch.id


def wait_done(client: OpenAI, batch_id: str, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        batch = client.batches.retrieve(batch_id)
        if batch.status in ("completed", "failed", "cancelled", "expired"):
            return batch
        if time.monotonic() > deadline:
            raise AssertionError(f"batch {batch_id} still {batch.status}: {batch.request_counts}")
        time.sleep(0.1)


def wait_progress(client: OpenAI, batch_id: str, at_least: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        counts = client.batches.retrieve(batch_id).request_counts
        assert counts is not None
        if counts.completed + counts.failed >= at_least:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"batch {batch_id} did not reach {at_least} lines: {counts}")
        time.sleep(0.02)


def results(client: OpenAI, batch: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(output lines, error lines) of a finished batch."""

    def read(file_id: str | None) -> list[dict[str, Any]]:
        if not file_id:
            return []
        text = client.files.content(file_id).text
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    return read(batch.output_file_id), read(batch.error_file_id)


def assert_each_once(expected: list[str], output: list[dict[str, Any]], errors: list[dict[str, Any]]) -> None:
    seen = [line["custom_id"] for line in output + errors]
    assert sorted(seen) == sorted(expected), (len(seen), len(expected))
    assert len(set(seen)) == len(seen)
