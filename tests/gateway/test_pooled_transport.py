"""The transport Wix is called through in production (httpx's API over aiohttp's pool), over
real HTTP to a served sandbox: a read whose answer is dropped is retried; a write whose answer is
dropped is not, and counts as maybe written (the lost-answer rules)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from gateway.bookings.stamps import may_have_written
from gateway.clock import Clock
from gateway.config import Settings
from gateway.sandbox import seed
from gateway.sandbox.app import build_sandbox_app
from gateway.sandbox.state import FaultRule, Sandbox
from gateway.upstream import Upstream, UpstreamError, WixClient
from gateway.upstream.bookings_writer import CREATE_BOOKING
from gateway.upstream.services import GET_SERVICE
from tests.conftest import AUTH
from tests.graphql.mutations import ADA_FORM, sandbox_slot
from tests.servers import serve


@pytest.fixture
async def served(clock: Clock) -> AsyncIterator[tuple[Sandbox, WixClient]]:
    sandbox = Sandbox.open(":memory:", clock)
    with serve(build_sandbox_app(sandbox)) as url:
        settings = Settings(
            upstream="wix",
            wix_base_url=url,
            wix_api_key=AUTH["Authorization"],
            wix_site_id=AUTH["wix-site-id"],
        )
        client = WixClient(settings)
        yield sandbox, client
        await client.aclose()


async def test_a_dropped_read_is_retried(served: tuple[Sandbox, WixClient]) -> None:
    sandbox, client = served
    sandbox.faults.append(FaultRule(path="/bookings/v2/services/*", drop=True, times=1))
    service = await Upstream(client).services.get_service(seed.SERVICE_HAIRCUT)
    assert service["id"] == seed.SERVICE_HAIRCUT
    got = [r for r in sandbox.requests if r.route.endswith(GET_SERVICE.split("/v2")[-1])]
    assert [r.status for r in got] == [None, 200]


async def test_a_dropped_write_is_sent_once_and_counts_as_maybe_written(
    served: tuple[Sandbox, WixClient],
) -> None:
    sandbox, client = served
    sandbox.faults.append(FaultRule(path=CREATE_BOOKING, method="POST", when="after", drop=True))
    body = {
        "booking": {"bookedEntity": {"slot": sandbox_slot()}, "totalParticipants": 1},
        "formSubmission": ADA_FORM,
    }
    with pytest.raises(UpstreamError) as raised:
        await Upstream(client).bookings_writer.create_booking(body)
    assert may_have_written(raised.value)
    assert len(sandbox.store.bookings_where()) == 1  # created once, never sent again
