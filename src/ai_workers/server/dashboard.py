"""The web dashboard: one HTML page and its static assets, served by the gateway itself.

The page is a small no-build app (vanilla ES modules in ``server/static/``) that signs in with an API
key and reads the JSON APIs (``/api/*``, ``/admin/keys``, ``/health/providers``) with that key, so it
needs no server-side session and sees exactly what the key may see.

Assets are read once, when the routes are built, and served from memory with an ETag (and a gzip
copy for clients that accept it): the files are a few tens of kilobytes, and serving them never
touches the disk or a thread pool. A strict Content-Security-Policy allows only same-origin scripts,
styles and API calls: no CDN, no inline script, so the page works offline and an injected string
cannot run.

``server.dashboard: false`` in the config turns the pages off (404); the read-only dashboard APIs stay,
since they are ordinary authenticated APIs.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from importlib import resources

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from ai_workers.core.errors import InvalidRequestError
from ai_workers.server.routes import dashboard_api

PAGE = "dashboard.html"
_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".svg": "image/svg+xml"}

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


class DashboardNotFoundError(InvalidRequestError):
    status = 404
    code = "not_found"


@dataclass(slots=True, frozen=True)
class Asset:
    body: bytes
    gzipped: bytes | None
    media_type: str
    etag: str


def _asset(name: str, body: bytes) -> Asset:
    suffix = name[name.rfind(".") :] if "." in name else ""
    media_type = _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if media_type.startswith("text/") or media_type.endswith(("+xml", "json")):
        media_type += "; charset=utf-8"
    packed = gzip.compress(body, 9, mtime=0) if len(body) > 1024 else None
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    return Asset(body, packed if packed is not None and len(packed) < len(body) else None, media_type, etag)


def load_assets() -> dict[str, Asset]:
    """Every file in ``server/static`` and its subdirectories (``pages/``, ``vendor/``), by relative path."""
    assets: dict[str, Asset] = {}
    folders = [("", resources.files("ai_workers.server").joinpath("static"))]
    while folders:
        prefix, folder = folders.pop()
        for item in folder.iterdir():
            if item.is_dir():
                folders.append((f"{prefix}{item.name}/", item))
            elif item.is_file():
                assets[prefix + item.name] = _asset(item.name, item.read_bytes())
    return assets


class Dashboard:
    """Serves the page and its assets from memory."""

    def __init__(self, assets: dict[str, Asset] | None = None) -> None:
        self.assets = assets if assets is not None else load_assets()

    def _enabled(self, request: Request) -> None:
        if not request.app.state.gateway.config.current.server.dashboard:
            raise DashboardNotFoundError(
                "The dashboard is turned off on this server (server.dashboard).", code="dashboard_disabled"
            )

    def _serve(self, request: Request, asset: Asset) -> Response:
        headers = {
            "etag": asset.etag,
            "cache-control": "no-cache",
            "vary": "accept-encoding",
            **SECURITY_HEADERS,
        }
        if request.headers.get("if-none-match") == asset.etag:
            return Response(status_code=304, headers=headers)
        body = asset.body
        if asset.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
            body = asset.gzipped
            headers["content-encoding"] = "gzip"
        return Response(body, media_type=asset.media_type, headers=headers)

    async def page(self, request: Request) -> Response:
        self._enabled(request)
        return self._serve(request, self.assets[PAGE])

    async def redirect(self, request: Request) -> Response:
        self._enabled(request)
        return RedirectResponse("/dashboard", status_code=308)

    async def static(self, request: Request) -> Response:
        self._enabled(request)
        name = request.path_params["name"]
        asset = self.assets.get(name)
        if asset is None:
            raise DashboardNotFoundError(f"No dashboard asset named '{name}'.")
        return self._serve(request, asset)


def routes() -> list[BaseRoute]:
    """The pages plus the dashboard's own read-only APIs (``server/routes/dashboard_api.py``)."""
    dashboard = Dashboard()
    return [
        Route("/dashboard", dashboard.page, methods=["GET", "HEAD"]),
        Route("/dashboard/", dashboard.redirect, methods=["GET", "HEAD"]),
        Route("/dashboard/static/{name:path}", dashboard.static, methods=["GET", "HEAD"]),
        *dashboard_api.routes(),
    ]
