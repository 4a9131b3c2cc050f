"""Browser tokens: short-lived credentials an app's backend mints for one end user of its web front end.

An app key must never reach a browser. The app's backend calls ``POST /v1/tokens`` with its key and gets
``aiwt_<payload>.<signature>``: the payload (base64url JSON) names the app, the minting key, the end user,
the models the token may use, an optional spend cap in USD, an expiry (default 15 minutes) and an id; the
signature is HMAC-SHA256 over the payload with a server secret. The gateway accepts the token wherever it
accepts an app key, as that app with the ``app`` role, but:

- the end user is the token's, whatever the request says (``x-ai-workers-user`` or ``user`` are ignored);
- the models are narrowed to the token's list (and the key's and the app's lists still apply);
- rate limits are counted per end user (``user:<app>:<user>``), not per key;
- the spend cap is checked before each request and charged with each answer's cost (429 when used up);
- it cannot mint tokens, nor read app-wide reports (``/api/usage`` ...): ``GET /v1/tokens/current``
  tells the end user about their own token and the app's budgets;
- revoking the key that minted it revokes it (the key store is checked on every request), and
  ``DELETE /v1/tokens/{id}`` revokes one token (held until the token expires).

With several workers or replicas, revocations and spend are shared (``server.token_sync``: the data
dir's file, or Redis): a revocation reaches every process within half a second, and a cap can be
passed only by what the token's requests cost across processes in that time.

The secret comes from ``AI_WORKERS_TOKEN_SECRET`` or, when unset, from ``browser-token.secret`` in the
data dir (created with 256 random bits, mode 0600, on first use), so every worker of one data dir and
every restart accepts the same tokens. Never from code.

Per-app CORS: ``apps.<name>.cors_origins`` lists the web origins of that app's front end. A preflight
from such an origin is answered; an actual request from it gets CORS headers only when it carries a
browser token of that app, so an app key used from a browser gets none.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ai_workers.core.background import BackgroundTask
from ai_workers.core.config import Settings
from ai_workers.core.context import AppIdentity, RequestContext
from ai_workers.core.errors import BudgetExceededError, InvalidRequestError, PermissionDeniedError
from ai_workers.core.outage import Outage
from ai_workers.server.http import EXPOSED_HEADERS, Receive, Scope, Send
from ai_workers.server.keys import KeyStore
from ai_workers.server.token_sync import SYNC_S, TokenStore

log = logging.getLogger("ai_workers.server.browser_tokens")

TOKEN_PREFIX = "aiwt_"  # noqa: S105 - a prefix, not a secret
SECRET_ENV = "AI_WORKERS_TOKEN_SECRET"  # noqa: S105 - the variable's name, not a secret
SECRET_FILE = "browser-token.secret"  # noqa: S105 - a file name
DEFAULT_TTL_S = 15 * 60
MAX_TTL_S = 24 * 3600
MAX_USER_CHARS = 200


@dataclass(slots=True, frozen=True)
class BrowserToken:
    id: str
    app: str
    key_id: str
    user: str
    models: tuple[str, ...] | None
    max_spend_usd: float | None
    expires_at: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "app": self.app,
            "user": self.user,
            "models": list(self.models) if self.models is not None else None,
            "max_spend_usd": self.max_spend_usd,
            "expires_at": int(self.expires_at),
        }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def load_secret(settings: Settings) -> bytes:
    """The signing secret: from the environment, else the data dir's secret file (created once)."""
    from_env = os.environ.get(SECRET_ENV)
    if from_env:
        return from_env.encode("utf-8")
    directory = settings.resolved_data_dir()
    path = directory / SECRET_FILE
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        _create_secret(path)
    return path.read_bytes().strip()


def _create_secret(path: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker made it first
        return
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_urlsafe(32))


