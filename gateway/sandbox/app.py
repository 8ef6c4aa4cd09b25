"""The sandbox's Starlette app: Wix paths from the route table, controls under `/_sandbox/`."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from gateway.observability.access_log import mask_tokens
from gateway.sandbox import controls
from gateway.sandbox.body import parse_body
from gateway.sandbox.declared_codes import answerable, undeclared
from gateway.sandbox.dropped import DroppedAnswer, SandboxApp
from gateway.sandbox.errors import STATUS_CODES, WixError
from gateway.sandbox.faults import Fault
from gateway.sandbox.identity import Identity, authorize, identify
from gateway.sandbox.routes import WIX_ROUTES
from gateway.sandbox.routing import Call, WixRoute, path_error
from gateway.sandbox.state import RequestRecord, Sandbox

Endpoint = Callable[[Request], Awaitable[Response]]
# What a handler raises when a body field has an unexpected JSON type or value.
MALFORMED_INPUT = (AttributeError, TypeError, KeyError, IndexError, ValueError, OverflowError)
logger = logging.getLogger("gateway.sandbox")
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


def _error_response(error: WixError, request_id: str) -> JSONResponse:
    return JSONResponse(error.body(), error.status, headers={"x-wix-request-id": request_id})


def _system_error(status: int, request_id: str) -> Response:
    """Wix sends 5xx system errors with an empty body; 429 with an envelope."""
    headers = {"x-wix-request-id": request_id}
    if status >= 500:
        return Response(b"", status, headers=headers)
    code = STATUS_CODES.get(status, "UNKNOWN")
    error = WixError(status, code, f"Injected fault: {code}")
    if status == 429:
        headers["retry-after"] = "1"
    return JSONResponse(error.body(), status, headers=headers)


async def _read_body(request: Request, form: bool) -> dict[str, Any]:
    """The JSON object body (or, where the route takes it, a form-encoded one)."""
    raw = await request.body()
    if form and request.headers.get("content-type", "").startswith(FORM_CONTENT_TYPE):
        return dict(parse_qsl(raw.decode("utf-8", "replace")))
    return parse_body(raw)


def _endpoint(sandbox: Sandbox, wix_route: WixRoute) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        started = time.perf_counter()
        request_id = str(uuid.uuid4())
        response = await _serve(sandbox, wix_route, request, request_id)
        sandbox.requests.append(
            RequestRecord(
                request.method,
                _logged_path(request),
                wix_route.template,
                response.status_code if response is not None else None,
                (time.perf_counter() - started) * 1000,
            )
        )
        return response if response is not None else DroppedAnswer()

    return endpoint


def _logged_path(request: Request) -> str:
    """The path for the request log, with an anonymous action token (a credential) masked by the
    same rule as uvicorn's access log."""
    return mask_tokens(request.url.path)


async def _serve(
    sandbox: Sandbox, wix_route: WixRoute, request: Request, request_id: str
) -> Response | None:
    """The answer, or None when a fault drops it. Faults `before` answer instead of the handler;
    faults `after` delay or replace its answer once its writes have committed."""
    before = sandbox.fault_for(request.method, request.url.path)
    if before.latency_ms:
        await asyncio.sleep(before.latency_ms / 1000)
    if before.replaces_answer:
        return _injected(before, request_id)
    response = await _handle(sandbox, wix_route, request, request_id)
    after = sandbox.fault_after(request.method, request.url.path)
    if after.latency_ms:
        await asyncio.sleep(after.latency_ms / 1000)
    return _injected(after, request_id) if after.replaces_answer else response


def _injected(fault: Fault, request_id: str) -> Response | None:
    """What a fault sends instead of the handler's answer: its status, or nothing (a drop)."""
    return _system_error(fault.status, request_id) if fault.status and not fault.drop else None


async def _handle(
    sandbox: Sandbox, wix_route: WixRoute, request: Request, request_id: str
) -> Response:
    """Authenticate, check the path, run the handler: its answer (and the webhooks of its changes)
    or the Wix error envelope (and none)."""
    identity: Identity | None = None  # routes that take no Authorization have no caller
    try:
        if wix_route.auth:
            identity = identify(sandbox, request.headers.get("authorization"))
    except WixError as error:
        return _error_response(error, request_id)
    bad_path = path_error(request.path_params, request.scope.get("raw_path"))
    if bad_path is not None:
        return _error_response(bad_path, request_id)
    try:
        if identity is not None:
            authorize(identity, wix_route.callers, wix_route.name)
        body = await _read_body(request, wix_route.form_body) if request.method != "GET" else {}
        query: dict[str, list[str]] = {}
        for key, value in request.query_params.multi_items():
            query.setdefault(key, []).append(value)
        call = Call(dict(request.path_params), query, body, identity)
        result = wix_route.handler(sandbox, call)
    except WixError as error:
        return _refusal(wix_route, error, request_id)
    except MALFORMED_INPUT as error:
        # A handler read a field of another shape than Wix documents (a list for an object, a
        # string for a number...): the request is at fault, and Wix answers such with a 400.
        logger.info("malformed %s %s: %r", request.method, wix_route.template, error)
        message = "Request fields have the wrong type or are out of range"
        return _error_response(WixError(400, "INVALID_ARGUMENT", message), request_id)
    # The handler returned, so its writes have committed: its webhooks go out now, and the
    # answer does not wait for them.
    sandbox.webhooks.emit(call.events)
    return JSONResponse(result, headers={"x-wix-request-id": request_id})


def _refusal(wix_route: WixRoute, error: WixError, request_id: str) -> Response:
    """The handler's refusal, with a code the method declares (a 500 when it has none)."""
    answer = answerable(wix_route, error)
    if answer is None:
        return _error_response(undeclared(error), request_id)
    return _error_response(answer, request_id)


async def _not_found(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 404)
    code = STATUS_CODES.get(status, "NOT_FOUND")
    error = WixError(status, code, f"No Wix method at {request.method} {request.url.path}")
    return JSONResponse(error.body(), status)


@asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    """Served on its own, the sandbox stops its webhook deliveries on shutdown (embedded, the
    gateway's lifespan does: an ASGI transport runs no lifespan)."""
    yield
    await app.state.sandbox.webhooks.aclose()


def control_routes(sandbox: Sandbox) -> list[BaseRoute]:
    """The `/_sandbox/...` controls of `sandbox`, also mounted by a gateway that embeds it."""
    return list(controls.routes(sandbox, WIX_ROUTES))


def build_sandbox_app(sandbox: Sandbox | None = None, db_path: str = ":memory:") -> SandboxApp:
    """A Starlette app serving the Wix paths of `WIX_ROUTES` over `sandbox` (or a new one)."""
    sandbox = sandbox or Sandbox.open(db_path)
    routes = control_routes(sandbox)
    for wix_route in WIX_ROUTES:
        endpoint = _endpoint(sandbox, wix_route)
        for path in wix_route.paths:
            routes.append(Route(path, endpoint, methods=[wix_route.method]))
    app = SandboxApp(
        routes=routes,
        exception_handlers={404: _not_found, 405: _not_found},
        lifespan=_lifespan,
    )
    app.state.sandbox = sandbox
    return app
