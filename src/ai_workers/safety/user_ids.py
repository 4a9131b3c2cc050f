"""End-user ids that carry an identifier are replaced by a keyed pseudonym before anything keeps them.

The end-user id (``x-ai-workers-user`` header, OpenAI's ``user`` field, ``Client(user=...)``) is
recorded with every usage row, keys per-user budgets and A/B stickiness, and shows in reports. Apps are
asked to send opaque ids, but OpenAI's own docs suggest a user's email, hashed or not, and an app that
sends a patient's email or phone number there would put PHI in every record. So each id is scanned
once (the PHI detector, ~20 us for an id; results are cached) and an id holding an identifier becomes
``user-<HMAC-SHA256>``: stable, so budgets and stickiness still work per user, and not reversible
without the key (a plain hash of an email is: emails can be enumerated).

The key comes from ``AI_WORKERS_USER_ID_KEY`` (set the same value on every host that shares a
database, so one user has one pseudonym everywhere), else from ``<data dir>/user-id.key``, created
once with owner-only permissions.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from ai_workers.safety.phi.spans import Span

log = logging.getLogger("ai_workers.safety")

KEY_ENV = "AI_WORKERS_USER_ID_KEY"
KEY_FILE = "user-id.key"
PREFIX = "user-"
_CACHE_SIZE = 10_000


class UserIds:
    """``recordable(user)``: the id as given when it holds no identifier, else its pseudonym."""

    def __init__(self, detect: Callable[[str], list[Span]], data_dir: Callable[[], Path]) -> None:
        self._detect = detect
        self._data_dir = data_dir
        self._key: bytes | None = None
        self._seen: OrderedDict[str, str] = OrderedDict()

    def recordable(self, user: str) -> str:
        known = self._seen.get(user)
        if known is not None:
            self._seen.move_to_end(user)
            return known
        value = self._pseudonym(user) if self._detect(user) else user
        self._seen[user] = value
        if len(self._seen) > _CACHE_SIZE:
            self._seen.popitem(last=False)
        return value

    def _pseudonym(self, user: str) -> str:
        digest = hmac.new(self._secret(), user.encode("utf-8"), hashlib.sha256).hexdigest()
        return PREFIX + digest[:24]

    def _secret(self) -> bytes:
        if self._key is None:
            from_env = os.environ.get(KEY_ENV)
            self._key = from_env.encode("utf-8") if from_env else _key_file(self._data_dir() / KEY_FILE)
            log.info(
                "an end-user id holding an identifier (an email, a phone number...) was replaced by a "
                "pseudonym; send opaque user ids%s",
                "" if from_env else f", and set {KEY_ENV} alike on every host sharing a database",
            )
        return self._key


def _key_file(path: Path) -> bytes:
    """The key in ``path``, created (owner-only) if missing. The file appears whole (written aside,
    then hard-linked into place), so two processes racing to create it both end with the winner's key."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(secrets.token_hex(32).encode("ascii"))
    try:
        os.link(aside, path)
    except FileExistsError:
        pass  # another process made it first: use theirs
    finally:
        aside.unlink()
    return path.read_bytes()
