"""What GraphQL over WebSocket (`subscriptions_ws`) and over SSE (`sse`) share.

- `StreamRunner.admit`: one operation's document (a persisted query is resolved, and the
  safelist applies, as over HTTP), then Strawberry's own parsing and validation with every
  schema extension's hooks (the query protections, visitor-only fields) run without executing
  anything, so a refused operation is answered before any stream starts.
- `StreamRunner.results`: the operation's results (one for a query or mutation, one per event for
  a subscription) as payloads whose every error has `extensions.code`.
- `StreamSlots`: the open streams of this process (sockets and SSE responses), bounded.

Schema and context come from the caller: any Strawberry schema works, with the context the
transport built with `gateway.http.context.context_for`.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import AsyncGenerator, Collection
from dataclasses import dataclass, field
from typing import Any

import orjson
import strawberry
from graphql import GraphQLError
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType
from strawberry.utils.aio import aclosing

from gateway.http.error_codes import OPERATION_RESOLUTION_FAILURE, with_codes
from gateway.http.execution import METHOD_NOT_ALLOWED, error_body
from gateway.http.params import BAD_REQUEST, OperationParams, ProtocolError
from gateway.http.persisted_queries import PersistedQueries
from gateway.observability.responses import INTERNAL_ERROR_MESSAGE, INTERNAL_SERVER_ERROR
from gateway.observability.scope import RequestScope, current_request_id, request_scope

logger = logging.getLogger("gateway.subscriptions")

TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS"
# When every slot is taken (`Retry-After`): try again after this long, or on another replica.
FULL_RETRY_AFTER_SECONDS = 5
ALL_OPERATIONS = frozenset(OperationType)


class StreamSlots:
    """Open subscription connections of this process across both transports, at most `limit`
    (`GATEWAY_SUBSCRIPTION_MAX_CONNECTIONS`). One event loop per process: no lock needed."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.open = 0

    def take(self) -> bool:
        if self.open >= self.limit:
            return False
        self.open += 1
        return True

    def give_back(self) -> None:
        self.open -= 1


@dataclass(frozen=True, slots=True)
class Refusal:
    """An operation refused before it ran: the status an HTTP answer gets, and its errors."""

    status: int
    errors: list[dict[str, Any]]
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, error: ProtocolError) -> Refusal:
        return cls(error.status, error_body(error.message, error.code)["errors"], error.headers)


@dataclass(frozen=True, slots=True)
class StreamItem:
    """One payload of a stream; `refused`: the operation ended before it executed (no `data`;
    graphql-transport-ws sends it as an `error` message)."""

    payload: dict[str, Any]
    refused: bool = False


