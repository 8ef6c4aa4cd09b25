"""The sandbox against what the official Wix SDK declares: every path it serves is one Wix routes
to the same method, and every application error code a route may answer is one the SDK declares
for that method (`WixRoute.codes`, `declared_codes.STAND_INS`, `errors.ENTITY_NOT_FOUND_CODES`).
"""

from __future__ import annotations

import json
import re

import pytest

from gateway.sandbox.declared_codes import STAND_INS
from gateway.sandbox.errors import ENTITY_NOT_FOUND_CODES, GENERIC_CODES
from gateway.sandbox.routes import WIX_ROUTES
from gateway.sandbox.routing import WixRoute
from tests.sdk.declarations import SdkMethod, read_module
from tests.sdk.sdk_install import NODE_MODULES, SDK_DIR, install

MIN_METHODS = 100  # the pinned modules hold ~130; fewer means the files were not parsed


def _template(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


@pytest.fixture(scope="module")
def sdk() -> dict[str, SdkMethod]:
    """The methods of the modules `package.json` names (and `@wix/sdk`'s own OAuth module)."""
    install()
    names = json.loads((SDK_DIR / "package.json").read_text())["dependencies"]
    methods: dict[str, SdkMethod] = {}
    for name in [*names, "@wix/auto_sdk_identity_oauth"]:
        build = NODE_MODULES / name / "build" / "es"
        if build.is_dir():
            methods.update(read_module(build))
    assert len(methods) >= MIN_METHODS
    return methods


@pytest.fixture(scope="module")
def by_path(sdk: dict[str, SdkMethod]) -> dict[tuple[str, str], SdkMethod]:
    return {(m.http_method, _template(p)): m for m in sdk.values() for p in m.paths}


def _method(by_path: dict[tuple[str, str], SdkMethod], route: WixRoute) -> SdkMethod:
    found = by_path.get((route.method, _template(route.template)))
    assert found is not None, f"{route.name}: Wix routes no {route.method} {route.template}"
    return found


def test_every_path_is_one_wix_routes_to_the_method(
    by_path: dict[tuple[str, str], SdkMethod],
) -> None:
    for route in WIX_ROUTES:
        method = _method(by_path, route)
        for path in route.paths:
            assert (route.method, _template(path)) in {
                (method.http_method, _template(p)) for p in method.paths
            }, f"{route.name}: {path} is not routed to {method.fqn}"


def test_every_code_a_route_answers_is_declared(
    by_path: dict[tuple[str, str], SdkMethod],
) -> None:
    undeclared = {
        route.name: sorted(set(route.codes) - _method(by_path, route).codes) for route in WIX_ROUTES
    }
    assert {name: codes for name, codes in undeclared.items() if codes} == {}


def test_every_stand_in_is_a_code_its_route_answers() -> None:
    routes = {route.name: route for route in WIX_ROUTES}
    for (name, raised), (answered, note) in STAND_INS.items():
        assert name in routes, name
        assert answered in routes[name].codes or answered in GENERIC_CODES, (name, raised)
        assert raised not in routes[name].codes, (name, raised)  # else it is never replaced
        assert note


def test_entity_not_found_codes_are_declared_by_wix(sdk: dict[str, SdkMethod]) -> None:
    declared = set().union(*(m.codes for m in sdk.values()))
    assert ENTITY_NOT_FOUND_CODES <= declared


def test_the_sdk_declares_codes_the_way_the_parser_reads_them(
    sdk: dict[str, SdkMethod],
) -> None:
    """A guard on the parser: a few declarations as the pinned SDK writes them."""
    create = sdk["com.wixpress.bookings.bookings.v2.Bookings.CreateBooking"]
    assert {"SLOT_NOT_AVAILABLE", "BOOKING_POLICY_VIOLATION"} <= create.codes
    assert create.path == "/_api/bookings-service/v2/bookings"
    confirm = sdk["com.wixpress.bookings.confirmator.v2.Confirmator.ConfirmOrDeclineBooking"]
    assert confirm.paths == {"/bookings/v2/confirmation/{bookingId}:confirmOrDecline"}
