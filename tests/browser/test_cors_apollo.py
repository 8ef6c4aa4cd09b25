"""CORS in Chromium: an Apollo Client page on another origin (`http://localhost:<port>`, the
gateway being on `http://127.0.0.1:<port>`) queries the gateway. Its requests carry
`content-type: application/json` and Apollo's client-awareness headers, so the browser asks
the gateway first (preflight): they go through only when the origin is allowed
(`GATEWAY_CORS_ORIGINS`) and every header is (the default list, `GATEWAY_CORS_HEADERS`).

The page is bundled from `web/node_modules` by esbuild when the tests run, into
`test-output/` (nothing generated is kept in the repository)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.responses import FileResponse, HTMLResponse
from starlette.routing import Route

from gateway.app import create_app
from gateway.clock import Clock
from gateway.config import Settings
from tests.browser import BROWSER_TESTS, ROOT, WEB, node, run_script
from tests.servers import free_port, serve

SERVICES = "{ services(first: 3) { nodes { name } } }"
BUNDLE_DIR = ROOT / "test-output" / "cors_apollo"
PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <link rel="icon" href="data:," />
    <title>Apollo Client on another origin</title>
  </head>
  <body>
    <h1>Apollo Client on another origin</h1>
    <pre id="output">…</pre>
    <script type="module" src="/bundle.js"></script>
  </body>
</html>
"""


@pytest.fixture(scope="module")
def bundle() -> Path:
    """The fixture page's script with Apollo Client, bundled by esbuild from web/node_modules."""
    node()  # skips without Node.js and `make web`
    esbuild = WEB / "node_modules" / ".bin" / "esbuild"
    out = BUNDLE_DIR / "bundle.js"
    subprocess.run(
        [
            str(esbuild),
            str(BROWSER_TESTS / "cors_apollo_page.js"),
            "--bundle",
            "--format=esm",
            "--minify",
            "--define:process.env.NODE_ENV='production'",
            f"--outfile={out}",
            "--log-level=warning",
        ],
        env={**os.environ, "NODE_PATH": str(WEB / "node_modules")},
        check=True,
        timeout=60,
    )
    return out


@pytest.fixture(scope="module")
def page_url(bundle: Path) -> Iterator[str]:
    """The fixture page, served on its own port and reached as `localhost`: another origin."""
    app = Starlette(
        routes=[
            Route("/", lambda request: HTMLResponse(PAGE)),
            Route("/bundle.js", lambda request: FileResponse(bundle, media_type="text/javascript")),
        ]
    )
    port = free_port()
    with serve(app, port=port):
        yield f"http://localhost:{port}/"


class Recorded:
    """The gateway app, recording the method and path of each HTTP request it gets."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.requests: list[tuple[str, str]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.requests.append((scope["method"], scope["path"]))
        await self.app(scope, receive, send)


def query_from_the_page(
    page_url: str, clock: Clock, name: str, **settings: str
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """What the page showed and sent, and the requests the gateway got."""
    gateway = Recorded(create_app(Settings(gc_freeze=False, **settings), clock))
    with serve(gateway) as base_url:
        result = run_script("cors_apollo", base_url, pageUrl=page_url, query=SERVICES, name=name)
    assert result["external"] == []
    return result, gateway.requests


def origin(page_url: str) -> str:
    return page_url.rstrip("/")


def test_an_allowed_origin_gets_answers(page_url: str, clock: Clock) -> None:
    result, requests = query_from_the_page(
        page_url, clock, "allowed", cors_origins=origin(page_url), cors_headers="x-tenant-id"
    )
    assert result["consoleErrors"] == []
    assert result["outcome"] == "data"
    assert "Express Haircut" in result["shown"]
    # The browser asked first (its headers are not CORS-safelisted), then sent the query.
    assert requests == [("OPTIONS", "/graphql"), ("POST", "/graphql")]
    [post] = result["posts"]
    assert post["headers"]["origin"] == origin(page_url)
    assert post["headers"]["apollographql-client-name"] == "cors-fixture"
    assert post["headers"]["apollographql-client-version"] == "1.0.0"
    assert post["headers"]["apollo-require-preflight"] == "true"
    assert post["headers"]["x-tenant-id"] == "demo"


@pytest.mark.parametrize(
    ("name", "page_allowed", "cors_headers"),
    [
        ("origin-refused", False, "x-tenant-id"),  # another origin is allowed, not the page's
        # `x-tenant-id` is no common client's: allowed once GATEWAY_CORS_HEADERS names it.
        ("header-refused", True, ""),
    ],
)
def test_the_browser_sends_nothing_the_preflight_refused(
    page_url: str, clock: Clock, name: str, page_allowed: bool, cors_headers: str
) -> None:
    allowed = origin(page_url) if page_allowed else "http://localhost:1"
    result, requests = query_from_the_page(
        page_url, clock, name, cors_origins=allowed, cors_headers=cors_headers
    )
    assert result["outcome"] == "error"
    assert result["shown"] == "Failed to fetch"
    assert requests == [("OPTIONS", "/graphql")]  # the query itself never reached the gateway
    assert any(
        "blocked by CORS policy: Response to preflight request doesn't pass" in error
        for error in result["consoleErrors"]
    )


def test_the_browser_without_routes_still_has_no_internet(clock: Clock) -> None:
    """The CORS scripts' browser (`unrouted.mjs`) reaches loopback only, and reports the rest."""
    with serve(create_app(Settings(gc_freeze=False), clock)) as base_url:
        result = run_script("unrouted_smoke", base_url, publicUrl="https://example.com/")
    assert result["fetched"] == "Failed to fetch"
    assert result["failures"] == ["net::ERR_PROXY_CONNECTION_FAILED"]
    assert result["external"] == ["https://example.com/"]
