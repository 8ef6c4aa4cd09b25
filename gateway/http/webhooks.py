"""`POST /webhooks/wix`: Wix's webhooks in.

A delivery is verified (`gateway.live.webhooks`), taken once by its event id, and handed to the
hub, which passes it to every replica; the answer goes back as soon as that is done, and the
work (cache invalidation, subscriptions) happens after it, on the hub's dispatchers.

| answer | when                                                                  | Wix then  |
|--------|-----------------------------------------------------------------------|-----------|
| 200    | taken, or a repeat of an event already taken                          | done      |
| 400    | signed, but not a Wix event (`BAD_REQUEST`)                           | -         |
| 401    | not signed by `WIX_WEBHOOK_PUBLIC_KEY`, or expired (`UNAUTHENTICATED`)| -         |
| 404    | no public key configured (`WEBHOOKS_NOT_CONFIGURED`)                  | -         |
| 503    | the event could not be passed on (`SERVICE_UNAVAILABLE`); not taken   | retries   |
"""

from __future__ import annotations

import contextlib
import logging

from redis.exceptions import RedisError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from gateway.http.execution import error_body
from gateway.live.deliveries import SeenEvents
from gateway.live.hub import HubUnavailable, LiveHub
from gateway.live.webhooks import Malformed, Unverified, WebhookVerifier
from gateway.observability.metrics import WEBHOOK_DELIVERIES

logger = logging.getLogger("gateway.webhooks")

UNAUTHENTICATED = "UNAUTHENTICATED"
BAD_REQUEST = "BAD_REQUEST"
NOT_CONFIGURED = "WEBHOOKS_NOT_CONFIGURED"
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"


class WixWebhookEndpoint:
    def __init__(self, verifier: WebhookVerifier | None, seen: SeenEvents, hub: LiveHub) -> None:
        self._verifier = verifier
        self._seen = seen
        self._hub = hub

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.respond(Request(scope, receive))
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        if request.method != "POST":
            return _refusal(405, "Use POST", METHOD_NOT_ALLOWED, {"allow": "POST"})
        if self._verifier is None:
            return _refusal(404, "No webhook public key is configured", NOT_CONFIGURED)
        body = await request.body()
        try:
            event = self._verifier.verify(body)
        except Unverified as error:
            WEBHOOK_DELIVERIES.labels("unverified").inc()
            logger.warning("webhook refused: %s", error)  # never the body: it is a credential
            return _refusal(401, "The delivery is not signed by Wix, or expired", UNAUTHENTICATED)
        except Malformed as error:
            WEBHOOK_DELIVERIES.labels("malformed").inc()
            logger.warning("webhook refused: signed but not a Wix event (%s)", error)
            return _refusal(400, "The delivery is not a Wix event", BAD_REQUEST)
        try:
            if not await self._seen.take(event.id):
                WEBHOOK_DELIVERIES.labels("duplicate").inc()
                return JSONResponse({"status": "duplicate"})
            await self._hub.publish(event)
        except (RedisError, HubUnavailable) as error:
            WEBHOOK_DELIVERIES.labels("unavailable").inc()
            logger.warning("webhook %s not passed on, Wix will retry: %s", event.event_type, error)
            with contextlib.suppress(RedisError):
                await self._seen.forget(event.id)
            return _refusal(503, "Try again later", SERVICE_UNAVAILABLE, {"retry-after": "5"})
        WEBHOOK_DELIVERIES.labels("accepted").inc()
        return JSONResponse({"status": "accepted"})


def _refusal(
    status: int, message: str, code: str, headers: dict[str, str] | None = None
) -> Response:
    return JSONResponse(error_body(message, code), status, headers=headers)
