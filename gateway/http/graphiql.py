"""GraphiQL served by the gateway, with no internet: the page at `GET /graphql` (a browser
asking for HTML) loads its files from `/graphiql/assets/`, not from a CDN.

The files are an explicit allowlist of files of `web/node_modules` (installed by `make web`,
pinned by `web/package-lock.json`): React and ReactDOM (UMD), js-cookie, GraphiQL's bundle and
stylesheet, and the explorer plugin's. Each is served at
`/graphiql/assets/<package>@<installed version>/<file>`, so a new pin changes the URL and the
files can be cached for good (`immutable`); any other path, traversal included, is a 404 (JSON,
with `extensions.code`). Bodies are read once and kept in memory, gzipped for clients that
accept it (GraphiQL's bundle is 3.5 MB, under 1 MB gzipped).

When a listed file is missing (no Node.js, `make web` never ran) the page says what to run
instead of loading forever. Each page load looks at `web/node_modules` again, so neither a
first `make web` nor a new pin needs a restart.
"""

from __future__ import annotations

import asyncio
import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from gateway.http.execution import error_body
from gateway.http.graphiql_page import graphiql_html, missing_html
from gateway.http.streams import encode_json

# `web/node_modules` of the checkout the gateway runs from (tests point it elsewhere).
ASSET_ROOT = Path(__file__).resolve().parents[2] / "web" / "node_modules"
ASSET_PREFIX = "/graphiql/assets/"
IMMUTABLE = "public, max-age=31536000, immutable"
# The page names the files by version: revalidate it so that a new pin reaches browsers.
PAGE_CACHE_CONTROL = "no-cache"
GRAPHIQL_ASSET_NOT_FOUND = "GRAPHIQL_ASSET_NOT_FOUND"
GRAPHIQL_NOT_INSTALLED = "GRAPHIQL_NOT_INSTALLED"
MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
GZIP_LEVEL = 6


@dataclass(frozen=True, slots=True)
class Asset:
    """One file of an npm package, as its page loads it."""

    package: str
    file: str

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[Path(self.file).suffix]


# In the order the page loads them: stylesheets, then scripts (React first, GraphiQL's bundle
# needs it; the explorer plugin needs both).
STYLESHEETS = (
    Asset("graphiql", "graphiql.min.css"),
    Asset("@graphiql/plugin-explorer", "dist/style.css"),
)
SCRIPTS = (
    Asset("react", "umd/react.production.min.js"),
    Asset("react-dom", "umd/react-dom.production.min.js"),
    Asset("js-cookie", "dist/js.cookie.min.js"),
    Asset("graphiql", "graphiql.min.js"),
    Asset("@graphiql/plugin-explorer", "dist/index.umd.js"),
)
ASSETS = STYLESHEETS + SCRIPTS


@dataclass(frozen=True, slots=True)
class Installed:
    """The allowlisted files found under the asset root, by URL path."""

    files: dict[str, tuple[Asset, Path]]
    page: str


@dataclass(frozen=True, slots=True)
class Body:
    plain: bytes
    gzipped: bytes


class GraphiQL:
    """GraphiQL's page and its files, from `root` (default `ASSET_ROOT`)."""

    def __init__(self, root: Path | None = None) -> None:
        self._root = root if root is not None else ASSET_ROOT
        self._installed: Installed | None = None
        self._bodies: dict[str, Body] = {}

    def routes(self) -> list[BaseRoute]:
        return [Route(ASSET_PREFIX + "{path:path}", self.asset, methods=["GET"])]

    def page(self) -> HTMLResponse:
        """GraphiQL, or the page saying to run `make web` (both 200: a page for people).

        Each page looks at what is installed again, so `make web` (a first install or a new
        pin) needs no restart: the page then names the new files."""
        installed = self._scan()
        headers = {"cache-control": PAGE_CACHE_CONTROL, "vary": "Accept"}
        if installed is None:
            return HTMLResponse(missing_html(self._missing()), headers=headers)
        return HTMLResponse(installed.page, headers=headers)

    async def asset(self, request: Request) -> Response:
        installed = self._installed or self._scan()  # the files the last page named
        if installed is None:
            return _not_found(
                "GraphiQL's files are not installed: run `make web` (needs Node.js and npm)",
                GRAPHIQL_NOT_INSTALLED,
            )
        url = request.url.path
        found = installed.files.get(url)
        if found is None:
            return _not_found(f"No GraphiQL file at {url}", GRAPHIQL_ASSET_NOT_FOUND)
        asset, path = found
        body = self._bodies.get(url)
        if body is None:
            body = await asyncio.to_thread(_read, path)
            self._bodies[url] = body
        headers = {
            "cache-control": IMMUTABLE,
            "vary": "Accept-Encoding",
            "x-content-type-options": "nosniff",
        }
        content = body.plain
        if _accepts_gzip(request.headers.get("accept-encoding")):
            headers["content-encoding"] = "gzip"
            content = body.gzipped
        return Response(content, headers=headers, media_type=asset.media_type)

    def _scan(self) -> Installed | None:
        """The installed files by URL, or None while any is missing."""
        if self._missing():
            self._installed = None
            return None
        urls = {asset: _url(asset, self._version(asset)) for asset in ASSETS}
        if self._installed is None or set(self._installed.files) != set(urls.values()):
            self._installed = Installed(
                {url: (asset, self._path(asset)) for asset, url in urls.items()},
                graphiql_html([urls[a] for a in STYLESHEETS], [urls[a] for a in SCRIPTS]),
            )
            self._bodies.clear()
        return self._installed

    def _missing(self) -> list[str]:
        """The allowlisted files not installed, as paths relative to the checkout."""
        missing = []
        for asset in ASSETS:
            if not self._path(asset).is_file() or not self._version(asset):
                missing.append(f"web/node_modules/{asset.package}/{asset.file}")
        return missing

    def _path(self, asset: Asset) -> Path:
        return self._root / asset.package / asset.file

    def _version(self, asset: Asset) -> str:
        """The installed version of the asset's package ("" when unreadable)."""
        try:
            manifest = json.loads((self._root / asset.package / "package.json").read_text("utf-8"))
        except (OSError, ValueError):
            return ""
        version = manifest.get("version") if isinstance(manifest, dict) else None
        return version if isinstance(version, str) else ""


def _url(asset: Asset, version: str) -> str:
    return f"{ASSET_PREFIX}{asset.package}@{version}/{asset.file}"


def _read(path: Path) -> Body:
    plain = path.read_bytes()
    return Body(plain, gzip.compress(plain, GZIP_LEVEL, mtime=0))


def _accepts_gzip(accept_encoding: str | None) -> bool:
    for entry in (accept_encoding or "").split(","):
        coding, *parameters = (part.strip() for part in entry.split(";"))
        if coding.lower() not in ("gzip", "*"):
            continue
        refused = any(p.replace(" ", "").lower() in ("q=0", "q=0.0", "q=0.00") for p in parameters)
        if not refused:
            return True
    return False


def _not_found(message: str, code: str) -> Response:
    return Response(
        encode_json(error_body(message, code)),
        404,
        media_type="application/json; charset=utf-8",
    )
