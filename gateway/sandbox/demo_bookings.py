"""Demo bookings: what the embedded demo (`python -m gateway`, `make run`) starts with, so that a
"my bookings" screen shows something at once. Seeded only when asked
(`Sandbox.open(..., demo_bookings=True)`, the gateway's `SANDBOX_DEMO_BOOKINGS`): tests and the
standalone sandbox start with none.

In the days after the clock's now, for the demo members (their emails put the bookings on their
contacts, so their member tokens see them) and one guest:

| Customer | Service | Day | Status |
|---|---|---|---|
| Maya Patel | Express Haircut | +1 | CONFIRMED |
| Maya Patel | Deep Tissue Massage | +2 | CREATED (not confirmed yet) |
| Maya Patel | Wellness Consultation (manual approval) | +3 | PENDING |
| Maya Patel | Signature Facial | +4 | CANCELED |
| Noah Williams | Wellness Consultation | +4 | DECLINED by the business |
| Noah Williams, Sam Taylor | Express Haircut, one slot, one staff | +3 | CONFIRMED, paid |

The last two are a double booking: Sam's is `doubleBooked` (`doubleBookedBookings` lists it).

They are made as a Wix client would make them, through the sandbox's own handlers (Create
Booking, Confirm Or Decline, Decline, Cancel) with the owner's API key, on slots Time Slots
lists as bookable: the same validation, forms and availability as any booking. No webhook is
sent for them: they are the demo's starting data, not changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from gateway.sandbox import seed as ids
from gateway.sandbox.api import bookings_writer, time_slots
from gateway.sandbox.routing import Call, WixRoute

if TYPE_CHECKING:
    from gateway.sandbox.state import Sandbox

Doc = dict[str, Any]
Step = Callable[[Doc], Doc]  # what follows the create: confirm, decline, cancel
MAYA = {"first_name": "Maya", "last_name": "Patel", "email": ids.EMAIL_MAYA}
NOAH = {"first_name": "Noah", "last_name": "Williams", "email": ids.EMAIL_NOAH}
SAM = {"first_name": "Sam", "last_name": "Taylor", "email": "sam.taylor@example.com"}
MASSAGE_ANSWERS = {"phone": "+44 20 7946 0102", "pressure": "medium"}
DAYS_LOOKED_AHEAD = 7  # for the first bookable slot from a given day


def seed_demo_bookings(sandbox: Sandbox) -> list[Doc]:
    """Make the demo bookings (see the module's table); their final documents, in that order.
    Each slot is looked up just before it is booked, so none is taken twice; a booking whose
    service has no bookable slot in the week from its day is left out."""
    today = sandbox.clock.now().astimezone(ZoneInfo(ids.TIME_ZONE)).date()
    demo = _Demo(sandbox, today)
    made: list[Doc] = []

    def book(service_id: str, days_ahead: int, customer: Doc, *then: Step) -> None:
        slot = demo.slot(service_id, days_ahead)
        if slot is None:
            return
        booking = demo.create(slot, customer)
        for step in then:
            booking = step(booking)
        made.append(booking)

    book(ids.SERVICE_HAIRCUT, 1, MAYA, demo.confirmed)
    book(ids.SERVICE_MASSAGE, 2, {**MAYA, **MASSAGE_ANSWERS})
    book(ids.SERVICE_CONSULTATION, 3, MAYA, demo.confirmed)  # manual approval: PENDING
    book(ids.SERVICE_FACIAL, 4, MAYA, demo.confirmed, demo.canceled)
    book(ids.SERVICE_CONSULTATION, 4, NOAH, demo.declined)
    # Two customers create the same slot (a CREATED booking holds nothing), both pay: Wix
    # confirms the second one double-booked.
    conflict = demo.slot(ids.SERVICE_HAIRCUT, 3)
    if conflict is not None:
        pair = [demo.create(conflict, NOAH), demo.create(conflict, SAM)]
        made += [demo.confirmed(booking, paid=True) for booking in pair]
    return made


class _Demo:
    def __init__(self, sandbox: Sandbox, today: date) -> None:
        self.sandbox = sandbox
        self.today = today

    def call(self, route: WixRoute, body: Doc, **params: str) -> Doc:
        """The route's handler, as the owner's API key calls it (its webhooks are not sent)."""
        return route.handler(self.sandbox, Call(params, {}, body))

    def slot(self, service_id: str, days_ahead: int) -> Doc | None:
        """The first bookable slot of the service from `days_ahead` days after today, as Create
        Booking takes it (`bookedEntity.slot`); None when the week from that day has none."""
        day = self.today + timedelta(days=days_ahead)
        listed = self.call(
            time_slots.list_availability,
            {
                "serviceId": service_id,
                "fromLocalDate": f"{day}T00:00:00",
                "toLocalDate": f"{day + timedelta(days=DAYS_LOOKED_AHEAD)}T00:00:00",
                "timeZone": ids.TIME_ZONE,
                "bookable": True,
                "includeResourceTypeIds": [ids.STAFF_RESOURCE_TYPE_ID],
                "cursorPaging": {"limit": 1},
            },
        )
        if not listed["timeSlots"]:
            return None
        found = listed["timeSlots"][0]
        return {
            "serviceId": service_id,
            "scheduleId": found["scheduleId"],
            "startDate": found["localStartDate"],
            "endDate": found["localEndDate"],
            "timezone": ids.TIME_ZONE,
            "resource": {"id": found["availableResources"][0]["resources"][0]["id"]},
            "location": {"id": found["location"]["id"], "locationType": "OWNER_BUSINESS"},
        }

    def create(self, slot: Doc, answers: Doc) -> Doc:
        """Create Booking with the form's answers (the customer's contact fields among them)."""
        body = {
            "booking": {
                "bookedEntity": {"slot": slot},
                "totalParticipants": 1,
                "selectedPaymentOption": "OFFLINE",
            },
            "formSubmission": answers,
        }
        return dict(self.call(bookings_writer.create_booking, body)["booking"])

    def confirmed(self, booking: Doc, *, paid: bool = False) -> Doc:
        """Confirm Or Decline: CONFIRMED, PENDING for a service that needs approval."""
        body = {"paymentStatus": "PAID"} if paid else {}
        answer = self.call(bookings_writer.confirm_or_decline, body, bookingId=booking["id"])
        return dict(answer["booking"])

    def declined(self, booking: Doc) -> Doc:
        body = {"revision": booking["revision"]}
        return dict(self.call(bookings_writer.decline, body, bookingId=booking["id"])["booking"])

    def canceled(self, booking: Doc) -> Doc:
        body = {"revision": booking["revision"]}
        return dict(self.call(bookings_writer.cancel, body, bookingId=booking["id"])["booking"])
