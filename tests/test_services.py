"""The suite's own real PostgreSQL and Redis come up (these are never skipped)."""

import asyncio

import asyncpg
import redis.asyncio as aioredis


def test_postgres_has_pgvector(postgres_url: str) -> None:
    async def check() -> tuple[str | None, str]:
        dsn = postgres_url.replace("postgresql+asyncpg", "postgresql")
        host = dsn.split("host=")[1]
        conn = await asyncpg.connect(user="postgres", database="postgres", host=host)
        try:
            version = await conn.fetchval("select extversion from pg_extension where extname='vector'")
            distance = await conn.fetchval("select '[1,0,0]'::vector <=> '[0,1,0]'::vector")
            return version, str(distance)
        finally:
            await conn.close()

    version, cosine_distance = asyncio.run(check())
    assert version is not None, "the vector extension is not installed in the suite's PostgreSQL"
    assert float(cosine_distance) == 1.0  # orthogonal vectors: pgvector's cosine operator really runs


def test_redis_answers(redis_url: str) -> None:
    async def check() -> bool:
        client = aioredis.from_url(redis_url)
        try:
            return bool(await client.ping())
        finally:
            await client.aclose()

    assert asyncio.run(check())
