"""`python -m gateway` and its subcommands, run as a user would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from gateway.__main__ import main
from gateway.graphql.schema import schema
from gateway.sandbox import seed
from tests.conftest import AUTH
from tests.sandbox.booking_helpers import CREATE, FORM, QUERY, course
from tests.servers import free_port

COURSE_BOOKING = {"booking": course(), "formSubmission": FORM}
# Variables that would point a child process at something other than the embedded defaults.
_CONFIG_PREFIXES = ("WIX_", "GATEWAY_", "SANDBOX_")


@dataclass
class Server:
    url: str
    output: str = ""  # stdout and stderr, once the server has stopped


@contextmanager
def running(*args: str, ready_path: str, headers: dict[str, str] | None = None) -> Iterator[Server]:
    """Start `python -m gateway <args>` on a free port; yield it once `ready_path` answers."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(_CONFIG_PREFIXES)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway", *args, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    server = Server(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.communicate()[0]
            try:
                if httpx.get(server.url + ready_path, headers=headers).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        server.output = process.communicate(timeout=15)[0]
    # uvicorn drains requests and runs shutdown, then re-raises SIGTERM (older versions exit 0).
    assert process.returncode in (0, -signal.SIGTERM), server.output
    assert "Application shutdown complete" in server.output


def test_export_schema_writes_the_sdl(tmp_path: Path) -> None:
    out = tmp_path / "schema.graphql"
    main(["export-schema", "--out", str(out)])
    assert out.read_text(encoding="utf-8") == f"{schema}\n"


def test_sandbox_subcommand_serves_the_demo_business(tmp_path: Path) -> None:
    db = str(tmp_path / "sandbox.sqlite3")
    service_path = f"/bookings/v2/services/{seed.SERVICE_MASSAGE}"
    with running("sandbox", "--db", db, ready_path=service_path, headers=AUTH) as server:
        service = httpx.get(server.url + service_path, headers=AUTH).json()["service"]
        assert service["name"] == "Deep Tissue Massage"
        assert httpx.get(server.url + "/_sandbox/openapi.json").json()["paths"]
        created = httpx.post(server.url + CREATE, json=COURSE_BOOKING, headers=AUTH)
        booking_id = created.json()["booking"]["id"]
    assert f"Wix sandbox: {server.url}" in server.output

    with running("sandbox", "--db", db, ready_path=service_path, headers=AUTH) as server:
        query = {"query": {"filter": {"id": booking_id}}}
        found = httpx.post(server.url + QUERY, json=query, headers=AUTH).json()
    assert [b["booking"]["id"] for b in found["extendedBookings"]] == [booking_id]


def test_gateway_serves_graphql_on_the_embedded_sandbox() -> None:
    with running(ready_path="/healthz") as server:
        assert httpx.get(server.url + "/readyz").json() == {"status": "ready"}
        response = httpx.post(server.url + "/graphql", json={"query": "{ __typename }"})
        assert response.json()["data"] == {"__typename": "Query"}
        # The demo starts with its bookings (SANDBOX_DEMO_BOOKINGS unset: on).
        count = {"query": "{ bookingsCount }"}
        response = httpx.post(server.url + "/graphql", json=count, headers={"authorization": "dev"})
        assert response.json()["data"] == {"bookingsCount": 7}
    assert f"GraphiQL: {server.url}/graphql" in server.output
