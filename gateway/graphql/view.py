"""The `/graphql` endpoint: POST and GET queries, GraphiQL for browsers, a context per request."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from gateway.graphql.context import Context
from gateway.graphql.loaders import Loaders
from gateway.upstream import Upstream


class GraphQLView(GraphQL[Context, None]):
    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        """Bind the caller's `Authorization` (visitor, member or app token) to the upstream, or
        none (the configured API key is used), and start this request's loaders."""
        state = request.app.state
        authorization = request.headers.get("authorization")
        upstream = Upstream(state.wix_client, authorization)
        return Context(
            upstream=upstream,
            loaders=Loaders(upstream),
            settings=getattr(state, "settings", None),
            authorization=authorization,
            idempotency=getattr(state, "idempotency", None),
        )
