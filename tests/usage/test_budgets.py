"""Budgets: which budget refuses, when it resets, and the overshoot bound under concurrency.

The concurrency tests send 200 parallel requests through the real gateway to a slow fake upstream
against a budget that admits 50: in one process (in-memory counters) and in two gateways on separate
event loops sharing the suite's real Redis.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from ai_workers.core.context import AppIdentity, Target
from ai_workers.core.errors import BudgetExceededError
from ai_workers.core.pipeline import Pipeline
from ai_workers.core.types import Capability, ChatRequest, Message, Usage
from ai_workers.db.models import UsageRecord
from ai_workers.gateway import Gateway
from ai_workers.usage.pricing import CostEstimator
from tests.fakes.settings import fake_settings
from tests.usage.helpers import answered_by, chat, chat_response, context, service

PARALLEL = 200
ADMITS = 50


def metered_request() -> ChatRequest:
    return ChatRequest(
        model="gpt-4o-mini",
        messages=[Message(role="user", content="Summarise the visit notes")],
        max_tokens=40,
    )


def budget_for(settings: Any, admits: int) -> tuple[float, float]:
    """(limit, estimate): a daily limit with room for ``admits`` reservations and not one more."""
    estimate = CostEstimator(settings.catalog).estimate("gpt-4o-mini", Capability.CHAT, metered_request())
    return estimate * (admits + 0.5), estimate


def metered_pipeline(gw: Gateway) -> Pipeline:
    """The gateway's usage stages and its real executor (HTTP to the fake upstream), pinned to one
    target, so these tests measure budgets and not the other stages' decisions."""
    spec = gw.settings.catalog.get("gpt-4o-mini")

    class PinTarget:
        name = "pin"

        async def __call__(self, ctx: Any, request: Any, call_next: Any) -> Any:
            ctx.targets = [Target(spec, spec.deployments[0])]
            ctx.logical_model = spec.name
            return await call_next(ctx, request)

    return Pipeline([gw.usage.record_stage, gw.usage.budget_stage, PinTarget()], gw.executor)


async def fire(gw: Gateway, app: str, count: int) -> tuple[int, int, float]:
    """Send ``count`` requests at once; (admitted, refused, billed spend of the admitted)."""
    pipeline = metered_pipeline(gw)

    async def one() -> tuple[bool, float]:
        ctx = gw.context(AppIdentity(app), Capability.CHAT, "gpt-4o-mini")
        try:
            await pipeline.run(ctx, metered_request())
        except BudgetExceededError:
            return False, 0.0
        return True, ctx.cost_usd or 0.0

    results = await asyncio.gather(*(one() for _ in range(count)))
    admitted = sum(1 for ok, _ in results if ok)
    return admitted, count - admitted, sum(cost for _, cost in results)


def gateway(fakes: tuple[Any, Any], tmp_path: Path, app: str, limit: float, **extra: Any) -> Gateway:
    workers, openai = fakes
    settings = fake_settings(
        workers,
        openai,
        data_dir=str(tmp_path),
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'usage.db'}",
        safety={"unscannable": "allow", "phi_policy": "allow"},
        apps={app: {"budgets": [{"period": "daily", "usd": limit}]}},
        **extra,
    )
    return Gateway(settings)


async def test_200_parallel_requests_against_a_budget_for_50_in_one_process(
    fakes: tuple[Any, Any], tmp_path: Path
) -> None:
    workers, openai = fakes
    openai.clear()
    openai.inject("slow", times=PARALLEL, delay=0.3)  # every admitted request is in flight together
    app = "metered-" + uuid.uuid4().hex[:6]
    probe = fake_settings(workers, openai)
    limit, estimate = budget_for(probe, ADMITS)
    async with gateway(fakes, tmp_path, app, limit) as gw:
        admitted, refused, spent = await fire(gw, app, PARALLEL)
        await gw.usage.flush()
        async with gw.usage.database.session() as session:
            stored = await session.scalar(select(func.count()).select_from(UsageRecord))
            refusals = await session.scalar(
                select(func.count()).where(
                    UsageRecord.error_kind == "budget_exceeded", UsageRecord.status == 429
                )
            )
    openai.clear()
    print(
        f"admitted={admitted} refused={refused} spent={spent:.8f} limit={limit:.8f} estimate={estimate:.8f}"
    )
    assert admitted >= ADMITS  # the budget's room is used, not refused early
    assert refused > 0
    # Overshoot is bounded by the in-flight requests' estimates; with estimates that are upper bounds,
    # spend stays under the limit outright.
    assert spent - limit <= ADMITS * estimate
    assert spent <= limit
    assert stored == PARALLEL and refusals == refused  # requests served = records stored