class BrowserTokens:
    """Mint and verify browser tokens; their revocations and spend (both in this process)."""

    def __init__(
        self,
        secret: bytes,
        keys: KeyStore | None,
        clock: Callable[[], float] = time.time,
        *,
        store: TokenStore | None = None,
    ) -> None:
        if len(secret) < 16:
            raise ValueError(f"{SECRET_ENV} must be at least 16 characters")
        self._secret = secret
        self.keys = keys
        self.clock = clock
        self._revoked: dict[str, float] = {}  # token id -> its expiry (forgotten after it)
        self._spent: dict[str, float] = {}  # token id -> USD charged so far (all processes: last sync)
        self._caps: dict[str, BrowserToken] = {}  # token id -> the token, for tokens with a spend cap
        # Shared with the other workers/replicas (server.token_sync): what this process has not sent yet.
        self.store = store
        self._new_revoked: dict[str, float] = {}
        self._unsent: dict[str, float] = {}
        self._sync = BackgroundTask("browser-token-sync")
        self._sync_outage = Outage(log, "sharing browser-token revocations and spend")

    # -- minting ---------------------------------------------------------------------------------

    def mint(
        self,
        identity: AppIdentity,
        *,
        user: str,
        models: list[str] | None = None,
        max_spend_usd: float | None = None,
        ttl_s: float = DEFAULT_TTL_S,
        app: str | None = None,
    ) -> tuple[BrowserToken, str]:
        if identity.token_id is not None:
            raise PermissionDeniedError(
                "A browser token cannot mint tokens; mint them from the app's backend with its key.",
                code="token_cannot_mint",
            )
        if identity.key_id is None:
            raise PermissionDeniedError("Minting a browser token needs an API key.", code="key_required")
        if app is not None and app != identity.name and not identity.is_admin:
            raise PermissionDeniedError(
                f"The key for app '{identity.name}' can only mint tokens for its own app.", param="app"
            )
        if not user or len(user) > MAX_USER_CHARS:
            raise InvalidRequestError(f"user: 1 to {MAX_USER_CHARS} characters are required", param="user")
        if not 1 <= ttl_s <= MAX_TTL_S:
            raise InvalidRequestError(f"ttl_seconds: must be 1 to {MAX_TTL_S}", param="ttl_seconds")
        if max_spend_usd is not None and max_spend_usd < 0:
            raise InvalidRequestError("max_spend_usd: must not be negative", param="max_spend_usd")
        if models is not None and identity.allowed_models is not None:
            outside = [m for m in models if m != "auto" and m not in identity.allowed_models]
            if outside:
                raise PermissionDeniedError(
                    f"The key may not use {', '.join(outside)}; a token cannot widen its key's models.",
                    param="models",
                    code="model_not_allowed",
                )
        token = BrowserToken(
            id=secrets.token_hex(8),
            app=app or identity.name,
            key_id=identity.key_id,
            user=user,
            models=tuple(models) if models is not None else identity.allowed_models,
            max_spend_usd=max_spend_usd,
            expires_at=self.clock() + ttl_s,
        )
        payload = {
            "id": token.id,
            "app": token.app,
            "kid": token.key_id,
            "sub": token.user,
            "models": list(token.models) if token.models is not None else None,
            "cap": token.max_spend_usd,
            "exp": token.expires_at,
        }
        body = _b64(json.dumps(payload, separators=(",", ":")).encode("utf-8"))
        return token, f"{TOKEN_PREFIX}{body}.{self._sign(body)}"

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self._secret, body.encode("ascii"), hashlib.sha256).digest())

    # -- verifying -------------------------------------------------------------------------------

    def parse(self, text: str) -> BrowserToken | None:
        """The token if its signature is right and it has not expired or been revoked, else None."""
        if not text.startswith(TOKEN_PREFIX):
            return None
        body, sep, signature = text[len(TOKEN_PREFIX) :].partition(".")
        if not sep or not hmac.compare_digest(self._sign(body), signature):
            return None
        try:
            data = json.loads(_unb64(body))
            token = BrowserToken(
                id=str(data["id"]),
                app=str(data["app"]),
                key_id=str(data["kid"]),
                user=str(data["sub"]),
                models=tuple(data["models"]) if data["models"] is not None else None,
                max_spend_usd=float(data["cap"]) if data["cap"] is not None else None,
                expires_at=float(data["exp"]),
            )
        except (ValueError, KeyError, TypeError):
            return None
        if token.expires_at <= self.clock() or token.id in self._revoked:
            return None
        if self.keys is not None and not self.keys.is_live(token.key_id):
            return None  # the key that minted it was revoked
        return token

    def identify(self, text: str) -> AppIdentity | None:
        token = self.parse(text)
        if token is None:
            return None
        if token.max_spend_usd is not None and token.id not in self._caps:
            if len(self._caps) > 100_000:
                self._caps.clear()
            self._caps[token.id] = token
            self._start_sync()
        return AppIdentity(
            name=token.app,
            role="app",
            key_id=token.key_id,
            allowed_models=token.models,
            user=token.user,
            token_id=token.id,
        )

    def revoke(self, token_id: str, expires_at: float | None = None) -> None:
        now = self.clock()
        self._revoked = {k: v for k, v in self._revoked.items() if v > now}
        self._revoked[token_id] = expires_at if expires_at is not None else now + MAX_TTL_S
        if self.store is not None:
            self._new_revoked[token_id] = self._revoked[token_id]
            self._start_sync()

    # -- sharing ---------------------------------------------------------------------------------

    async def start(self) -> None:
        """Read every process's revocations and recent spend, then keep doing so (server start)."""
        if self.store is None:
            return
        try:
            await self.sync()
        except Exception as exc:
            self._sync_outage.failed(exc, consequence="this process's revocations and spend only")
        self._start_sync()

    def _start_sync(self) -> None:
        if self.store is not None and self._sync.task is None:
            with contextlib.suppress(RuntimeError):  # no running loop: nothing to share yet
                self._sync.start(self._sync_forever)

    async def _sync_forever(self) -> None:
        while True:
            await asyncio.sleep(SYNC_S)
            try:
                await self.sync()
            except Exception as exc:
                self._sync_outage.failed(exc, consequence="this process's revocations and spend only")
            else:
                self._sync_outage.succeeded()

    async def sync(self) -> None:
        """Send new revocations and spend; adopt every process's (the background task; tests)."""
        assert self.store is not None
        revoked, self._new_revoked = self._new_revoked, {}
        spent, self._unsent = self._unsent, {}
        try:
            live, totals = await self.store.exchange(revoked, spent, list(self._caps))
        except Exception:
            self._new_revoked.update(revoked)
            for token_id, usd in spent.items():
                self._unsent[token_id] = self._unsent.get(token_id, 0.0) + usd
            raise
        self._revoked.update(live)
        self._spent.update(totals)

    async def aclose(self) -> None:
        await self._sync.stop()
        if self.store is not None:
            with contextlib.suppress(Exception):
                await self.sync()
            await self.store.aclose()

    # -- spend cap -------------------------------------------------------------------------------

    def spent(self, token_id: str) -> float:
        return self._spent.get(token_id, 0.0) + self._unsent.get(token_id, 0.0)

    def check_cap(self, token: BrowserToken) -> None:
        """429 (budget_exceeded) when the token's spend cap is used up."""
        cap = token.max_spend_usd
        if cap is not None and self.spent(token.id) >= cap:
            raise BudgetExceededError(
                f"The spend cap of this browser token (${cap:g}) is used up; ask the app for a new token.",
                budget="token",
                resets_at=str(int(token.expires_at)),
                retry_after=max(1.0, token.expires_at - self.clock()),
            )

    def check_cap_of(self, identity: AppIdentity) -> None:
        token = self._caps.get(identity.token_id or "")
        if token is not None:
            self.check_cap(token)

    def charge(self, token_id: str, ctx: RequestContext) -> None:
        if ctx.cost_usd:
            if self.store is not None:
                self._unsent[token_id] = self._unsent.get(token_id, 0.0) + ctx.cost_usd
                self._start_sync()
                return
            if len(self._spent) > 100_000:
                self._spent.clear()
            self._spent[token_id] = self._spent.get(token_id, 0.0) + ctx.cost_usd


