"""A real gateway server for tests: uvicorn on a free loopback port, in a background thread."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import uvicorn

from ai_workers.core.config import Settings
from ai_workers.gateway import Gateway
from ai_workers.server.app import create_app
from ai_workers.server.keys import KeyStore
from tests.support.services import free_port


class LiveServer:
    """``with LiveServer(settings) as srv:`` -> ``srv.url``; ``srv.create_key(app, ...)`` makes a key."""

    def __init__(self, settings: Settings, **app_options: Any) -> None:
        self.gateway = Gateway(settings)
        self.app = create_app(self.gateway, **app_options)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, loop="asyncio", http="httptools",
            lifespan="on", log_level="warning", access_log=False,
        )  # fmt: skip
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the gateway server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def keys(self) -> KeyStore:
        keys: KeyStore = self.app.state.keys
        return keys

    def call(self, coro: Any) -> Any:
        """Run a coroutine on the server's own event loop (the key store's DB engine lives there)."""
        loop = self.server_loop()
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout=30)

    def server_loop(self) -> asyncio.AbstractEventLoop:
        """The server's loop: where the lifespan started the key store's refresh task."""
        task = self.keys._refresher.task
        assert task is not None, "the server has not started"
        return task.get_loop()

    def create_key(self, app: str, *, role: str = "app", models: list[str] | None = None) -> str:
        _, key = self.call(self.keys.create(app, role=role, models=models))
        return str(key)
