"""GraphiQL's files as the gateway serves them (no browser needed): only the allowlisted files,
at versioned URLs cached for good, and a page saying to run `make web` while they are missing."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from gateway.app import create_app
from gateway.clock import Clock
from gateway.config import Settings
from gateway.http import graphiql
from tests.browser import WEB

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ASSET_URL = re.compile(r'(?:src|href)="(/graphiql/assets/[^"]+)"')


def install(root: Path, version: str = "1.2.3") -> None:
    """Fake packages holding the allowlisted files (and one file that is not listed)."""
    for asset in graphiql.ASSETS:
        package = root / asset.package
        (package / asset.file).parent.mkdir(parents=True, exist_ok=True)
        (package / asset.file).write_text(f"/* {asset.package} {asset.file} */\n" * 50)
        (package / "package.json").write_text(json.dumps({"version": version}))
    (root / "graphiql" / "graphiql.js").write_text("/* not listed */")


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The asset root the app is built with: empty until a test installs packages in it."""
    node_modules = tmp_path / "node_modules"
    monkeypatch.setattr(graphiql, "ASSET_ROOT", node_modules)
    return node_modules


@pytest.fixture
async def http(root: Path, clock: Clock) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(gc_freeze=False), clock)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        yield client
    await app.state.wix_client.aclose()


async def page(http: httpx.AsyncClient) -> httpx.Response:
    return await http.get("/graphql", headers={"accept": BROWSER})


async def test_without_the_files_the_page_says_to_run_make_web(
    root: Path, http: httpx.AsyncClient
) -> None:
    missing = await page(http)
    assert missing.status_code == 200
    assert missing.headers["content-type"].startswith("text/html")
    assert "make web" in missing.text
    assert "Node.js and npm" in missing.text
    assert "Loading" not in missing.text
    assert "web/node_modules/graphiql/graphiql.min.js" in missing.text  # what is missing
    # Self-contained: nothing to load, from anywhere.
    assert "<script" not in missing.text
    assert not re.search(r"(src|href)=\"(?!data:)", missing.text)
    asset = await http.get("/graphiql/assets/graphiql@3.8.3/graphiql.min.js")
    assert asset.status_code == 404
    [error] = asset.json()["errors"]
    assert error["extensions"]["code"] == "GRAPHIQL_NOT_INSTALLED"
    assert "make web" in error["message"]

    install(root)  # `make web`, with the gateway running: no restart needed
    assert "make web" not in (await page(http)).text


async def test_the_page_loads_each_listed_file_by_version(
    root: Path, http: httpx.AsyncClient
) -> None:
    install(root, "1.2.3")
    served = await page(http)
    assert served.status_code == 200
    assert served.headers["cache-control"] == "no-cache"
    urls = ASSET_URL.findall(served.text)
    assert urls == [
        "/graphiql/assets/graphiql@1.2.3/graphiql.min.css",
        "/graphiql/assets/@graphiql/plugin-explorer@1.2.3/dist/style.css",
        "/graphiql/assets/react@1.2.3/umd/react.production.min.js",
        "/graphiql/assets/react-dom@1.2.3/umd/react-dom.production.min.js",
        "/graphiql/assets/js-cookie@1.2.3/dist/js.cookie.min.js",
        "/graphiql/assets/graphiql@1.2.3/graphiql.min.js",
        "/graphiql/assets/@graphiql/plugin-explorer@1.2.3/dist/index.umd.js",
    ]
    assert "https://" not in served.text  # nothing from a CDN
    for url in urls:
        response = await http.get(url, headers={"accept-encoding": "identity"})
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["x-content-type-options"] == "nosniff"
        kind = "text/css" if url.endswith(".css") else "text/javascript"
        assert response.headers["content-type"] == f"{kind}; charset=utf-8"
        assert "content-encoding" not in response.headers
        package, file = url.removeprefix("/graphiql/assets/").split("@1.2.3/")
        assert response.content == (root / package / file).read_bytes()


async def test_a_new_pin_changes_the_urls_without_a_restart(
    root: Path, http: httpx.AsyncClient
) -> None:
    install(root, "1.2.3")
    old = "/graphiql/assets/graphiql@1.2.3/graphiql.min.js"
    assert old in (await page(http)).text
    assert (await http.get(old)).status_code == 200

    install(root, "1.3.0")  # `make web` after a new pin
    (root / "graphiql" / "graphiql.min.js").write_text("/* 1.3.0 */")
    new = "/graphiql/assets/graphiql@1.3.0/graphiql.min.js"
    assert new in (await page(http)).text
    served = await http.get(new, headers={"accept-encoding": "identity"})
    assert served.text == "/* 1.3.0 */"
    assert (await http.get(old)).status_code == 404


async def test_files_are_gzipped_for_clients_that_accept_it(
    root: Path, http: httpx.AsyncClient
) -> None:
    install(root)
    url = "/graphiql/assets/graphiql@1.2.3/graphiql.min.js"
    async with http.stream("GET", url, headers={"accept-encoding": "gzip, br"}) as response:
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(raw) == (root / "graphiql" / "graphiql.min.js").read_bytes()
    assert len(raw) < len(gzip.decompress(raw))


@pytest.mark.parametrize(
    "path",
    [
        "graphiql@1.2.3/graphiql.js",  # in a listed package, not listed
        "graphiql@1.2.3/package.json",
        "graphiql@1.2.2/graphiql.min.js",  # another version
        "graphiql/graphiql.min.js",
        "graphiql@1.2.3/%2e%2e/react/package.json",  # traversal, encoded
        "graphiql@1.2.3/..%2fgraphiql@1.2.3/graphiql.min.js",
        "react@1.2.3/umd/../../graphiql/graphiql.js",
        "",
    ],
)
async def test_nothing_else_is_served(root: Path, http: httpx.AsyncClient, path: str) -> None:
    install(root)
    response = await http.get(f"/graphiql/assets/{path}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "GRAPHIQL_ASSET_NOT_FOUND"


def test_the_pinned_packages_hold_every_listed_file() -> None:
    """What `make web` installs (web/package.json) has each file the page loads."""
    node_modules = WEB / "node_modules"
    if not (node_modules / "graphiql").exists():
        pytest.skip("needs `make web`")
    pins = json.loads((WEB / "package.json").read_text())["dependencies"]
    for asset in graphiql.ASSETS:
        assert (node_modules / asset.package / asset.file).is_file(), asset
        installed = json.loads((node_modules / asset.package / "package.json").read_text())
        assert installed["version"] == pins[asset.package]
