"""`OperationObserver`: per GraphQL operation, a span, metrics, the request's operation names
for logs, and `extensions.upstream` (the Wix calls it made) when the client asked with
`x-gateway-debug-upstream: 1`. One per operation, so each operation of a batch has its own."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from strawberry.extensions import SchemaExtension

from gateway.observability import metrics, tracing
from gateway.observability.scope import UpstreamCall, current_request, operation_calls


class OperationObserver(SchemaExtension):
    def __init__(self) -> None:
        self._calls: list[UpstreamCall] = []

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        started = time.perf_counter()
        failed = False
        with operation_calls() as self._calls, tracing.operation_span() as span:
            try:
                yield
            except Exception:  # refused before execution (raised by a protection hook)
                failed = True
                raise
            finally:
                name = _operation_name(context)
                tracing.describe_operation(span, name, _operation_type(context))
                request = current_request()
                if request is not None:
                    request.operations.append(name or metrics.ANONYMOUS)
                failed = failed or bool(getattr(context.result, "errors", None))
                label = metrics.operation_label(name)
                outcome = "error" if failed else "ok"
                metrics.child(metrics.OPERATIONS, label, outcome).inc()
                elapsed = time.perf_counter() - started
                metrics.child(metrics.OPERATION_LATENCY, label).observe(elapsed)

    def get_results(self) -> dict[str, Any]:
        request = current_request()
        if request is None or not request.debug_upstream:
            return {}
        return {"upstream": [call.to_json() for call in self._calls]}


def _operation_name(context: Any) -> str | None:
    try:
        return context.operation_name
    except Exception:  # no parsed document (a syntax error): the client's name if any
        return None


def _operation_type(context: Any) -> str | None:
    try:
        return str(context.operation_type.value)
    except Exception:
        return None
