"""The official openai SDK runs batches end to end against the fake upstreams, on SQLite and PostgreSQL:
every custom_id comes back exactly once, each line ran through the pipeline as the submitting app."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from openai import OpenAI

from tests.batch.helpers import assert_each_once, chat_line, embed_line, results, submit, wait_done
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer


def _client(server: LiveServer, key: str) -> OpenAI:
    return OpenAI(base_url=f"{server.url}/v1", api_key=key, max_retries=0)


def test_a_thousand_line_batch_of_chat_and_embeddings(
    fakes: tuple[Any, Any], tmp_path: Path, batch_settings: dict[str, Any]
) -> None:
    workers, upstream = fakes
    settings = fake_settings(workers, upstream, data_dir=str(tmp_path), **batch_settings)
    with LiveServer(settings) as server:
        key = server.create_key("notes")
        client = _client(server, key)
        lines = [chat_line(i) if i % 2 else embed_line(i) for i in range(1000)]
        # A line for a route batches do not serve is answered with a line error, not a failed batch.
        lines.append({"custom_id": "odd", "method": "POST", "url": "/v1/images/generations", "body": {}})
        upstream.clear()
        batch_id = submit(client, lines)
        batch = wait_done(client, batch_id)
        assert batch.status == "completed"
        assert batch.request_counts is not None
        assert (batch.request_counts.total, batch.request_counts.completed) == (1001, 1000)
        assert batch.request_counts.failed == 1
        output, errors = results(client, batch)
        assert_each_once([line["custom_id"] for line in lines], output, errors)
        by_id = {line["custom_id"]: line for line in output}
        chat = by_id["chat-7"]["response"]
        assert chat["status_code"] == 200 and chat["body"]["object"] == "chat.completion"
        assert chat["body"]["choices"][0]["message"]["content"]
        embedding = by_id["embed-8"]["response"]["body"]
        assert embedding["object"] == "list" and len(embedding["data"][0]["embedding"]) > 10
        assert errors[0]["custom_id"] == "odd" and errors[0]["error"]["code"] == "invalid_url"
        # Each line went upstream once (the fake answered every call on the first try).
        assert len(upstream.requests) == 1000
        # Retrievable by the SDK's other calls too.
        listed = client.batches.list(limit=5)
        assert listed.data[0].id == batch_id
        assert client.files.retrieve(batch.output_file_id or "").bytes > 0
        # Another app sees neither the batch nor its files.
        other = _client(server, server.create_key("other"))
        with pytest.raises(openai.NotFoundError):
            other.batches.retrieve(batch_id)
        with pytest.raises(openai.NotFoundError):
            other.files.content(batch.output_file_id or "")
    # Usage records: one per line that ran, with the route "batch", none twice.
    db = sqlite3.connect(tmp_path / "ai-workers.db")
    routes = db.execute(
        "SELECT route, COUNT(*), COUNT(DISTINCT id) FROM usage_records GROUP BY route"
    ).fetchall()
    assert ("batch", 1000, 1000) in routes


def test_batch_on_postgres_with_the_key_model_list_and_cancel(
    fakes: tuple[Any, Any], postgres_url: str, tmp_path: Path, batch_settings: dict[str, Any]
) -> None:
    workers, upstream = fakes
    # No cache: every line of the batch cancelled below must wait for the slow upstream.
    settings = fake_settings(
        workers, upstream, data_dir=str(tmp_path), database_url=postgres_url, cache={"enabled": False},
        **batch_settings,
    )  # fmt: skip
    with LiveServer(settings) as server:
        key = server.create_key("pgapp", models=["gpt-4o-mini"])
        client = _client(server, key)
        lines = [chat_line(i) for i in range(150)] + [embed_line(0)]  # the key may not use embeddings
        batch = wait_done(client, submit(client, lines))
        assert batch.status == "completed"
        output, errors = results(client, batch)
        assert_each_once([line["custom_id"] for line in lines], output, errors)
        assert [e["custom_id"] for e in errors] == ["embed-0"]
        assert errors[0]["response"]["status_code"] == 403


def test_cancel_on_postgres_drops_the_lines_not_started(
    fakes: tuple[Any, Any], postgres_url: str, tmp_path: Path, batch_settings: dict[str, Any]
) -> None:
    """The upstream holds every request until the test releases it, so the cancel lands while exactly
    the lines the worker claimed are in flight: those finish, the rest are cancelled. It also pins the
    claim cap on PostgreSQL (once one claim statement could take hundreds of lines, past
    ``max_concurrency``, so the whole batch ran before the cancel)."""
    workers, upstream = fakes
    cap = batch_settings["batch"]["max_concurrency"]
    # No cache: every line must go upstream.
    settings = fake_settings(
        workers, upstream, data_dir=str(tmp_path), database_url=postgres_url, cache={"enabled": False},
        **batch_settings,
    )  # fmt: skip
    with LiveServer(settings) as server:
        key = server.create_key("pgapp", models=["gpt-4o-mini"])
        client = _client(server, key)
        upstream.clear()
        upstream.hold()
        try:
            batch_id = submit(client, [chat_line(i) for i in range(1000, 1400)])  # not cached yet
            deadline = time.monotonic() + 30
            while upstream.waiting < cap and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(0.3)  # a worker past its cap would send more lines meanwhile
            in_flight = len(upstream.requests)
            assert in_flight == cap == upstream.waiting
            cancelled = client.batches.cancel(batch_id)
            assert cancelled.status == "cancelling"
        finally:
            upstream.release()
        final = wait_done(client, batch_id)
        cancelled_output, _ = results(client, final)
        upstream.clear()
    assert final.status == "cancelled"
    assert final.request_counts is not None
    # The lines in flight finished; none of the others was started.
    assert final.request_counts.completed == in_flight and final.request_counts.failed == 0
    assert len(cancelled_output) == in_flight


def test_input_file_faults_fail_the_batch_and_name_the_line(
    fakes: tuple[Any, Any], tmp_path: Path, batch_settings: dict[str, Any]
) -> None:
    workers, upstream = fakes
    settings = fake_settings(workers, upstream, data_dir=str(tmp_path), **batch_settings)
    with LiveServer(settings) as server:
        client = _client(server, server.create_key("notes"))
        bad = (
            b'{"custom_id": "a", "method": "POST", "url": "/v1/embeddings", "body": {}}\n' * 2 + b"not json\n"
        )
        uploaded = client.files.create(file=("bad.jsonl", bad), purpose="batch")
        batch = client.batches.create(
            input_file_id=uploaded.id, endpoint="/v1/embeddings", completion_window="24h"
        )
        assert batch.status == "failed" and batch.errors is not None and batch.errors.data
        codes = {(e.code, e.line) for e in batch.errors.data}
        assert codes == {("duplicate_custom_id", 2), ("invalid_json_line", 3)}
        with pytest.raises(openai.BadRequestError) as purpose:
            client.files.create(file=("x.jsonl", b"{}"), purpose="fine-tune")
        assert purpose.value.body["param"] == "purpose"  # type: ignore[index]
        with pytest.raises(openai.NotFoundError):
            client.batches.create(
                input_file_id="file-nope", endpoint="/v1/embeddings", completion_window="24h"
            )
        raw = httpx.get(
            f"{server.url}/v1/files/{uploaded.id}/content",
            headers={"authorization": f"Bearer {server.create_key('notes')}"},
        )
        assert raw.content == bad
