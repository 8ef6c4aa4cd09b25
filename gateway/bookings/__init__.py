"""The booking domain, below the GraphQL adapters: what the gateway does about writes whose
answer was lost, and the bookings its failed flows leave behind.

- `stamps.py`: every booking the gateway creates carries a stamp, so it can be found again when
  Wix's answer is lost (`find_stamped`), and `may_have_written` says when to look
  (and when an idempotency key stays ambiguous).
- `outbox.py`: the durable list of stamps whose bookings no customer was told about (SQLite
  file, or Redis when configured); a flow adds its stamp before creating and removes it once the
  customer has been answered.
- `reconciler.py`: drains the outbox every `GATEWAY_RECONCILE_SECONDS`, cancelling such orphans.
"""
