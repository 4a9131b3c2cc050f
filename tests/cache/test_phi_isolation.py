"""Issue 18: two patients whose notes redact to the same text share a cache entry, never each other's PHI.

Driven over HTTP against a live gateway in front of the fake upstreams, which echo the (redacted) prompt,
on both cache backends: the in-process one (usage in SQLite) and the real Redis the suite starts (usage
in the suite's PostgreSQL, reached through a proxy that the spool test takes down). Every route that
reaches the cache is covered (chat completions, the Responses API, the Workers AI route, RAG answers),
streamed and not, exact and semantic; then everything the gateway wrote (cache entries and semantic
index entries, usage rows, spool files, audit rows, the log) is read back and scanned for the planted
identifiers with the PHI detector.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import text

from ai_workers.cache.backends import MemoryBackend, RedisBackend
from ai_workers.cache.semantic import EmbeddedIndex, RedisIndex
from ai_workers.safety.phi import detector as phi
from ai_workers.safety.redaction import Vault
from tests.fakes.settings import FAST_RETRY, fake_settings, start_fakes
from tests.server.live import LiveServer
from tests.usage.proxy import UnixProxy

TEMPLATE = (
    "Patient {name} (SSN {ssn}, MRN: {mrn}, DOB {dob}) of {address} called from {phone} or {email} "
    "about the biopsy result. Draft a reply."
)
# A paraphrase of TEMPLATE for the semantic cache: a different exact key, a close embedding.
PARAPHRASE = (
    "Patient {name} (SSN {ssn}, MRN: {mrn}, DOB {dob}) of {address} called from {phone} or {email} "
    "about the biopsy result. Please draft a reply."
)
WORKERS_MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
FAST_USAGE = {"flush_interval_s": 0.02, "retry_interval_s": 0.1, "write_timeout_s": 1.0, "max_batch": 50}


@dataclass(frozen=True)
class Patient:
    name: str
    ssn: str
    mrn: str
    dob: str
    address: str
    phone: str
    email: str

    def note(self, template: str = TEMPLATE) -> str:
        return template.format(**self.__dict__)

    @property
    def identifiers(self) -> list[str]:
        return [self.name, self.ssn, self.mrn, self.dob, self.address, self.phone, self.email]


ALICE = Patient(
    "Thaddeus Quimby",
    "123-45-6789",
    "77120934",
    "04/22/1951",
    "12 Maple Street",
    "(415) 555-0182",
    "tq@example.org",
)
BOB = Patient(
    "Marisol Okafor",
    "234-56-7890",
    "88231045",
    "11/03/1962",
    "480 Birch Avenue",
    "(312) 555-0147",
    "marisol.okafor@example.net",
)
CAROL = Patient(
    "Margaret Holloway",
    "345-67-8012",
    "51902377",
    "02/14/1939",
    "95 Cedar Lane",
    "(617) 555-0199",
    "mholloway@example.com",
)
DAVE = Patient(
    "Gregory Castellano",
    "412-38-5561",
    "60448213",
    "09/09/1977",
    "3 Willow Court",
    "(503) 555-0110",
    "g.castellano@example.org",
)
PATIENTS = [ALICE, BOB, CAROL, DAVE]
PLANTED = sorted({value for p in PATIENTS for value in p.identifiers})

APPS: dict[str, Any] = {
    "phiapp": {"phi_policy": "redact"},
    "phisem": {"phi_policy": "redact", "cache": {"semantic": {"enabled": True}}},
    "phirag": {"phi_policy": "redact", "rag": {"chat_model": "gpt-4o-mini"}},
}


def redacted(note: str) -> str:
    """What the gateway sends upstream (and keys the cache on) for this note."""
    return Vault().redact(note, phi.detect(note))


# ---------------------------------------------------------------------------------------------------
# The stack: one live gateway per backend


@dataclass
class Stack:
    backend: str
    server: LiveServer
    data_dir: Path
    keys: dict[str, str]
    proxy: UnixProxy | None = None

    @property
    def gateway(self) -> Any:
        return self.server.gateway

    def settle(self) -> None:
        """Wait for the cache's background writes (stores happen after the answer is sent; the semantic
        index embeds the prompt first, and the first embedding loads the local model)."""
        done = asyncio.run_coroutine_threadsafe(self.gateway.cache.flush(), self.server.server_loop())
        done.result(timeout=600)  # a bound against a hang, not a timing assertion

    def clear_cache(self) -> None:
        for app in APPS:
            r = post(self, "admin", "/admin/cache/invalidate", {"app": app})
            assert r.status_code == 200, r.text


@pytest.fixture(scope="module")
def fakes() -> Iterator[tuple[Any, Any]]:
    with start_fakes() as pair:
        yield pair


async def _pg_exec(url: str, sql: str) -> None:
    import asyncpg

    host = re.search(r"host=([^&]+)", url)
    assert host is not None
    conn = await asyncpg.connect(user="postgres", host=host.group(1), database="postgres")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="module", params=["memory", "redis"])
def stack(
    request: pytest.FixtureRequest, fakes: tuple[Any, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    workers, openai = fakes
    data_dir = tmp_path_factory.mktemp(f"phi-{request.param}")
    overrides: dict[str, Any] = {
        "data_dir": str(data_dir),
        "apps": APPS,
        "usage": FAST_USAGE,
        "rag": {"store": "embedded", "url": str(data_dir / "rag.db")},
        # The local embedding model (semantic cache, RAG) may take seconds to load on a busy machine.
        "retry": {**FAST_RETRY, "timeout_s": 60.0},
    }
    proxy: UnixProxy | None = None
    database = None
    if request.param == "redis":
        redis_url: str = request.getfixturevalue("redis_url")
        postgres_url: str = request.getfixturevalue("postgres_url")
        overrides["cache"] = {
            "backend": "redis",
            "redis_url": redis_url,
            "redis_prefix": f"aiw-{uuid.uuid4().hex[:8]}:cache:",
        }
        database = "aiw_" + uuid.uuid4().hex[:12]
        asyncio.run(_pg_exec(postgres_url, f"CREATE DATABASE {database}"))
        host = re.search(r"host=([^&]+)", postgres_url)
        assert host is not None
        proxy = UnixProxy(host.group(1), data_dir / "pg-proxy").start()
        overrides["database_url"] = proxy.url(database)
    settings = fake_settings(workers, openai, **overrides)
    try:
        with LiveServer(settings) as server:
            keys = {"admin": server.create_key("ops", role="admin")}
            keys.update({app: server.create_key(app) for app in APPS})
            ready = Stack(request.param, server, data_dir, keys, proxy)
            ready.settle()  # the semantic embedder's warm-up has finished
            yield ready
    finally:
        if proxy is not None:
            proxy.close()
        if database is not None:
            asyncio.run(_pg_exec(postgres_url, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))


# ---------------------------------------------------------------------------------------------------
# Calling the gateway the way apps do


@dataclass
class Reply:
    text: str
    cache: str | None


def post(s: Stack, key: str, path: str, body: dict[str, Any]) -> httpx.Response:
    headers = {"Authorization": f"Bearer {s.keys[key]}"}
    return httpx.post(s.server.url + path, json=body, headers=headers, timeout=60)


def _events(s: Stack, key: str, path: str, body: dict[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
    headers = {"Authorization": f"Bearer {s.keys[key]}"}
    events: list[dict[str, Any]] = []
    with httpx.stream("POST", s.server.url + path, json=body, headers=headers, timeout=60) as r:
        assert r.status_code == 200, r.read().decode()
        cache = r.headers.get("x-ai-workers-cache")
        for line in r.iter_lines():
            if line.startswith("data: ") and line != "data: [DONE]":
                events.append(json.loads(line[6:]))
    return events, cache


def chat(s: Stack, app: str, note: str, *, stream: bool) -> Reply:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": note}], "stream": stream}
    if stream:
        events, cache = _events(s, app, "/v1/chat/completions", body)
        pieces = [c["delta"].get("content") or "" for e in events for c in e.get("choices", [])]
        return Reply("".join(pieces), cache)
    r = post(s, app, "/v1/chat/completions", body)
    assert r.status_code == 200, r.text
    return Reply(r.json()["choices"][0]["message"]["content"], r.headers.get("x-ai-workers-cache"))


def responses(s: Stack, app: str, note: str, *, stream: bool) -> Reply:
    body = {"model": "gpt-4o-mini", "input": note, "stream": stream}
    if stream:
        events, cache = _events(s, app, "/v1/responses", body)
        deltas = [e["delta"] for e in events if e.get("type") == "response.output_text.delta"]
        return Reply("".join(deltas), cache)
    r = post(s, app, "/v1/responses", body)
    assert r.status_code == 200, r.text
    parts = [
        part["text"]
        for item in r.json()["output"]
        if item["type"] == "message"
        for part in item["content"]
        if part["type"] == "output_text"
    ]
    return Reply("".join(parts), r.headers.get("x-ai-workers-cache"))


def workers_ai(s: Stack, app: str, note: str, *, stream: bool) -> Reply:
    path = f"/client/v4/accounts/any-account/ai/run/{WORKERS_MODEL}"
    body = {"messages": [{"role": "user", "content": note}], "stream": stream}
    if stream:
        events, cache = _events(s, app, path, body)
        return Reply("".join(e.get("response") or "" for e in events), cache)
    r = post(s, app, path, body)
    assert r.status_code == 200, r.text
    return Reply(r.json()["result"]["response"], r.headers.get("x-ai-workers-cache"))


ROUTES = {"chat": chat, "responses": responses, "workers_ai": workers_ai}


def assert_only_own(reply: Reply, own: Patient, others: list[Patient]) -> None:
    """The caller gets the echo of its own note back, with its own identifiers and no one else's."""
    assert reply.text == "Echo: " + own.note(), reply.text
    leaked = [v for other in others for v in other.identifiers if v in reply.text]
    assert leaked == [], f"another patient's identifiers reached this caller: {leaked}"