class StreamRunner:
    def __init__(self, schema: strawberry.Schema, persisted: PersistedQueries) -> None:
        self._schema = schema
        self._persisted = persisted

    async def admit(
        self, params: OperationParams, context: Any, allowed: Collection[OperationType]
    ) -> str | Refusal:
        """The document to run, or why the operation is refused."""
        try:
            resolved = await self._persisted.resolve(params)
        except ProtocolError as error:
            return Refusal.of(error)
        if refusal := await self._preflight(resolved.text, params, context, allowed):
            return refusal
        await self._persisted.register(resolved)  # a valid document: worth keeping
        return resolved.text

    async def _preflight(
        self,
        query: str,
        params: OperationParams,
        context: Any,
        allowed: Collection[OperationType],
    ) -> Refusal | None:
        """Strawberry's parse and validation stages with the schema's extensions, as
        `Schema.stream` runs them, but without executing. (`Schema.stream` would report a
        refusal only as the first item of the stream, after an SSE answer has started.)"""
        schema = self._schema
        execution = ExecutionContext(
            query=query,
            schema=schema,
            allowed_operations=allowed,
            context=context,
            variables=params.variables,
            provided_operation_name=params.operation_name,
            operation_extensions=params.extensions,
        )
        extensions = schema.get_extensions()
        for extension in extensions:
            extension.execution_context = execution
        runner = schema.create_extensions_runner(execution, extensions)
        try:
            failed = await schema._prepare_operation_async(execution, runner)
        except InvalidOperationTypeError as error:
            message = f"A {error.operation_type.value} cannot be sent with GET; use POST"
            errors = error_body(message, METHOD_NOT_ALLOWED)["errors"]
            return Refusal(405, errors, {"allow": "POST"})
        except CannotGetOperationTypeError as error:
            message = error.as_http_error_reason()
            return Refusal(400, error_body(message, OPERATION_RESOLUTION_FAILURE)["errors"])
        except MissingQueryError:
            return Refusal(400, error_body("The request has no `query`", BAD_REQUEST)["errors"])
        except GraphQLError as error:  # raised by a protection hook
            errors = [error]
        except Exception as error:
            return Refusal(500, [internal_error(error)])
        else:
            if failed is None:
                return None
            errors = list(failed.errors or [])
        schema.process_errors(errors, execution)  # the log line HTTP requests get
        if any(_unexpected(error) for error in errors):
            return Refusal(500, [internal_error(errors[0], logged=True)])
        with_codes(errors, pre_execution=True, executed=False)
        return Refusal(400, [error.formatted for error in errors])

    async def results(
        self,
        query: str,
        params: OperationParams,
        context: Any,
        allowed: Collection[OperationType],
        request: RequestScope,
    ) -> AsyncGenerator[StreamItem, None]:
        """The admitted operation's payloads, under `request` (a request id for logs and masked
        errors). Must be iterated, and closed, by one task: extensions set context variables."""
        with request_scope(request):
            source = await self._schema.stream(
                query,
                variable_values=params.variables,
                context_value=context,
                operation_name=params.operation_name,
                operation_extensions=params.extensions,
                allowed_operation_types=allowed,
            )
            started = False
            async with aclosing(source):
                try:
                    async for result in source:
                        if not isinstance(result, ExecutionResult):  # @defer / @stream frames
                            message = "Incremental delivery (@defer, @stream) is not supported here"
                            yield StreamItem(error_body(message, BAD_REQUEST), not started)
                            return
                        item = _item(result, started)
                        started = True
                        yield item
                        request.calls.clear()  # a long subscription must not pile them up
                except GraphQLError as error:  # a protection hook's refusal
                    with_codes([error], pre_execution=not started, executed=started)
                    yield StreamItem({"errors": [error.formatted]}, not started)
                except Exception as error:
                    yield StreamItem({"errors": [internal_error(error)]}, not started)


def _item(result: ExecutionResult, started: bool) -> StreamItem:
    """A result as sent. A `PreExecutionError` after admission failed at the start of
    execution (variables that cannot be coerced): the client's input, as over HTTP."""
    refused = isinstance(result, PreExecutionError)
    payload: dict[str, Any] = {} if refused else {"data": result.data}
    if result.errors:
        with_codes(result.errors, pre_execution=False, executed=not refused)
        payload["errors"] = [error.formatted for error in result.errors]
    if result.extensions:
        payload["extensions"] = result.extensions
    return StreamItem(payload, refused and not started)


def _unexpected(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def internal_error(error: BaseException, *, logged: bool = False) -> dict[str, Any]:
    """A bug, as a client sees it: a code and the request id the log line carries."""
    request_id = current_request_id() or uuid.uuid4().hex
    if not logged:
        logger.error("unexpected error (request id %s): %s", request_id, error, exc_info=error)
    extensions = {"code": INTERNAL_SERVER_ERROR, "requestId": request_id}
    return {"message": INTERNAL_ERROR_MESSAGE, "extensions": extensions}


def new_request(debug_upstream: bool = False, request_id: str | None = None) -> RequestScope:
    return RequestScope(request_id or uuid.uuid4().hex, debug_upstream=debug_upstream)


def encode_json(body: Any) -> bytes:
    """Compact UTF-8 JSON on one line. orjson encodes a page of 50 bookings ~15x faster than
    `json`; what it refuses (non-string keys, integers beyond 64 bits in a JSON scalar, a lone
    surrogate, or nesting past 255 levels) takes `json`, whose ASCII escapes encode any string."""
    try:
        return orjson.dumps(body)
    except TypeError:
        return json.dumps(body, separators=(",", ":")).encode("ascii")
