"""`/graphql`: GraphQL over HTTP on top of the Strawberry schema.

- GET runs queries only (a mutation is 405) and carries `Cache-Control` (see `cache_control`);
  a browser asking for HTML without a query gets GraphiQL.
- POST takes `application/json`: one operation, or a batch (a JSON array) answered with an
  array. All operations of a batch share one context, so one set of DataLoaders, and run
  concurrently: their lookups by id are batched together into one Wix call per kind.
- Responses are `application/graphql-response+json` when the client accepts it (request errors
  are then 4xx) and `application/json` otherwise (200 for every well-formed request).
- Persisted queries (hash instead of text) are resolved before execution (`persisted_queries`).

Strawberry's own view could not do this: it has no persisted queries and answers request
errors with 200 whatever the client accepts.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

import orjson
import strawberry
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.http.ides import get_graphql_ide_html

from gateway.config import Settings
from gateway.graphql.context import Context
from gateway.http.cache_control import NO_STORE, CacheControl
from gateway.http.context import VISITOR_SESSION_HEADER, build_context
from gateway.http.execution import (
    METHOD_NOT_ALLOWED,
    QUERIES,
    QUERIES_AND_MUTATIONS,
    OperationRunner,
    error_body,
)
from gateway.http.media import GRAPHQL_RESPONSE_JSON, JSON, accepts_html, response_media_type
from gateway.http.params import ProtocolError, from_body, from_query_string
from gateway.http.persisted_queries import PersistedQueries
from gateway.upstream.errors import UPSTREAM_TIMEOUT, UPSTREAM_UNAVAILABLE, UpstreamError

NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
SERVICE_UNAVAILABLE = 503
GATEWAY_TIMEOUT = 504
# GET answers depend on content negotiation and on the caller's identity.
GET_VARY = "Accept, Authorization"


class GraphQLEndpoint:
    """The ASGI app mounted at `/graphql`."""

    def __init__(
        self, schema: strawberry.Schema, settings: Settings, persisted: PersistedQueries
    ) -> None:
        self._runner = OperationRunner(schema, persisted)
        self._cache_control = CacheControl(schema._schema, settings)
        self._max_batch_size = settings.max_batch_size
        self._graphiql = get_graphql_ide_html("graphiql")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.respond(Request(scope, receive))
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        accept = request.headers.get("accept")
        media_type = response_media_type(accept)
        try:
            if request.method == "GET" and _wants_graphiql(request, accept):
                return HTMLResponse(self._graphiql)
            if request.method not in ("GET", "POST"):
                raise ProtocolError(
                    405, "Use GET or POST", METHOD_NOT_ALLOWED, {"allow": "GET, POST"}
                )
            if media_type is None:
                raise ProtocolError(
                    406, f"Accept {GRAPHQL_RESPONSE_JSON} or {JSON}", NOT_ACCEPTABLE
                )
            if request.method == "GET":
                return await self._get(request, media_type)
            return await self._post(request, media_type)
        except ProtocolError as error:
            body = error_body(error.message, error.code)
            return json_response(body, error.status, media_type or JSON, error.headers)

    async def _get(self, request: Request, media_type: str) -> Response:
        params = from_query_string(request.query_params)
        context = await _context(request)
        outcome = await self._runner.run(params, context, QUERIES)
        headers = {"vary": GET_VARY, "cache-control": NO_STORE, **outcome.headers}
        session = _visitor_session(context)
        if outcome.succeeded and outcome.query is not None and not session:
            private = "authorization" in request.headers
            headers["cache-control"] = self._cache_control.header(outcome.query, private=private)
        body = outcome.render(media_type)
        return json_response(body, outcome.status(media_type), media_type, headers | session)

    async def _post(self, request: Request, media_type: str) -> Response:
        content = await request.body()
        params = from_body(request.headers.get("content-type"), content, self._max_batch_size)
        context = await _context(request)
        session = _visitor_session(context)
        if isinstance(params, list):
            outcomes = await asyncio.gather(
                *(self._runner.run(one, context, QUERIES_AND_MUTATIONS) for one in params)
            )
            bodies = [outcome.render(media_type) for outcome in outcomes]
            return json_response(bodies, 200, media_type, session)
        outcome = await self._runner.run(params, context, QUERIES_AND_MUTATIONS)
        body = outcome.render(media_type)
        headers = outcome.headers | session
        return json_response(body, outcome.status(media_type), media_type, headers)


async def _context(request: Request) -> Context:
    """The request's context; Wix refusing an anonymous caller a visitor token answers 503
    (or 504) with the upstream error's code, before any operation runs."""
    try:
        return await build_context(request)
    except UpstreamError as error:
        timeout = error.code == UPSTREAM_TIMEOUT
        raise ProtocolError(
            GATEWAY_TIMEOUT if timeout else SERVICE_UNAVAILABLE,
            f"Could not start a Wix visitor session: {error.message}",
            UPSTREAM_TIMEOUT if timeout else UPSTREAM_UNAVAILABLE,
        ) from None


def _visitor_session(context: Context) -> dict[str, str]:
    """The visitor session handed back to an anonymous client, so it stays one Wix visitor.
    Such a response belongs to one visitor: never stored by shared caches (`no-store`)."""
    caller = context.caller
    if caller is None or caller.visitor_refresh_token is None:
        return {}
    return {VISITOR_SESSION_HEADER: caller.visitor_refresh_token, "cache-control": NO_STORE}


def json_response(
    body: Any, status: int, media_type: str, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(_encode(body), status, dict(headers or {}), f"{media_type}; charset=utf-8")


def _encode(body: Any) -> bytes:
    """Compact UTF-8 JSON. orjson encodes a page of 50 bookings ~15x faster than `json`; what
    it refuses (non-string keys, integers beyond 64 bits in a JSON scalar, a lone surrogate, or
    nesting past 255 levels) takes `json`, whose ASCII escapes can encode any string."""
    try:
        return orjson.dumps(body)
    except TypeError:
        return json.dumps(body, separators=(",", ":")).encode("ascii")


def _wants_graphiql(request: Request, accept: str | None) -> bool:
    """A browser opening the endpoint: HTML accepted and no operation in the URL."""
    params = request.query_params
    return accepts_html(accept) and "query" not in params and "extensions" not in params