# ---------------------------------------------------------------------------------------------------
# The reported steps, on every route, both orders


ORDERS = [(True, False), (False, True), (True, True)]


@pytest.mark.parametrize("route", sorted(ROUTES))
@pytest.mark.parametrize(
    ("first_stream", "second_stream"), ORDERS, ids=["streamed-then-plain", "plain-then-streamed", "streamed"]
)
def test_second_patient_gets_the_cached_answer_with_only_their_own_identifiers(
    stack: Stack, route: str, first_stream: bool, second_stream: bool
) -> None:
    assert redacted(ALICE.note()) == redacted(BOB.note())  # one cache key for both notes
    stack.clear_cache()
    ask = ROUTES[route]
    first = ask(stack, "phiapp", ALICE.note(), stream=first_stream)
    assert first.cache == "miss"
    assert_only_own(first, ALICE, [BOB])
    stack.settle()
    second = ask(stack, "phiapp", BOB.note(), stream=second_stream)
    assert second.cache == "hit"  # the shared, redacted answer...
    assert_only_own(second, BOB, [ALICE])  # ...restored with Bob's own values only
    third = ask(stack, "phiapp", ALICE.note(), stream=not first_stream)
    assert third.cache == "hit"
    assert_only_own(third, ALICE, [BOB])


