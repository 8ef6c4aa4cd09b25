"""`ServiceFilter` -> a Query Services WQL filter (observed keys;
https://dev.wix.com/docs/api-reference/business-solutions/bookings/services/services-v2/query-services).
"""

from __future__ import annotations

import strawberry

from gateway.graphql.common import Json, ServiceType


@strawberry.input
class ServiceFilter:
    ids: list[strawberry.ID] | None = None
    type: ServiceType | None = None
    hidden: bool | None = None
    category_id: strawberry.ID | None = None
    name_starts_with: str | None = None

    def to_wql(self) -> Json:
        wql: Json = {}
        if self.ids is not None:
            wql["id"] = {"$in": list(self.ids)}
        if self.type is not None:
            wql["type"] = self.type.value
        if self.hidden is not None:
            wql["hidden"] = self.hidden
        if self.category_id is not None:
            wql["category.id"] = self.category_id
        if self.name_starts_with:
            wql["name"] = {"$startsWith": self.name_starts_with}
        return wql