async def fire_together(gateways: list[Gateway], app: str) -> tuple[int, float]:
    """Each gateway in its own thread and event loop (as separate workers or hosts), firing its share
    of PARALLEL requests at the same moment: (admitted, spent) over all of them."""
    barrier = threading.Barrier(len(gateways))
    runs = [run_gateway_in_thread(gw, app, PARALLEL // len(gateways), barrier) for gw in gateways]
    for run in runs:
        await asyncio.to_thread(run["thread"].join, 120)
    errors = [repr(run["error"]) for run in runs if "error" in run]
    assert not errors, errors
    return sum(run["result"][0] for run in runs), sum(run["result"][2] for run in runs)


def run_gateway_in_thread(gw: Gateway, app: str, count: int, start: threading.Barrier) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def main() -> None:
        async def go() -> None:
            async with gw:
                await asyncio.to_thread(start.wait, 60)
                out["result"] = await fire(gw, app, count)
                await gw.usage.flush()

        try:
            asyncio.run(go())
        except BaseException as exc:  # surfaced by the test
            out["error"] = exc

    thread = threading.Thread(target=main)
    thread.start()
    out["thread"] = thread
    return out


async def test_two_gateways_share_one_budget_through_redis(
    fakes: tuple[Any, Any], tmp_path: Path, redis_url: str
) -> None:
    workers, openai = fakes
    openai.clear()
    openai.inject("slow", times=PARALLEL, delay=0.3)
    app = "shared-" + uuid.uuid4().hex[:6]
    limit, estimate = budget_for(fake_settings(workers, openai), ADMITS)
    gateways = [gateway(fakes, tmp_path / f"gw{i}", app, limit, redis_url=redis_url) for i in range(2)]
    admitted, spent = await fire_together(gateways, app)
    openai.clear()
    print(f"two gateways: admitted={admitted} spent={spent:.8f} limit={limit:.8f}")
    assert ADMITS <= admitted < PARALLEL
    assert spent - limit <= ADMITS * estimate and spent <= limit

    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(redis_url, decode_responses=True)
    try:
        keys = [k async for k in client.scan_iter(match=f"aiw:budget:{app}/*")]
        assert len(keys) == 1
        counter = await client.hgetall(keys[0])
    finally:
        await client.aclose()
    assert float(counter["s"]) == pytest.approx(spent)
    assert int(counter["n"]) == admitted
    assert float(counter["r"]) == pytest.approx(0.0, abs=1e-12) and int(counter["q"]) == 0  # all settled


async def test_worker_processes_without_redis_share_one_budget(
    fakes: tuple[Any, Any], tmp_path: Path
) -> None:
    """``serve --workers 2`` on the embedded defaults: each worker used to admit against its own memory
    counters, so two workers spent twice the budget. With ``server.workers`` > 1 and no Redis they
    share counters in a SQLite file in the data dir; two gateways (as two workers: one data dir, one
    database) fire at once and spend stays within the limit."""
    workers, openai = fakes
    openai.clear()
    openai.inject("slow", times=PARALLEL, delay=0.3)
    app = "workers-" + uuid.uuid4().hex[:6]
    limit, _ = budget_for(fake_settings(workers, openai), ADMITS)
    gateways = [gateway(fakes, tmp_path, app, limit, server={"workers": 2}) for _ in range(2)]
    admitted, spent = await fire_together(gateways, app)
    openai.clear()
    print(f"two workers, no Redis: admitted={admitted} spent={spent:.8f} limit={limit:.8f}")
    # Room for ADMITS reservations in all: separate counters would admit ADMITS in each worker.
    assert ADMITS <= admitted < 2 * ADMITS
    assert spent <= limit
    assert (tmp_path / "budget-counters.db").exists()


async def test_refusal_names_the_budget_and_when_it_resets(tmp_path: Path) -> None:
    budgets = [
        {"period": "monthly", "usd": 100.0},
        {"period": "daily", "requests": 2, "scope": "user"},  # each user: 2 requests a day
    ]
    svc = service(
        f"sqlite+aiosqlite:///{tmp_path / 'u.db'}",
        tmp_path,
        settings={"apps": {"app1": {"budgets": budgets}}},
    )
    s = svc.config.current

    async def terminal(ctx: Any, request: Any) -> Any:
        answered_by(ctx, "gpt-4o", Usage(10, 10, 20))
        return chat_response("gpt-4o", ctx.usage)

    pipeline = Pipeline([svc.record_stage, svc.budget_stage], terminal)
    for _ in range(2):
        await pipeline.run(context(s, user="ann"), chat())
    with pytest.raises(BudgetExceededError) as refused:
        await pipeline.run(context(s, user="ann"), chat())
    await pipeline.run(context(s, user="bob"), chat())  # another user has their own budget
    error = refused.value
    assert error.status == 429 and error.code == "budget_exceeded"
    assert "daily budget of user 'ann' of app 'app1'" in error.message
    assert "2 requests are used up" in error.message
    assert error.resets_at.endswith("T00:00:00Z") and error.budget == "app1/user:*/daily"
    assert int(error.headers()["Retry-After"]) >= 1
    body = error.to_openai()["error"]
    assert body["type"] == "rate_limit_error" and body["code"] == "budget_exceeded"

    statuses = await svc.budgets.status(s, ["app1"])
    monthly = next(st for st in statuses if st.period == "monthly")
    assert monthly.requests == 3 and monthly.spent_usd > 0 and monthly.reserved_usd == 0
    per_user = {st.user: st.requests for st in statuses if st.scope == "user"}
    assert per_user == {"ann": 2, "bob": 1}
    await svc.database.dispose()


async def test_counters_are_seeded_from_the_database_at_start(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'u.db'}"
    apps = {"apps": {"app1": {"budgets": [{"period": "daily", "requests": 3}]}}}
    first = service(url, tmp_path, settings=apps)
    await first.start()
    s = first.config.current

    async def terminal(ctx: Any, request: Any) -> Any:
        answered_by(ctx, "gpt-4o", Usage(10, 10, 20))
        return chat_response("gpt-4o", ctx.usage)

    pipeline = Pipeline([first.record_stage, first.budget_stage], terminal)
    for _ in range(2):
        await pipeline.run(context(s), chat())
    await first.stop()

    restarted = service(url, tmp_path, settings=apps)  # a new process: counters come from the records
    await restarted.start()
    pipeline = Pipeline([restarted.record_stage, restarted.budget_stage], terminal)
    await pipeline.run(context(restarted.config.current), chat())
    with pytest.raises(BudgetExceededError):
        await pipeline.run(context(restarted.config.current), chat())
    await restarted.stop()


async def test_a_new_day_starts_a_new_daily_budget(tmp_path: Path) -> None:
    now = [1_780_000_000.0]  # injected clock: no waiting for midnight
    svc = service(
        f"sqlite+aiosqlite:///{tmp_path / 'u.db'}",
        tmp_path,
        settings={"apps": {"app1": {"budgets": [{"period": "daily", "requests": 1}]}}},
        clock=lambda: now[0],
    )
    s = svc.config.current

    async def terminal(ctx: Any, request: Any) -> Any:
        answered_by(ctx, "gpt-4o", Usage(10, 10, 20))
        return chat_response("gpt-4o", ctx.usage)

    pipeline = Pipeline([svc.record_stage, svc.budget_stage], terminal)
    await pipeline.run(context(s), chat())
    with pytest.raises(BudgetExceededError) as refused:
        await pipeline.run(context(s), chat())
    assert 0 < refused.value.retry_after <= 86400  # type: ignore[operator]
    now[0] += refused.value.retry_after or 0  # the moment it said it resets
    await pipeline.run(context(s), chat())
    svc._prune_counters()  # yesterday's counter is dropped, today's kept
    assert [k.rsplit("|", 1)[1] for k in svc.budgets.counters.keys()] == [svc.budgets.periods.day.isoformat()]
    await svc.database.dispose()


async def test_a_hung_redis_refuses_budgeted_requests_promptly_and_then_at_once(tmp_path: Path) -> None:
    """Redis that accepts connections but never answers (a stopped process, a dead network path): the
    first budget check gives up after its socket timeout instead of holding the request forever, and
    checks right after it fail at once, without queueing more connections on the dead server."""
    from ai_workers.usage.budgets import BudgetEnforcer, BudgetUnavailableError
    from tests.usage.helpers import settings

    with socket.socket() as hole:
        hole.bind(("127.0.0.1", 0))
        hole.listen(64)  # never accepted, never answered
        enforcer = BudgetEnforcer(redis_url=f"redis://127.0.0.1:{hole.getsockname()[1]}/0")
        budgeted = settings(
            f"sqlite+aiosqlite:///{tmp_path}/u.db",
            tmp_path,
            apps={"app1": {"budgets": [{"period": "daily", "usd": 1.0}]}},
        )
        with pytest.raises(BudgetUnavailableError) as first:
            await asyncio.wait_for(enforcer.reserve(context(budgeted), chat()), timeout=30)
        assert "budget cannot be checked" in str(first.value)
        with pytest.raises(BudgetUnavailableError) as second:
            await enforcer.reserve(context(budgeted), chat())
        assert "unreachable moments ago" in str(second.value.__cause__)
        await enforcer.counters.aclose()


@pytest.mark.redis
async def test_more_budgeted_requests_in_flight_than_redis_pys_default_pool(
    redis_url: str, tmp_path: Path
) -> None:
    """redis-py's asyncio pool refuses the 101st command in flight ("Too many connections"), which
    made the 101st concurrent budgeted request a 503. 300 reserve at once here, all admitted."""
    from ai_workers.usage.budgets import BudgetEnforcer
    from tests.usage.helpers import settings

    enforcer = BudgetEnforcer(redis_url=redis_url)
    app = "busy-" + uuid.uuid4().hex[:6]
    budgeted = settings(
        f"sqlite+aiosqlite:///{tmp_path}/u.db",
        tmp_path,
        apps={app: {"budgets": [{"period": "daily", "usd": 100.0}]}},
    )
    try:
        reservations = await asyncio.gather(
            *(enforcer.reserve(context(budgeted, app=app), chat()) for _ in range(300))
        )
    finally:
        await enforcer.counters.aclose()
    assert len(reservations) == 300 and all(r is not None for r in reservations)
