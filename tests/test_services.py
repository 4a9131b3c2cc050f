"""The suite's own real PostgreSQL and Redis come up (these are never skipped)."""

import asyncio

import asyncpg
import redis.asyncio as aioredis


def test_postgres_has_pgvector(postgres_url: str) -> None:
    async def check() -> str:
        dsn = postgres_url.replace("postgresql+asyncpg", "postgresql")
        host = dsn.split("host=")[1]
        conn = await asyncpg.connect(user="postgres", database="postgres", host=host)
        try:
            return str(await conn.fetchval("select extversion from pg_extension where extname='vector'"))
        finally:
            await conn.close()

    assert asyncio.run(check())


def test_redis_answers(redis_url: str) -> None:
    async def check() -> bool:
        client = aioredis.from_url(redis_url)
        try:
            return bool(await client.ping())
        finally:
            await client.aclose()

    assert asyncio.run(check())
