"""Structured logs: one JSON object per line, carrying the fields of the request being served.

`GATEWAY_LOG_FORMAT=json` switches every handler of the process (uvicorn's and the gateway's) to
`JsonFormatter`. Every record then carries `request_id` and the operation names of the request it
was logged in, and the one-line summary the middleware logs per request adds the upstream call
count and time (`extra` fields of a record are written as they are).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from gateway.observability.scope import current_request

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {
    "message",
    "asctime",
    "taskName",
    "color_message",  # uvicorn's colored copy of the message
}
_LOGGERS = ("", "gateway", "uvicorn", "uvicorn.error", "uvicorn.access", "strawberry")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        scope = current_request()
        if scope is not None:
            entry["request_id"] = scope.request_id
            if scope.operations:
                entry["operations"] = list(scope.operations)
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)


def use_json_logs() -> None:
    """Give every handler of the usual loggers the JSON formatter (idempotent)."""
    formatter = JsonFormatter()
    for name in _LOGGERS:
        for handler in logging.getLogger(name).handlers:
            handler.setFormatter(formatter)
