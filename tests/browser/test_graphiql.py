"""GraphiQL in Chromium with no internet: the page at `/graphql` loads everything from the
gateway, runs a typed query as an automatic persisted query, and runs a subscription over its
WebSocket while a booking is made."""

from __future__ import annotations

import pytest

from gateway.app import create_app
from gateway.clock import Clock
from gateway.config import Settings
from gateway.http.safelist import sha256_hex
from gateway.sandbox import seed
from tests.browser import SCREENSHOTS, run_script
from tests.servers import serve

SERVICES = "{ services(first: 3) { nodes { name } } }"
AVAILABILITY = (
    f'subscription {{ availabilityChanged(serviceId: "{seed.SERVICE_HAIRCUT}") '
    "{ serviceId from to } }"
)
BOOK = "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { __typename } }"
# A free haircut with Dan on Tuesday 2026-03-03, 14:00 London (the frozen clock's next day).
HAIRCUT = {
    "serviceId": seed.SERVICE_HAIRCUT,
    "localStart": "2026-03-03T14:00:00",
    "localEnd": "2026-03-03T14:30:00",
    "resourceId": seed.STAFF_DAN,
    "contact": {"firstName": "Maya", "lastName": "Rosen", "email": "maya@example.com"},
}


def test_a_typed_query_runs_as_a_persisted_query_with_no_internet(clock: Clock) -> None:
    with serve(create_app(Settings(gc_freeze=False), clock)) as base_url:
        result = run_script("graphiql", base_url, query=SERVICES, expected="Express Haircut")

    assert result["external"] == []
    assert result["consoleErrors"] == []
    assert result["status"] == 200
    assert result["typed"] == SERVICES
    assert '"name": "Express Haircut"' in result["result"]
    assert result["again"] == result["result"]
    # The hash alone first; the gateway does not know it, so hash and text; the second run is
    # the hash alone, answered.
    sha256 = sha256_hex(SERVICES)
    sent = [
        (exchange["hasQuery"], exchange["sha256Hash"], exchange["errorCodes"], exchange["hasData"])
        for exchange in result["operations"]
    ]
    assert sent == [
        (False, sha256, ["PERSISTED_QUERY_NOT_FOUND"], False),
        (True, sha256, [], True),
        (False, sha256, [], True),
    ]
    # GraphiQL's schema introspection goes the same way.
    assert [exchange["hasQuery"] for exchange in result["introspection"]] == [False, True]
    for shot in ("01-opened", "02-typed", "03-result", "04-result-again"):
        assert (SCREENSHOTS / "graphiql" / f"{shot}.png").stat().st_size > 0


@pytest.mark.parametrize(
    ("case", "settings", "without_web_crypto"),
    [
        ("apq-off", {"persisted_queries": False}, False),
        ("no-web-crypto", {}, True),  # a plain-HTTP page on a host other than localhost
    ],
)
def test_without_persisted_queries_the_text_is_sent(
    clock: Clock, case: str, settings: dict[str, bool], without_web_crypto: bool
) -> None:
    with serve(create_app(Settings(gc_freeze=False, **settings), clock)) as base_url:
        result = run_script(
            "graphiql",
            base_url,
            query=SERVICES,
            expected="Express Haircut",
            withoutWebCrypto=without_web_crypto,
            shots=f"{case}-",
        )

    assert result["external"] == []
    assert result["consoleErrors"] == []
    assert '"name": "Express Haircut"' in result["result"]
    assert result["again"] == result["result"]
    assert [(e["hasQuery"], e["sha256Hash"], e["hasData"]) for e in result["operations"]] == [
        (True, None, True),
        (True, None, True),
    ]
    introspection = [(e["hasQuery"], e["errorCodes"]) for e in result["introspection"]]
    if without_web_crypto:
        assert introspection == [(True, [])]
    else:  # told once that this gateway has them off, the page stops trying
        assert introspection == [(False, ["PERSISTED_QUERY_NOT_SUPPORTED"]), (True, [])]


def test_a_subscription_shows_the_booking_made_meanwhile(clock: Clock) -> None:
    with serve(create_app(Settings(gc_freeze=False), clock)) as base_url:
        result = run_script(
            "graphiql_subscription",
            base_url,
            subscription=AVAILABILITY,
            mutation=BOOK,
            variables={"input": HAIRCUT},
            expected="2026-03-03T14:00:00",
        )

    assert result["external"] == []
    assert result["consoleErrors"] == []
    assert result["typed"] == AVAILABILITY
    assert result["booking"] == {"data": {"bookAppointment": {"__typename": "BookingCreated"}}}
    assert f'"serviceId": "{seed.SERVICE_HAIRCUT}"' in result["result"]
    assert '"from": "2026-03-03T14:00:00"' in result["result"]
    assert '"to": "2026-03-03T14:30:00"' in result["result"]
    # One graphql-transport-ws socket on the page's own path, stopped from the run button.
    [socket] = result["sockets"]
    assert socket["url"] == base_url.replace("http://", "ws://") + "/graphql"
    assert socket["sent"] == ["connection_init", "subscribe", "complete"]
    assert socket["received"][:2] == ["connection_ack", "next"]
