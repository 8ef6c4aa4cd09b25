"""Services V2, Booking Policies and Site Properties (services-policies.md)."""

from __future__ import annotations

import copy
from typing import Any

from gateway.sandbox import wql
from gateway.sandbox.errors import not_found
from gateway.sandbox.identity import EVERYONE
from gateway.sandbox.routing import Call, route
from gateway.sandbox.state import Sandbox

API = "Services V2"
DOCS = "https://dev.wix.com/docs/api-reference/business-solutions/bookings"


def public_service(sandbox: Sandbox, service: dict[str, Any]) -> dict[str, Any]:
    """The service as Wix returns it: the booking policy expanded read-only."""
    result = copy.deepcopy(service)
    policy = sandbox.store.get("policies", service["bookingPolicy"]["id"])
    if policy:
        result["bookingPolicy"] = policy
    return result


def load_service(sandbox: Sandbox, service_id: str) -> dict[str, Any]:
    service = sandbox.store.get("services", service_id)
    if service is None:
        raise not_found("SERVICE_NOT_FOUND", f"Service {service_id} not found", {"id": service_id})
    return service


def load_policy(sandbox: Sandbox, service: dict[str, Any]) -> dict[str, Any]:
    policy = sandbox.store.get("policies", service["bookingPolicy"]["id"])
    assert policy is not None, "seeded services always point at a policy"
    return policy


def _with_staff_details(sandbox: Sandbox, service: dict[str, Any]) -> None:
    staff = sandbox.store.get_many("resources", service.get("staffMemberIds", []))
    service["staffMemberDetails"] = {
        "staffMembers": [
            {"staffMemberId": sid, "name": staff[sid]["name"]}
            for sid in service.get("staffMemberIds", [])
            if sid in staff
        ]
    }


@route("GET", ("/bookings/v2/services/{serviceId}", "/_api/bookings/v2/services/{serviceId}"),
       "Get Service", API, f"{DOCS}/services/services-v2/get-service",
       query_params=("conditionalFields",), callers=EVERYONE)  # fmt: skip
def get_service(sandbox: Sandbox, call: Call) -> dict[str, Any]:
    service = public_service(sandbox, load_service(sandbox, call.params["serviceId"]))
    if "STAFF_MEMBER_DETAILS" in call.query.get("conditionalFields", []):
        _with_staff_details(sandbox, service)
    return {"service": service}


@route("POST", ("/bookings/v2/services/query", "/_api/bookings/v2/services/query"),
       "Query Services", API, f"{DOCS}/services/services-v2/query-services",
       callers=EVERYONE)  # fmt: skip
def query_services(sandbox: Sandbox, call: Call) -> dict[str, Any]:
    query = call.body.get("query") or {}
    paging = query.get("paging") or {}
    limit = wql.page_limit(paging.get("limit"), 100, 100, "query.paging.limit")
    offset = int(paging.get("offset") or 0)
    services = [public_service(sandbox, s) for s in sandbox.store.all("services")]
    matched = [s for s in services if wql.matches(s, query.get("filter"))]
    ordered = wql.sort_docs(sorted(matched, key=lambda s: s["createdDate"]), query.get("sort"))
    page = ordered[offset : offset + limit]
    if "STAFF_MEMBER_DETAILS" in (call.body.get("conditionalFields") or []):
        for service in page:
            _with_staff_details(sandbox, service)
    return {
        "services": page,
        "pagingMetadata": {
            "count": len(page),
            "offset": offset,
            "total": len(ordered),
            "tooManyToCount": False,
            "hasNext": offset + len(page) < len(ordered),
            "cursors": {},
        },
    }


@route("GET", "/bookings/v1/booking-policies/{bookingPolicyId}", "Get Booking Policy",
       "Booking Policies", f"{DOCS}/policies/booking-policies/get-booking-policy",
       callers=EVERYONE)  # fmt: skip
def get_booking_policy(sandbox: Sandbox, call: Call) -> dict[str, Any]:
    policy = sandbox.store.get("policies", call.params["bookingPolicyId"])
    if policy is None:
        raise not_found("BOOKING_POLICY_NOT_FOUND", "Booking policy not found")
    return {"bookingPolicy": policy}


@route("POST", "/bookings/v1/booking-policies/query", "Query Booking Policies",
       "Booking Policies", f"{DOCS}/policies/booking-policies/query-booking-policies",
       callers=EVERYONE)  # fmt: skip
def query_booking_policies(sandbox: Sandbox, call: Call) -> dict[str, Any]:
    query = call.body.get("query") or {}
    policies = [p for p in sandbox.store.all("policies") if wql.matches(p, query.get("filter"))]
    limit = wql.page_limit((query.get("cursorPaging") or {}).get("limit"), 100, 100,
                           "query.cursorPaging.limit")  # fmt: skip
    page = wql.sort_docs(policies, query.get("sort"))[:limit]
    return {
        "bookingPolicies": page,
        "pagingMetadata": {"count": len(page), "cursors": {}, "hasNext": len(policies) > limit},
    }


@route("GET", "/site-properties/v4/properties",
       "Get Site Properties", "Site Properties",
       "https://dev.wix.com/docs/api-reference/business-management/site-properties/properties/get-site-properties",
       query_params=("fields.paths",))  # fmt: skip
def get_site_properties(sandbox: Sandbox, call: Call) -> dict[str, Any]:
    properties = sandbox.store.setting("siteProperties") or {}
    paths = call.query.get("fields.paths")
    if paths:
        properties = {k: v for k, v in properties.items() if k in paths}
    return {"version": "1", "properties": properties}


ROUTES = [get_service, query_services, get_booking_policy, query_booking_policies,
          get_site_properties]  # fmt: skip
