"""`Node`, Relay's interface of objects that can be fetched again by id (`node(id:)`).

Its `id` is the raw Wix id, the one every other field and mutation takes: Wix ids are GUIDs,
unique across Wix's entity types, which is all Relay asks of an id, so no global id wraps them.
The types that implement it and how `node` finds them: `node_queries.py`.
"""

from __future__ import annotations

import strawberry


@strawberry.interface(
    description="An object that can be fetched again by its id with `node(id:)` (Relay's "
    "object identification). The id is the object's Wix id, as everywhere else in this schema."
)
class Node:
    id: strawberry.ID = strawberry.field(
        description="The Wix id (a GUID, unique across Wix's entity types)."
    )
