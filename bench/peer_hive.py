"""The gateway against Hive Gateway + GraphQL Mesh on the same page, in one run of the peer-bench
rig (its README says how it measures: a Wix-shaped stub, `wrk`, one pinned core per gateway).

The rig is shared material outside this repository: point `PEER_BENCH_DIR` at it. It is copied
to a temporary folder and run there (its `run.sh` installs `wrk`, its Python venv and Hive Gateway
with its lockfile). The gateway runs as `python -m gateway` pinned to the peers' core, calling the
rig's stub as Wix, with the reference-data caches off so it makes the same upstream calls, and an
admin key (the page reads bookings). Prints, for 64 clients and 1 client, requests/s, CPU ms per
request, p50 and p99 for both, and the throughput ratio; the rig checks both answers against its
reference join first. Skipped with a note when `PEER_BENCH_DIR` is unset.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.servers import free_port

ADMIN_KEY = "peer-bench-admin-key"
STUB_URL = "http://127.0.0.1:9100"  # where the rig starts its stub
QUERY = (
    "{ bookings(first: 50) { nodes { id status allowedActions { cancel reschedule } "
    "service { name form { fields { target } } } } } }"
)
CACHES_OFF = {
    name: "0"
    for name in (
        "GATEWAY_CACHE_SERVICES_SECONDS",
        "GATEWAY_CACHE_POLICIES_SECONDS",
        "GATEWAY_CACHE_FORMS_SECONDS",
        "GATEWAY_CACHE_SITE_PROPERTIES_SECONDS",
    )
}


def _gateway(port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIX_", "GATEWAY_"))}
    env |= CACHES_OFF | {
        "GATEWAY_UPSTREAM": "wix",
        "WIX_BASE_URL": STUB_URL,
        "WIX_API_KEY": "peer-bench",
        "WIX_SITE_ID": "peer-bench",
        "GATEWAY_ADMIN_KEYS": ADMIN_KEY,
        "GATEWAY_LOG_LEVEL": "warning",
        "GATEWAY_PORT": str(port),
    }
    command = [sys.executable, "-m", "gateway"]
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        command = ["taskset", "-c", str((os.cpu_count() or 2) - 1), *command]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return process
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError("the gateway did not start")
        time.sleep(0.2)


def run() -> None:
    source = os.environ.get("PEER_BENCH_DIR")
    if not source:
        print("skipped: set PEER_BENCH_DIR to the peer-bench rig to compare with Hive Gateway")
        return
    with tempfile.TemporaryDirectory() as folder:
        rig = Path(folder) / "peer-bench"
        shutil.copytree(source, rig, ignore=shutil.ignore_patterns("results", ".venv"))
        (rig / "queries" / "gateway.graphql").write_text(QUERY + "\n")
        port = free_port()
        gateway = _gateway(port)
        try:
            subprocess.run(
                [
                    "./run.sh",
                    "--peers=mesh",
                    "--latencies=0",
                    f"--target-url=http://127.0.0.1:{port}/graphql",
                    "--target-query=@queries/gateway.graphql",
                    "--target-name=gateway",
                    "--out=results/bench",
                ],
                cwd=rig,
                env={**os.environ, "BENCH_AUTHORIZATION": f"Bearer {ADMIN_KEY}"},
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        finally:
            gateway.terminate()
            gateway.wait(timeout=30)
        runs = json.loads((rig / "results" / "bench" / "results.json").read_text())["runs"]
    by = {(r["peer"], r["connections"]): r for r in runs}
    for clients in (64, 1):
        for peer in ("gateway", "mesh"):
            r = by[(peer, clients)]
            print(
                f"{peer:8} {clients:>2} clients: {r['rps']:6.1f} req/s, "
                f"{r['peer_cpu_ms_per_req']:5.2f} ms CPU/req, p50 {r['p50_ms']:.1f} ms, "
                f"p99 {r['p99_ms']:.1f} ms, {r['upstream_calls_per_req']:.2f} calls/req, "
                f"same data: {r['same_data_as_reference']}"
            )
    ratio = by[("gateway", 64)]["rps"] / by[("mesh", 64)]["rps"]
    print(f"throughput at 64 clients: gateway / Hive Gateway = {ratio:.2f}x")


if __name__ == "__main__":
    run()
