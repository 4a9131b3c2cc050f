"""Three gateway replicas behind nginx, sharing PostgreSQL (+pgvector) and Redis, one of them SIGKILLed.

The deployment of docs/deploy/replicas.md on one host: three ``ai-workers serve`` processes, each with
its own data directory (journal, spool), and Debian's nginx with the configuration ``ai-workers
nginx-config`` generates. Clients drive chat load through nginx for a few seconds; one replica is killed
with SIGKILL mid-load and started again. What a user of the gateway would notice is asserted:

- clients of the other replicas are unaffected: every error is a request that was in flight on the
  killed replica when it died, and the survivors keep answering;
- a budget holds across replicas: the capped app's recorded spend stays within its limit (plus the
  bound ``/api/budgets`` reports, if any), and the app is refused once it is spent;
- every answered request is recorded exactly once in ``usage_records`` (by its ``x-request-id``),
  including those the killed replica answered and never stored: its journal is replayed when it restarts;
- RAG collections ingested through one replica are visible from every replica;
- circuit state is shared: an outage one replica discovers opens the circuit on the others too.

nginx is Debian's package; ``scripts/test`` installs it when it is missing, so CI never skips this.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
import yaml
from bench.load.services import RETRY, UpstreamProcess, children
from bench.replicas import Nginx, Replica, nginx_binary

from tests.fakes.settings import fake_settings

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.slow]

CLINIC, CAPPED = "scale-clinic", "scale-capped"
BUDGET_USD = 0.00005  # spent after ~10-20 of the capped app's requests
LOAD_S = 10.0
KILL_AT_S, RESTART_AT_S, FREEZE_S = 3.0, 4.0, 1.0
USERS, CAPPED_USERS = 36, 6
OUTAGE_MODEL = "gpt-4o"  # not used by the load, so its circuits start with an empty window


@contextlib.contextmanager
def _frozen(postgres_url: str) -> Iterator[None]:
    """SIGSTOP the suite's PostgreSQL (postmaster and backends) for the block, then SIGCONT it."""
    pgdata = Path(re.search(r"host=([^&]+)", postgres_url).group(1))  # type: ignore[union-attr]
    master = int((pgdata / "postmaster.pid").read_text().split()[0])
    pids = [master, *children(master)]
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)


@dataclass
class Call:
    app: str
    started: float
    ended: float
    status: int | str
    replica: str  # nginx's X-AI-Workers-Replica: the upstream address(es) it tried
    request_id: str | None
    code: str = ""


@dataclass
class Deployment:
    replicas: list[Replica]
    nginx: Nginx
    upstream: UpstreamProcess
    postgres_url: str
    keys: dict[str, str]
    workdir: Path
    calls: list[Call] = field(default_factory=list)
    kill_sent_at: float = 0.0
    killed_at: float = 0.0
    restart_sent_at: float = 0.0
    restarted_at: float = 0.0


def _config(path: Path, data_dir: Path, upstream_url: str, postgres_url: str, redis_url: str) -> None:
    class _Upstream:
        url = upstream_url

    settings = fake_settings(
        None,
        _Upstream(),
        data_dir=str(data_dir),
        database_url=postgres_url,
        redis_url=redis_url,
        log_level="warning",
        rag={"store": "postgres", "embedding_model": "text-embedding-3-small", "warm_up": False},
        apps={CAPPED: {"budgets": [{"period": "daily", "usd": BUDGET_USD}]}},
        retry={**RETRY, "max_attempts": 1},
        cache={"enabled": False},  # every request goes upstream and is recorded with a cost
        routing={"health": {"min_requests": 4, "error_rate_threshold": 0.5, "cooldown_s": 120.0}},
    )
    path.write_text(yaml.safe_dump(msgspec.to_builtins(settings)))


async def _prepare_database(postgres_url: str) -> dict[str, str]:
    """Migrate once (three replicas starting together must not race on it) and create the apps' keys
    in the shared database: a key made anywhere works on every replica."""
    from ai_workers.db.engine import Database
    from ai_workers.server.keys import KeyStore

    db = Database(postgres_url)
    try:
        await db.migrate()
        store = KeyStore(db)
        return {app: (await store.create(app))[1] for app in (CLINIC, CAPPED)}
    finally:
        await db.dispose()


