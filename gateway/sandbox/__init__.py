"""The embedded sandbox: a Wix-compatible emulator of the Bookings REST endpoints, backed by SQLite.

`build_sandbox_app()` returns a Starlette app that serves the same paths, JSON and error envelope as
`https://www.wixapis.com` for the methods the gateway uses, plus controls under `/_sandbox/`.

Where things are:
- A Wix method: its handler and paths in `api/<the Wix API>.py` (gathered by `routes.py`).
- Whether a slot is free: `availability.py` (staff hours, busy time, buffers, policies), used by
  Time Slots and by Create Booking's checks (`booking_checks.py`) alike; class and course places
  are counted by `calendar.py`.
- What a booking may do: `bookings.py` (create, reschedule, cancel), `booking_transitions.py`
  (confirm, decline, pending, participants), `multi_service.py` (packages).
- The demo business: its fixed ids in `seed.py`, its documents in `demo_business.py`.
- Webhooks: `events.py` and `booking_events.py` (the Wix event each change emits, recorded by the
  handlers), `webhooks.py` (`sandbox.webhooks`: signing, targets, delivery with retries).
- State: `store.py` (SQLite), `state.py` (the `Sandbox`: store, clock, faults, request log,
  webhook sender).
- Injected faults (a test control): `faults.py` (the rules), `dropped.py` (closing a connection
  without an answer), applied around the handler in `app.py`.
"""

from gateway.sandbox.app import build_sandbox_app

__all__ = ["build_sandbox_app"]
