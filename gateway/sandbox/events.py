"""The Wix webhooks of sandbox changes: one DomainEvent per changed entity, recorded on the call.

A handler records its events on `call.events` inside its store transaction, once the change is
made (the entity's `entityEventSequence` is counted in that transaction). `app.py` hands them to
`sandbox.webhooks` only when the handler has returned, i.e. its writes have committed; a refused
call raises instead, so its events are dropped with its rollback.

Shapes: `DomainEvent` and `MessageEnvelope` as the Wix SDK declares them (e.g.
`@wix/auto_sdk_bookings_bookings`), read the way `@wix/sdk` reads a webhook: the body of a created
event is `createdEvent.entity`, of an updated one `updatedEvent.currentEntity`, of an action
`actionEvent.body`, each an object
(https://dev.wix.com/docs/build-apps/develop-your-app/api-integrations/events-and-webhooks/about-webhooks).
Booking bodies are built in `booking_events.py`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gateway.sandbox.identity import Identity, Kind
from gateway.sandbox.seed import CALLER_APP_ID
from gateway.sandbox.wire import utc_iso

if TYPE_CHECKING:
    from gateway.sandbox.routing import Call
    from gateway.sandbox.state import Sandbox

BOOKING_FQDN = "wix.bookings.v2.booking"
SERVICE_FQDN = "wix.bookings.services.v2.service"

Doc = dict[str, Any]


@dataclass(frozen=True)
class Event:
    """One webhook to send: the envelope's `eventType` and `identity`, and the DomainEvent that
    becomes the envelope's `data`."""

    event_type: str
    identity: dict[str, str]
    domain_event: Doc

    @property
    def id(self) -> str:
        return str(self.domain_event["id"])


def envelope_identity(identity: Identity | None) -> dict[str, str]:
    """Wix's `WebhooksIdentificationData` of the caller: `identityType` and its one id.

    An API key acts as the sandbox's caller app (`APP`). Inference: a call with no identity (the
    anonymous-token actions, which take no Authorization) is the booking's customer, an
    anonymous visitor Wix does not name to the sandbox, so it carries no id."""
    if identity is None:
        return {"identityType": "ANONYMOUS_VISITOR"}
    if identity.kind is Kind.MEMBER and identity.member_id:
        return {"identityType": "MEMBER", "memberId": identity.member_id}
    if identity.kind is Kind.VISITOR:
        found = {"anonymousVisitorId": identity.visitor_id} if identity.visitor_id else {}
        return {"identityType": "ANONYMOUS_VISITOR", **found}
    return {"identityType": "APP", "appId": CALLER_APP_ID}


def initiated_by(identity: Identity | None, contact_id: str | None = None) -> dict[str, str]:
    """Wix's `IdentificationData` of whoever made a change: one id, and `contactId` when known
    (the caller's own, else `contact_id`, the booking's customer, for an anonymous-token call)."""
    found = dict(envelope_identity(identity))
    found.pop("identityType")
    contact = identity.contact_id if identity is not None else contact_id
    if contact:
        found["contactId"] = contact
    return found


def record(sandbox: Sandbox, call: Call, fqdn: str, slug: str, entity_id: str, body: Doc) -> None:
    """Add a DomainEvent to the call's events; `body` is its one `createdEvent`,
    `updatedEvent` or `actionEvent`."""
    domain_event: Doc = {
        "id": str(uuid.uuid4()),
        "entityFqdn": fqdn,
        "slug": slug,
        "entityId": entity_id,
        "eventTime": utc_iso(sandbox.clock.now()),
        "triggeredByAnonymizeRequest": False,
        "entityEventSequence": str(sandbox.store.next_event_sequence(entity_id)),
        **body,
    }
    call.events.append(Event(f"{fqdn}_{slug}", envelope_identity(call.identity), domain_event))


def created(sandbox: Sandbox, call: Call, fqdn: str, entity: Doc) -> None:
    record(sandbox, call, fqdn, "created", entity["id"], {"createdEvent": {"entity": entity}})


def updated(sandbox: Sandbox, call: Call, fqdn: str, entity: Doc) -> None:
    body = {"updatedEvent": {"currentEntity": entity}}
    record(sandbox, call, fqdn, "updated", entity["id"], body)


def action(sandbox: Sandbox, call: Call, fqdn: str, slug: str, entity_id: str, body: Doc) -> None:
    record(sandbox, call, fqdn, slug, entity_id, {"actionEvent": {"body": body}})
