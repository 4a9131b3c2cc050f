"""Starlette's router with a dictionary in front: an exact path and method go straight to their route.

Starlette's ``Router`` finds a request's route by trying each route in order (a regular expression match
and a scope update per route tried), then ``Route.handle`` checks the method again: on the hot API
routes that walk was a measurable share of the gateway's own CPU per request. ``HotRouter`` answers the
same question with one dictionary lookup for the routes where the answer cannot differ: static paths
(no parameters) whose request no earlier route would also match in full, checked against every earlier
route when the table is built. Everything else (parameters, mounts, wrong methods, a ``root_path``,
lifespan) takes Starlette's own path, and the exception middleware around the router is unchanged, so
errors are handled exactly as before.
"""

from __future__ import annotations

from typing import Any

from starlette.routing import Match, Route, Router

from ai_workers.server.http import Receive, Scope, Send


class HotRouter(Router):
    """A ``Router`` whose static routes are found by ``(method, path)`` in one lookup."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._hot: dict[tuple[str, str], Route] = {}
        self._hot_built_for = -1  # len(self.routes) the table was built for (routes may be added later)

    def _build_hot(self) -> None:
        table: dict[tuple[str, str], Route] = {}
        for index, route in enumerate(self.routes):
            if not isinstance(route, Route) or route.param_convertors or not route.methods:
                continue
            for method in route.methods:
                key = (method, route.path)
                if key in table:
                    continue  # an earlier static route already owns it
                probe = {"type": "http", "method": method, "path": route.path, "root_path": "", "headers": []}
                if any(earlier.matches(probe)[0] is Match.FULL for earlier in self.routes[:index]):
                    continue  # an earlier route (parameters, a mount) would take it: leave it to Starlette
                if route.matches(probe)[0] is Match.FULL:
                    table[key] = route
        self._hot = table
        self._hot_built_for = len(self.routes)

    def hot_routes(self) -> dict[tuple[str, str], Route]:
        """The ``(method, path)`` table (current for the routes as they are now)."""
        if self._hot_built_for != len(self.routes):
            self._build_hot()
        return self._hot

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("root_path"):
            if self._hot_built_for != len(self.routes):
                self._build_hot()
            route = self._hot.get((scope["method"], scope["path"]))
            if route is not None:
                # What Router.app and Route.matches/handle leave in the scope for a full match.
                if "router" not in scope:
                    scope["router"] = self
                scope["route"] = route
                scope["endpoint"] = route.endpoint
                scope["path_params"] = dict(scope.get("path_params", {}))
                await route.app(scope, receive, send)
                return
        await super().app(scope, receive, send)
