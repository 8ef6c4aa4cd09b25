"""`/graphql`: GraphQL over HTTP on top of the Strawberry schema.

- GET runs queries only (a mutation is 405) and carries `Cache-Control` (see `cache_control`);
  a browser asking for HTML without a query gets GraphiQL (`graphiql`: the gateway serves its
  files too).
- POST takes `application/json`: one operation, or a batch (a JSON array) answered with an
  array. All operations of a batch share one context, so one set of DataLoaders, and run
  concurrently: their lookups by id are batched together into one Wix call per kind.
- Responses are `application/graphql-response+json` when the client accepts it (request errors
  are then 4xx) and `application/json` otherwise (200 for every well-formed request).
- Persisted queries (hash instead of text) are resolved before execution (`persisted_queries`).
- A request accepting `text/event-stream` is GraphQL over SSE (`sse`), subscriptions included;
  the same path also takes graphql-transport-ws WebSockets (`subscriptions_ws`, mounted beside
  this endpoint by `graphql_routes`).

Strawberry's own view could not do this: it has no persisted queries and answers request
errors with 200 whatever the client accepts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import strawberry
from graphql import GraphQLError, parse
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from strawberry.types.graphql import OperationType
from strawberry.utils.operation import get_operation_type

from gateway.config import Settings
from gateway.graphql.context import Context
from gateway.http.cache_control import NO_STORE, CacheControl
from gateway.http.context import VISITOR_SESSION_HEADER, build_context
from gateway.http.execution import (
    METHOD_NOT_ALLOWED,
    QUERIES,
    QUERIES_AND_MUTATIONS,
    OperationRunner,
    Outcome,
    error_body,
)
from gateway.http.graphiql import GraphiQL
from gateway.http.media import (
    EVENT_STREAM,
    GRAPHQL_RESPONSE_JSON,
    JSON,
    accepts_event_stream,
    accepts_html,
    response_media_type,
)
from gateway.http.params import OperationParams, ProtocolError, from_body, from_query_string
from gateway.http.persisted_queries import PersistedQueries
from gateway.http.sse import EventStream
from gateway.http.streams import (
    ALL_OPERATIONS,
    FULL_RETRY_AFTER_SECONDS,
    TOO_MANY_SUBSCRIPTIONS,
    Refusal,
    StreamRunner,
    StreamSlots,
    encode_json,
    new_request,
)
from gateway.http.subscriptions_ws import GraphQLWebSocket
from gateway.observability.scope import current_request
from gateway.protection.rate_limit import Buckets
from gateway.upstream.errors import UPSTREAM_TIMEOUT, UPSTREAM_UNAVAILABLE, UpstreamError

NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
SERVICE_UNAVAILABLE = 503
GATEWAY_TIMEOUT = 504
# GET answers depend on content negotiation and on the caller's identity.
GET_VARY = "Accept, Authorization"
# Over SSE, GET runs what cannot change anything: queries and subscriptions.
GET_STREAMS = frozenset({OperationType.QUERY, OperationType.SUBSCRIPTION})


def graphql_routes(
    schema: strawberry.Schema,
    settings: Settings,
    persisted: PersistedQueries,
    buckets: Buckets | None = None,
    graphiql: GraphiQL | None = None,
) -> list[BaseRoute]:
    """`/graphql` over HTTP (SSE included) and over WebSocket, sharing the persisted queries
    and the process's subscription slots."""
    slots = StreamSlots(settings.subscription_max_connections)
    return [
        Route("/graphql", GraphQLEndpoint(schema, settings, persisted, slots, graphiql)),
        WebSocketRoute("/graphql", GraphQLWebSocket(schema, settings, persisted, slots, buckets)),
    ]


