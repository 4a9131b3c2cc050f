"""Authenticator decisions without a server: header forms, dev mode, keys not loaded yet."""

from __future__ import annotations

from typing import Any

import pytest

from ai_workers.core.context import AppIdentity
from ai_workers.core.errors import AuthenticationError, ConfigurationError
from ai_workers.server.auth import Authenticator
from ai_workers.server.keys import key_id_of, new_key

LOOPBACK = ("127.0.0.1", 50000)
REMOTE = ("203.0.113.7", 50000)


class StubKeys:
    def __init__(self, keys: dict[str, AppIdentity], *, loaded: bool = True) -> None:
        self.keys, self.loaded = keys, loaded

    @property
    def has_keys(self) -> bool:
        return bool(self.keys)

    def verify(self, key: str) -> AppIdentity | None:
        return self.keys.get(key)


def auth(keys: dict[str, AppIdentity] | None = None, **kw: Any) -> Authenticator:
    return Authenticator(StubKeys(keys or {}, loaded=kw.pop("loaded", True)), require_keys=False, **kw)  # type: ignore[arg-type]


def test_bearer_and_x_api_key_headers() -> None:
    alpha = AppIdentity("alpha", key_id="k")
    a = auth({"secret": alpha})
    assert a.identify([(b"authorization", b"Bearer secret")], REMOTE) is alpha
    assert a.identify([(b"authorization", b"bearer   secret")], REMOTE) is alpha
    assert a.identify([(b"x-api-key", b"secret")], REMOTE) is alpha
    with pytest.raises(AuthenticationError):
        a.identify([(b"authorization", b"Basic secret")], REMOTE)


def test_dev_mode_only_on_direct_loopback_without_keys() -> None:
    assert auth().identify([], LOOPBACK).name == "default"
    with pytest.raises(AuthenticationError):
        auth().identify([], REMOTE)
    with pytest.raises(AuthenticationError):
        auth().identify([(b"x-forwarded-for", b"198.51.100.1")], LOOPBACK)
    with pytest.raises(AuthenticationError):
        auth({"k": AppIdentity("a")}).identify([], LOOPBACK)  # a key exists: dev mode is over
    strict = Authenticator(StubKeys({}), require_keys=True)  # type: ignore[arg-type]
    with pytest.raises(AuthenticationError):
        strict.identify([], LOOPBACK)


def test_keys_not_loaded_is_503_not_401() -> None:
    with pytest.raises(ConfigurationError) as exc:
        auth(loaded=False).identify([(b"authorization", b"Bearer whatever")], REMOTE)
    assert exc.value.status == 503


def test_key_format() -> None:
    key_id, key = new_key()
    assert key_id_of(key) == key_id
    assert key.startswith("aiw_") and len(key) > 50
    for bad in ("", "aiw_", "aiw_short_x", "sk-" + "x" * 40, key.replace("aiw_", "xyz_")):
        assert key_id_of(bad) is None
