"""The demo business's documents, and seeding them (the ids they use are in `seed.py`).

Dates are relative to the sandbox clock at seeding time, and class timetables are weekly rules,
so the business always has future sessions, however long a sandbox runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from gateway.sandbox import seed as ids
from gateway.sandbox.demo_members import members
from gateway.sandbox.store import Store
from gateway.sandbox.wire import to_utc, utc_iso

# Sandbox-only: business opening hours per weekday (Mon=0), used when a service needs more than
# a staff member ("Operating hours" in
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/time-slots/time-slots-v2/introduction).
BUSINESS_HOURS = {
    "0": [["08:00", "20:00"]],
    "1": [["08:00", "20:00"]],
    "2": [["08:00", "20:00"]],
    "3": [["08:00", "20:00"]],
    "4": [["08:00", "20:00"]],
    "5": [["08:00", "20:00"]],
    "6": [["10:00", "16:00"]],
}


def _weekdays(days: str, *spans: tuple[str, str]) -> dict[str, list[list[str]]]:
    return {d: [list(s) for s in spans] for d in days}


def _staff() -> list[dict[str, Any]]:
    def person(id_: str, name: str, hours: dict[str, list[list[str]]]) -> dict[str, Any]:
        email = name.split()[0].lower() + "@riverside.example"
        schedule = id_.replace("b2", "b9", 1)
        return {
            "id": id_,
            "name": name,
            "email": email,
            "scheduleId": schedule,
            "workingHours": hours,
        }

    return [
        person(ids.STAFF_ANNA, "Anna Price", _weekdays("01234", ("09:00", "17:00"))),
        person(ids.STAFF_BEN, "Ben Okafor", _weekdays("12345", ("10:00", "18:00"))),
        person(ids.STAFF_CHLOE, "Chloe Martin", _weekdays("01234", ("12:00", "20:00"))),
        person(
            ids.STAFF_DAN, "Dan Hughes", _weekdays("012345", ("09:00", "13:00"), ("14:00", "17:00"))
        ),
        person(ids.STAFF_ELLA, "Ella Novak", _weekdays("23456", ("09:00", "15:00"))),
        person(ids.STAFF_FIONA, "Fiona Reyes", _weekdays("0123456", ("07:00", "21:00"))),
    ]


def _locations() -> list[dict[str, Any]]:
    return [
        {
            "id": ids.LOCATION_MAIN,
            "name": "Riverside Studio",
            "default": True,
            "address": {
                "formattedAddress": "12 Riverside Walk, London SE1 9PP, UK",
                "country": "GB",
            },
        },
        {
            "id": ids.LOCATION_CITY,
            "name": "City Clinic",
            "default": False,
            "address": {"formattedAddress": "40 Cheapside, London EC2V 6DN, UK", "country": "GB"},
        },
    ]


def _window(action: str, *, limited: bool, minutes: int) -> dict[str, Any]:
    """A cancellation or reschedule policy: `action` is "Cancellation" or "Reschedule"."""
    return {
        "enabled": True,
        f"limitLatest{action}": limited,
        f"latest{action}InMinutes": minutes,
        "allowAnonymous": True,
    }


def _policy(id_: str, name: str, default: bool, **overrides: Any) -> dict[str, Any]:
    policy: dict[str, Any] = {
        "id": id_,
        "revision": "1",
        "name": name,
        "default": default,
        "customPolicyDescription": {"enabled": False, "description": ""},
        "limitEarlyBookingPolicy": {"enabled": True, "earliestBookingInMinutes": 86400},
        "limitLateBookingPolicy": {"enabled": True, "latestBookingInMinutes": 60},
        "bookAfterStartPolicy": {"enabled": False},
        "cancellationPolicy": _window("Cancellation", limited=False, minutes=1440),
        "reschedulePolicy": _window("Reschedule", limited=False, minutes=1440),
        "waitlistPolicy": {"enabled": False, "capacity": 10, "reservationTimeInMinutes": 10},
        "participantsPolicy": {"maxParticipantsPerBooking": 1},
        "resourcesPolicy": {"enabled": False, "autoAssignAllowed": True},
        "cancellationFeePolicy": {
            "enabled": False,
            "cancellationWindows": [],
            "autoCollectFeeEnabled": True,
        },
        "saveCreditCardPolicy": {"enabled": False},
    }
    policy.update(overrides)
    return policy


def _policies() -> list[dict[str, Any]]:
    return [
        _policy(ids.POLICY_STANDARD, "Standard policy", True),
        _policy(
            ids.POLICY_STRICT,
            "No late cancellations",
            False,
            limitLateBookingPolicy={"enabled": True, "latestBookingInMinutes": 120},
            cancellationPolicy=_window("Cancellation", limited=True, minutes=1440),
            reschedulePolicy=_window("Reschedule", limited=True, minutes=1440),
        ),
        _policy(
            ids.POLICY_CLASS,
            "Classes",
            False,
            limitEarlyBookingPolicy={"enabled": True, "earliestBookingInMinutes": 43200},
            limitLateBookingPolicy={"enabled": True, "latestBookingInMinutes": 30},
            cancellationPolicy=_window("Cancellation", limited=True, minutes=120),
            waitlistPolicy={"enabled": True, "capacity": 5, "reservationTimeInMinutes": 10},
            participantsPolicy={"maxParticipantsPerBooking": 4},
        ),
    ]


def _field(
    n: int, form: str, target: str, label: str, type_: str, required: bool, **extra: Any
) -> dict[str, Any]:
    field = {
        "id": f"{form[:8]}-f000-4000-8000-{n:012d}",
        "target": target,
        "label": label,
        "type": type_,
        "required": required,
        "options": extra.pop("options", []),
    }
    field.update(extra)
    return field


def _contact_fields(form: str, phone_required: bool) -> list[dict[str, Any]]:
    return [
        _field(1, form, "first_name", "First Name", "STRING", True, maxLength=100),
        _field(2, form, "last_name", "Last Name", "STRING", True, maxLength=100),
        _field(3, form, "email", "Email", "EMAIL", True),
        _field(4, form, "phone", "Phone", "PHONE", phone_required),
    ]


def _forms() -> list[dict[str, Any]]:
    namespace = ids.BOOKINGS_FORM_NAMESPACE
    pressure = [
        {"label": "Light", "value": "light"},
        {"label": "Medium", "value": "medium"},
        {"label": "Firm", "value": "firm"},
    ]
    levels = [
        {"label": "Beginner", "value": "beginner"},
        {"label": "Intermediate", "value": "intermediate"},
        {"label": "Advanced", "value": "advanced"},
    ]
    return [
        {
            "id": ids.DEFAULT_FORM_ID,
            "namespace": namespace,
            "name": "Default booking form",
            "fields": _contact_fields(ids.DEFAULT_FORM_ID, False),
        },
        {
            "id": ids.FORM_MASSAGE,
            "namespace": namespace,
            "name": "Massage intake",
            "fields": [
                *_contact_fields(ids.FORM_MASSAGE, True),
                _field(5, ids.FORM_MASSAGE, "pressure", "Preferred pressure", "STRING", True,
                       options=pressure),
                _field(6, ids.FORM_MASSAGE, "injuries", "Injuries we should know about", "STRING",
                       False),
            ],
        },
        {
            "id": ids.FORM_YOGA,
            "namespace": namespace,
            "name": "Yoga sign-up",
            "fields": [
                *_contact_fields(ids.FORM_YOGA, False),
                _field(5, ids.FORM_YOGA, "experience", "Experience level", "STRING", True,
                       options=levels),
                _field(6, ids.FORM_YOGA, "mat_rental", "Rent a mat", "BOOLEAN", False),
            ],
        },
    ]  # fmt: skip


def _money(value: str) -> dict[str, str]:
    return {"value": value, "currency": "GBP"}


def _service(
    id_: str,
    type_: str,
    name: str,
    *,
    staff: list[str],
    policy: str,
    form: str = ids.DEFAULT_FORM_ID,
    minutes: int = 60,
    buffer: int = 0,
    capacity: int = 1,
    price: str | None = None,
    locations: tuple[str, ...] = (ids.LOCATION_MAIN,),
    manual_approval: bool = False,
    online: bool = True,
    created: str,
) -> dict[str, Any]:
    payment: dict[str, Any]
    if price is None:
        payment = {"rateType": "NO_FEE", "options": {"online": False, "inPerson": True}}
    else:
        payment = {
            "rateType": "FIXED",
            "fixed": {"price": _money(price)},
            "options": {"online": True, "inPerson": True, "deposit": False, "pricingPlan": False},
            "pricingPlanIds": [],
        }
    by_id = {loc["id"]: loc for loc in _locations()}
    slug = name.lower().replace(" ", "-").replace("(", "").replace(")", "")
    return {
        "id": id_,
        "appId": ids.BOOKINGS_APP_ID,
        "type": type_,
        "name": name,
        "tagLine": f"{name} at Riverside Wellness",
        "defaultCapacity": capacity,
        "hidden": False,
        "category": {"id": "f6000000-0000-4000-8000-000000000001", "name": "Our services"},
        "form": {"id": form},
        "payment": payment,
        "onlineBooking": {
            "enabled": online,
            "requireManualApproval": manual_approval,
            "allowMultipleRequests": False,
        },
        "conferencing": {"enabled": False},
        "locations": [
            {
                "id": loc,
                "type": "BUSINESS",
                "business": by_id[loc],
                "calculatedAddress": by_id[loc]["address"],
            }
            for loc in locations
        ],
        "bookingPolicy": {"id": policy},
        "schedule": {
            "id": ids.schedule_id(id_),
            "availabilityConstraints": {
                "durations": [{"minutes": minutes}],
                "sessionDurations": [minutes],
                "timeBetweenSessions": buffer,
            },
        },
        "staffMemberIds": staff,
        "mainSlug": {"name": slug, "custom": False},
        "createdDate": created,
        "updatedDate": created,
        "revision": "1",
    }


def _services(now: datetime) -> list[dict[str, Any]]:
    stamp = [utc_iso(now + timedelta(milliseconds=i)) for i in range(8)]
    all_staff = [ids.STAFF_ANNA, ids.STAFF_BEN, ids.STAFF_CHLOE, ids.STAFF_DAN, ids.STAFF_ELLA]
    return [
        _service(ids.SERVICE_MASSAGE, "APPOINTMENT", "Deep Tissue Massage", staff=all_staff[:3],
                 policy=ids.POLICY_STRICT, form=ids.FORM_MASSAGE, minutes=60, buffer=15,
                 price="65", created=stamp[0]),
        _service(ids.SERVICE_HAIRCUT, "APPOINTMENT", "Express Haircut",
                 staff=[ids.STAFF_DAN, ids.STAFF_ELLA], policy=ids.POLICY_STANDARD, minutes=30,
                 buffer=10, created=stamp[1]),
        _service(ids.SERVICE_CONSULTATION, "APPOINTMENT", "Wellness Consultation",
                 staff=all_staff, policy=ids.POLICY_STANDARD, minutes=45, buffer=5, price="40",
                 manual_approval=True, locations=(ids.LOCATION_MAIN, ids.LOCATION_CITY),
                 created=stamp[2]),
        _service(ids.SERVICE_FACIAL, "APPOINTMENT", "Signature Facial",
                 staff=[ids.STAFF_CHLOE, ids.STAFF_ELLA], policy=ids.POLICY_STANDARD, minutes=75,
                 buffer=15, price="80", created=stamp[3]),
        _service(ids.SERVICE_SAUNA, "APPOINTMENT", "Private Sauna", staff=[ids.STAFF_BEN],
                 policy=ids.POLICY_STANDARD, minutes=50, buffer=10, price="25", online=False,
                 created=stamp[4]),
        _service(ids.SERVICE_YOGA, "CLASS", "Vinyasa Yoga", staff=[ids.STAFF_FIONA],
                 policy=ids.POLICY_CLASS, form=ids.FORM_YOGA, minutes=60, capacity=10, price="12",
                 created=stamp[5]),
        _service(ids.SERVICE_PILATES_COURSE, "COURSE", "Pilates Foundations",
                 staff=[ids.STAFF_FIONA], policy=ids.POLICY_CLASS, minutes=60, capacity=8,
                 price="90", created=stamp[6]),
    ]  # fmt: skip


def _schedules(now: datetime) -> list[dict[str, Any]]:
    """Class timetables (weekly rules) and the course's fixed sessions, sandbox-only."""
    tz = ZoneInfo(ids.TIME_ZONE)
    yoga = {
        "id": ids.SCHEDULE_YOGA,
        "serviceId": ids.SERVICE_YOGA,
        "timetable": [
            {"weekday": day, "start": start, "end": end, "resourceId": ids.STAFF_FIONA,
             "locationId": ids.LOCATION_MAIN}
            for day, start, end in ((0, "18:00", "19:00"), (2, "18:00", "19:00"),
                                    (5, "10:00", "11:00"))
        ],
    }  # fmt: skip
    local_today = now.astimezone(tz).date()
    first = local_today + timedelta(days=7 + (3 - local_today.weekday()) % 7)  # a Thursday
    sessions = []
    for week in range(6):
        day = first + timedelta(weeks=week)
        start = to_utc(datetime(day.year, day.month, day.day, 19, 0), tz)
        sessions.append(
            {
                "start": utc_iso(start),
                "end": utc_iso(start + timedelta(hours=1)),
                "resourceId": ids.STAFF_FIONA,
                "locationId": ids.LOCATION_MAIN,
            }
        )
    course = {
        "id": ids.SCHEDULE_PILATES_COURSE,
        "serviceId": ids.SERVICE_PILATES_COURSE,
        "sessions": sessions,
    }
    return [yoga, course]


