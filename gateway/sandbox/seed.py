"""The fixed ids of the demo business, "Riverside Wellness" in London (a zone with DST).

Tests, the README and GraphiQL examples name these ids, so they never change. The documents
themselves (services, staff, policies, forms, timetables) and the seeding are in
`demo_business.py`; the few Wix-wide constants the sandbox needs live here too.
"""

from __future__ import annotations

BOOKINGS_APP_ID = "13d21c63-b5ec-5912-8397-c3a5ddb27a97"
# The app behind any API key (the site owner's calls): Wix shows the calling app in `createdBy`
# and in webhooks' identity; the sandbox has one fixed caller app.
CALLER_APP_ID = "5a9d8b1e-0000-4000-8000-00000000a11e"
# The caller app's instance on the demo site: the `instanceId` of every webhook the sandbox sends.
APP_INSTANCE_ID = "5a9d8b1e-0000-4000-8000-0000000015e5"
STAFF_RESOURCE_TYPE_ID = "1cd44cf8-756f-41c3-bd90-3e2ffcaf1155"
DEFAULT_FORM_ID = "00000000-0000-0000-0000-000000000000"
BOOKINGS_FORM_NAMESPACE = "wix.bookings.v2.bookings"
TIME_ZONE = "Europe/London"

LOCATION_MAIN = "a1000000-0000-4000-8000-000000000001"
LOCATION_CITY = "a1000000-0000-4000-8000-000000000002"

STAFF_ANNA = "b2000000-0000-4000-8000-000000000001"
STAFF_BEN = "b2000000-0000-4000-8000-000000000002"
STAFF_CHLOE = "b2000000-0000-4000-8000-000000000003"
STAFF_DAN = "b2000000-0000-4000-8000-000000000004"
STAFF_ELLA = "b2000000-0000-4000-8000-000000000005"
STAFF_FIONA = "b2000000-0000-4000-8000-000000000006"

POLICY_STANDARD = "c3000000-0000-4000-8000-000000000001"
POLICY_STRICT = "c3000000-0000-4000-8000-000000000002"
POLICY_CLASS = "c3000000-0000-4000-8000-000000000003"

FORM_MASSAGE = "d4000000-0000-4000-8000-000000000001"
FORM_YOGA = "d4000000-0000-4000-8000-000000000002"

SERVICE_MASSAGE = "e5000000-0000-4000-8000-000000000001"  # appointment, strict cancellation
SERVICE_HAIRCUT = "e5000000-0000-4000-8000-000000000002"  # appointment, free
SERVICE_CONSULTATION = "e5000000-0000-4000-8000-000000000003"  # manual approval, 5 staff, 2 sites
SERVICE_FACIAL = "e5000000-0000-4000-8000-000000000004"  # appointment
SERVICE_SAUNA = "e5000000-0000-4000-8000-000000000005"  # online booking disabled
SERVICE_YOGA = "e5000000-0000-4000-8000-000000000006"  # class, weekly timetable
SERVICE_PILATES_COURSE = "e5000000-0000-4000-8000-000000000007"  # course, 6 fixed sessions


def schedule_id(service_id: str) -> str:
    """A service's schedule id: its id with the `e5` prefix changed to `57`."""
    return service_id.replace("e5", "57", 1)


SCHEDULE_YOGA = schedule_id(SERVICE_YOGA)  # the class's weekly timetable
SCHEDULE_PILATES_COURSE = schedule_id(SERVICE_PILATES_COURSE)  # the course's fixed sessions

# The demo site's Headless OAuth app: its id is the `clientId` of `POST /oauth2/token`.
OAUTH_CLIENT_ID = "0a000000-0000-4000-8000-0000000c11e7"

# Site members (each has a contact, as on Wix); `POST /_sandbox/member-tokens` logs them in.
MEMBER_MAYA = "f6000000-0000-4000-8000-000000000001"
MEMBER_NOAH = "f6000000-0000-4000-8000-000000000002"
CONTACT_MAYA = "c0000000-0000-4000-8000-00000000000a"
CONTACT_NOAH = "c0000000-0000-4000-8000-00000000000b"
EMAIL_MAYA = "maya.patel@example.com"
EMAIL_NOAH = "noah.williams@example.com"
