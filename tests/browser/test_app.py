"""The reference booking app at `/app/` (`web/app/`), in Chromium with no internet, against a
gateway on the embedded sandbox with the tests' frozen clock.

The app is built first, as `make web` does, so the tests run what the sources say. Each script
takes numbered screenshots under `test-output/browser/<script>/`.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.clock import Clock
from gateway.config import Settings
from gateway.http.app_page import APP_DIR
from tests.browser import SCREENSHOTS, WEB, node, run_script
from tests.servers import serve

ADMIN_KEY = "reference-app-test-key"
HAIRCUT = "e5000000-0000-4000-8000-000000000002"
BOOKING = "query Booking($id: ID!) { booking(id: $id) { status start contact { email } } }"
SLOTS = (
    "query Slots($id: ID!) { timeSlots(serviceId: $id, bookable: true, first: 3) "
    "{ nodes { localStart localEnd resources { id } } } }"
)


@pytest.fixture(scope="module", autouse=True)
def built_app() -> None:
    """`web/dist/app/` freshly built from `web/app/` (esbuild takes well under a second)."""
    completed = subprocess.run(
        [node(), str(WEB / "build.mjs")], cwd=WEB, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    assert (APP_DIR / "index.html").is_file()


@pytest.fixture
def gateway(clock: Clock) -> Iterator[str]:
    with serve(create_app(Settings(admin_keys=ADMIN_KEY), clock)) as base_url:
        yield base_url


def graphql(base_url: str, query: str, variables: dict[str, Any] | None = None) -> Any:
    """Run `query` as the business (admin key); its `data`."""
    response = httpx.post(
        f"{base_url}/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"authorization": f"Bearer {ADMIN_KEY}"},
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def first_slots(base_url: str, service_id: str = HAIRCUT) -> list[dict[str, Any]]:
    """The service's first bookable slots, as the API lists them (from the frozen "now")."""
    nodes: list[dict[str, Any]] = graphql(base_url, SLOTS, {"id": service_id})["timeSlots"]["nodes"]
    return nodes


def test_book_list_link_and_cancel_an_appointment(gateway: str) -> None:
    first = first_slots(gateway)[0]["localStart"]  # Monday 2 March, 10:20 London time

    result = run_script("app_booking", gateway, adminKey=ADMIN_KEY, email="maya@example.com")

    assert result["external"] == []
    assert result["consoleErrors"] == []
    # Slots as the gateway lists them: from the frozen "now" (Monday 09:00 London), local times.
    assert result["slotStart"] == first
    assert "Europe/London" in result["zoneNote"]
    # The browser's checks (the gateway's rules) stopped the booking before any request.
    errors = result["clientErrors"]
    assert errors["lastName"] == {"text": "Last Name is required", "invalid": "true"}
    assert errors["email"] == {"text": "Email must be an email address", "invalid": "true"}
    assert errors["firstName"]["invalid"] is None
    assert errors["focused"] == "last_name"
    assert result["bookRequestsBeforeFix"] == 0
    assert result["correctedError"] == {"text": "", "invalid": None}
    booked = result["booked"]
    assert booked["outcome"] == "BookingCreated"
    assert booked["status"] == "CREATED"  # anonymous callers may not confirm
    assert f"{first[11:16]} (Europe/London)" in booked["text"]
    # The business's view lists it, and finds it by the customer's email.
    assert result["admin"]["mine"] == [booked["bookingId"]]
    assert result["admin"]["allowedText"] == "The customer may cancel or reschedule it."
    # The link is a hash route; opened as ?token=, it becomes one and shows the booking.
    assert result["link"].startswith(f"{gateway}/app/#/link/")
    assert result["linkPage"] == {
        "url": result["link"],
        "status": "CREATED",
        "bookingId": booked["bookingId"],
    }
    assert result["canceled"] == {
        "outcome": "BookingUpdated",
        "status": "CANCELED",
        "actions": "This booking can no longer be changed online.",
    }
    # The token never went into a /graphql URL; queries went as APQ hashes over GET.
    assert result["tokenInRequestUrls"] == 0
    assert result["persistedGets"] > 0
    booking = graphql(gateway, BOOKING, {"id": booked["bookingId"]})["booking"]
    assert booking == {
        "status": "CANCELED",
        "start": f"{first}.000Z",  # London is on GMT in March: local time = UTC
        "contact": {"email": "maya@example.com"},
    }
    assert len(list((SCREENSHOTS / "app_booking").glob("*.png"))) >= 11