# -- per-app CORS ------------------------------------------------------------------------------------

_ALLOW_METHODS = b"GET, POST, DELETE, OPTIONS"
_ALLOW_HEADERS = b"authorization, content-type, x-api-key, x-ai-workers-user"


class AppCors:
    """CORS for the origins in ``apps.<name>.cors_origins`` (the global ``server.cors_origins`` is
    Starlette's middleware, inside this one). Preflights from a listed origin are answered; responses get
    ``Access-Control-Allow-Origin`` only for a browser token of an app that lists the origin."""

    def __init__(self, app: Any, gateway: Any, tokens: BrowserTokens) -> None:
        self.app = app
        self.gateway = gateway
        self.tokens = tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = auth = None
        preflight = False
        for name, value in scope["headers"]:
            if name == b"origin":
                origin = value.decode("latin-1")
            elif name == b"authorization":
                auth = value.decode("latin-1")
            elif name == b"access-control-request-method":
                preflight = True
        if origin is None:
            await self.app(scope, receive, send)
            return
        settings: Settings = self.gateway.config.current
        if origin in settings.server.cors_origins:
            await self.app(scope, receive, send)  # the global CORS middleware answers it
            return
        apps = [name for name, cfg in settings.apps.items() if origin in cfg.cors_origins]
        if not apps:
            await self.app(scope, receive, send)
            return
        allow = [(b"access-control-allow-origin", origin.encode("latin-1")), (b"vary", b"Origin")]
        if scope["method"] == "OPTIONS" and preflight:
            headers = [
                *allow,
                (b"access-control-allow-methods", _ALLOW_METHODS),
                (b"access-control-allow-headers", _ALLOW_HEADERS),
                (b"access-control-max-age", b"600"),
                (b"content-length", b"0"),
            ]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        token = None
        if auth is not None and auth[:7].lower() == "bearer ":
            token = self.tokens.parse(auth[7:].strip())
        if token is None or token.app not in apps:
            await self.app(scope, receive, send)
            return
        expose = (b"access-control-expose-headers", b", ".join(EXPOSED_HEADERS))

        async def send_with_cors(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *allow, expose]}
            await send(message)

        await self.app(scope, receive, send_with_cors)
