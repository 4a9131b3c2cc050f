"""The request log's opt-in prompt/answer text: per app, PHI-redacted, shown to that app only, purged.

Real requests go through the live gateway with the official ``openai`` SDK (plain and streamed) against
the fake upstream (which echoes the prompt, so the answer carries whatever the provider was sent); the
stored rows are read straight from the database, and the API with httpx as an admin and as app keys.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest
import yaml
from sqlalchemy import select

from ai_workers.core.config import ConfigError, load_settings
from ai_workers.db.models import UsageRecord
from ai_workers.usage.request_text import purge_text
from tests.dashboard.conftest import add_rows, client, database
from tests.fakes.settings import fake_settings
from tests.server.live import LiveServer

APPS: dict[str, Any] = {
    # Redacts PHI before the provider (the default policy) and keeps the text for 3 days.
    "texty": {"request_log": {"store_text": True, "retention_days": 3}},
    # Declares it never handles PHI, so the prompt goes out as is: the stored copy is redacted anyway.
    "plainspoken": {"phi_policy": "off", "request_log": {"store_text": True}},
    "quiet": {},  # the default: no text
}
NAME, MRN, PHONE = "Jane Doe", "MRN 48291734", "555-123-4567"
PHI_PROMPT = f"Patient {NAME}, {MRN}, call {PHONE} about the rash."
SECRETS = ("Jane", "Doe", "48291734", PHONE)


@pytest.fixture(scope="module")
def live(fakes: tuple[Any, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    workers, upstream = fakes
    data_dir: Path = tmp_path_factory.mktemp("request-text")
    settings = fake_settings(workers, upstream, data_dir=str(data_dir), apps=APPS)
    with LiveServer(settings) as server:
        yield server


@pytest.fixture(scope="module")
def keys(live: LiveServer) -> dict[str, str]:
    return {name: live.create_key(name) for name in (*APPS, "beta")} | {
        "admin": live.create_key("ops", role="admin")
    }


def ask(live: LiveServer, key: str, prompt: str, *, stream: bool = False) -> tuple[str, str]:
    """Send one chat request; the request id and the answer the caller got."""
    sdk = openai.OpenAI(base_url=f"{live.url}/v1", api_key=key, max_retries=0)
    messages: Any = [{"role": "user", "content": prompt}]
    if not stream:
        raw = sdk.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=messages)
        return raw.headers["x-request-id"], raw.parse().choices[0].message.content or ""
    with sdk.chat.completions.with_streaming_response.create(
        model="gpt-4o-mini", messages=messages, stream=True
    ) as response:
        request_id = response.headers["x-request-id"]
        answer = "".join(chunk.choices[0].delta.content or "" for chunk in response.parse() if chunk.choices)
    return request_id, answer


def stored(live: LiveServer, request_id: str) -> UsageRecord:
    live.call(live.gateway.usage.flush())

    async def load() -> UsageRecord:
        async with database(live).session() as session:
            found = await session.scalar(select(UsageRecord).where(UsageRecord.id == request_id))
        assert found is not None, request_id
        return found

    return live.call(load())


def get(live: LiveServer, key: str, path: str, **params: Any) -> Any:
    with client(live, key) as http:
        return http.get(path, params=params)


def test_no_text_is_stored_by_default(live: LiveServer, keys: dict[str, str]) -> None:
    request_id, answer = ask(live, keys["quiet"], PHI_PROMPT)
    assert NAME in answer  # the caller's answer is restored as usual
    row = stored(live, request_id)
    assert row.prompt_text is None and row.answer_text is None
    detail = get(live, keys["quiet"], f"/api/requests/{request_id}").json()
    assert detail["content"]["stored"] is False and "store_text" in detail["content"]["message"]


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "streamed"])
@pytest.mark.parametrize("app", ["texty", "plainspoken"])
def test_opted_in_text_is_stored_redacted(
    live: LiveServer, keys: dict[str, str], app: str, stream: bool
) -> None:
    request_id, answer = ask(live, keys[app], PHI_PROMPT, stream=stream)
    assert NAME in answer and PHONE in answer  # the caller still gets the real values back
    row = stored(live, request_id)
    assert row.prompt_text is not None and row.answer_text is not None
    for text in (row.prompt_text, row.answer_text):
        assert "about the rash" in text and "[NAME_1]" in text and "[PHONE_1]" in text, text
        for secret in SECRETS:
            assert secret not in text, (secret, text)
    assert row.prompt_text.startswith("user: Patient [NAME_1]")
    assert row.answer_text.startswith("Echo: Patient [NAME_1]")


def test_text_is_shown_to_its_app_and_admins_only_and_never_in_lists(
    live: LiveServer, keys: dict[str, str]
) -> None:
    request_id, _ = ask(live, keys["texty"], PHI_PROMPT)
    stored(live, request_id)
    for reader in ("texty", "admin"):
        content = get(live, keys[reader], f"/api/requests/{request_id}").json()["content"]
        assert content["stored"] is True and content["redacted"] is True and content["truncated"] is False
        assert "[NAME_1]" in content["prompt"] and "[PHONE_1]" in content["answer"]
    other = get(live, keys["beta"], f"/api/requests/{request_id}")
    assert other.status_code == 404 and "[NAME_1]" not in other.text
    listed = get(live, keys["admin"], "/api/requests", app="texty", limit=200)
    exported = get(live, keys["admin"], "/api/requests.csv", app="texty")
    assert request_id in listed.text and request_id in exported.text
    assert "rash" not in listed.text and "rash" not in exported.text
    assert "prompt" not in next(csv.reader(io.StringIO(exported.text)))


def test_long_text_is_capped_and_marked(live: LiveServer, keys: dict[str, str]) -> None:
    request_id, _ = ask(live, keys["texty"], "word " * 5000)  # 25,000 characters
    row = stored(live, request_id)
    assert row.prompt_text is not None and 16 * 1024 < len(row.prompt_text) < 17 * 1024
    content = get(live, keys["texty"], f"/api/requests/{request_id}").json()["content"]
    assert content["truncated"] is True and content["prompt"].endswith("longer than 16 KB]")


def record(app: str, age: dt.timedelta, now: dt.datetime) -> UsageRecord:
    return UsageRecord(
        id=uuid.uuid4().hex, ts=now - age, app=app, capability="chat", status=200, latency_ms=10.0,
        input_tokens=3, output_tokens=2, cost_usd=0.0, list_cost_usd=0.0, attempts=1,
        prompt_text="user: hello [NAME_1]", answer_text="Echo: hello [NAME_1]",
    )  # fmt: skip


def test_retention_purge_clears_old_text_and_keeps_the_record(live: LiveServer) -> None:
    now = dt.datetime.now(dt.UTC)
    old, recent = record("texty", dt.timedelta(days=4), now), record("texty", dt.timedelta(days=2), now)
    # An app without its own section follows the default retention (7 days).
    stray_old, stray_recent = (
        record("gone", dt.timedelta(days=8), now),
        record("gone", dt.timedelta(days=6), now),
    )
    ids = [r.id for r in (old, recent, stray_old, stray_recent)]
    add_rows(live, old, recent, stray_old, stray_recent)
    settings = live.gateway.config.current
    assert live.call(purge_text(database(live), settings, now)) >= 2
    assert live.call(purge_text(database(live), settings, now)) == 0  # idempotent
    rows = {i: stored(live, i) for i in ids}
    for cleared in (old.id, stray_old.id):
        assert rows[cleared].prompt_text is None and rows[cleared].answer_text is None
        assert rows[cleared].input_tokens == 3  # the record itself stays
    for kept in (recent.id, stray_recent.id):
        assert rows[kept].prompt_text == "user: hello [NAME_1]", (kept == recent.id, rows[kept].ts)


def test_a_mistyped_request_log_section_fails_at_load(tmp_path: Path) -> None:
    for section, word in (({"store_txt": True}, "store_txt"), ({"retention_days": 0}, "retention_days")):
        path = tmp_path / "config.yaml"
        path.write_text(yaml.safe_dump({"apps": {"triage": {"request_log": section}}}))
        with pytest.raises(ConfigError) as caught:
            load_settings(path, env={})
        assert "triage" in str(caught.value) and word in str(caught.value)
    assert load_settings(env={}).app("anything").request_log.store_text is False  # off by default
