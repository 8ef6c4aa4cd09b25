"""The `graphql-http` server audits (the GraphQL-over-HTTP conformance suite, pinned in
`tests/http/audit/package.json`) against the gateway served by uvicorn on loopback.

Needs Node.js: the suite is installed with `npm ci` into `tests/http/audit/node_modules`
(gitignored) the first time, and again whenever the lockfile changes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gateway.app import create_app
from gateway.clock import Clock
from gateway.config import Settings
from tests.frozen import FROZEN_AT
from tests.servers import serve

AUDIT_DIR = Path(__file__).parent / "audit"
INSTALL_SECONDS = 300
AUDIT_SECONDS = 120
MIN_AUDITS = 50  # graphql-http 1.23 has 61; fewer means the suite did not really run


def _tools() -> tuple[str, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("the graphql-http audit needs Node.js: `node` and `npm` are not on PATH")
    return node, npm


def _install(npm: str) -> None:
    """`npm ci` unless node_modules already holds what the lockfile pins."""
    installed = AUDIT_DIR / "node_modules" / ".package-lock.json"
    lockfile = AUDIT_DIR / "package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lockfile.stat().st_mtime:
        return
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=AUDIT_DIR,
        check=True,
        timeout=INSTALL_SECONDS,
    )


@pytest.fixture(scope="module")
def audits() -> Iterator[list[dict[str, Any]]]:
    """Every audit's `{id, name, status, reason}` for a gateway on the embedded sandbox."""
    node, npm = _tools()
    _install(npm)
    with serve(create_app(Settings(gc_freeze=False), Clock(frozen_at=FROZEN_AT))) as url:
        completed = subprocess.run(
            [node, "audit.mjs", f"{url}/graphql"],
            cwd=AUDIT_DIR,
            capture_output=True,
            text=True,
            timeout=AUDIT_SECONDS,
        )
    assert completed.returncode == 0, completed.stderr
    results = json.loads(completed.stdout)
    assert len(results) >= MIN_AUDITS, results
    yield results


def _described(results: list[dict[str, Any]]) -> str:
    return "\n".join(f"{r['id']} {r['name']}: {r['reason']}" for r in results)


def test_no_must_audit_fails(audits: list[dict[str, Any]]) -> None:
    failed = [result for result in audits if result["status"] == "error"]
    assert not failed, _described(failed)


def test_the_recommended_audits_pass_too(audits: list[dict[str, Any]]) -> None:
    """SHOULD and MAY audits: the gateway meets them all (status codes for
    `application/graphql-response+json`, 400 for bad parameters, URL-encoded GET variables)."""
    not_ok = [result for result in audits if result["status"] != "ok"]
    assert not not_ok, _described(not_ok)
