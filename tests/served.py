"""`python -m gateway` in a child process, as it is served in production: for tests and benches
that must see the whole process (its resident memory, every line it prints)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.servers import free_port

_CONFIG_PREFIXES = ("WIX_", "GATEWAY_", "SANDBOX_", "REDIS_", "PROMETHEUS_", "OTEL_")
START_SECONDS = 60.0


@dataclass
class ServedGateway:
    process: subprocess.Popen[bytes]
    base: str
    output_file: Path
    final_output: str | None = None  # set once the process has stopped

    def rss_bytes(self) -> int:
        """Resident set size of the served process (Linux `/proc`)."""
        return _status_kib(self.process.pid, "VmRSS") * 1024

    def output(self) -> str:
        """Everything the process printed so far (stdout and stderr), all of it once stopped."""
        if self.final_output is not None:
            return self.final_output
        return self.output_file.read_text(encoding="utf-8", errors="replace")


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without any gateway, Wix or Redis setting, plus `extra`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_CONFIG_PREFIXES)}
    return clean | extra


@contextmanager
def served_gateway(*args: str, env: dict[str, str] | None = None) -> Iterator[ServedGateway]:
    """Start `python -m gateway --port <free> *args` with a clean environment plus `env`, wait
    until `/healthz` answers, and stop it (SIGTERM) when the block exits."""
    port = free_port()
    with tempfile.TemporaryDirectory() as directory:
        output_file = Path(directory) / "output.log"
        with output_file.open("wb") as sink:
            process = subprocess.Popen(
                [sys.executable, "-m", "gateway", "--port", str(port), *args],
                env=clean_environment(**(env or {})),
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        served = ServedGateway(process, f"http://127.0.0.1:{port}", output_file)
        try:
            _wait_until_up(served)
            yield served
        finally:
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            served.final_output = served.output()


def _wait_until_up(served: ServedGateway) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        if served.process.poll() is not None:
            raise RuntimeError(f"the gateway exited:\n{served.output()}")
        try:
            if httpx.get(f"{served.base}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the gateway did not start:\n{served.output()}")
        time.sleep(0.1)


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)
