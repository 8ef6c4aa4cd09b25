"""Every Wix route the sandbox serves, gathered from the `api/` modules (one per Wix API)."""

from __future__ import annotations

from gateway.sandbox.api import (
    anonymous,
    bookings_reader,
    bookings_writer,
    forms,
    multi_service,
    oauth,
    services,
    time_slots,
)
from gateway.sandbox.routing import WixRoute

WIX_ROUTES: list[WixRoute] = [
    *services.ROUTES,
    *forms.ROUTES,
    *time_slots.ROUTES,
    *bookings_writer.ROUTES,
    *multi_service.ROUTES,
    *anonymous.ROUTES,
    *bookings_reader.ROUTES,
    *oauth.ROUTES,
]
