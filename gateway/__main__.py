"""`python -m gateway`: serve the gateway, serve the sandbox alone, or export the schema.

python -m gateway [--host H] [--port P] [--workers N] [--log-level L]
python -m gateway sandbox [--host H] [--port 8081] [--db FILE]
python -m gateway export-schema [--out schema.graphql]
"""

from __future__ import annotations

import argparse
import copy
import logging
import os
import sys
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import uvicorn

from gateway.config import ENV_NAMES, ConfigurationError, Settings
from gateway.observability.logs import JsonFormatter

SANDBOX_PORT = 8081
SCHEMA_FILE = "schema.graphql"
# Seconds uvicorn lets in-flight requests finish after SIGTERM/SIGINT.
GRACEFUL_SHUTDOWN_SECONDS = 10


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    try:
        if args.command == "sandbox":
            serve_sandbox(args)
        elif args.command == "export-schema":
            export_schema(Path(args.out))
        else:
            serve_gateway(args)
    except ConfigurationError as error:
        # Fail closed: a deployment missing a secret stops here, naming the variable.
        print(f"configuration error: {error}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None


def serve_gateway(args: argparse.Namespace) -> None:
    demo_bookings_by_default()
    overrides = {
        name: getattr(args, name)
        for name in ("host", "port", "workers", "log_level")
        if getattr(args, name) is not None
    }
    settings = Settings.from_env(**overrides)
    _say(f"Upstream: {_upstream(settings)}", settings.log_format == "json")
    json_logs = settings.log_format == "json"
    _say(f"GraphiQL: {_url(settings.host, settings.port)}/graphql", json_logs)
    _say(f"Reference app: {_url(settings.host, settings.port)}/app/", json_logs)
    if settings.workers == 1:
        from gateway.app import create_app

        app = create_app(settings)
        _run(app, settings.host, settings.port, settings.log_level, json_logs=json_logs)
        return
    if settings.uses_embedded_sandbox and settings.sandbox_db == ":memory:":
        _say(
            "warning: each worker gets its own in-memory sandbox; "
            "set SANDBOX_DB to a file to share bookings between workers",
            json_logs,
            level=logging.WARNING,
        )
    # Each worker process builds its own app (and reads the environment) through the factory.
    _run(
        "gateway.app:create_app",
        settings.host,
        settings.port,
        settings.log_level,
        json_logs=json_logs,
        factory=True,
        workers=settings.workers,
    )


def demo_bookings_by_default(environ: MutableMapping[str, str] = os.environ) -> None:
    """`python -m gateway` is the demo: its embedded sandbox starts with the demo bookings
    unless SANDBOX_DEMO_BOOKINGS says otherwise. Set in the environment, which `--workers`
    processes read too (an app built in code, `create_app(Settings())`, starts with none)."""
    name = ENV_NAMES["sandbox_demo_bookings"]
    if not environ.get(name, "").strip():
        environ[name] = "true"


def serve_sandbox(args: argparse.Namespace) -> None:
    from gateway.sandbox.app import build_sandbox_app

    settings = Settings.from_env()
    db = args.db or settings.sandbox_db
    url = _url(args.host, args.port)
    print(f"Wix sandbox: {url} (OpenAPI: {url}/_sandbox/openapi.json, db: {db})", flush=True)
    _run(build_sandbox_app(db_path=db), args.host, args.port, args.log_level or settings.log_level)


def export_schema(out: Path) -> None:
    from gateway.graphql.schema import schema

    out.write_text(f"{schema}\n", encoding="utf-8")
    print(f"Wrote {out}")


def _say(message: str, json_logs: bool, level: int = logging.INFO) -> None:
    """A line printed before uvicorn starts (informational on stdout, warnings on stderr); in
    the JSON log format it is a JSON object too."""
    stream = sys.stdout if level < logging.WARNING else sys.stderr
    if json_logs:
        record = logging.makeLogRecord(
            {"name": "gateway", "levelno": level, "levelname": logging.getLevelName(level)}
        )
        record.msg = message
        message = JsonFormatter().format(record)
    print(message, file=stream, flush=True)


def _run(
    app: Any, host: str, port: int, log_level: str, json_logs: bool = False, **options: Any
) -> None:
    """uvicorn with uvloop and httptools (both come with uvicorn[standard])."""
    uvicorn.run(
        app,
        host=host,
        port=port,
        loop="uvloop",
        http="httptools",
        log_level=log_level.lower(),
        log_config=_log_config(log_level, json_logs),
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        **options,
    )


def _log_config(log_level: str, json_logs: bool = False) -> dict[str, Any]:
    """uvicorn's logging, plus the `gateway` loggers (upstream retries, timeouts) on stderr.

    uvicorn applies this in every process it runs (after the app of a single worker was built),
    so the JSON formatter must be part of it: set on the handlers beforehand, it was replaced.
    The access log's mask is a filter of the logger, so any handler gets masked records."""
    config: dict[str, Any] = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config.setdefault("filters", {})["mask_tokens"] = {
        "()": "gateway.observability.access_log.MaskTokensFilter"
    }
    config["loggers"]["uvicorn.access"]["filters"] = ["mask_tokens"]
    if json_logs:
        for name in ("default", "access"):
            config["formatters"][name] = {"()": "gateway.observability.logs.JsonFormatter"}
    config["loggers"]["gateway"] = {
        "handlers": ["default"],
        "level": log_level.upper(),
        "propagate": False,
    }
    return config


def _upstream(settings: Settings) -> str:
    if settings.uses_embedded_sandbox:
        return "the embedded sandbox (demo business; GATEWAY_UPSTREAM=wix for real Wix)"
    return settings.base_url


def _url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://{shown}:{port}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gateway",
        description="GraphQL gateway for Wix Bookings. Without a command: serve the gateway.",
    )
    parser.add_argument("--host", help="bind address (GATEWAY_HOST, default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (GATEWAY_PORT, default 8000)")
    parser.add_argument("--workers", type=int, help="worker processes (GATEWAY_WORKERS)")
    parser.add_argument("--log-level", help="debug, info, warning... (GATEWAY_LOG_LEVEL)")
    commands = parser.add_subparsers(dest="command")

    sandbox = commands.add_parser("sandbox", help="serve the Wix sandbox alone, with demo data")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=SANDBOX_PORT)
    sandbox.add_argument(
        "--db", help="SQLite file that keeps bookings across restarts (SANDBOX_DB; default memory)"
    )

    export = commands.add_parser("export-schema", help="write the GraphQL SDL")
    export.add_argument("--out", default=SCHEMA_FILE, help=f"default {SCHEMA_FILE}")
    return parser


if __name__ == "__main__":
    main()
