"""A Unix-socket TCP proxy in front of the test PostgreSQL, so a test can make the database vanish
(refuse new connections and cut open ones) and come back, without stopping the shared server."""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import threading
from pathlib import Path


class UnixProxy:
    def __init__(self, target_dir: str, listen_dir: Path) -> None:
        sockets = [p for p in glob.glob(os.path.join(target_dir, ".s.PGSQL.*")) if not p.endswith(".lock")]
        assert sockets, f"no PostgreSQL socket in {target_dir}"
        self.target = sockets[0]
        self.port = self.target.rsplit(".", 1)[1]
        listen_dir.mkdir(parents=True, exist_ok=True)
        self.listen_dir = listen_dir
        self.path = str(listen_dir / f".s.PGSQL.{self.port}")
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server: asyncio.AbstractServer | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.connections = 0

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@/{database}?host={self.listen_dir}&port={self.port}"

    def _call(self, coro: object) -> None:
        asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)  # type: ignore[arg-type]

    def start(self) -> UnixProxy:
        self.thread.start()
        self.up()
        return self

    def up(self) -> None:
        self._call(self._up())

    def down(self) -> None:
        """Stop listening and cut every open connection: to a client, the database is gone."""
        self._call(self._down())

    def close(self) -> None:
        self.down()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    async def _up(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        self.server = await asyncio.start_unix_server(self._handle, path=self.path)

    async def _down(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        for writer in list(self.writers):
            writer.transport.abort()
        self.writers.clear()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            up_reader, up_writer = await asyncio.open_unix_connection(self.target)
        except OSError:
            writer.transport.abort()
            return
        self.writers.update((writer, up_writer))

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                dst.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self.writers.discard(writer)
        self.writers.discard(up_writer)
