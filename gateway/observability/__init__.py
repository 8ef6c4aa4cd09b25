"""What the gateway shows of itself: structured logs with request fields, Prometheus metrics,
optional OpenTelemetry spans, and the upstream calls of each operation on request.

Three hooks feed it, none tied to how `/graphql` is served: `ObservabilityMiddleware` (ASGI,
per HTTP request), `OperationObserver` (a schema extension, per GraphQL operation) and
`record_upstream_call` (called by `WixClient` after every attempt).
"""

from __future__ import annotations

from gateway.config import Settings
from gateway.observability.logs import use_json_logs
from gateway.observability.tracing import enable_tracing


def configure(settings: Settings) -> None:
    """Process-wide set-up that follows from the settings (each worker runs it)."""
    if settings.log_format == "json":
        use_json_logs()
    if settings.tracing:
        enable_tracing()
