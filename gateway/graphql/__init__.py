"""The GraphQL layer: the schema clients see, mapped onto the Wix Bookings REST APIs.

Where things are:
- The schema: `schema.py` merges each domain's queries and mutations; `schema.graphql` at the
  repository root is its printed SDL, a contract (`tests/graphql/test_schema_file.py`).
- A domain (`services/`, `time_slots/`, `forms/`, `bookings/`): `types.py` maps Wix JSON to
  GraphQL types once, in `from_wix`; `resolvers.py` holds its queries; `filters.py` turns
  GraphQL filters into WQL.
- A booking's related objects (service, form, allowed actions, package): resolved on demand
  through the request's batched loaders, `loaders.py`.
- The booking flows (book, reschedule, cancel, packages, anonymous links, double bookings):
  `bookings/mutations/`, each ending in an outcome union (`outcomes.py`).
- Paging: `pagination.py` (Relay cursors over Wix cursor and offset paging).
- Execution speed: `execution.py` and `field_plans.py`, a shorter path through graphql-core.
"""