def test_a_slot_taken_meanwhile_offers_the_nearest_free_times_on_a_phone(gateway: str) -> None:
    first, second, _ = (slot["localStart"] for slot in first_slots(gateway))

    result = run_script("app_slot_taken", gateway, adminKey=ADMIN_KEY, email="ana@example.com")

    assert result["external"] == []
    assert result["consoleErrors"] == []
    assert result["focusRing"] == {"visible": True, "outline": "solid 3px"}
    assert result["taken"]["booking"]["status"] == "CONFIRMED"
    unavailable = result["unavailable"]
    assert unavailable["outcome"] == "SlotUnavailable"
    assert result["picked"]["localStart"] == first
    assert unavailable["alternatives"][0] == second
    assert first not in unavailable["alternatives"]
    assert unavailable["overflow"] == 0  # nothing wider than the 390 px screen
    assert f"{second[11:16]}\u2013" in result["selected"]  # an en dash follows
    assert result["focusedAfterPick"] == "Book"
    assert f"{second[11:16]} (Europe/London)" in result["booked"]["text"]
    assert result["booked"]["overflow"] == 0
    booking = graphql(gateway, BOOKING, {"id": result["booked"]["bookingId"]})["booking"]
    assert booking["start"] == f"{second}.000Z"
    assert booking["contact"] == {"email": "ana@example.com"}


def test_the_business_resolves_a_double_booking(gateway: str) -> None:
    double_booked = _double_booking(gateway)

    result = run_script("app_admin", gateway, adminKey=ADMIN_KEY, doubleBookedId=double_booked)

    assert result["external"] == []
    assert result["consoleErrors"] == []
    assert result["refused"] == "Enter the admin key."
    assert result["listedBefore"] == 1
    assert result["resolved"] == {"outcome": "DoubleBookingResolved", "status": "CANCELED"}
    assert result["keptKeys"] == []  # signing out forgot the key
    booking = graphql(gateway, BOOKING, {"id": double_booked})["booking"]
    assert booking["status"] == "CANCELED"
    assert graphql(gateway, "{ doubleBookedBookings { nodes { id } } }") == {
        "doubleBookedBookings": {"nodes": []}
    }


def _double_booking(base_url: str) -> str:
    """Two customers on one staff member's slot, both confirmed as paid: the second is
    double-booked (Wix keeps a paid booking and flags it)."""
    slot = first_slots(base_url)[-1]
    ids = []
    for n in range(2):
        booking_input = {
            "serviceId": HAIRCUT,
            "localStart": slot["localStart"],
            "localEnd": slot["localEnd"],
            "resourceId": slot["resources"][0]["id"],
            "contact": {"firstName": "Dee", "lastName": f"Twice{n}", "email": f"d{n}@example.com"},
        }
        created = graphql(
            base_url,
            "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) "
            "{ ... on BookingCreated { booking { id } } } }",
            {"input": booking_input},
        )
        ids.append(created["bookAppointment"]["booking"]["id"])
    for booking_id in ids:
        confirmed = graphql(
            base_url,
            "mutation($id: ID!) { confirmOrDeclineBooking(input: "
            "{ bookingId: $id, paymentStatus: PAID }) "
            "{ ... on BookingUpdated { booking { doubleBooked } } } }",
            {"id": booking_id},
        )
    assert confirmed["confirmOrDeclineBooking"]["booking"]["doubleBooked"] is True
    return ids[-1]


def test_join_a_class_book_a_course_and_move_the_class_by_its_link(gateway: str) -> None:
    result = run_script("app_class_course", gateway, adminKey=ADMIN_KEY, email="kemi@example.com")

    assert result["external"] == []
    assert result["consoleErrors"] == []
    assert result["classSession"]["meta"] == "10 spots left"
    assert result["levelError"] == "Experience level is required"
    assert result["classBooked"]["outcome"] == "BookingCreated"
    course = result["courseBooked"]
    assert course["outcome"] == "BookingCreated"
    assert "Pilates Foundations" in course["text"]
    assert "course from" in course["text"]
    assert result["moved"]["outcome"] == "BookingUpdated"
    booking = graphql(gateway, BOOKING, {"id": result["classBooked"]["bookingId"]})["booking"]
    assert booking["start"] == f"{result['moved']['movedTo']}.000Z"  # London = UTC in March
    assert booking["contact"] == {"email": "kemi@example.com"}
