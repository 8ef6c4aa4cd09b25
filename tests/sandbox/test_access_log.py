"""uvicorn's access log never shows an anonymous action token."""

from __future__ import annotations

import logging

from gateway.observability.access_log import MaskTokensFilter, mask_tokens

TOKEN = "Zx9_secret-token-value"


def test_token_paths_are_masked() -> None:
    assert mask_tokens(f"/v1/anonymous-bookings/{TOKEN}") == "/v1/anonymous-bookings/***"
    assert (
        mask_tokens(f"/v1/anonymous-bookings/{TOKEN}/cancel") == "/v1/anonymous-bookings/***/cancel"
    )
    assert TOKEN not in mask_tokens(f"/v1/anonymous-bookings/{TOKEN}/reschedule?x=1")


def test_booking_id_token_route_is_kept() -> None:
    path = "/v1/anonymous-bookings/b2000000-0000-4000-8000-000000000001/token"
    assert mask_tokens(path) == path


def test_filter_rewrites_uvicorn_access_records() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "POST", f"/v1/anonymous-bookings/{TOKEN}/cancel", "1.1", 200), None,
    )  # fmt: skip
    assert MaskTokensFilter().filter(record)
    assert TOKEN not in record.getMessage()
    assert "/v1/anonymous-bookings/***/cancel" in record.getMessage()
