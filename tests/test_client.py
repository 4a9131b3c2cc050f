"""The library client as a user sees it: sync and async, results with gateway info, clear exceptions."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
import yaml

import ai_workers
from ai_workers import (
    AsyncClient,
    Client,
    ConfigurationError,
    InvalidRequestError,
    ModelNotFoundError,
    UnsupportedCapabilityError,
)
from ai_workers.core.config import load_settings
from tests.fakes import FakeOpenAI, FakeWorkersAI, start_fakes
from tests.fakes.settings import FAKE_ENV
from tests.providers.conftest import client_settings


@pytest.fixture(scope="module")
def fakes() -> Iterator[tuple[FakeWorkersAI, FakeOpenAI]]:
    with start_fakes() as pair:
        yield pair


@pytest.fixture
def sync_client(fakes: tuple[FakeWorkersAI, FakeOpenAI]) -> Iterator[Client]:
    with Client(client_settings(*fakes), app="tests") as client:
        yield client


def test_sync_client_chat_stream_and_embed(sync_client: Client) -> None:
    response = sync_client.chat("hello sync world", model="llama-3.3-70b")
    assert response.text == "Echo: hello sync world"
    assert response.x_ai_workers is not None and response.x_ai_workers.provider == "cloudflare"
    assert response.x_ai_workers.request_id
    chunks = list(sync_client.stream("stream me please", model="gpt-4o-mini"))
    assert "".join(c.text for c in chunks) == "Echo: stream me please"
    vectors = sync_client.embed(["a", "b"], model="bge-m3").vectors()
    assert len(vectors) == 2 and len(vectors[0]) == 1024
    assert sync_client.rerank("q", ["q doc", "other"]).results[0].index == 0
    assert sync_client.speak("hi there").audio[:2] == b"\xff\xfb"
    assert sync_client.transcribe(bytes(16000)).duration == 1.0
    assert sync_client.classify_safety("hello").safe is True
    assert sync_client.moderate("hello").results[0].flagged is False


def test_sync_stream_can_stop_early(sync_client: Client) -> None:
    stream = sync_client.stream("one two three four five six", model="llama-3.3-70b")
    first = next(stream)
    assert first.choices[0].delta.role == "assistant"
    stream.close()  # closing the generator closes the upstream stream
    assert sync_client.chat("still usable", model="llama-3.3-70b").text == "Echo: still usable"


def test_unknown_model_and_wrong_capability(sync_client: Client) -> None:
    with pytest.raises(ModelNotFoundError) as info:
        sync_client.chat("hi", model="no-such-model")
    assert info.value.status == 404 and info.value.param == "model"
    with pytest.raises(UnsupportedCapabilityError, match="embeddings model"):
        sync_client.chat("hi", model="bge-m3")


def test_unknown_chat_parameter_is_rejected(sync_client: Client) -> None:
    with pytest.raises(InvalidRequestError, match="temprature"):
        sync_client.chat("hi", model="gpt-4o", temprature=0.3)


async def test_without_credentials_the_error_names_the_env_vars() -> None:
    # The suite's conftest removes CLOUDFLARE_* and OPENAI_API_KEY from the environment.
    async with AsyncClient(load_settings(env={})) as client:
        with pytest.raises(ConfigurationError) as info:
            await client.chat("hello", model="llama-3.3-70b-instruct-fp8-fast")
    message = info.value.message
    assert "set CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID" in message
    assert "OPENAI_API_KEY" in message  # the fallback (gpt-4o-mini) is unconfigured too
    assert info.value.status == 503


def test_package_exports() -> None:
    for name in (
        "AsyncClient",
        "Client",
        "UpstreamFailedError",
        "ChatResponse",
        "SafetyVerdict",
        "image_part",
    ):
        assert hasattr(ai_workers, name)


def _record_count(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "ai-workers.db") as db:
        return int(db.execute("select count(*) from usage_records").fetchone()[0])


def test_a_script_that_never_closes_its_client_still_records_its_calls(
    fakes: tuple[FakeWorkersAI, FakeOpenAI], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The commonest script: make a client, call it, exit. Its records sit in the batch writer until
    # a flush; without one at exit the call was never recorded (cost and budget spend lost).
    settings = msgspec.to_builtins(client_settings(*fakes, data_dir=str(tmp_path)))
    config = tmp_path / "ai-workers.yaml"
    config.write_text(yaml.safe_dump(settings))
    env = os.environ | FAKE_ENV | {"AI_WORKERS_DATA_DIR": str(tmp_path)}
    script = (
        "import ai_workers\n"
        f"client = ai_workers.Client({str(config)!r}, app='tests')\n"
        "print(client.chat('hello from a script', model='llama-3.3-70b').text)\n"
        "dropped = ai_workers.Client(client.gateway.settings, app='tests')\n"
        "def once():\n"
        "    c = ai_workers.Client(client.gateway.settings, app='tests')\n"
        "    c.chat('a client dropped without close', model='llama-3.3-70b')\n"
        "once()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Echo: hello from a script"
    assert "Traceback" not in done.stderr and "destroyed" not in done.stderr, done.stderr
    assert _record_count(tmp_path) == 2

    # asyncio.run() cancels the writer of an AsyncClient nobody closed: its rows go to the spool, and
    # the next start replays them.
    script = (
        "import asyncio, ai_workers\n"
        "async def main():\n"
        f"    client = ai_workers.AsyncClient({str(config)!r}, app='tests')\n"
        "    await client.chat('an async script', model='llama-3.3-70b')\n"
        "asyncio.run(main())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    monkeypatch.setenv("AI_WORKERS_DATA_DIR", str(tmp_path))
    with Client(str(config), app="tests") as client:
        client.chat("the next run", model="llama-3.3-70b")
    assert _record_count(tmp_path) == 4


def test_a_client_inherited_by_a_forked_process_works_there(
    fakes: tuple[FakeWorkersAI, FakeOpenAI], tmp_path: Path
) -> None:
    # A module-level client in an app served by prefork workers (gunicorn --preload, Celery,
    # multiprocessing): the child inherits the client but not its loop thread, and every call used to
    # wait forever. The child now gets its own loop and gateway; both processes' calls are recorded once.
    settings = msgspec.to_builtins(client_settings(*fakes, data_dir=str(tmp_path)))
    config = tmp_path / "ai-workers.yaml"
    config.write_text(yaml.safe_dump(settings))
    script = (
        "import multiprocessing, ai_workers\n"
        f"client = ai_workers.Client({str(config)!r}, app='tests')\n"
        "print(client.chat('from the parent', model='llama-3.3-70b').text)\n"
        "def child(queue):\n"
        "    queue.put(client.chat('from the child', model='llama-3.3-70b').text)\n"
        "if __name__ == '__main__':\n"
        "    ctx = multiprocessing.get_context('fork')\n"
        "    queue = ctx.Queue()\n"
        "    worker = ctx.Process(target=child, args=(queue,))\n"
        "    worker.start()\n"
        "    print(queue.get(timeout=60))\n"
        "    worker.join(60)\n"
        "    print(worker.exitcode)\n"
        "    print(client.chat('the parent again', model='llama-3.3-70b').text)\n"
    )
    env = os.environ | FAKE_ENV | {"AI_WORKERS_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:4] == [
        "Echo: from the parent",
        "Echo: from the child",
        "0",
        "Echo: the parent again",
    ]
    assert _record_count(tmp_path) == 3


def test_a_fork_waits_for_sqlite_calls_in_flight(
    fakes: tuple[FakeWorkersAI, FakeOpenAI], tmp_path: Path
) -> None:
    # A thread inside SQLite at the moment of a fork leaves its mutexes held in the child for ever, and
    # the child's first connect to the file waits for ever (a CI run hung so). The client holds os.fork
    # until no SQLite call of its gateway is in flight: here a 0.4 s one, started on the client's loop.
    settings = msgspec.to_builtins(client_settings(*fakes, data_dir=str(tmp_path)))
    config = tmp_path / "ai-workers.yaml"
    config.write_text(yaml.safe_dump(settings))
    script = (
        "import asyncio, os, time, ai_workers\n"
        "from ai_workers.db import fork_quiet\n"
        f"client = ai_workers.Client({str(config)!r}, app='tests')\n"
        "print(client.chat('from the parent', model='llama-3.3-70b').text)\n"
        "async def slow_sqlite_call():\n"
        "    with fork_quiet.running():\n"
        "        await asyncio.get_running_loop().run_in_executor(None, time.sleep, 0.4)\n"
        "pending = asyncio.run_coroutine_threadsafe(slow_sqlite_call(), client._loop)\n"
        "time.sleep(0.05)\n"
        "started = time.monotonic()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    os._exit(0 if fork_quiet.idle() else 3)  # the child's copy: was a call in flight at the fork?\n"
        "waited = time.monotonic() - started\n"
        "print(os.waitpid(pid, 0)[1], waited >= 0.2)\n"
        "pending.result()\n"
        "print(client.chat('the parent again', model='llama-3.3-70b').text)\n"
    )
    env = os.environ | FAKE_ENV | {"AI_WORKERS_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == ["Echo: from the parent", "0 True", "Echo: the parent again"]


def test_a_script_exiting_while_the_semantic_cache_model_loads_exits_cleanly(
    fakes: tuple[FakeWorkersAI, FakeOpenAI], tmp_path: Path
) -> None:
    # The semantic cache loads its local embedding model in the background at start (~9 s). A script
    # done before that used to end with a traceback from the load, cut by interpreter shutdown.
    settings = msgspec.to_builtins(
        client_settings(*fakes, data_dir=str(tmp_path), cache={"semantic": {"enabled": True}})
    )
    config = tmp_path / "ai-workers.yaml"
    config.write_text(yaml.safe_dump(settings))
    script = (
        "import ai_workers\n"
        f"client = ai_workers.Client({str(config)!r}, app='tests')\n"
        "print(client.chat('a quick question', model='llama-3.3-70b').text)\n"
    )
    env = os.environ | FAKE_ENV | {"AI_WORKERS_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=180, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Echo: a quick question"
    assert "Traceback" not in done.stderr and "raised unexpectedly" not in done.stderr, done.stderr
