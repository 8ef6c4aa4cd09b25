"""`WixEvent`: one verified Wix webhook, as the hub carries it between replicas.

Wix's event bodies (https://dev.wix.com/docs/rest/articles/getting-started/webhook-structure):
`createdEvent.entity`, `updatedEvent.currentEntity`, `deletedEvent.deletedEntity` carry the
entity; `actionEvent.body` carries an action's data, for bookings `{booking, doubleBooked,
previousStatus, ...}` (Bookings Writer V2 events, e.g.
https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/booking-confirmed).
Older deliveries sent the same as JSON strings (`entityAsJson`, `bodyAsJson`...): both are read.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

Json = dict[str, Any]

BOOKING_FQDN = "wix.bookings.v2.booking"
SERVICE_FQDN = "wix.bookings.services.v2.service"
# Event ids are GUIDs; anything longer is not Wix's and is refused before it reaches the store.
MAX_ID_LENGTH = 200

# Body key -> (the entity's key, its older stringified key).
_ENTITY_KEYS = {
    "createdEvent": ("entity", "entityAsJson"),
    "updatedEvent": ("currentEntity", "currentEntityAsJson"),
    "deletedEvent": ("deletedEntity", "deletedEntityAsJson"),
}


@dataclass(frozen=True, slots=True)
class WixEvent:
    id: str
    event_type: str
    entity_fqdn: str
    slug: str
    entity_id: str | None
    event_time: str | None
    entity: Json | None  # the created, updated or deleted entity
    body: Json | None  # an action event's body

    @classmethod
    def from_wix(cls, envelope: Json, event: Json) -> WixEvent:
        """From the verified envelope and its event; `ValueError` when either is not Wix's."""
        entity, body = _entity_and_body(event)
        return cls(
            id=_text(event, "id"),
            event_type=_text(envelope, "eventType"),
            entity_fqdn=_text(event, "entityFqdn"),
            slug=_text(event, "slug"),
            entity_id=_optional_text(event, "entityId"),
            event_time=_optional_text(event, "eventTime"),
            entity=entity,
            body=body,
        )

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> WixEvent:
        return cls(**json.loads(text))

    @property
    def booking(self) -> Json | None:
        """The booking of a Bookings Writer V2 event, as Wix sent it."""
        if self.entity_fqdn != BOOKING_FQDN:
            return None
        booking = self.entity if self.entity is not None else (self.body or {}).get("booking")
        return booking if isinstance(booking, dict) else None

    @property
    def service_id(self) -> str | None:
        """The service an event is about: the service itself, or a booking's."""
        if self.entity_fqdn == SERVICE_FQDN:
            return self.entity_id
        return booking_service_id(self.booking or {})


def booking_service_id(booking: Json) -> str | None:
    booked = booking.get("bookedEntity") or {}
    for kind in ("slot", "schedule"):
        service_id = (booked.get(kind) or {}).get("serviceId")
        if isinstance(service_id, str):
            return service_id
    return None


def _entity_and_body(event: Json) -> tuple[Json | None, Json | None]:
    for key in (*_ENTITY_KEYS, "actionEvent"):
        if key in event and not isinstance(event[key], dict):
            raise ValueError(f"`{key}` is not an object")
    for key, (name, old_name) in _ENTITY_KEYS.items():
        if part := event.get(key):
            return _object(part.get(name, part.get(old_name))), None
    if action := event.get("actionEvent"):
        return None, _object(action.get("body", action.get("bodyAsJson")))
    return None, None


def _object(value: Any) -> Json | None:
    if isinstance(value, str):
        value = json.loads(value)
    if value is None or isinstance(value, dict):
        return value
    raise ValueError("an event entity or body is not a JSON object")


def _text(source: Json, key: str) -> str:
    value = source.get(key)
    if not isinstance(value, str) or not value or len(value) > MAX_ID_LENGTH:
        raise ValueError(f"`{key}` is missing or not a short string")
    return value


def _optional_text(source: Json, key: str) -> str | None:
    return None if source.get(key) is None else _text(source, key)
