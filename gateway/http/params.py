"""The GraphQL request parameters of an HTTP request (GET query string or POST JSON body), and
the errors for requests that are not well-formed GraphQL-over-HTTP requests.

A POST body may be one operation (`{"query": ...}`) or a batch (a JSON array of them). A missing
`query` is allowed only with `extensions.persistedQuery` (the persisted-query layer finds it).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gateway.http.media import JSON

BAD_REQUEST = "BAD_REQUEST"
BATCH_TOO_LARGE = "BATCH_TOO_LARGE"
UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
PERSISTED_QUERY = "persistedQuery"


class ProtocolError(Exception):
    """Not a well-formed request: answered with `status` whatever the negotiated media type."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str = BAD_REQUEST,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = dict(headers or {})


@dataclass(frozen=True, slots=True)
class OperationParams:
    query: str | None
    variables: dict[str, Any] | None = None
    operation_name: str | None = None
    extensions: dict[str, Any] | None = None

    @property
    def persisted_query(self) -> Any:
        return (self.extensions or {}).get(PERSISTED_QUERY)


def from_query_string(params: Mapping[str, str]) -> OperationParams:
    """GET: `variables` and `extensions` are JSON text in the query string."""
    return _operation(
        {
            "query": params.get("query"),
            "operationName": params.get("operationName"),
            "variables": _json_param(params, "variables"),
            "extensions": _json_param(params, "extensions"),
        }
    )


def from_body(
    content_type: str | None, body: bytes, max_batch_size: int
) -> OperationParams | list[OperationParams]:
    """POST: one operation, or a batch of at most `max_batch_size`."""
    media_type, _, parameters = (content_type or "").partition(";")
    if media_type.strip().lower() != JSON:
        raise ProtocolError(415, "Send the request as application/json", UNSUPPORTED_MEDIA_TYPE)
    charset = _charset(parameters)
    if charset not in (None, "utf-8", "utf8"):
        raise ProtocolError(415, "Send the request body as UTF-8", UNSUPPORTED_MEDIA_TYPE)
    if not body.strip():
        raise ProtocolError(400, "The request has no body")
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # or nested too deep to parse
        raise ProtocolError(400, "The request body is not valid JSON") from None
    if isinstance(payload, list):
        return _batch(payload, max_batch_size)
    return _operation(payload)


def _batch(payload: list[Any], max_batch_size: int) -> list[OperationParams]:
    if not payload:
        raise ProtocolError(400, "A batch needs at least one operation")
    if len(payload) > max_batch_size:
        raise ProtocolError(
            400,
            f"A batch may hold at most {max_batch_size} operations, got {len(payload)}",
            BATCH_TOO_LARGE,
        )
    return [_operation(item) for item in payload]


def _operation(payload: Any) -> OperationParams:
    if not isinstance(payload, dict):
        raise ProtocolError(400, "An operation must be a JSON object")
    query = _typed(payload, "query", str)
    variables = _typed(payload, "variables", dict)
    extensions = _typed(payload, "extensions", dict)
    if query is None and (extensions or {}).get(PERSISTED_QUERY) is None:
        raise ProtocolError(400, "The request has no `query`")
    return OperationParams(
        query=query,
        variables=variables,
        operation_name=_typed(payload, "operationName", str),
        extensions=extensions,
    )


def _typed(payload: Mapping[str, Any], name: str, kind: type) -> Any:
    value = payload.get(name)
    if value is not None and not isinstance(value, kind):
        expected = "an object" if kind is dict else "a string"
        raise ProtocolError(400, f"`{name}` must be {expected} or null")
    return value


def _json_param(params: Mapping[str, str], name: str) -> Any:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise ProtocolError(400, f"`{name}` must be JSON") from None


def _charset(parameters: str) -> str | None:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None