def site_properties() -> dict[str, Any]:
    return {
        "timeZone": ids.TIME_ZONE,
        "locale": {"languageCode": "en", "country": "GB"},
        "language": "en",
        "paymentCurrency": "GBP",
        "businessName": "Riverside Wellness",
        "siteDisplayName": "Riverside Wellness",
        "email": "hello@riverside.example",
        "phone": "+44 20 7946 0000",
        "address": {
            "streetNumber": "12",
            "street": "Riverside Walk",
            "city": "London",
            "country": "GB",
            "zip": "SE1 9PP",
            "isPhysical": True,
        },
        "businessConfig": "UNKNOWN",
    }


def seed(store: Store, now: datetime) -> None:
    """Wipe the store and load the demo business."""
    with store.transaction():
        store.wipe()
        for table, docs in (
            ("locations", _locations()),
            ("resources", _staff()),
            ("policies", _policies()),
            ("forms", _forms()),
            ("services", _services(now)),
            ("schedules", _schedules(now)),
            ("members", members()),
        ):
            for doc in docs:
                store.put(table, doc)
        store.set_setting("siteProperties", site_properties())
        store.set_setting("businessHours", BUSINESS_HOURS)
        store.set_setting("seededAt", utc_iso(now))


def ensure_seeded(store: Store, now: datetime) -> bool:
    """Seed on first start only: a file-backed sandbox keeps its bookings across restarts.
    Whether it seeded now."""
    if store.setting("seededAt") is not None:
        return False
    seed(store, now)
    return True
