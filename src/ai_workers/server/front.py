"""The Starlette app with a front door for the hot API routes: no middleware layers they do not need.

Every request used to cross Starlette's whole stack before its endpoint: the 500-error middleware, the
request guard, per-app CORS, the exception middleware and the router, each an ASGI call and two of them a
``send`` wrapper, around an endpoint (``dispatch.ApiEndpoint``) that already renders its own API errors.
For a request to a hot API route (chat, embeddings, Workers AI run...: static paths found by the
router's one-lookup table, ``hot_router.py``) that carries no ``Origin`` header (a server calling the
API, not a browser: both CORS layers pass those through untouched), ``GatewayApp`` runs the same steps
itself, in the same order, with one ``send`` wrapper:

1. the request guard's checks (``app.RequestGuard.admit``: start time, 413, bounded body, a key created
   since the last snapshot); an exception there is answered as the 500-error middleware answers it;
2. the endpoint; an exception it lets out is answered by the handler the exception middleware would
   pick (the most specific class in ``exception_handlers``, HTTP status handlers first), else by the
   500 handler and re-raised for the server to log, exactly as Starlette does; once the response has
   started nothing more is sent.

Everything else (other routes, a browser's request with ``Origin``, a ``root_path``, websockets,
lifespan) takes Starlette's own path unchanged.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ai_workers.server.dispatch import ApiEndpoint
from ai_workers.server.hot_router import HotRouter
from ai_workers.server.http import Message, Receive, Scope, Send

# What the front door needs of the request guard: admit (or answer) one request, giving the receive to use.
Admit = Callable[[Scope, Receive, Send], Awaitable[Receive | None]]
Handler = Callable[[Request, Exception], Awaitable[Response]]


class GatewayApp(Starlette):
    """``Starlette`` whose hot API routes skip the middleware stack (see the module docstring)."""

    _admit: Admit | None = None
    _known: tuple[Any, ...] = ()
    _fast: dict[tuple[str, str], ApiEndpoint]
    _fast_built_for: int = -1

    def front_door(self, admit: Admit, known: tuple[Any, ...]) -> None:
        """Serve hot API routes directly, admitting each request with ``admit`` (the request guard's).

        ``known``: the middleware classes whose work on an API request without ``Origin`` is ``admit``'s
        or nothing; with any other middleware added (or debug mode's traceback pages) every request
        takes Starlette's path."""
        self._admit = admit
        self._known = known
        self._fast = {}
        self._fast_built_for = -1

    def _build_fast(self, router: HotRouter) -> None:
        self._fast_built_for = len(router.routes)
        self._fast = {}
        if self.debug or getattr(self, "max_body_size", None) is not None:
            return
        if any(m.cls not in self._known for m in self.user_middleware):
            return
        self._fast = {
            key: route.endpoint
            for key, route in router.hot_routes().items()
            if isinstance(route.endpoint, ApiEndpoint) and route.app is route.endpoint
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        admit = self._admit
        if admit is not None and scope["type"] == "http" and not scope.get("root_path"):
            router = self.router
            if isinstance(router, HotRouter):
                if self._fast_built_for != len(router.routes):
                    self._build_fast(router)
                endpoint = self._fast.get((scope["method"], scope["path"]))
                if endpoint is not None and not _has_origin(scope["headers"]):
                    scope["app"] = self
                    await self._serve(admit, endpoint, scope, receive, send)
                    return
        await super().__call__(scope, receive, send)

    async def _serve(
        self, admit: Admit, endpoint: ApiEndpoint, scope: Scope, receive: Receive, send: Send
    ) -> None:
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            admitted = await admit(scope, receive, tracked)
        except Exception as exc:
            await self._server_error(scope, receive, send, exc, started)
            raise
        if admitted is None:
            return  # the guard answered (413)
        try:
            await endpoint(scope, admitted, tracked)
        except Exception as exc:
            handler = self._handler_for(exc)
            if handler is None:
                await self._server_error(scope, admitted, send, exc, started)
                raise
            if started:
                raise RuntimeError("Caught handled exception, but response already started.") from exc
            response = await handler(Request(scope, admitted), exc)
            await response(scope, admitted, send)
            exc.__traceback__ = None  # as Starlette does: reused exception instances pile up tracebacks

    def _handler_for(self, exc: Exception) -> Handler | None:
        """The handler Starlette's exception middleware would call (not the 500 one), or None."""
        handlers: dict[Any, Handler] = self.exception_handlers
        if isinstance(exc, HTTPException) and exc.status_code in handlers and exc.status_code != 500:
            return handlers[exc.status_code]
        for cls in type(exc).__mro__:
            if cls in handlers and cls is not Exception:
                return handlers[cls]
        return None

    async def _server_error(
        self, scope: Scope, receive: Receive, send: Send, exc: Exception, started: bool
    ) -> None:
        """What Starlette's 500-error middleware sends (its caller re-raises, for the server's log)."""
        handlers: dict[Any, Handler] = self.exception_handlers
        handler = handlers.get(500) or handlers.get(Exception)
        if handler is None:
            response: Response = PlainTextResponse("Internal Server Error", status_code=500)
        else:
            response = await handler(Request(scope), exc)
        if not started:
            await response(scope, receive, send)


def _has_origin(headers: list[tuple[bytes, bytes]]) -> bool:
    for name, _ in headers:  # noqa: SIM110 - a plain loop: no generator per request
        if name == b"origin":
            return True
    return False
