"""`/app/` over HTTP (no browser): content types, cache headers, the page shown before
`make web`, and nothing served from outside the build."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from gateway.app import create_app
from gateway.clock import Clock
from gateway.config import Settings
from gateway.http.app_page import APP_DIR, CONTENT_SECURITY_POLICY, app_page_routes

BUNDLE = "app-ABCD1234.js"


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A build as `web/build.mjs` lays it out, with a secret next to it."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "index.html").write_text(f'<script src="./{BUNDLE}"></script>')
    (tmp_path / "app" / BUNDLE).write_text("export {};")
    (tmp_path / "app" / "app-ABCD1234.css").write_text("body{}")
    (tmp_path / "secret.txt").write_text("not for the browser")
    return tmp_path / "app"


def client_for(directory: Path) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=Starlette(routes=app_page_routes(directory)))
    return httpx.AsyncClient(transport=transport, base_url="http://gateway")


async def test_the_page_revalidates_and_runs_only_its_own_code(built: Path) -> None:
    async with client_for(built) as client:
        response = await client.get("/app/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "connect-src 'self'" in CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert BUNDLE in response.text


async def test_bundles_are_immutable_and_answer_conditional_requests(built: Path) -> None:
    async with client_for(built) as client:
        script = await client.get(f"/app/{BUNDLE}")
        etag = {"if-none-match": script.headers["etag"]}
        again = await client.get(f"/app/{BUNDLE}", headers=etag)
        style = await client.get("/app/app-ABCD1234.css")
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert again.status_code == 304
    assert style.headers["content-type"] == "text/css; charset=utf-8"


async def test_only_the_build_is_served(built: Path) -> None:
    async with client_for(built) as client:
        redirect = await client.get("/app")
        assert redirect.status_code in (307, 308)
        assert redirect.headers["location"].endswith("/app/")
        assert (await client.get("/app/missing.js")).status_code == 404
        assert (await client.get("/app/..%2Fsecret.txt")).status_code == 404
        assert (await client.get("/app/%2e%2e/secret.txt")).status_code == 404
        assert (await client.post("/app/")).status_code == 405


async def test_without_a_build_the_page_says_to_run_make_web(tmp_path: Path) -> None:
    async with client_for(tmp_path / "app") as client:
        response = await client.get("/app/")
        script = await client.get("/app/app.js")
    assert response.status_code == 503
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "make web" in response.text
    assert script.status_code == 503


def test_the_gateway_mounts_the_app_from_web_dist(clock: Clock) -> None:
    app = create_app(Settings(), clock)
    mounts = [route for route in app.routes if isinstance(route, Mount) and route.path == "/app"]
    assert len(mounts) == 1
    assert APP_DIR.parts[-3:] == ("web", "dist", "app")
