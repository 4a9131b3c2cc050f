"""The daily report delivered by webhook and by email through a real SMTP conversation (a local SMTP
server started here), once a day across workers (a claim row), and on demand with ``--deliver``."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import json
import threading
import uuid
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from typer.testing import CliRunner

from ai_workers.cli.main import app as cli
from ai_workers.core.config import ConfigStore
from ai_workers.db.engine import Database
from ai_workers.db.models import UsageRecord
from ai_workers.usage.report_delivery import DailyReportScheduler
from tests.usage.helpers import settings


class SmtpServer:
    """A minimal SMTP server (RFC 5321 subset: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) on a
    loopback port, in its own thread, keeping each message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.port = 0

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._session, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def say(line: str) -> None:
            writer.write((line + "\r\n").encode())

        say("220 test-smtp ready")
        sender, rcpts = "", []
        while line := (await reader.readline()).decode().rstrip("\r\n"):
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                say("250 test-smtp")
            elif verb == "MAIL":
                sender, rcpts = line.split(":", 1)[1].strip(), []
                say("250 OK")
            elif verb == "RCPT":
                rcpts.append(line.split(":", 1)[1].strip())
                say("250 OK")
            elif verb == "DATA":
                say("354 end with <CRLF>.<CRLF>")
                await writer.drain()
                lines = []
                while (data := await reader.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.messages.append(email.message_from_bytes(b"".join(lines)))
                self.envelopes.append((sender, rcpts))
                say("250 queued")
            elif verb == "QUIT":
                say("221 bye")
                await writer.drain()
                break
            else:
                say("250 OK")
            await writer.drain()
        writer.close()

    def __enter__(self) -> SmtpServer:
        self.thread.start()
        self.ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


async def seed(db: Database, day: dt.date) -> None:
    await db.migrate()
    ts = dt.datetime.combine(day, dt.time(12), dt.UTC)
    async with db.session() as session:
        for app, cost in (("billing", 0.25), ("billing", 0.5), ("triage", 0.125)):
            session.add(
                UsageRecord(
                    id=uuid.uuid4().hex, ts=ts, app=app, capability="chat", status=200, latency_ms=120.0,
                    provider="openai", logical_model="gpt-4o-mini", cost_usd=cost, input_tokens=10,
                    output_tokens=5,
                )
            )  # fmt: skip
        await session.commit()


async def test_the_server_delivers_yesterdays_report_once_across_workers(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    received: list[dict[str, Any]] = []

    def hook(request: httpx.Request) -> httpx.Response:
        received.append(json.loads(request.content))
        return httpx.Response(200)

    url = f"sqlite+aiosqlite:///{tmp_path / 'u.db'}"
    options = {
        "webhook_url": "https://hooks.example.test/report",
        "email_to": ["ops@example.test"],
        "email_from": "gateway@example.test",
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp.port,
        "smtp_security": "none",
        "send_at_utc": "07:00",
    }
    config = ConfigStore(settings(url, tmp_path, usage={"daily_report": options}))
    today = dt.datetime.now(dt.UTC).date()
    yesterday = today - dt.timedelta(days=1)
    db = Database(url)
    await seed(db, yesterday)
    client = httpx.AsyncClient(transport=httpx.MockTransport(hook))
    early = dt.datetime.combine(today, dt.time(6, 59), dt.UTC).timestamp()
    late = dt.datetime.combine(today, dt.time(8, 0), dt.UTC).timestamp()
    worker_a = DailyReportScheduler(db, config, clock=lambda: early, client=client)
    assert await worker_a.run_once() is None  # before 07:00 UTC nothing is due
    worker_a.clock = lambda: late
    worker_b = DailyReportScheduler(Database(url), config, clock=lambda: late, client=client)
    results = await asyncio.gather(worker_a.run_once(), worker_b.run_once())
    assert sorted(r or [] for r in results) == [[], ["webhook", "email"]]  # exactly one worker sent it
    assert await worker_a.run_once() is None  # and not again today

    assert len(received) == 1
    text = received[0]["text"]
    assert text.startswith(f"ai-workers daily report for {yesterday.isoformat()}: 3 requests, $0.8750")
    assert "| billing |" in text and "| triage |" in text

    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["Subject"] == f"ai-workers daily report {yesterday.isoformat()}"
    assert smtp.envelopes[0][1] == ["<ops@example.test>"]
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "billing" in parts["text/plain"].get_payload(decode=True).decode()
    attachment = parts["text/csv"]
    assert attachment.get_filename() == f"ai-workers-daily-{yesterday.isoformat()}.csv"
    assert "triage" in attachment.get_payload(decode=True).decode()
    await client.aclose()
    await db.dispose()
    await worker_b.database.dispose()


def test_cli_deliver_sends_by_email_and_refuses_without_a_channel(tmp_path: Path, smtp: SmtpServer) -> None:
    day = dt.date(2026, 11, 30)
    url = f"sqlite+aiosqlite:///{tmp_path / 'ai-workers.db'}"

    async def prepare() -> None:
        db = Database(url)
        await seed(db, day)
        await db.dispose()

    asyncio.run(prepare())
    runner = CliRunner()
    bare = tmp_path / "bare.yaml"
    bare.write_text(yaml.safe_dump({"database_url": url, "data_dir": str(tmp_path)}))
    refused = runner.invoke(cli, ["--config", str(bare), "report", "daily", "--date", str(day), "--deliver"])
    assert refused.exit_code == 2 and "no channel is configured" in refused.output
    config = tmp_path / "config.yaml"
    report_options = {"email_to": ["finance@example.test"], "smtp_host": "127.0.0.1", "smtp_port": smtp.port,
                      "smtp_security": "none"}  # fmt: skip
    config.write_text(
        yaml.safe_dump(
            {"database_url": url, "data_dir": str(tmp_path), "usage": {"daily_report": report_options}}
        )
    )
    sent = runner.invoke(
        cli, ["--config", str(config), "report", "daily", "--date", str(day), "--format", "md", "--deliver"]
    )
    assert sent.exit_code == 0, sent.output
    assert "Delivered by email." in sent.output and "| billing |" in sent.output
    assert len(smtp.messages) == 1 and smtp.envelopes[0][1] == ["<finance@example.test>"]
