"""Cancels the bookings of failed flows that nobody could undo at the time.

Every `GATEWAY_RECONCILE_SECONDS` it takes the due stamps from the outbox, finds their bookings
(with the API key) and cancels each one still active. A stamp stays watched for `WATCH_SECONDS`
after it fell due, since a create Wix received just before our deadline may land late; then it is
dropped. A stamp whose read or cancel fails (Wix down) is simply tried again next time.
"""

from __future__ import annotations

import asyncio
import logging

from gateway.bookings.outbox import Outbox
from gateway.bookings.stamps import FINAL_STATUSES, cancel_quietly, find_stamped, package_of
from gateway.clock import Clock
from gateway.upstream import Upstream
from gateway.upstream.errors import UpstreamError

logger = logging.getLogger("gateway.reconciler")

BATCH = 50  # stamps per pass
# A create answered after the gateway gave up can still land; watch its stamp this long.
WATCH_SECONDS = 120.0
WATCHED_SUFFIX = "#watch"


class Reconciler:
    def __init__(self, outbox: Outbox, business: Upstream, clock: Clock) -> None:
        self._outbox = outbox
        self._business = business
        self._clock = clock

    async def run_once(self) -> int:
        """One pass; returns how many bookings it cancelled."""
        cancelled = 0
        now = self._clock.timestamp()
        for entry in await self._outbox.due(now, BATCH):
            stamp, watched = entry.removesuffix(WATCHED_SUFFIX), entry.endswith(WATCHED_SUFFIX)
            packages: set[str] = set()  # a package is cancelled once, with all its bookings
            try:
                for booking in await find_stamped(self._business, stamp):
                    package = package_of(booking)
                    if booking.get("status") in FINAL_STATUSES or package in packages:
                        continue
                    await cancel_quietly(self._business, booking)
                    logger.warning("cancelled orphan booking %s", booking["id"])
                    cancelled += 1
                    if package is not None:
                        packages.add(package)
            except UpstreamError as error:
                logger.info("reconciling %s failed, retried next pass: %s", stamp, error.code)
                continue
            await self._outbox.remove(entry)
            if not watched:  # look once more later, for a create that lands late
                await self._outbox.add(stamp + WATCHED_SUFFIX, now + WATCH_SECONDS)
        return cancelled

    async def run_forever(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.run_once()
            except Exception:  # a bug must not stop reconciliation for good
                logger.exception("reconciliation pass failed")
