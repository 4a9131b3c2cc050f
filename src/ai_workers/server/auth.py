"""Who is calling: API key -> AppIdentity, for every route.

``Authorization: Bearer KEY`` (OpenAI SDKs, Workers AI clients) or ``x-api-key: KEY``. No key or an
unknown/revoked one is 401; an app key on an admin route is 403. Whether the app may use the requested
model is checked in the pipeline (``routing.targets.check_model_allowed``, 403), where aliases and
``auto`` are resolved.

Dev mode (documented in the README): while NO key exists at all and ``AI_WORKERS_REQUIRE_KEYS`` is not
set, calls without a key are accepted from loopback only (a direct TCP peer of 127.0.0.1/::1 and no
proxy headers), as the default app with the admin role, so ``ai-workers serve`` works on a fresh
machine and the first admin key can be created from the dashboard or CLI. Creating the first key ends
dev mode; a key that is presented is always checked, in dev mode too.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Iterable
from typing import TYPE_CHECKING

from starlette.requests import HTTPConnection

from ai_workers.core.context import AppIdentity
from ai_workers.core.errors import AuthenticationError, ConfigurationError, PermissionDeniedError
from ai_workers.server.http import Scope
from ai_workers.server.keys import KeyStore

if TYPE_CHECKING:
    from ai_workers.server.browser_tokens import BrowserTokens

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
_PROXY_HEADERS = frozenset({b"x-forwarded-for", b"forwarded", b"x-real-ip"})
USER_HEADER = b"x-ai-workers-user"


class Authenticator:
    """Resolves the caller of one request from its raw ASGI headers (no per-request allocations)."""

    def __init__(
        self, keys: KeyStore | None, *, default_app: str = "default", require_keys: bool | None = None
    ):
        self.keys = keys
        self.default_app = default_app
        if require_keys is None:
            require_keys = os.environ.get("AI_WORKERS_REQUIRE_KEYS", "").lower() in {"1", "true", "yes"}
        self.require_keys = require_keys
        self._dev_identity = AppIdentity(name=default_app, role="admin")
        self.tokens: BrowserTokens | None = None  # browser tokens (``aiwt_...``), set by create_app

    def admit_new_key(self, scope: Scope) -> Awaitable[None] | None:
        """Before ``identify``: let a key created since the last snapshot be looked up once (see
        ``KeyStore.admit``): the lookup to await, or None for a key the snapshot knows (or none), so
        the common case costs no coroutine. The headers are scanned here once; ``identify`` reuses
        the result."""
        credentials = scope["aiw.credentials"] = _credentials(scope["headers"])
        token = credentials[0]
        if token and self.keys is not None:
            key_id = self.keys.unknown_id(token.decode("latin-1"))
            if key_id is not None:
                return self.keys.admit(key_id)
        return None

    def identify(
        self,
        headers: Iterable[tuple[bytes, bytes]],
        client: tuple[str, int] | None,
        credentials: tuple[bytes | None, bool] | None = None,
    ) -> AppIdentity:
        """The caller's identity, or AuthenticationError (401). ``credentials``: the headers' key and
        proxy flag when already scanned (``admit_new_key`` leaves them in the scope)."""
        token, proxied = credentials or _credentials(headers)
        keys = self.keys
        if token:
            if token.startswith(b"aiwt_") and self.tokens is not None:
                browser = self.tokens.identify(token.decode("latin-1"))
                if browser is None:
                    raise AuthenticationError("The browser token is invalid, expired or revoked.")
                return browser
            if keys is None:
                raise AuthenticationError("API keys are not available on this server.")
            if not keys.loaded:
                raise ConfigurationError(
                    "API keys could not be loaded from the database yet; try again shortly."
                )
            identity = keys.verify(token.decode("latin-1"))
            if identity is None:
                raise AuthenticationError(
                    "Incorrect API key provided. Create one with `ai-workers keys create --app NAME`."
                )
            return identity
        if self._dev_mode_allows(client, proxied):
            return self._dev_identity
        raise AuthenticationError(
            "No API key provided. Send it as `Authorization: Bearer KEY` (or the `x-api-key` header)."
        )

    def _dev_mode_allows(self, client: tuple[str, int] | None, proxied: bool) -> bool:
        if self.require_keys or proxied or client is None or client[0] not in LOOPBACK:
            return False
        if self.keys is None:
            return True
        if not self.keys.loaded:
            raise ConfigurationError("API keys could not be loaded from the database yet; try again shortly.")
        return not self.keys.has_keys


def _credentials(headers: Iterable[tuple[bytes, bytes]]) -> tuple[bytes | None, bool]:
    """(the presented key, whether a proxy header is present) from raw ASGI headers."""
    token: bytes | None = None
    proxied = False
    for name, value in headers:
        if name == b"authorization":
            scheme, _, rest = value.partition(b" ")
            if scheme.lower() == b"bearer":
                token = rest.strip()
        elif name == b"x-api-key":
            token = value.strip()
        elif name in _PROXY_HEADERS:
            proxied = True
    return token, proxied


def header_value(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in headers:
        if key == name:
            return value.decode("utf-8", "replace")
    return None


def _authenticator(conn: HTTPConnection) -> Authenticator:
    auth: Authenticator = conn.app.state.auth
    return auth


def require_app(request: HTTPConnection) -> AppIdentity:
    """Authenticate the request (401 on no/wrong key) and return the calling app."""
    identity: AppIdentity | None = request.scope.get("aiw.identity")
    if identity is None:
        scope = request.scope
        identity = _authenticator(request).identify(
            scope["headers"], scope.get("client"), scope.get("aiw.credentials")
        )
        request.scope["aiw.identity"] = identity
    return identity


def require_admin(request: HTTPConnection) -> AppIdentity:
    """Authenticate and demand the admin role (403 otherwise)."""
    identity = require_app(request)
    if not identity.is_admin:
        raise PermissionDeniedError(
            f"This route needs an admin key; the key for app '{identity.name}' has the app role.",
            code="admin_required",
        )
    return identity


def scoped_app(identity: AppIdentity, requested: str | None, *, what: str = "data") -> str | None:
    """The app a read is limited to (``requested`` is the ``?app=`` parameter): None means every app.

    Admin keys read every app, or the one they ask for; an app's key reads its own app only, and asking
    for another is a 403 rather than a silently empty answer, so the mistake is visible. ``what`` names
    the data in that message. The dashboard and usage APIs share this one rule.
    """
    requested = requested or None
    if identity.token_id is not None:
        raise PermissionDeniedError(
            f"A browser token cannot read the app's {what}; GET /v1/tokens/current shows its own.",
            code="token_scope",
        )
    if identity.is_admin:
        return requested
    if requested is not None and requested != identity.name:
        raise PermissionDeniedError(
            f"The key for app '{identity.name}' can only read its own {what}, not app '{requested}'.",
            param="app",
            code="app_scope",
        )
    return identity.name


def calling_user(request: HTTPConnection, body_user: str | None = None) -> str | None:
    """The end user to attribute: a browser token's own user, else the ``x-ai-workers-user`` header,
    else the OpenAI ``user`` field."""
    identity: AppIdentity | None = request.scope.get("aiw.identity")
    if identity is not None and identity.user is not None:
        return identity.user
    return header_value(request.scope["headers"], USER_HEADER) or body_user
