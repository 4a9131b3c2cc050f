"""Workers AI asynchronous batches, end to end: the official SDK submits a batch to the real server, lines
for models the catalog marks ``async_batch`` reach the fake Workers AI as ONE queued request
(``?queueRequest=true``) that is polled until done, each line still passing the pipeline on its own
(PHI redacted before it leaves, restored in its answer; budgets; a usage record per line). Faults: a 429
while queueing (Retry-After honoured), polls that fail (503, malformed JSON), a restart mid-poll (the
stored request id is polled again, nothing is sent twice), a budget that runs out before the send."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from openai import OpenAI

from tests.batch.helpers import assert_each_once, embed_line, results, spelled, submit, wait_done
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer

QUEUED = {"gather_s": 1.0, "max_gather_s": 10.0, "poll_s": 0.05, "max_poll_s": 0.2}
M3 = "@cf/baai/bge-m3"
LLAMA = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
PATIENT = "John Smith"


@pytest.fixture
def queued_settings(batch_settings: dict[str, Any]) -> dict[str, Any]:
    batch_settings["batch"]["queued"] = dict(QUEUED)
    return batch_settings


def _client(server: LiveServer, key: str) -> OpenAI:
    return OpenAI(base_url=f"{server.url}/v1", api_key=key, max_retries=0)


def m3_line(i: int) -> dict[str, Any]:
    return embed_line(i, model=M3) | {"custom_id": f"m3-{i}"}


def llama_line(i: int) -> dict[str, Any]:
    text = f"Summarise the visit of {PATIENT} about {spelled(i)}."
    return {
        "custom_id": f"llama-{i}",
        "method": "POST",
        "url": "/v1/chat/completions",
        "body": {"model": LLAMA, "messages": [{"role": "user", "content": text}], "max_tokens": 40},
    }


def _sync_runs(workers: Any, model: str) -> list[Any]:
    return [r for r in workers.requests if r.path.endswith(model) and "queueRequest" not in r.query]


def _usage(db: Path) -> list[tuple[str, str, int, int, float]]:
    return list(
        sqlite3.connect(db).execute(
            "SELECT id, provider_model, input_tokens, output_tokens, list_cost_usd FROM usage_records "
            "WHERE route = 'batch' AND status = 200"
        )
    )


def test_lines_for_async_models_go_upstream_as_one_queued_request_each(
    fakes: tuple[Any, Any], tmp_path: Path, queued_settings: dict[str, Any]
) -> None:
    workers, upstream = fakes
    settings = fake_settings(
        workers, upstream, data_dir=str(tmp_path), apps={"notes": {"phi_policy": "redact"}}, **queued_settings
    )
    m3 = [m3_line(i) for i in range(120)]
    llama = [llama_line(i) for i in range(30)]
    openai_lines = [embed_line(i) for i in range(10)]  # text-embedding-3-small: no async batch, runs as today
    # Lines in Workers AI's own shape (the run route) join the same queued request.
    run_route = [
        {
            "custom_id": f"run-{i}",
            "method": "POST",
            "url": f"/client/v4/accounts/acct/ai/run/{M3}",
            "body": {"text": [f"note on {spelled(i)}", "second text"]},
        }
        for i in range(5)
    ]
    lines = m3 + llama + openai_lines + run_route
    with LiveServer(settings) as server:
        client = _client(server, server.create_key("notes"))
        workers.clear()
        upstream.clear()
        batch = wait_done(client, submit(client, lines, endpoint="/v1/embeddings"))
        output, errors = results(client, batch)
        submits = workers.queue_calls("submit")
        polls = workers.queue_calls("poll")
        sync_m3, sync_llama = _sync_runs(workers, M3), _sync_runs(workers, LLAMA)
        m3_usage = next(job["usage"] for job in workers.queue_jobs.values() if job["model"] == M3)
        openai_calls = [r for r in upstream.requests if r.path.endswith("/embeddings")]
    assert batch.status == "completed" and not errors, errors[:2]
    assert_each_once([line["custom_id"] for line in lines], output, errors)
    # One queued request per model, carrying every line of the batch for it; nothing ran synchronously.
    assert sorted((r.path.rsplit("/run/", 1)[1], len(r.json()["requests"])) for r in submits) == [
        (M3, 125),
        (LLAMA, 30),
    ]
    assert not sync_m3 and not sync_llama
    assert len(openai_calls) == 10
    # Each request was polled through queued -> running -> done.
    assert len(polls) >= 2 * 3
    # Every input carries its line as external_reference; PHI never left the gateway.
    sent = [item for r in submits for item in r.json()["requests"]]
    assert len({item["external_reference"] for item in sent}) == 155
    assert PATIENT not in json.dumps(sent)
    by_id = {line["custom_id"]: line["response"] for line in output}
    # The answer of each line is its own (the fake echoes the line), with PHI restored.
    for i in (0, 7, 29):
        answer = by_id[f"llama-{i}"]["body"]["choices"][0]["message"]["content"]
        assert PATIENT in answer and spelled(i) in answer
    run_answer = by_id["run-3"]["body"]
    assert run_answer["success"] is True and run_answer["result"]["shape"] == [2, 1024]
    vectors = {tuple(by_id[f"m3-{i}"]["body"]["data"][0]["embedding"][:8]) for i in range(120)}
    assert len(vectors) == 120 and len(by_id["m3-5"]["body"]["data"][0]["embedding"]) == 1024
    # A usage record per line, priced from the catalog (list price: the free neurons may cover the bill);
    # the request's usage is split over its lines.
    records = _usage(tmp_path / "ai-workers.db")
    m3_records = [r for r in records if r[1] == M3]
    assert len(m3_records) == 125 and all(r[4] and r[4] > 0 for r in m3_records)
    assert m3_usage["prompt_tokens"] > 120
    assert sum(r[2] for r in m3_records) == m3_usage["prompt_tokens"]
    llama_records = [r for r in records if r[1] == LLAMA]
    assert len(llama_records) == 30 and all(r[3] > 0 and r[4] > 0 for r in llama_records)
    stored = sqlite3.connect(tmp_path / "ai-workers.db").execute(
        "SELECT COUNT(DISTINCT upstream_request_id), COUNT(upstream_request_id) FROM batch_lines"
    )
    assert stored.fetchone() == (2, 155)


def test_429_while_queueing_and_failing_polls_are_retried(
    fakes: tuple[Any, Any], tmp_path: Path, queued_settings: dict[str, Any]
) -> None:
    workers, upstream = fakes
    settings = fake_settings(workers, upstream, data_dir=str(tmp_path), **queued_settings)
    lines = [m3_line(i) for i in range(40)]
    with LiveServer(settings) as server:
        client = _client(server, server.create_key("notes"))
        workers.clear()
        workers.inject_queue("submit", "429", retry_after="1")
        workers.inject_queue("poll", "503", times=2)
        workers.inject_queue("poll", "malformed")
        batch = wait_done(client, submit(client, lines, endpoint="/v1/embeddings"))
        output, errors = results(client, batch)
        submits = workers.queue_calls("submit")
        polls = workers.queue_calls("poll")
        sync_runs = _sync_runs(workers, M3)
    assert batch.status == "completed" and not errors, errors[:2]
    assert_each_once([line["custom_id"] for line in lines], output, errors)
    # The 429 was answered with Retry-After: 1; the same request was sent again after it.
    assert len(submits) == 2 and submits[0].body == submits[1].body
    assert submits[1].received - submits[0].received >= 0.95
    # Two 503s and one malformed body, then queued -> running -> done.
    assert len(polls) >= 3 + 3
    assert not sync_runs


def test_restart_mid_poll_resumes_polling_instead_of_resubmitting(
    fakes: tuple[Any, Any], tmp_path: Path, queued_settings: dict[str, Any]
) -> None:
    workers, upstream = fakes
    lines = [m3_line(i) for i in range(60)]
    db = tmp_path / "ai-workers.db"
    workers.clear()
    workers.queue_hold = True  # polls answer "running" until released
    try:
        with LiveServer(fake_settings(workers, upstream, data_dir=str(tmp_path), **queued_settings)) as first:
            key = first.create_key("notes")
            client = _client(first, key)
            batch_id = submit(client, lines, endpoint="/v1/embeddings")
            deadline = time.monotonic() + 30
            while len(workers.queue_calls("poll")) < 2 and time.monotonic() < deadline:
                time.sleep(0.02)
            assert len(workers.queue_calls("submit")) == 1
        stored = sqlite3.connect(db).execute(
            "SELECT COUNT(*), COUNT(DISTINCT upstream_request_id) FROM batch_lines "
            "WHERE upstream_request_id IS NOT NULL AND state = 'pending'"
        )
        assert stored.fetchone() == (60, 1)  # handed back at shutdown, with the request they are in
        polls_before = len(workers.queue_calls("poll"))
        workers.queue_hold = False
        with LiveServer(
            fake_settings(workers, upstream, data_dir=str(tmp_path), **queued_settings)
        ) as second:
            client = _client(second, key)
            batch = wait_done(client, batch_id)
            output, errors = results(client, batch)
        submits = workers.queue_calls("submit")
        polls_after = len(workers.queue_calls("poll"))
        sync_runs = _sync_runs(workers, M3)
    finally:
        workers.clear()
    assert batch.status == "completed" and not errors
    assert_each_once([line["custom_id"] for line in lines], output, errors)
    # The second server polled the stored request; the lines were never sent upstream again.
    assert len(submits) == 1 and not sync_runs
    assert polls_after > polls_before >= 2
    # Each line's answered run is recorded (with its cost), besides the run cut off at the shutdown.
    query = "SELECT id, status FROM usage_records WHERE route = 'batch'"
    rows = sqlite3.connect(db).execute(query).fetchall()
    answered = {i.rsplit("-", 1)[0] for i, status in rows if status == 200}
    assert len(answered) == 60, sorted(rows)[:6]


def test_a_budget_running_out_before_the_send_stops_the_batch(
    fakes: tuple[Any, Any], tmp_path: Path, queued_settings: dict[str, Any]
) -> None:
    workers, upstream = fakes
    settings = fake_settings(
        workers,
        upstream,
        data_dir=str(tmp_path),
        apps={"capped": {"budgets": [{"period": "daily", "requests": 25}]}},
        **queued_settings,
    )
    lines = [m3_line(i) for i in range(100)]
    with LiveServer(settings) as server:
        client = _client(server, server.create_key("capped"))
        workers.clear()
        batch = wait_done(client, submit(client, lines, endpoint="/v1/embeddings"))
        output, errors = results(client, batch)
        sent = [item for r in workers.queue_calls("submit") for item in r.json()["requests"]]
    assert batch.status == "failed"
    assert batch.errors is not None and batch.errors.data[0].code == "budget_exceeded"
    assert_each_once([line["custom_id"] for line in lines], output, errors)
    assert len(output) == 25 and len(sent) == 25  # the lines within budget, each sent once
    assert all(e["error"]["code"] == "budget_exceeded" for e in errors)


def test_a_request_refused_as_a_whole_is_sent_again_line_by_line(
    fakes: tuple[Any, Any], tmp_path: Path, queued_settings: dict[str, Any]
) -> None:
    """One line Workers AI rejects must not fail the lines it was gathered with; refused on its own, it
    runs synchronously, as it would without queued batches."""
    workers, upstream = fakes
    settings = fake_settings(workers, upstream, data_dir=str(tmp_path), **queued_settings)
    lines = [m3_line(i) for i in range(8)]
    with LiveServer(settings) as server:
        client = _client(server, server.create_key("notes"))
        workers.clear()
        workers.queue_invalid = spelled(5)  # only line 5's text holds it
        try:
            batch = wait_done(client, submit(client, lines, endpoint="/v1/embeddings"))
            output, errors = results(client, batch)
            submits = workers.queue_calls("submit")
            sync_runs = _sync_runs(workers, M3)
        finally:
            workers.clear()
    assert batch.status == "completed" and not errors
    assert_each_once([line["custom_id"] for line in lines], output, errors)
    assert len(submits[0].json()["requests"]) == 8  # gathered, refused as a whole
    assert len(submits) == 1 + 8 and all(len(r.json()["requests"]) == 1 for r in submits[1:])  # one by one
    assert len(sync_runs) == 1 and spelled(5) in sync_runs[0].body.decode()  # line 5: synchronously
