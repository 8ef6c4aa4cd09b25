"""One GraphQL operation of an HTTP request: from its parameters (maybe only a persisted-query
hash) to its response body, and whether it ran, which decides the status code."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType

from gateway.graphql.context import Context
from gateway.http.error_codes import OPERATION_RESOLUTION_FAILURE, with_codes
from gateway.http.media import JSON
from gateway.http.params import OperationParams, ProtocolError
from gateway.http.persisted_queries import PersistedQueries
from gateway.observability.responses import INTERNAL_SERVER_ERROR

METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
QUERIES = frozenset({OperationType.QUERY})
QUERIES_AND_MUTATIONS = frozenset({OperationType.QUERY, OperationType.MUTATION})


@dataclass(frozen=True, slots=True)
class Outcome:
    """A response body and how the operation ended."""

    body: dict[str, Any]
    executed: bool  # execution started: the body has `data` (maybe null)
    fixed_status: int | None = None  # persisted-query answers: the same for every media type
    headers: dict[str, str] = field(default_factory=dict)
    query: str | None = None  # the document that ran

    @property
    def succeeded(self) -> bool:
        return self.executed and "errors" not in self.body

    def render(self, media_type: str) -> dict[str, Any]:
        """The body as sent. A request error has no `data` entry, except for `application/json`
        clients, which get `"data": null` as this endpoint always sent them."""
        if self.executed or self.fixed_status is not None or media_type != JSON:
            return self.body
        return {"data": None, **self.body}

    def status(self, media_type: str) -> int:
        """GraphQL over HTTP: `application/json` answers 200 to every well-formed request;
        `application/graphql-response+json` answers a request error (no `data`) with 4xx, or
        500 for a masked bug."""
        if self.fixed_status is not None:
            return self.fixed_status
        if self.executed or media_type == JSON:
            return 200
        codes = {(error.get("extensions") or {}).get("code") for error in self.body["errors"]}
        return 500 if INTERNAL_SERVER_ERROR in codes else 400


def refused(error: ProtocolError) -> Outcome:
    return Outcome(error_body(error.message, error.code), False, error.status, error.headers)


def error_body(message: str, code: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


class OperationRunner:
    def __init__(self, schema: strawberry.Schema, persisted: PersistedQueries) -> None:
        self._schema = schema
        self._persisted = persisted

    async def run(
        self, params: OperationParams, context: Context, allowed: frozenset[OperationType]
    ) -> Outcome:
        """Raises `ProtocolError` (405) for an operation type `allowed` leaves out."""
        try:
            resolved = await self._persisted.resolve(params)
        except ProtocolError as error:
            return refused(error)
        try:
            result = await self._schema.execute(
                resolved.text,
                variable_values=params.variables,
                context_value=context,
                operation_name=params.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=params.extensions,
            )
        except InvalidOperationTypeError as error:
            kind = error.operation_type.value
            raise ProtocolError(
                405,
                f"A {kind} cannot be sent with GET; use POST",
                METHOD_NOT_ALLOWED,
                {"allow": "POST"},
            ) from None
        except CannotGetOperationTypeError as error:
            message = error.as_http_error_reason()
            return Outcome(error_body(message, OPERATION_RESOLUTION_FAILURE), False)
        executed = _executed(result)
        if executed:
            await self._persisted.register(resolved)  # a valid document: worth keeping
        if result.errors:
            pre_execution = isinstance(result, PreExecutionError)
            with_codes(result.errors, pre_execution=pre_execution, executed=executed)
        body = _body(result.errors, result.extensions)
        if executed:  # a request error has no `data` entry at all
            body = {"data": result.data, **body}
        return Outcome(body, executed, query=resolved.text)


def _executed(result: ExecutionResult) -> bool:
    """Whether execution started. Parse and validation errors (and refusals before execution)
    come as `PreExecutionError`; variable coercion errors carry no path, field errors do."""
    if isinstance(result, PreExecutionError):
        return False
    return result.data is not None or not result.errors or any(e.path for e in result.errors)


def _body(
    errors: Iterable[GraphQLError] | None, extensions: dict[str, Any] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if errors:
        body["errors"] = [error.formatted for error in errors]
    if extensions:
        body["extensions"] = extensions
    return body
