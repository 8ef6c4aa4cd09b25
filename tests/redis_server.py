"""A real Redis for tests: our own `redis-server` on a free loopback port, or a running one."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tests.servers import free_port


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _without_faketime(environ: os._Environ[str]) -> dict[str, str]:
    """Redis is a service on its own clock, as in production; and libfaketime, which the suite
    may run under (README, "Testing"), deadlocks redis-server's allocator at start-up."""
    return {
        k: v
        for k, v in environ.items()
        if not k.startswith("FAKETIME") and k not in ("LD_PRELOAD", "DONT_FAKE_MONOTONIC")
    }


@contextmanager
def redis_server() -> Iterator[str | None]:
    """Yields a redis:// URL, or None (with nothing started) when no Redis can be had."""
    binary = shutil.which("redis-server")
    if binary:
        port = free_port()
        process = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_without_faketime(os.environ),
        )
        try:
            deadline = time.monotonic() + 10
            while not _answers("127.0.0.1", port) and time.monotonic() < deadline:
                time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0" if _answers("127.0.0.1", port) else None
        finally:
            process.terminate()
            process.wait(timeout=10)
        return
    url = os.environ.get("REDIS_URL")
    if url:
        yield url
    elif _answers("127.0.0.1", 6379):
        yield "redis://127.0.0.1:6379/15"
    else:
        yield None
