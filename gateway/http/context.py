"""The one place a GraphQL context is built: per HTTP request, shared by every operation of a
batch, so their lookups go through the same DataLoaders (one Wix call per kind per tick)."""

from __future__ import annotations

from starlette.datastructures import State
from starlette.requests import Request

from gateway.graphql.context import Context
from gateway.graphql.loaders import Loaders
from gateway.identity.callers import Caller
from gateway.upstream import Upstream

# A visitor session (a Wix refresh token) travels between the client and the gateway here.
VISITOR_SESSION_HEADER = "x-visitor-refresh-token"


async def build_context(request: Request) -> Context:
    """The context of one HTTP request (its `Authorization` and visitor session headers)."""
    return await context_for(
        request.app.state,
        request.headers.get("authorization"),
        request.headers.get(VISITOR_SESSION_HEADER),
    )


async def context_for(
    state: State, authorization: str | None, visitor_refresh: str | None
) -> Context:
    """Identify the caller (`gateway.identity`), bind what Wix should see of them to the
    upstream, and start the loaders. Shared by HTTP requests and by subscriptions (WebSocket
    `connection_init` payloads, SSE requests). Raises `UpstreamError` when an anonymous caller
    needs a visitor token and Wix gives none."""
    caller: Caller = await state.callers.identify(authorization, visitor_refresh)
    upstream = Upstream(state.wix_client, caller.authorization)
    business = Upstream(state.wix_client)  # the API key
    return Context(
        upstream=upstream,
        loaders=Loaders(upstream, business=business),
        business=business,
        outbox=state.outbox,
        settings=state.settings,
        clock=state.clock,
        caller=caller,
        idempotency=state.idempotency,
        live=getattr(state, "live", None),
    )
