"""Services V2 (get, query, update), Booking Policies and Site Properties."""

from __future__ import annotations

import copy
import logging
from typing import Any

from gateway.sandbox import events, wql
from gateway.sandbox.errors import invalid, not_found, revision_mismatch
from gateway.sandbox.events import SERVICE_FQDN
from gateway.sandbox.identity import EVERYONE
from gateway.sandbox.routing import Call, route
from gateway.sandbox.state import Sandbox
from gateway.sandbox.wire import parse_revision, utc_iso

API = "Services V2"
DOCS = "https://dev.wix.com/docs/api-reference/business-solutions/bookings"
logger = logging.getLogger("gateway.sandbox")

# What Update Service changes: these fields, with the SDK's limits (the `Service` type); an
# object's listed flags are merged into it. Other fields are left as they are: read-only ones as on
# Wix, and the ones the sandbox doesn't change (staff, schedule, locations, policy...).
_TEXTS = {"name": (1, 400), "description": (0, 7000), "tagLine": (0, 6000)}
_FLAGS = {
    "onlineBooking": ("enabled", "requireManualApproval", "allowMultipleRequests"),
    "conferencing": ("enabled",),
}
_PAYMENT_OPTIONS = ("online", "inPerson", "deposit", "pricingPlan")
_READ_ONLY = {"id", "revision", "createdDate", "updatedDate", "appId", "createdByAppId"}
MAX_CAPACITY = 1000


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


@route("PATCH", ("/bookings/v2/services/{serviceId}", "/_api/bookings/v2/services/{serviceId}"),
       "Update Service", API, f"{DOCS}/services/services-v2/update-service")  # fmt: skip
def update_service(sandbox: Sandbox, call: Call) -> dict[str, Any]:
    """`{"service": {..., "revision"}}`: the sent fields the sandbox changes (`_TEXTS`, `_FLAGS`,
    `defaultCapacity`, `hidden`, `payment.options`), revision + 1; answered like Get Service and
    announced by `service_updated`. A stale revision is 409 (the SDK declares no code for it)."""
    given = call.body.get("service")
    if not isinstance(given, dict):
        raise invalid("service", "is required", "REQUIRED_FIELD")
    service_id = call.params["serviceId"]
    if given.get("id") not in (None, service_id):
        raise invalid("service.id", "must be the id of the path")
    with sandbox.store.transaction():
        service = load_service(sandbox, service_id)
        current = int(service["revision"])
        if parse_revision(given.get("revision"), "service.revision") != current:
            raise revision_mismatch(current)
        _merge(service, given)
        service["revision"] = str(current + 1)
        service["updatedDate"] = utc_iso(sandbox.clock.now())
        sandbox.store.put("services", service)
        result = public_service(sandbox, service)
        events.updated(sandbox, call, SERVICE_FQDN, result)
    return {"service": result}


def _merge(service: dict[str, Any], given: dict[str, Any]) -> None:
    """Apply the sent fields Update Service changes (400 for a malformed one, nothing applied)."""
    changes: dict[str, Any] = {}
    for name, (shortest, longest) in _TEXTS.items():
        value = given.get(name)
        if value is not None:
            if not isinstance(value, str) or not shortest <= len(value) <= longest:
                raise invalid(f"service.{name}", f"must be {shortest} to {longest} characters")
            changes[name] = value
    capacity = given.get("defaultCapacity")
    if capacity is not None:
        if isinstance(capacity, bool) or not isinstance(capacity, int):
            raise invalid("service.defaultCapacity", "must be an integer")
        if not 1 <= capacity <= MAX_CAPACITY:
            raise invalid("service.defaultCapacity", f"must be 1 to {MAX_CAPACITY}", "MAX")
        changes["defaultCapacity"] = capacity
    if given.get("hidden") is not None:
        changes["hidden"] = _flag(given["hidden"], "service.hidden")
    for group, names in _FLAGS.items():
        if given.get(group) is not None:
            changes[group] = {**service.get(group, {}), **_flags(given[group], names, group)}
    payment = given.get("payment")
    if payment is not None:
        if not isinstance(payment, dict):
            raise invalid("service.payment", "must be an object")
        options = _flags(payment.get("options") or {}, _PAYMENT_OPTIONS, "payment.options")
        merged = {**service["payment"].get("options", {}), **options}
        changes["payment"] = {**service["payment"], "options": merged}
    ignored = set(given) - _READ_ONLY - set(_TEXTS) - set(_FLAGS)
    ignored -= {"defaultCapacity", "hidden", "payment"}
    if ignored:
        logger.info("Update Service leaves unchanged: %s", ", ".join(sorted(ignored)))
    service.update(changes)


def _flags(value: Any, names: tuple[str, ...], field: str) -> dict[str, bool]:
    if not isinstance(value, dict):
        raise invalid(f"service.{field}", "must be an object")
    return {name: _flag(value[name], f"service.{field}.{name}") for name in names
            if value.get(name) is not None}  # fmt: skip


def _flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise invalid(field, "must be a boolean")
    return value


ROUTES = [get_service, query_services, update_service, get_booking_policy,
          query_booking_policies, get_site_properties]  # fmt: skip
