"""Browser tests: a Node script drives Debian's Chromium with playwright-core (both installed by
the project: `.ci/chromium`, `make web`) against a gateway served on loopback.

`run_script(script, base_url, **params)` runs `tests/browser/<script>.mjs` with the shared
`driver.mjs` helpers; the script prints one JSON object (what the test asserts on) and writes
its screenshots under `test-output/browser/<script>/`. Every request the page makes to a host
other than loopback is blocked and reported back (`external`): the pages must work with no
internet.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
BROWSER_TESTS = Path(__file__).parent
SCREENSHOTS = ROOT / "test-output" / "browser"
SCRIPT_SECONDS = 180


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("the browser tests need Debian's chromium (`.ci/chromium` installs it)")
    return found


def node() -> str:
    found = shutil.which("node")
    if found is None or not (WEB / "node_modules" / "playwright-core").exists():
        pytest.skip("the browser tests need Node.js and `make web` (playwright-core)")
    return found


def run_script(script: str, base_url: str, **params: Any) -> dict[str, Any]:
    """Run `<script>.mjs` in Chromium against `base_url`; its JSON result."""
    shots = SCREENSHOTS / script
    shots.mkdir(parents=True, exist_ok=True)
    config = {
        "baseUrl": base_url,
        "chromium": chromium(),
        "screenshots": str(shots),
        "params": params,
    }
    completed = subprocess.run(
        [node(), str(BROWSER_TESTS / f"{script}.mjs"), json.dumps(config)],
        cwd=WEB,
        capture_output=True,
        text=True,
        timeout=SCRIPT_SECONDS,
    )
    if completed.returncode != 0:
        raise AssertionError(
            f"{script}.mjs failed ({completed.returncode}):\n{completed.stdout}\n{completed.stderr}"
        )
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result
