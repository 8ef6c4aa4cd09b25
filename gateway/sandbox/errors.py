"""Wix's error envelope, raised by handlers and rendered in one place (`app.py`)."""

from __future__ import annotations

from typing import Any

# The code the Wix SDK declares for a stale revision (multi-service methods); methods that
# declare none answer the standard 409 instead (`declared_codes.STAND_INS`).
REVISION_MISMATCH_CODE = "BOOKING_REVISION_MISMATCH"
REVISION_MISMATCH_MESSAGE = "entity has already changed since the requested revision"

# HTTP status -> the status text the Wix SDK synthesizes as `code` when a 4xx carries no details.
STATUS_CODES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    428: "FAILED_PRECONDITION",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

# Codes any method may answer: Wix's standard error of each HTTP status
# (https://dev.wix.com/docs/api-reference/articles/work-with-wix-apis/troubleshooting/about-errors)
# and the 403 of a caller without the method's permission, which Wix answers across APIs.
GENERIC_CODES = frozenset({*STATUS_CODES.values(), "UNAUTHORIZED_OPERATION"})
# A 404 naming the entity of the path: the codes Wix's SDK declares for it (on some method).
ENTITY_NOT_FOUND_CODES = frozenset(
    {"BOOKING_NOT_FOUND", "MULTI_SERVICE_BOOKING_NOT_FOUND", "SERVICE_NOT_FOUND", "SLOT_NOT_FOUND"}
)


class WixError(Exception):
    """A business or validation error, rendered as Wix's `{message, details}` envelope."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        data: dict[str, Any] | None = None,
        field_violations: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.data = data or {}
        self.field_violations = field_violations

    @property
    def is_validation(self) -> bool:
        """A `validationError` envelope carries no application code."""
        return self.field_violations is not None

    def recoded(self, code: str) -> WixError:
        return WixError(self.status, code, self.message, self.data, self.field_violations)

    def body(self) -> dict[str, Any]:
        if self.field_violations is not None:
            return {
                "message": f"INVALID_ARGUMENT: {self.message}",
                "details": {"validationError": {"fieldViolations": self.field_violations}},
            }
        return {
            "message": self.message,
            "details": {
                "applicationError": {
                    "code": self.code,
                    "description": self.message,
                    "data": self.data,
                }
            },
        }


def invalid(field: str, description: str, rule: str = "VALIDATION_ERROR") -> WixError:
    """A 400 with one `validationError.fieldViolations` entry."""
    violation = {"field": field, "description": description, "violatedRule": rule, "data": {}}
    return WixError(400, "INVALID_ARGUMENT", f'"{field}" {description}', None, [violation])


def not_found(code: str, message: str, data: dict[str, Any] | None = None) -> WixError:
    return WixError(404, code, message, data)


def precondition(code: str, message: str, data: dict[str, Any] | None = None) -> WixError:
    return WixError(428, code, message, data)


def forbidden(code: str, message: str, data: dict[str, Any] | None = None) -> WixError:
    return WixError(403, code, message, data)


def revision_mismatch(current: int) -> WixError:
    return WixError(
        409,
        REVISION_MISMATCH_CODE,
        REVISION_MISMATCH_MESSAGE,
        {"currentRevision": str(current)},
    )
