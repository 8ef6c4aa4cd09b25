"""A deployment that forgets its Wix secret stops at start, naming it; in `wix` mode the sandbox
package is never imported (so its demo business cannot be served by mistake)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.served import clean_environment


def gateway_process(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gateway", *args],
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"GATEWAY_UPSTREAM": "wix"}, "WIX_API_KEY"),
        ({"GATEWAY_UPSTREAM": "wix", "WIX_API_KEY": "k"}, "WIX_SITE_ID"),
        ({"WIX_SITE_ID": "s"}, "WIX_API_KEY"),  # a Wix variable set: Wix, not the demo
    ],
)
def test_wix_mode_without_its_secrets_exits_naming_the_variable(
    env: dict[str, str], missing: str
) -> None:
    result = gateway_process("--port", "9", **env)
    assert result.returncode == 2
    assert result.stderr.startswith("configuration error: ") and missing in result.stderr
    assert "Traceback" not in result.stderr and "GraphiQL" not in result.stdout


def test_wix_mode_imports_no_sandbox_module() -> None:
    script = (
        "import sys\n"
        "from gateway.app import create_app\n"
        "from gateway.config import Settings\n"
        "create_app(Settings.from_env())\n"
        "print(sorted(m for m in sys.modules if m.startswith('gateway.sandbox')))\n"
    )
    env = {"GATEWAY_UPSTREAM": "wix", "WIX_API_KEY": "k", "WIX_SITE_ID": "s"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    embedded = subprocess.run(
        [sys.executable, "-c", script],
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "gateway.sandbox.app" in embedded.stdout  # the check can see an import
