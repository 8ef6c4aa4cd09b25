"""The one place where Wix's error envelope becomes an `UpstreamError`:
https://dev.wix.com/docs/api-reference/articles/work-with-wix-apis/troubleshooting/about-errors

The GraphQL layer copies `UpstreamError.extensions` into a GraphQL error unchanged, so the codes
here are what API clients see: the Wix application code when Wix sends a specific one, otherwise
a code derived from the HTTP status.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

BAD_USER_INPUT = "BAD_USER_INPUT"
UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
NOT_FOUND = "NOT_FOUND"
RATE_LIMITED = "RATE_LIMITED"
UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE"
UPSTREAM_TIMEOUT = "UPSTREAM_TIMEOUT"

_STATUS_CODES = {
    400: BAD_USER_INPUT,
    401: UNAUTHENTICATED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    429: RATE_LIMITED,
}

# gRPC-style status names that Wix (and the SDK, for bare 4xx) put in `applicationError.code`.
# They say no more than the HTTP status, so they are replaced by our status-derived code; any
# other application code (SLOT_NOT_AVAILABLE, SERVICE_NOT_FOUND, ...) is passed through.
_GENERIC_WIX_CODES = frozenset(
    {
        "INVALID_ARGUMENT",
        "UNAUTHENTICATED",
        "PERMISSION_DENIED",
        "NOT_FOUND",
        "RESOURCE_EXHAUSTED",
        "INTERNAL",
        "UNAVAILABLE",
        "DEADLINE_EXCEEDED",
    }
)

REDACTED = "[redacted]"


class UpstreamError(Exception):
    """A failed Wix call; `extensions` go verbatim into the GraphQL error."""

    def __init__(self, message: str, extensions: dict[str, Any]) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions

    @property
    def code(self) -> str:
        return str(self.extensions["code"])

    @property
    def http_status(self) -> int | None:
        status = self.extensions.get("httpStatus")
        return int(status) if status is not None else None

    def __repr__(self) -> str:
        return f"UpstreamError({self.message!r}, code={self.code!r})"


def status_code(status: int) -> str:
    """Our code for an HTTP status when Wix gave no specific application code."""
    if status >= 500:
        return UPSTREAM_UNAVAILABLE
    if status in _STATUS_CODES:
        return _STATUS_CODES[status]
    try:
        return HTTPStatus(status).name  # e.g. 409 CONFLICT, 428 PRECONDITION_REQUIRED
    except ValueError:
        return UPSTREAM_UNAVAILABLE


def error_from_response(
    status: int, content: bytes, request_id: str | None, secrets: Iterable[str] = ()
) -> UpstreamError:
    """Map a non-2xx Wix response. `secrets` are scrubbed from every text that is kept."""
    envelope = _envelope(content)
    details = envelope.get("details")
    details = details if isinstance(details, dict) else {}
    application = details.get("applicationError")
    validation = details.get("validationError")
    wix_message = str(envelope.get("message") or "")

    extensions: dict[str, Any] = {"code": status_code(status)}
    if isinstance(application, dict) and application.get("code"):
        if application["code"] not in _GENERIC_WIX_CODES:
            extensions["code"] = str(application["code"])
        if application.get("data"):
            extensions["data"] = application["data"]
        wix_message = wix_message or str(application.get("description") or "")
    elif isinstance(validation, dict):
        extensions["code"] = BAD_USER_INPUT
        extensions["fieldViolations"] = validation.get("fieldViolations") or []
    extensions.update(httpStatus=status, requestId=request_id, wixMessage=wix_message or None)

    message = wix_message or f"Wix answered HTTP {status}"
    return _scrubbed(message, extensions, secrets)


def timeout_error(deadline: float) -> UpstreamError:
    return _gateway_error(f"Wix did not answer within {deadline:g} s", UPSTREAM_TIMEOUT)


def unreachable_error(exception: Exception) -> UpstreamError:
    """A transport failure; only the exception's class is kept (its text may hold the URL)."""
    return _gateway_error(f"Could not reach Wix ({type(exception).__name__})", UPSTREAM_UNAVAILABLE)


def invalid_body_error(status: int, request_id: str | None) -> UpstreamError:
    return _gateway_error(
        "Wix sent a response body that is not a JSON object",
        UPSTREAM_UNAVAILABLE,
        status,
        request_id,
    )


def _gateway_error(
    message: str, code: str, http_status: int | None = None, request_id: str | None = None
) -> UpstreamError:
    """An error found by the gateway itself, with the same extension keys as Wix's."""
    return UpstreamError(
        message,
        {"code": code, "httpStatus": http_status, "requestId": request_id, "wixMessage": None},
    )


def _envelope(content: bytes) -> dict[str, Any]:
    """Wix's `{message, details}`; system errors (5xx) have an empty body."""
    if not content.strip():
        return {}
    try:
        parsed = json.loads(content)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _scrubbed(message: str, extensions: dict[str, Any], secrets: Iterable[str]) -> UpstreamError:
    """Remove credentials an upstream might echo (keys, tokens in paths) from texts we keep."""
    secrets = [s for s in secrets if s]
    if not secrets:
        return UpstreamError(message, extensions)

    def scrub(value: Any) -> Any:
        if isinstance(value, str):
            for secret in secrets:
                value = value.replace(secret, REDACTED)
            return value
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [scrub(v) for v in value]
        return value

    return UpstreamError(scrub(message), scrub(extensions))
