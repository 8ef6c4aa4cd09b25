"""The one place a GraphQL context is built: per HTTP request, shared by every operation of a
batch, so their lookups go through the same DataLoaders (one Wix call per kind per tick)."""

from __future__ import annotations

from starlette.requests import Request

from gateway.graphql.context import Context
from gateway.graphql.loaders import Loaders
from gateway.upstream import Upstream


def build_context(request: Request) -> Context:
    """Bind the caller's `Authorization` (visitor, member or app token) to the upstream, or none
    (the configured API key is used), and start this request's loaders."""
    state = request.app.state
    authorization = request.headers.get("authorization")
    upstream = Upstream(state.wix_client, authorization)
    return Context(
        upstream=upstream,
        loaders=Loaders(upstream),
        settings=state.settings,
        clock=state.clock,
        authorization=authorization,
        idempotency=state.idempotency,
    )
