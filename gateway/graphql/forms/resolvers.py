"""`form(id)`: one Get Form per distinct form in a request, through the forms loader."""

from __future__ import annotations

import strawberry

from gateway.graphql.context import Info
from gateway.graphql.forms.types import Form
from gateway.identity.visitor_fields import visitor_safe


async def form(info: Info, id: strawberry.ID) -> Form | None:
    """A booking form with its fields; null when Wix has no form with this id."""
    return await info.context.loaders.forms.load(id)


@strawberry.type
class FormQueries:
    form: Form | None = strawberry.field(
        metadata=visitor_safe(),
        resolver=form,
        description="A booking form with its fields; null when there is none.",
    )
