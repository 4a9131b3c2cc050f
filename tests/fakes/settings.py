"""Settings that point the built-in providers at the fake upstreams, with fake credentials.

The credentials are obviously fake values built at runtime, held in environment variables whose names
no real deployment uses (``AIW_FAKE_*``), so a test that checks "no credentials -> clear error" is not
disturbed by tests that use the fakes, even in the same process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import msgspec

from ai_workers.core.config import Settings, _deep_merge, load_settings

CF_TOKEN_ENV = "AIW_FAKE_CLOUDFLARE_API_TOKEN"
CF_ACCOUNT_ENV = "AIW_FAKE_CLOUDFLARE_ACCOUNT_ID"
OPENAI_KEY_ENV = "AIW_FAKE_OPENAI_API_KEY"
FAKE_ENV = {
    CF_TOKEN_ENV: "test-" + "cf-token",
    CF_ACCOUNT_ENV: "test-" + "account",
    OPENAI_KEY_ENV: "test-" + "openai-key",
}

# Quick timeouts and tiny backoff: tests inject `sleep`, benchmarks should not wait either.
FAST_RETRY = {
    "max_attempts": 3,
    "base_delay_s": 0.001,
    "max_delay_s": 0.01,
    "max_retry_after_s": 30.0,
    "timeout_s": 2.0,
    "connect_timeout_s": 1.0,
}


def _install_env() -> None:
    for name, value in FAKE_ENV.items():
        os.environ.setdefault(name, value)


def workers_credentials() -> dict[str, str]:
    """Keyword arguments for ``FakeWorkersAI`` matching the settings below."""
    return {"account_id": FAKE_ENV[CF_ACCOUNT_ENV], "api_token": FAKE_ENV[CF_TOKEN_ENV]}


def openai_key() -> str:
    return FAKE_ENV[OPENAI_KEY_ENV]


def fake_settings(workers: Any = None, openai: Any = None, **overrides: Any) -> Settings:
    """Settings whose ``cloudflare``/``openai`` providers are the given fakes (disabled when None).

    ``overrides`` are merged into the settings data (e.g. ``retry={"max_attempts": 2}``,
    ``apps={...}``, ``providers={"vllm": {...}}``).
    """
    _install_env()
    base = msgspec.to_builtins(load_settings(env={}))
    base["providers"]["cloudflare"] = {
        "type": "cloudflare",
        "base_url": workers.url if workers is not None else "http://127.0.0.1:9/client/v4",
        "api_token_env": CF_TOKEN_ENV,
        "account_id_env": CF_ACCOUNT_ENV,
        "enabled": workers is not None,
    }
    base["providers"]["openai"] = {
        "type": "openai",
        "base_url": openai.url if openai is not None else "http://127.0.0.1:9/v1",
        "api_key_env": OPENAI_KEY_ENV,
        "enabled": openai is not None,
    }
    base["retry"] = dict(FAST_RETRY)
    return msgspec.convert(_deep_merge(base, overrides), Settings)


@contextmanager
def start_fakes() -> Iterator[tuple[Any, Any]]:
    """Start a FakeWorkersAI and a FakeOpenAI; yields ``(workers, openai)`` and stops them after."""
    from tests.fakes.openai import FakeOpenAI
    from tests.fakes.workers_ai import FakeWorkersAI

    with FakeWorkersAI(**workers_credentials()) as workers, FakeOpenAI(api_key=openai_key()) as openai:
        yield workers, openai
