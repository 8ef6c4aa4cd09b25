"""`/app/`: the reference booking app (`web/app/`), as `make web` builds it into `web/dist/app/`.

- `index.html` is `no-cache` (revalidated every time, so a new build shows at once); the
  bundles are named by content hash and served `immutable` for a year. Every file has an
  explicit content type, `nosniff`, an ETag and answers conditional requests (304).
- The page runs only its own scripts and styles and talks only to this origin (CSP).
- Without a build, `/app/` answers a short page saying to run `make web` (503: the gateway
  works, this part of it is not there yet).
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

# Next to the package in a checkout (`pip install -e`, `make run`), where `make web` builds.
APP_DIR = Path(__file__).resolve().parents[2] / "web" / "dist" / "app"
INDEX = "index.html"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
}
REVALIDATE = "no-cache"
IMMUTABLE = "public, max-age=31536000, immutable"
# Own scripts and styles only; fetches to this origin only (the gateway's /graphql).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
    "object-src 'none'"
)

MISSING_BUILD = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reference app not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto">
<h1>The reference app is not built yet</h1>
<p>The gateway serves the booking app from <code>web/dist/app/</code>, which
<code>make web</code> builds (it needs Node.js and npm):</p>
<pre><code>make web</code></pre>
<p>Then reload this page. The GraphQL API works without it:
<a href="/graphql">/graphql</a>.</p>
</body>
</html>
"""


class AppFiles(StaticFiles):
    """The built app's files, with the content types and cache headers above."""

    def __init__(self, directory: Path = APP_DIR) -> None:
        super().__init__(directory=directory, html=True, check_dir=False)
        self.root = directory

    async def get_response(self, path: str, scope: Scope) -> Response:
        if not (self.root / INDEX).is_file():
            return HTMLResponse(MISSING_BUILD, 503, {"cache-control": "no-store"})
        return await super().get_response(path, scope)

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        name = Path(full_path).name
        suffix = Path(name).suffix.lower()
        headers = {
            "cache-control": REVALIDATE if name == INDEX else IMMUTABLE,
            "x-content-type-options": "nosniff",
        }
        if suffix == ".html":
            headers["content-security-policy"] = CONTENT_SECURITY_POLICY
            headers["referrer-policy"] = "strict-origin"
        response = FileResponse(
            full_path,
            status_code=status_code,
            headers=headers,
            media_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
            stat_result=stat_result,
        )
        if self.is_not_modified(response.headers, Headers(scope=scope)):
            return NotModifiedResponse(response.headers)
        return response

    async def check_config(self) -> None:
        """Nothing to check: a missing build is answered with the page above."""


def app_page_routes(directory: Path = APP_DIR) -> list[BaseRoute]:
    """`/app/...` (and `/app`, redirected to `/app/`)."""
    return [Mount("/app", app=AppFiles(directory), name="app")]