class GraphQLEndpoint:
    """The ASGI app mounted at `/graphql`."""

    def __init__(
        self,
        schema: strawberry.Schema,
        settings: Settings,
        persisted: PersistedQueries,
        slots: StreamSlots | None = None,
        graphiql: GraphiQL | None = None,
    ) -> None:
        self._runner = OperationRunner(schema, persisted)
        self._streams = StreamRunner(schema, persisted)
        self._slots = slots or StreamSlots(settings.subscription_max_connections)
        self._keepalive = settings.subscription_keepalive_seconds
        self._cache_control = CacheControl(schema._schema, settings)
        self._max_batch_size = settings.max_batch_size
        self._graphiql = graphiql or GraphiQL()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.respond(Request(scope, receive))
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response | EventStream:
        accept = request.headers.get("accept")
        media_type = response_media_type(accept)
        try:
            if request.method == "GET" and _wants_graphiql(request, accept):
                return self._graphiql.page()
            if request.method not in ("GET", "POST"):
                raise ProtocolError(
                    405, "Use GET or POST", METHOD_NOT_ALLOWED, {"allow": "GET, POST"}
                )
            if accepts_event_stream(accept):
                return await self._event_stream(request, media_type or JSON)
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
        outcome = await self._run(params, context, QUERIES)
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
                *(self._run(one, context, QUERIES_AND_MUTATIONS) for one in params)
            )
            bodies = [outcome.render(media_type) for outcome in outcomes]
            return json_response(bodies, 200, media_type, session)
        outcome = await self._run(params, context, QUERIES_AND_MUTATIONS)
        body = outcome.render(media_type)
        headers = outcome.headers | session
        return json_response(body, outcome.status(media_type), media_type, headers)

    async def _run(
        self, params: OperationParams, context: Context, allowed: frozenset[OperationType]
    ) -> Outcome:
        """One operation answered as JSON; a subscription is told how to ask for a stream."""
        try:
            return await self._runner.run(params, context, allowed)
        except ProtocolError as error:
            if error.status == 405 and _is_subscription(params):
                raise ProtocolError(
                    406,
                    "A subscription answers with a stream: send it with Accept: "
                    f"{EVENT_STREAM} (SSE), or over a WebSocket (graphql-transport-ws)",
                    NOT_ACCEPTABLE,
                ) from None
            raise

    async def _event_stream(self, request: Request, media_type: str) -> Response | EventStream:
        """GraphQL over SSE (`sse`): refusals as JSON before the stream starts."""
        if request.method == "GET":
            params = from_query_string(request.query_params)
            allowed = GET_STREAMS
        else:
            body = await request.body()
            parsed = from_body(request.headers.get("content-type"), body, self._max_batch_size)
            if isinstance(parsed, list):
                raise ProtocolError(400, "An event stream carries one operation, not a batch")
            params, allowed = parsed, ALL_OPERATIONS
        if not self._slots.take():
            raise ProtocolError(
                SERVICE_UNAVAILABLE,
                "This gateway has as many subscriptions open as it serves; try again later",
                TOO_MANY_SUBSCRIPTIONS,
                {"retry-after": str(FULL_RETRY_AFTER_SECONDS)},
            )
        handed_over = False
        try:
            context = await _context(request)
            query = await self._streams.admit(params, context, allowed)
            if isinstance(query, Refusal):
                refusal = {"errors": query.errors}
                return json_response(refusal, query.status, media_type, query.headers)
            scope = current_request()
            stream_scope = new_request(
                debug_upstream=scope is not None and scope.debug_upstream,
                request_id=scope.request_id if scope is not None else None,
            )
            token = (context.caller and context.caller.visitor_refresh_token) or None
            stream = EventStream(
                lambda: self._streams.results(query, params, context, allowed, stream_scope),
                self._keepalive,
                self._slots.give_back,
                [(VISITOR_SESSION_HEADER.encode(), token.encode())] if token else None,
            )
            handed_over = True
            return stream
        finally:
            if not handed_over:
                self._slots.give_back()


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


def _is_subscription(params: OperationParams) -> bool:
    """Whether the operation's text (when sent) selects a subscription."""
    try:
        document = parse(params.query or "")
        return get_operation_type(document, params.operation_name) == OperationType.SUBSCRIPTION
    except (GraphQLError, RuntimeError):
        return False


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
    return Response(encode_json(body), status, dict(headers or {}), f"{media_type}; charset=utf-8")


def _wants_graphiql(request: Request, accept: str | None) -> bool:
    """A browser opening the endpoint: HTML accepted and no operation in the URL."""
    params = request.query_params
    return accepts_html(accept) and "query" not in params and "extensions" not in params
