"""ASGI middleware around the whole app: a request id and scope per request, one summary log
line, HTTP metrics, and a JSON 500 (with the request id, never a traceback) for a crash."""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.observability import metrics
from gateway.observability.responses import (
    INTERNAL_ERROR_MESSAGE,
    INTERNAL_SERVER_ERROR,
    send_error,
)
from gateway.observability.scope import RequestScope, request_id_from, request_scope

logger = logging.getLogger("gateway.access")

REQUEST_ID_HEADER = "x-request-id"
DEBUG_UPSTREAM_HEADER = "x-gateway-debug-upstream"


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        request = RequestScope(
            request_id_from(headers.get(REQUEST_ID_HEADER)),
            debug_upstream=headers.get(DEBUG_UPSTREAM_HEADER) == "1",
        )
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (REQUEST_ID_HEADER.encode(), request.request_id.encode()),
                ]
            await send(message)

        with request_scope(request):
            try:
                await self.app(scope, receive, send_with_id)
            except Exception:
                logger.exception("unhandled error in %s %s", scope["method"], scope["path"])
                if response_started:
                    raise
                extensions = {"code": INTERNAL_SERVER_ERROR, "requestId": request.request_id}
                await send_error(send_with_id, 500, INTERNAL_ERROR_MESSAGE, extensions)
            finally:
                _finish(scope, request, status, time.perf_counter() - started)


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _finish(scope: Scope, request: RequestScope, status: int, seconds: float) -> None:
    path = metrics.path_label(scope["path"])
    metrics.child(metrics.HTTP_REQUESTS, path, scope["method"], str(status)).inc()
    metrics.child(metrics.HTTP_LATENCY, path).observe(seconds)
    if path in ("/metrics", "/healthz", "/readyz"):
        return  # probes and scrapes would drown the log
    fields: dict[str, Any] = {
        "method": scope["method"],
        "path": scope["path"],
        "status": status,
        "ms": round(seconds * 1000, 1),
        "upstream_calls": len(request.calls),
        "upstream_ms": request.upstream_ms,
    }
    logger.info(
        "%s %s %s %d in %.1f ms, %d upstream calls (%.1f ms)",
        request.request_id,
        fields["method"],
        fields["path"],
        status,
        fields["ms"],
        fields["upstream_calls"],
        fields["upstream_ms"],
        extra=fields,
    )
