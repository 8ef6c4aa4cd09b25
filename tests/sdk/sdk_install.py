"""Installs the pinned Wix SDK (`tests/sdk/package.json`) with `npm ci` into the gitignored
`tests/sdk/node_modules`, the first time and whenever the lockfile changes; skips without Node."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SDK_DIR = Path(__file__).parent
NODE_MODULES = SDK_DIR / "node_modules"
INSTALL_SECONDS = 300


def tools() -> tuple[str, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("the Wix SDK checks need Node.js: `node` and `npm` are not on PATH")
    return node, npm


def install() -> str:
    """`npm ci` unless node_modules already holds what the lockfile pins; the `node` binary."""
    node, npm = tools()
    installed = NODE_MODULES / ".package-lock.json"
    lockfile = SDK_DIR / "package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lockfile.stat().st_mtime:
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=SDK_DIR,
            check=True,
            timeout=INSTALL_SECONDS,
        )
    return node
