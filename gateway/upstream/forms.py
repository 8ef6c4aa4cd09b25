"""Wix Forms form schemas: the booking form's fields
(https://dev.wix.com/docs/api-reference/crm/forms/form-schemas/introduction).
"""

from __future__ import annotations

from typing import Any

from gateway.upstream.client import WixApi

GET_FORM_SUMMARY = "/form-schema-service/v4/forms/{formId}/summary"
GET_FORM = "/form-schema-service/v4/forms/{formId}"


class FormsApi(WixApi):
    __slots__ = ()

    async def get_form_summary(self, form_id: str) -> dict[str, Any]:
        """The `formSummary`: a flat field list (target, label, type, options), no `required`."""
        body = await self._read("GET", GET_FORM_SUMMARY, formId=form_id)
        return body["formSummary"]

    async def get_form(self, form_id: str) -> dict[str, Any]:
        """The full `form` schema, which also says which fields are required."""
        body = await self._read("GET", GET_FORM, formId=form_id)
        return body["form"]
