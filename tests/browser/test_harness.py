"""The browser harness works: Chromium, driven by playwright-core, reaches a served gateway."""

from __future__ import annotations

import json

from gateway.app import create_app
from gateway.clock import Clock
from gateway.config import Settings
from tests.browser import SCREENSHOTS, run_script
from tests.servers import serve


def test_chromium_reaches_the_served_gateway(clock: Clock) -> None:
    with serve(create_app(Settings(), clock)) as base_url:
        result = run_script("smoke", base_url)
    assert result["status"] == 200
    assert json.loads(result["body"]) == {"status": "ok"}
    assert result["external"] == []
    assert (SCREENSHOTS / "smoke" / "01-healthz.png").stat().st_size > 0