@pytest.mark.parametrize(
    ("first_stream", "second_stream"), ORDERS, ids=["streamed-then-plain", "plain-then-streamed", "streamed"]
)
def test_semantic_cache_app_never_serves_another_patients_identifiers(
    stack: Stack, first_stream: bool, second_stream: bool
) -> None:
    stack.clear_cache()
    first = chat(stack, "phisem", CAROL.note(), stream=first_stream)
    assert first.cache == "miss"
    assert_only_own(first, CAROL, [DAVE])
    stack.settle()
    exact = chat(stack, "phisem", DAVE.note(), stream=second_stream)
    assert exact.cache == "hit"
    assert_only_own(exact, DAVE, [CAROL])
    # A paraphrase about Dave misses the exact cache and is answered from the semantic index, with the
    # stored answer (an echo of the first, redacted note) restored with Dave's identifiers.
    paraphrase = chat(stack, "phisem", DAVE.note(PARAPHRASE), stream=second_stream)
    assert paraphrase.cache == "semantic_hit"
    assert paraphrase.text == "Echo: " + DAVE.note()
    assert not [v for v in CAROL.identifiers if v in paraphrase.text]


# ---------------------------------------------------------------------------------------------------
# Property: any two notes that redact alike never see each other's values

FIRST_NAMES = ["Thaddeus", "Marisol", "Margaret", "Gregory", "Eleanor", "Harold", "Beatrice", "Winston"]
LAST_NAMES = ["Quimby", "Okafor", "Holloway", "Castellano", "Pemberton", "Whitaker", "Delacroix", "Ashford"]
STREETS = ["Maple Street", "Birch Avenue", "Cedar Lane", "Willow Court", "Harbor Road", "Elm Drive"]
AREAS = ["415", "312", "617", "503", "206", "512"]


