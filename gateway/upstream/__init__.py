"""The upstream layer: one module per Wix API over one shared `WixClient`.

`Upstream` is built once per incoming request and binds the caller's `Authorization` header (or
None, meaning the configured API key) to every API. The API modules are the only place Wix paths
are written, one constant per method named after it (`bookings_writer.CANCEL_BOOKING`).
"""

from __future__ import annotations

from gateway.upstream.bookings_reader import BookingsReaderApi
from gateway.upstream.bookings_writer import BookingsWriterApi
from gateway.upstream.client import UpstreamError, WixClient
from gateway.upstream.forms import FormsApi
from gateway.upstream.services import ServicesApi
from gateway.upstream.time_slots import TimeSlotsApi

__all__ = [
    "BookingsReaderApi",
    "BookingsWriterApi",
    "FormsApi",
    "ServicesApi",
    "TimeSlotsApi",
    "Upstream",
    "UpstreamError",
    "WixClient",
]


class Upstream:
    """Every Wix API, bound to one caller."""

    __slots__ = ("bookings_reader", "bookings_writer", "forms", "services", "time_slots")

    def __init__(self, client: WixClient, authorization: str | None = None) -> None:
        self.services = ServicesApi(client, authorization)
        self.time_slots = TimeSlotsApi(client, authorization)
        self.forms = FormsApi(client, authorization)
        self.bookings_reader = BookingsReaderApi(client, authorization)
        self.bookings_writer = BookingsWriterApi(client, authorization)
