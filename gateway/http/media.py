"""Content negotiation for `/graphql` (GraphQL over HTTP): which media type a response uses.

`application/graphql-response+json` lets the status code carry meaning (a request error is 4xx);
`application/json` is what older clients expect (200 for every well-formed request). A client
that sends no `Accept`, or only wildcards, gets `application/json`.
"""

from __future__ import annotations

from collections.abc import Iterator

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
HTML = "text/html"
EVENT_STREAM = "text/event-stream"
_WILDCARDS = frozenset({"*/*", "application/*"})


def response_media_type(accept: str | None) -> str | None:
    """The media type to answer in, or None when the client accepts neither (406)."""
    if not accept or not accept.strip():
        return JSON
    exact: dict[str, float] = {}
    wildcard = 0.0
    for media_range, quality in _ranges(accept):
        if media_range in (GRAPHQL_RESPONSE_JSON, JSON):
            exact[media_range] = max(exact.get(media_range, 0.0), quality)
        elif media_range in _WILDCARDS:
            wildcard = max(wildcard, quality)
    graphql_quality = exact.get(GRAPHQL_RESPONSE_JSON, 0.0)
    json_quality = exact.get(JSON, wildcard)  # wildcards mean the legacy type
    if graphql_quality > 0 and graphql_quality >= json_quality:
        return GRAPHQL_RESPONSE_JSON
    return JSON if json_quality > 0 else None


def accepts_event_stream(accept: str | None) -> bool:
    """The client accepts `text/event-stream` (GraphQL over SSE), whatever else it accepts."""
    return any(media_range == EVENT_STREAM and q > 0 for media_range, q in _ranges(accept or ""))


def accepts_html(accept: str | None) -> bool:
    """A browser navigating to the endpoint (it gets GraphiQL)."""
    return any(media_range == HTML and q > 0 for media_range, q in _ranges(accept or ""))


def _ranges(accept: str) -> Iterator[tuple[str, float]]:
    """`(media range, q)` per entry of an Accept header; an unreadable `q` counts as 0."""
    for entry in accept.split(","):
        media_range, *parameters = (part.strip() for part in entry.split(";"))
        if not media_range:
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        yield media_range.lower(), quality
