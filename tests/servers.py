"""Run an ASGI app with uvicorn on a free loopback port in a background thread (tests, benches)."""

from __future__ import annotations

import multiprocessing
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(app: Any, port: int | None = None) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 until the block exits; yields the base URL."""
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _serve_sandbox(port: int) -> None:
    """The child process: a fresh sandbox on `port` until terminated."""
    from gateway.sandbox.app import build_sandbox_app
    from gateway.sandbox.state import Sandbox

    with serve(build_sandbox_app(Sandbox.open(":memory:")), port=port):
        while True:
            time.sleep(3600)


@contextmanager
def sandbox_process() -> Iterator[str]:
    """A fresh sandbox served by uvicorn in a child process (so it does not share the caller's
    GIL, as a real upstream would not); yields its base URL."""
    port = free_port()
    child = multiprocessing.get_context("spawn").Process(
        target=_serve_sandbox, args=(port,), daemon=True
    )
    child.start()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/_sandbox/clock", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or not child.is_alive():
                    raise RuntimeError("the sandbox process did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        child.terminate()
        child.join(timeout=10)