@pytest.fixture(scope="module")
def deployment(
    postgres_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    if nginx_binary() is None:
        pytest.fail("nginx is not installed: scripts/test installs Debian's nginx-light (apt-get)")
    workdir = tmp_path_factory.mktemp("replicas")
    upstream = UpstreamProcess()
    upstream.start()
    replicas: list[Replica] = []
    nginx: Nginx | None = None
    try:
        keys = asyncio.run(_prepare_database(postgres_url))
        for i in range(3):
            config = workdir / f"replica-{i}.yaml"
            _config(config, workdir / f"data-{i}", upstream.url, postgres_url, redis_url)
            replicas.append(Replica(i, config, workdir / f"replica-{i}.log"))
        for replica in replicas:
            replica.start()
        for replica in replicas:
            replica.wait_ready()
        nginx = Nginx([r.port for r in replicas], workdir / "nginx")
        nginx.start()
        yield Deployment(replicas, nginx, upstream, postgres_url, keys, workdir)
    finally:
        if nginx is not None:
            nginx.stop()
        for replica in replicas:
            replica.stop()
        upstream.stop()


# ---------------------------------------------------------------------------------------------------
# Load


async def _user(client: httpx.AsyncClient, dep: Deployment, app: str, n: int, t0: float, stop: float) -> None:
    headers = {"authorization": f"Bearer {dep.keys[app]}"}
    i = 0
    while time.monotonic() < stop:
        i += 1
        body = {"model": "gpt-4o-mini", "max_tokens": 16,
                "messages": [{"role": "user", "content": f"Summarise visit {n}-{i}"}]}  # fmt: skip
        started = time.monotonic() - t0
        try:
            response = await client.post("/v1/chat/completions", json=body, headers=headers)
        except httpx.HTTPError as exc:
            dep.calls.append(Call(app, started, time.monotonic() - t0, type(exc).__name__, "", None))
            continue
        code = ""
        if response.status_code != 200:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                code = str(response.json()["error"].get("code") or "")
        dep.calls.append(
            Call(app, started, time.monotonic() - t0, response.status_code,
                 response.headers.get("x-ai-workers-replica", ""), response.headers.get("x-request-id"), code)
        )  # fmt: skip
        if code == "budget_exceeded":
            await asyncio.sleep(0.2)


async def _drive(dep: Deployment) -> None:
    victim = dep.replicas[2]
    limits = httpx.Limits(max_connections=USERS + 8, max_keepalive_connections=USERS + 8)
    async with httpx.AsyncClient(base_url=dep.nginx.url, timeout=30, limits=limits) as client:
        t0 = time.monotonic()
        stop = t0 + LOAD_S
        users = [
            asyncio.create_task(_user(client, dep, CAPPED if n < CAPPED_USERS else CLINIC, n, t0, stop))
            for n in range(USERS)
        ]
        await asyncio.sleep(KILL_AT_S - FREEZE_S)
        # PostgreSQL stops answering for a moment first, so the victim surely dies holding answered
        # requests' rows that only its journal has (its writer's INSERT is waiting). Nobody's requests
        # wait on the database, so the survivors must not notice.
        with _frozen(dep.postgres_url):
            await asyncio.sleep(FREEZE_S)
            dep.kill_sent_at = time.monotonic() - t0
            victim.kill()
            dep.killed_at = time.monotonic() - t0
        await asyncio.sleep(RESTART_AT_S - KILL_AT_S)
        dep.restart_sent_at = time.monotonic() - t0
        victim.start()  # same port, same data directory: it finds its dead predecessor's journal
        await asyncio.to_thread(victim.wait_ready)
        dep.restarted_at = time.monotonic() - t0
        await asyncio.gather(*users)


@pytest.fixture(scope="module")
def loaded(deployment: Deployment) -> Deployment:
    asyncio.run(_drive(deployment))
    return deployment


def _port(address: str) -> int | None:
    """The port of the replica that answered (the last address nginx tried)."""
    found = re.findall(r":(\d+)", address)
    return int(found[-1]) if found else None


def test_clients_of_the_other_replicas_are_unaffected(loaded: Deployment) -> None:
    dep = loaded
    victim = dep.replicas[2].port
    survivors = {r.port for r in dep.replicas[:2]}
    ok = [c for c in dep.calls if c.status == 200]
    failed = [c for c in dep.calls if c.status != 200 and c.code != "budget_exceeded"]
    print(f"{len(dep.calls)} calls, {len(ok)} answered, errors: {Counter(str(c.status) for c in failed)}")
    # Every error is a request nginx had sent to the killed replica while it was down: in flight when it
    # died, or sent on a kept-alive connection before nginx saw it close (nginx never resends a POST that
    # reached a replica). Nothing else failed: no survivor, and not the replica once it was back. The
    # window is the outage itself, not a fixed margin around the kill, which a loaded machine could
    # overrun (nginx noticing the closed connection late).
    window = (
        f"kill sent {dep.kill_sent_at:.2f} s, dead {dep.killed_at:.2f} s, "
        f"restart sent {dep.restart_sent_at:.2f} s, back {dep.restarted_at:.2f} s"
    )
    for call in failed:
        assert _port(call.replica) == victim, (call, window)
        assert call.ended >= dep.kill_sent_at and call.started < dep.restarted_at, (call, window)
    assert len(failed) <= USERS, window  # at most one request per client connection was caught by it
    # The survivors kept answering through the outage, and the restarted replica took traffic again.
    # "During" ends when the restart is begun, not when it was seen listening: the new process may answer
    # a request in the instant before the 50 ms readiness poll notices it (a run saw that once).
    during = [c for c in ok if dep.killed_at < c.started < dep.restart_sent_at]
    assert during and {_port(c.replica) for c in during} <= survivors, window
    assert {_port(c.replica) for c in ok if c.started < dep.killed_at} == {*survivors, victim}
    assert len(ok) > 100


async def _records(postgres_url: str, ids: list[str]) -> list[tuple[str, str, float]]:
    from sqlalchemy import select

    from ai_workers.db.engine import Database
    from ai_workers.db.models import UsageRecord

    db = Database(postgres_url)
    try:
        async with db.session() as session:
            query = select(UsageRecord.id, UsageRecord.app, UsageRecord.cost_usd).where(
                UsageRecord.app.in_([CLINIC, CAPPED])
            )
            return [(r.id, r.app, float(r.cost_usd or 0)) for r in (await session.execute(query)).all()]
    finally:
        await db.dispose()


def _wait_for_records(dep: Deployment, ids: set[str], timeout: float = 20.0) -> list[tuple[str, str, float]]:
    deadline = time.monotonic() + timeout
    while True:
        rows = asyncio.run(_records(dep.postgres_url, sorted(ids)))
        if ids <= {r[0] for r in rows} or time.monotonic() > deadline:
            return rows
        time.sleep(0.5)


def test_every_answered_request_is_recorded_exactly_once(loaded: Deployment) -> None:
    dep = loaded
    answered = [c.request_id for c in dep.calls if c.status == 200 and c.request_id]
    assert len(answered) == len(set(answered)), "two answers carried the same request id"
    rows = _wait_for_records(dep, set(answered))
    counts = Counter(r[0] for r in rows)
    missing = [i for i in answered if counts[i] == 0]
    doubled = [i for i, n in counts.items() if n > 1]
    assert not missing, f"{len(missing)} answered requests have no usage record"
    assert not doubled, f"{len(doubled)} requests are recorded twice"
    # The killed replica's journal held rows nobody had stored yet; its successor replayed them at start.
    log = dep.replicas[2].log.read_text(errors="replace")
    recovered = sum(int(n) for n in re.findall(r"(\d+) usage rows of a dead process recovered", log))
    print(f"rows recovered from the killed replica's journal at restart: {recovered}")
    assert recovered > 0


def _reported_bound(dep: Deployment) -> float:
    """The overshoot bound ``/api/budgets`` reports for the capped app (0 when it reports none)."""
    response = httpx.get(
        dep.nginx.url + "/api/budgets", headers={"authorization": f"Bearer {dep.keys[CAPPED]}"}, timeout=10
    )
    bound = 0.0

    def visit(value: Any, key: str = "") -> None:
        nonlocal bound
        if isinstance(value, dict):
            for k, v in value.items():
                visit(v, k)
        elif isinstance(value, list):
            for v in value:
                visit(v, key)
        elif isinstance(value, (int, float)) and "bound" in key:
            bound = max(bound, float(value))

    if response.status_code == 200:
        visit(response.json())
    return bound


def test_a_budget_holds_across_replicas(loaded: Deployment) -> None:
    dep = loaded
    capped = [c for c in dep.calls if c.app == CAPPED]
    refused = [c for c in capped if c.code == "budget_exceeded"]
    answered = {c.request_id for c in capped if c.status == 200 and c.request_id}
    assert refused and answered, "the capped app must be both served and refused during the run"
    rows = _wait_for_records(dep, answered)
    spent = sum(cost for _, app, cost in rows if app == CAPPED)
    bound = _reported_bound(dep)
    print(f"capped app: {len(answered)} answered, {len(refused)} refused")
    print(f"capped app: limit ${BUDGET_USD}, recorded spend ${spent:.6f}, reported bound ${bound:.6f}")
    # Admission needs spent + reserved + estimate <= limit in Redis, shared by every replica, and the
    # estimate is an upper bound (max_tokens): the limit holds without slack across replicas.
    assert spent <= BUDGET_USD + bound + 1e-9


def test_rag_collections_are_visible_from_every_replica(deployment: Deployment) -> None:
    dep = deployment
    headers = {"authorization": f"Bearer {dep.keys[CLINIC]}"}
    manual = b"The infusion pump warranty lasts two years from the date of purchase.\n" * 10
    uploaded = httpx.post(
        dep.nginx.url + "/api/rag/documents", data={"collection": "pumps"},
        files=[("files", ("pump.txt", manual))], headers=headers, timeout=60,
    )  # fmt: skip
    assert uploaded.status_code == 200, uploaded.text
    for replica in dep.replicas:
        listed = httpx.get(replica.url + "/api/rag/collections", headers=headers, timeout=30)
        assert listed.status_code == 200, listed.text
        assert "pumps" in {c["name"] for c in listed.json()["data"]}, replica.port
        answer = httpx.post(
            replica.url + "/api/rag/query", headers=headers, timeout=60,
            json={"question": "How long is the pump warranty?", "collection": "pumps"},
        )  # fmt: skip
        assert answer.status_code == 200, answer.text
        assert "two years" in str(answer.json()), replica.port


def _circuit(replica: Replica, key: str) -> str | None:
    response = httpx.get(
        replica.url + "/api/circuits", headers={"authorization": f"Bearer {key}"}, timeout=10
    )
    for entry in response.json()["data"]:
        if entry["provider"] == "openai" and entry["model"] == OUTAGE_MODEL:
            return str(entry["state"])
    return None


def test_an_outage_one_replica_discovers_opens_the_circuit_on_the_others(deployment: Deployment) -> None:
    dep = deployment
    key = dep.keys[CLINIC]
    first, others = dep.replicas[0], dep.replicas[1:]
    # Closed, or not seen yet (a replica that has not sent this model anything since it started).
    assert all(_circuit(r, key) in ("closed", None) for r in dep.replicas)
    dep.upstream.inject("500", times=1000)
    try:
        body = {"model": OUTAGE_MODEL, "messages": [{"role": "user", "content": "are you there?"}]}
        headers = {"authorization": f"Bearer {key}"}
        statuses = []
        # Only the first replica sends anything upstream; its circuit opens after a few failures.
        for _ in range(40):
            statuses.append(
                httpx.post(first.url + "/v1/chat/completions", json=body, headers=headers).status_code
            )
            if _circuit(first, key) == "open":
                break
        assert _circuit(first, key) == "open", statuses
        seen = len([s for s in statuses if s != 200])
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline and not all(_circuit(r, key) == "open" for r in others):
            time.sleep(0.05)
        assert [_circuit(r, key) for r in others] == ["open", "open"], f"after {seen} failures on the first"
    finally:
        dep.upstream.clear()
