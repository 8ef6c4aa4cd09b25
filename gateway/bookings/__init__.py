"""The booking domain, below the GraphQL adapters (`gateway/graphql/bookings/mutations/`): the
flows themselves, plain code over a `FlowContext` (`flow.py`) returning outcome dataclasses
(`outcomes.py`), and what the gateway does about writes whose answer was lost.

- flows: `appointments.py`, `courses.py` (new bookings, through `creation.py`), `lifecycle.py`
  and `status.py` (changes, through `changes.py`), `packages.py` and `package_changes.py`,
  `anonymous.py`, `double_booking.py`; their checks in `slots.py`, `forms.py`,
  `rescheduling.py`, `package_chains.py`, and Wix's refusals in `refusals.py`.

- `stamps.py`: every booking the gateway creates carries a stamp, so it can be found again when
  Wix's answer is lost (`find_stamped`), and `may_have_written` says when to look
  (and when an idempotency key stays ambiguous).
- `outbox.py`: the durable list of stamps whose bookings no customer was told about (SQLite
  file, or Redis when configured); a flow adds its stamp before creating and removes it once the
  customer has been answered.
- `reconciler.py`: drains the outbox every `GATEWAY_RECONCILE_SECONDS`, cancelling such orphans.
"""
