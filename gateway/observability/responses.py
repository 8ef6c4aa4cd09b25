"""The JSON error answer middleware sends when no GraphQL endpoint gets to answer."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from starlette.types import Send

# What a client learns of a bug: this, a code and the request id (the log has the rest).
INTERNAL_ERROR_MESSAGE = "Internal server error"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


async def send_error(
    send: Send,
    status: int,
    message: str,
    extensions: dict[str, Any],
    headers: Iterable[tuple[bytes, bytes]] = (),
) -> None:
    """`{"errors": [{"message", "extensions"}]}`, the shape every GraphQL client reads."""
    body = json.dumps({"errors": [{"message": message, "extensions": extensions}]}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