@st.composite
def patients(draw: st.DrawFn) -> Patient:
    area = draw(st.integers(100, 665))
    group = draw(st.integers(10, 99))
    serial = draw(st.integers(1000, 9999))
    month, day, year = draw(st.integers(1, 12)), draw(st.integers(1, 28)), draw(st.integers(1930, 2005))
    handle = draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=10))
    return Patient(
        name=f"{draw(st.sampled_from(FIRST_NAMES))} {draw(st.sampled_from(LAST_NAMES))}",
        ssn=f"{area:03d}-{group:02d}-{serial:04d}",
        mrn=str(draw(st.integers(10_000_000, 99_999_999))),
        dob=f"{month:02d}/{day:02d}/{year}",
        address=f"{draw(st.integers(1, 999))} {draw(st.sampled_from(STREETS))}",
        phone=f"({draw(st.sampled_from(AREAS))}) 555-01{draw(st.integers(0, 99)):02d}",
        email=f"{handle}@example.org",
    )


def _distinct(a: Patient, b: Patient) -> bool:
    """No identifier of one is part of the other's note (else "seeing" it would be no leak)."""
    return not any(v in b.note() for v in a.identifiers) and not any(v in a.note() for v in b.identifiers)


@given(
    a=patients(),
    b=patients(),
    route=st.sampled_from(sorted(ROUTES)),
    first_stream=st.booleans(),
    second_stream=st.booleans(),
)
@hypothesis_settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_property_notes_that_redact_alike_never_see_each_others_values(
    stack: Stack, a: Patient, b: Patient, route: str, first_stream: bool, second_stream: bool
) -> None:
    assume(_distinct(a, b))
    assume(redacted(a.note()) == redacted(b.note()))
    stack.clear_cache()
    ask = ROUTES[route]
    first = ask(stack, "phiapp", a.note(), stream=first_stream)
    stack.settle()
    second = ask(stack, "phiapp", b.note(), stream=second_stream)
    assert second.cache == "hit"
    assert not [v for v in a.identifiers if v in second.text]
    assert not [v for v in b.identifiers if v in first.text]
    assert second.text == "Echo: " + b.note() and first.text == "Echo: " + a.note()


# ---------------------------------------------------------------------------------------------------
# Everything the gateway wrote, read back and scanned


