"""One usage record per request, whatever the outcome, through the real gateway and fake upstreams.

Runs on SQLite and on the suite's PostgreSQL (``db_url`` is parametrized).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest

from ai_workers.core.context import AppIdentity
from ai_workers.core.errors import BudgetExceededError, ModelNotFoundError, UpstreamFailedError
from ai_workers.core.pipeline import ChunkStream
from ai_workers.core.types import Capability, ChatRequest, EmbeddingRequest, Message, StreamOptions
from ai_workers.gateway import Gateway
from tests.fakes.settings import fake_settings
from tests.usage.helpers import records

SECRET_PROMPT = "Patient Jane Roe, born 1961-02-03, asks about her metformin dose"


def gateway(fakes: tuple[Any, Any], db_url: str, tmp_path: Path, **overrides: Any) -> Gateway:
    workers, openai = fakes
    workers.clear()
    openai.clear()
    settings = fake_settings(
        workers,
        openai,
        database_url=db_url,
        data_dir=str(tmp_path / "data"),
        safety={"unscannable": "allow", "phi_policy": "allow"},
        **overrides,
    )
    return Gateway(settings)


def ask(model: str = "gpt-4o-mini", text: str = SECRET_PROMPT, **kw: Any) -> ChatRequest:
    return ChatRequest(model=model, messages=[Message(role="user", content=text)], max_tokens=50, **kw)


async def test_success_failure_and_refusal_each_leave_one_record(
    fakes: tuple[Any, Any], db_url: str, tmp_path: Path
) -> None:
    apps = {"capped": {"budgets": [{"period": "daily", "requests": 1}]}}
    async with gateway(fakes, db_url, tmp_path, apps=apps) as gw:
        ok = gw.context(AppIdentity("clinic", key_id="k1"), Capability.CHAT, "gpt-4o-mini", user="dr-1")
        await gw.run(ok, ask())

        workers, openai = fakes
        openai.inject("500", times=50)
        workers.inject("500", times=50)
        failed = gw.context(AppIdentity("clinic"), Capability.CHAT, "gpt-4o-mini", user="dr-1")
        with pytest.raises(UpstreamFailedError):
            await gw.run(failed, ask())
        openai.clear()
        workers.clear()

        first = gw.context(AppIdentity("capped"), Capability.CHAT, "gpt-4o-mini")
        await gw.run(first, ask())
        refused = gw.context(AppIdentity("capped"), Capability.CHAT, "gpt-4o-mini")
        with pytest.raises(BudgetExceededError) as exc_info:
            await gw.run(refused, ask())
        assert "daily budget" in exc_info.value.message and "resets at" in exc_info.value.message

        emb = gw.context(AppIdentity("clinic"), Capability.EMBEDDINGS, "bge-m3")
        await gw.run(emb, EmbeddingRequest(model="bge-m3", input=["a", "b c"]))
        await gw.usage.flush()
        rows = {r.id: r for r in await records(gw.usage.database)}

    assert set(rows) == {
        ok.request_id,
        failed.request_id,
        first.request_id,
        refused.request_id,
        emb.request_id,
    }
    good = rows[ok.request_id]
    assert (good.app, good.user, good.key_id, good.status, good.error_kind) == (
        "clinic",
        "dr-1",
        "k1",
        200,
        None,
    )
    assert good.provider == "openai" and good.provider_model == "gpt-4o-mini"
    assert good.logical_model == "gpt-4o-mini" and good.capability == "chat"
    assert good.input_tokens > 0 and good.output_tokens > 0 and good.attempts == 1
    assert good.cost_usd == pytest.approx(ok.cost_usd) and good.cost_usd > 0
    assert good.latency_ms > 0 and not good.cache_hit

    bad = rows[failed.request_id]
    assert bad.status == 502 and bad.error_kind == "upstream_failed"
    assert bad.attempts >= 2 and bad.cost_usd == 0.0
    assert all(not a["ok"] for a in bad.attempt_log or [])

    no = rows[refused.request_id]
    assert (no.status, no.error_kind, no.attempts, no.cost_usd) == (429, "budget_exceeded", 0, 0.0)

    embedded = rows[emb.request_id]
    assert embedded.capability == "embeddings" and embedded.provider == "cloudflare"
    assert embedded.neurons and embedded.neurons > 0
    # Inside the free daily neuron allocation: listed, not billed.
    assert embedded.list_cost_usd > 0 and embedded.cost_usd == 0.0

    # Never prompt or answer text, in any column.
    for row in rows.values():
        dumped = msgspec.json.encode({c: getattr(row, c) for c in row.__table__.columns.keys()}).decode()
        assert "Jane" not in dumped and "metformin" not in dumped


async def test_cache_hit_is_recorded_at_no_cost(fakes: tuple[Any, Any], db_url: str, tmp_path: Path) -> None:
    async with gateway(fakes, db_url, tmp_path, cache={"enabled": True}) as gw:
        contexts = []
        for _ in range(2):
            ctx = gw.context(AppIdentity("clinic"), Capability.CHAT, "gpt-4o-mini")
            await gw.run(ctx, ask(text="What is the capital of France?", temperature=0.0))
            contexts.append(ctx)
            await gw.cache.flush()  # the cache stores answers in the background
        await gw.usage.flush()
        rows = {r.id: r for r in await records(gw.usage.database)}
    miss, hit = (rows[c.request_id] for c in contexts)
    assert not miss.cache_hit and miss.cost_usd > 0
    assert hit.cache_hit and hit.cache == "hit"
    assert hit.cost_usd == 0.0 and hit.attempts == 0 and hit.status == 200
    assert hit.input_tokens == miss.input_tokens  # kept, so savings reports can count what the hit saved


async def test_stream_is_recorded_when_it_closes(fakes: tuple[Any, Any], db_url: str, tmp_path: Path) -> None:
    async with gateway(fakes, db_url, tmp_path) as gw:
        ctx = gw.context(AppIdentity("clinic"), Capability.CHAT, "gpt-4o-mini", stream=True)
        stream = await gw.run(ctx, ask(stream=True, stream_options=StreamOptions(include_usage=True)))
        assert isinstance(stream, ChunkStream)
        assert ctx.finished is None  # not settled while the answer is still streaming
        chunks = [chunk async for chunk in stream]
        assert chunks and ctx.finished is not None
        await gw.usage.flush()
        rows = await records(gw.usage.database)
    assert [r.id for r in rows] == [ctx.request_id]
    assert rows[0].stream and rows[0].status == 200 and rows[0].output_tokens > 0 and rows[0].cost_usd > 0


async def test_a_model_field_that_is_no_model_id_is_not_recorded_as_given(
    fakes: tuple[Any, Any], db_url: str, tmp_path: Path
) -> None:
    # Whatever a caller puts in "model" used to land in the record as given: free text (possibly
    # PHI), and one report row per junk value. A misspelt model id is still kept, to be found.
    async with gateway(fakes, db_url, tmp_path) as gw:
        contexts = []
        for model in ("gpt-4o-mny", "Jane Roe 1961-02-03", "123-45-6789"):
            ctx = gw.context(AppIdentity("clinic"), Capability.CHAT, model)
            with pytest.raises(ModelNotFoundError):
                await gw.run(ctx, ask(model))
            contexts.append(ctx)
        await gw.usage.flush()
        rows = {r.id: r for r in await records(gw.usage.database)}
    assert [(rows[c.request_id].requested_model, rows[c.request_id].status) for c in contexts] == [
        ("gpt-4o-mny", 404),
        ("(invalid)", 404),
        ("(invalid)", 404),
    ]


async def test_a_user_id_holding_an_identifier_is_recorded_as_a_stable_pseudonym(
    fakes: tuple[Any, Any], db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An app that sends a patient's email or phone number as its end-user id would put PHI in every
    # record (and report). Such ids become a keyed pseudonym, the same for the same id, so per-user
    # budgets and A/B stickiness still work; opaque ids stay as they are.
    monkeypatch.delenv("AI_WORKERS_USER_ID_KEY", raising=False)
    users = ["jane.roe@example.com", "jane.roe@example.com", "+1 617 555 0134", "dr-7"]
    async with gateway(fakes, db_url, tmp_path) as gw:
        contexts = []
        for n, user in enumerate(users):
            ctx = gw.context(AppIdentity("clinic"), Capability.CHAT, "gpt-4o-mini", user=user)
            await gw.run(ctx, ask(text=f"question {n}", user=user))  # distinct: no cache hits
            contexts.append(ctx)
        # The request's own user field goes upstream: the pseudonym, not the email.
        sent = [r.json().get("user") for r in fakes[1].requests if r.path.endswith("/chat/completions")]
        await gw.usage.flush()
        rows = {r.id: r for r in await records(gw.usage.database)}
    recorded = [rows[c.request_id].user for c in contexts]
    assert recorded[0] == recorded[1] and recorded[0] is not None and recorded[0].startswith("user-")
    assert recorded[2] is not None and recorded[2].startswith("user-") and recorded[2] != recorded[0]
    assert recorded[3] == "dr-7"
    assert sent[-4:] == recorded
    assert not any(u and ("jane" in u or "617" in u) for u in recorded)
    key = tmp_path / "data" / "user-id.key"
    assert key.stat().st_mode & 0o777 == 0o600

    # Another gateway on the same data dir (a restart, a second worker) gives the same pseudonym.
    async with gateway(fakes, db_url, tmp_path) as again:
        ctx = again.context(AppIdentity("clinic"), Capability.CHAT, "gpt-4o-mini", user=users[0])
    assert ctx.user == recorded[0]


async def test_a_budget_naming_a_user_by_email_still_applies_to_that_user(
    fakes: tuple[Any, Any], db_url: str, tmp_path: Path
) -> None:
    # Requests carry the pseudonym of such an id; the rule naming the email must still match it.
    email = "pat.doe@example.com"
    apps = {"clinic": {"budgets": [{"period": "daily", "requests": 1, "scope": "user", "user": email}]}}
    async with gateway(fakes, db_url, tmp_path, apps=apps) as gw:
        first = gw.context(AppIdentity("clinic"), Capability.CHAT, "gpt-4o-mini", user=email)
        await gw.run(first, ask(text="first question"))
        second = gw.context(AppIdentity("clinic"), Capability.CHAT, "gpt-4o-mini", user=email)
        with pytest.raises(BudgetExceededError) as refused:
            await gw.run(second, ask(text="second question"))
        other = gw.context(AppIdentity("clinic"), Capability.CHAT, "gpt-4o-mini", user="dr-7")
        await gw.run(other, ask(text="third question"))
    assert (
        email not in refused.value.message and first.user is not None and first.user in refused.value.message
    )
