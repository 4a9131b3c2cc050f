"""Faults mid-batch: a restart, SIGKILL of one of two server processes, upstream 5xx bursts and a hard
budget that runs out. After each, every custom_id is in the output or error file exactly once, and no
line that finished was run again."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import msgspec
import yaml
from openai import OpenAI

from ai_workers.db.engine import Database
from ai_workers.server.keys import KeyStore
from tests.batch.helpers import (
    FAST_BATCH,
    assert_each_once,
    chat_line,
    results,
    submit,
    wait_done,
    wait_progress,
)
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer
from tests.support.services import free_port


def _client(url: str, key: str) -> OpenAI:
    return OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=2)


def _batch_usage(db: Path) -> tuple[int, int]:
    """(successful batch records, distinct lines among them): a request id is <batch>-<line>-<run>."""
    ids = [row[0] for row in sqlite3.connect(db).execute(
        "SELECT id FROM usage_records WHERE route = 'batch' AND status = 200"
    )]  # fmt: skip
    return len(ids), len({i.rsplit("-", 1)[0] for i in ids})


def test_restart_mid_batch_loses_no_line_and_runs_none_twice(
    fakes: tuple[Any, Any], tmp_path: Path, batch_settings: dict[str, Any]
) -> None:
    workers, upstream = fakes
    settings = fake_settings(workers, upstream, data_dir=str(tmp_path), **batch_settings)
    lines = [chat_line(i) for i in range(200)]
    upstream.clear()
    upstream.inject("slow", times=100_000, delay=0.02, match="chat")
    try:
        with LiveServer(settings) as first:
            key = first.create_key("notes")
            batch_id = submit(_client(first.url, key), lines)
            wait_progress(_client(first.url, key), batch_id, 40)
        # The first server is gone (its lines in flight were handed back); a new one resumes the batch.
        with LiveServer(fake_settings(workers, upstream, data_dir=str(tmp_path), **batch_settings)) as second:
            client = _client(second.url, key)
            before = client.batches.retrieve(batch_id).request_counts
            assert before is not None and 40 <= before.completed < 200
            batch = wait_done(client, batch_id)
            output, errors = results(client, batch)
            chat_calls = [r for r in upstream.requests if "chat" in r.path]
    finally:
        upstream.clear()
    assert batch.status == "completed" and not errors
    assert_each_once([line["custom_id"] for line in lines], output, errors)
    # Lines cancelled at shutdown had been sent but not answered: at most one slot's worth re-ran.
    assert 200 <= len(chat_calls) <= 200 + FAST_BATCH["max_concurrency"]
    records, distinct = _batch_usage(tmp_path / "ai-workers.db")
    # Every upstream call is recorded, so the re-run lines (one slot at most) have two records each.
    assert distinct == 200 and records == len(chat_calls)


def _serve(port: int, config: Path, data_dir: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "AI_WORKERS_DATA_DIR": str(data_dir)}
    return subprocess.Popen(
        [sys.executable, "-m", "ai_workers.cli.main", "serve", "--port", str(port), "--config", str(config)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _create_key(url: str, app: str) -> str:
    async def create() -> str:
        database = Database(url)
        try:
            await database.migrate()
            _, key = await KeyStore(database).create(app)
            return str(key)
        finally:
            await database.dispose()

    return asyncio.run(create())


def _wait_up(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the server exited"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise AssertionError("the server did not start")


def test_sigkill_of_one_of_two_servers_mid_batch(
    fakes: tuple[Any, Any], tmp_path: Path, batch_settings: dict[str, Any]
) -> None:
    """Two gateway processes share one database and work one batch at once; one is SIGKILLed. The
    other takes over its expired claims; lines the dead one finished are not run again."""
    workers, upstream = fakes
    settings = fake_settings(
        workers, upstream, data_dir=str(tmp_path), rag={"warm_up": False}, **batch_settings
    )
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(msgspec.to_builtins(settings)))
    ports = free_port(), free_port()
    key = _create_key(settings.resolved_database_url(), "notes")
    procs = [_serve(port, config, tmp_path) for port in ports]
    lines = [chat_line(i) for i in range(250)]
    upstream.clear()
    upstream.inject("slow", times=100_000, delay=0.02, match="chat")
    try:
        for port, proc in zip(ports, procs, strict=True):
            _wait_up(port, proc)
        survivor = _client(f"http://127.0.0.1:{ports[0]}", key)
        batch_id = submit(survivor, lines)
        wait_progress(survivor, batch_id, 50)
        procs[1].send_signal(signal.SIGKILL)
        procs[1].wait(timeout=10)
        batch = wait_done(survivor, batch_id, timeout=90)
        output, errors = results(survivor, batch)
        chat_calls = [r for r in upstream.requests if "chat" in r.path]
    finally:
        upstream.clear()
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
    assert batch.status == "completed" and not errors
    assert_each_once([line["custom_id"] for line in lines], output, errors)
    # The killed process' lines were re-run by the survivor only if they had no result.
    assert 250 <= len(chat_calls) <= 250 + FAST_BATCH["max_concurrency"]
    records, distinct = _batch_usage(tmp_path / "ai-workers.db")
    # Every line is recorded as answered; a line the killed process had answered upstream but not
    # stored ran twice, and both calls cost, so both are recorded (at most one slot's worth).
    assert distinct == 250 and records <= 250 + FAST_BATCH["max_concurrency"]


def test_upstream_5xx_burst_is_retried_later_not_lost(
    fakes: tuple[Any, Any], tmp_path: Path, batch_settings: dict[str, Any]
) -> None:
    workers, upstream = fakes
    batch_settings["batch"]["max_attempts"] = 8
    settings = fake_settings(
        workers, upstream, data_dir=str(tmp_path), routing={"health": {"cooldown_s": 0.1}}, **batch_settings
    )
    lines = [chat_line(i) for i in range(200)]
    with LiveServer(settings) as server:
        client = _client(server.url, server.create_key("notes"))
        upstream.clear()
        upstream.inject("503", times=120, match="chat")  # more than the executor's own retries absorb
        try:
            batch = wait_done(client, submit(client, lines))
            output, errors = results(client, batch)
        finally:
            upstream.clear()
    assert batch.status == "completed", batch.errors
    assert not errors
    assert_each_once([line["custom_id"] for line in lines], output, errors)


def test_hard_budget_running_out_stops_the_batch_and_keeps_what_was_done(
    fakes: tuple[Any, Any], tmp_path: Path, batch_settings: dict[str, Any]
) -> None:
    workers, upstream = fakes
    settings = fake_settings(
        workers,
        upstream,
        data_dir=str(tmp_path),
        apps={"capped": {"budgets": [{"period": "daily", "requests": 50}]}},
        **batch_settings,
    )
    lines = [chat_line(i) for i in range(300)]
    with LiveServer(settings) as server:
        client = _client(server.url, server.create_key("capped"))
        upstream.clear()
        batch = wait_done(client, submit(client, lines))
        output, errors = results(client, batch)
    assert batch.status == "failed"
    assert batch.errors is not None and batch.errors.data[0].code == "budget_exceeded"
    assert_each_once([line["custom_id"] for line in lines], output, errors)
    assert len(output) == 50  # the budget's 50 requests, each kept
    assert all(e["error"]["code"] == "budget_exceeded" for e in errors)
    assert batch.request_counts is not None
    assert (batch.request_counts.completed, batch.request_counts.failed) == (50, 250)
    assert len([r for r in upstream.requests if "chat" in r.path]) == 50