def _texts(value: Any, depth: int = 0) -> Iterator[str]:
    """Every string inside a stored value: msgpack is unpacked (entries nest msgpack in msgpack)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
        yield raw.decode("utf-8", "replace")
        if depth < 4:
            try:
                inner = msgspec.msgpack.decode(raw)
            except (msgspec.DecodeError, ValueError, TypeError):
                return
            yield from _texts(inner, depth + 1)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _texts(k, depth)
            yield from _texts(v, depth)
    elif isinstance(value, list | tuple | set):
        for item in value:
            yield from _texts(item, depth)
    elif value is not None:
        yield str(value)


def phi_found(texts: list[str], where: str) -> list[str]:
    """Planted identifiers in ``texts``: verbatim, or as a span the PHI detector finds."""
    found = []
    for piece in texts:
        for value in PLANTED:
            if value in piece:
                found.append(f"{where}: {value!r} in clear")
        for span in phi.default_detector().detect(piece):
            if piece[span.start : span.end] in PLANTED:
                found.append(f"{where}: {span.type} {piece[span.start : span.end]!r}")
    return found


async def _cache_contents(gateway: Any) -> list[tuple[str, Any]]:
    """Every key and value the cache holds: exact entries and semantic index entries, either backend."""
    stage = gateway.cache
    await stage.flush()
    out: list[tuple[str, Any]] = []
    backend, index = stage.backend, stage.index
    if isinstance(backend, MemoryBackend):
        out.extend((key, raw) for key, (_, raw) in backend._data.items())
    if isinstance(index, EmbeddedIndex):
        for scope, held in index._scopes.items():
            out.extend((scope, (e.features, e.answer)) for e in held.entries)
    prefixes = []
    if isinstance(backend, RedisBackend):
        prefixes.append(backend.prefix)
    if isinstance(index, RedisIndex):
        prefixes.append(index.prefix)
    client = backend.redis if isinstance(backend, RedisBackend) else None
    for prefix in prefixes:
        assert client is not None
        async for key in client.scan_iter(match=prefix + "*"):
            kind = (await client.type(key)).decode()
            if kind == "string":
                value: Any = await client.get(key)
            elif kind == "hash":
                value = await client.hgetall(key)
            elif kind == "zset":
                value = await client.zrange(key, 0, -1, withscores=True)
            elif kind == "list":
                value = await client.lrange(key, 0, -1)
            elif kind == "set":
                value = await client.smembers(key)
            else:
                value = kind
            out.append((key.decode(), value))
    return out


async def _table_rows(gateway: Any, table: str) -> list[str]:
    await gateway.usage.flush()
    async with gateway.usage.database.session() as session:
        rows = (await session.execute(text(f"select * from {table}"))).all()  # fixed table names
    return [repr(tuple(row)) for row in rows]


def _drive_every_path(s: Stack) -> list[str]:
    """Each patient once on each route, streamed and plain, and through a RAG answer; returns where a
    caller was shown another patient's identifier (checked after the scans, so that a scan failure
    shows what was written)."""
    problems = []

    def check(where: str, body: str, patient: Patient) -> None:
        others = [v for p in PATIENTS if p is not patient for v in p.identifiers if v in body]
        if others:
            problems.append(f"{where} for {patient.name}: shown {others}")

    for i, patient in enumerate(PATIENTS):
        for route, ask in ROUTES.items():
            for stream in (i % 2 == 0, i % 2 == 1):
                reply = ask(s, "phiapp", patient.note(), stream=stream)
                check(f"{route} stream={stream}", reply.text, patient)
        sem = chat(s, "phisem", patient.note(PARAPHRASE if i % 2 else TEMPLATE), stream=i % 2 == 0)
        check("semantic app", sem.text, patient)
        answer = post(
            s,
            "phirag",
            "/api/rag/query",
            {"question": patient.note(), "collection": "notes", "options": {"answer_mode": "generative"}},
        )
        assert answer.status_code == 200, answer.text
        check("rag answer", answer.text, patient)
    return problems


def _upload_rag_document(s: Stack) -> None:
    r = httpx.post(
        s.server.url + "/api/rag/documents",
        headers={"Authorization": f"Bearer {s.keys['phirag']}"},
        data={"collection": "notes"},
        files=[("files", ("biopsy.txt", b"Biopsy results are discussed with the patient by phone."))],
        timeout=60,
    )
    assert r.status_code in (200, 201), r.text


def test_nothing_the_gateway_wrote_holds_a_planted_identifier(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server = stack.server
    stack.clear_cache()
    _upload_rag_document(stack)
    spooled: list[str] = []
    if stack.proxy is not None:
        # The usage database goes away for one round: records and audit events wait in the spool.
        stack.proxy.down()
        try:
            shown = _drive_every_path(stack)
            server.call(stack.gateway.usage.flush())
            spool_dir = stack.data_dir / "spool"
            files = [p for p in spool_dir.rglob("*") if p.is_file()]
            assert files, "the usage records were spooled while the database was down"
            spooled = [p.read_text(errors="replace") for p in files]
        finally:
            stack.proxy.up()
    else:
        shown = []
    shown += _drive_every_path(stack)

    cached = server.call(_cache_contents(stack.gateway))
    for app, kind in (("phiapp", "chat"), ("phirag", "rag")):
        assert any(f":{app}:{kind}:" in key or key.startswith(f"{app}:{kind}:") for key, _ in cached)
    assert any("semantic" in key for key, _ in cached)  # the semantic index was written too
    cache_texts = [t for key, value in cached for t in [key, *_texts(value)]]
    problems = phi_found(cache_texts, "cache")

    for _ in range(100):  # the writer replays the spool once the database is back
        server.call(stack.gateway.usage.flush())
        if not stack.gateway.usage.spool.segments():
            break
    usage_rows = server.call(_table_rows(stack.gateway, "usage_records"))
    audit_rows = server.call(_table_rows(stack.gateway, "audit_log"))
    assert len(usage_rows) >= 2 * len(PATIENTS) * len(ROUTES)
    assert any("cache_invalidate" in row for row in audit_rows)
    problems += phi_found(usage_rows, "usage_records")
    problems += phi_found(audit_rows, "audit_log")
    problems += phi_found(spooled, "spool")
    leftover = [p.read_text(errors="replace") for p in (stack.data_dir / "spool").rglob("*") if p.is_file()]
    problems += phi_found(leftover, "spool")
    problems += phi_found([r.getMessage() for r in caplog.records], "log")
    problems += phi_found([caplog.text], "log output")
    assert problems == []
    assert shown == []
