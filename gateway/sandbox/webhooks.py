"""Sending the sandbox's Wix webhooks: signed as Wix signs them, to every target, with retries.

The wire, as `@wix/sdk`'s `webhooks.process` reads it: the whole body of `POST <target>` is a
compact JWT signed RS256 with the sandbox's private key (`content-type: text/plain`), whose claims
are `{data, iat, exp}`; `data` is the JSON string of the envelope `{eventType, instanceId, data,
identity}`, whose `data` (the DomainEvent) and `identity` are JSON strings in turn
(https://dev.wix.com/docs/build-apps/develop-your-app/api-integrations/events-and-webhooks/about-webhooks).
The public key that verifies them: `public_key_pem`, or `GET /_sandbox/webhook-public-key`.

Targets: URLs registered through `/_sandbox/webhooks` (reset clears them) and in-process senders
(`add_local_target`, kept across resets: the embedded gateway's own receiver). Each delivery of an
event to a target is its own task, created on the running loop when the event is emitted: a slow
target never holds up another, nor an event's retries the next event. A delivery is answered when
the target says 2xx; any other status, a connection error or no answer within the timeout is tried
again after the next of `retry_delays` (each attempt signed afresh), and given up after the last.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.clock import Clock
from gateway.sandbox.events import Event
from gateway.sandbox.seed import APP_INSTANCE_ID

logger = logging.getLogger("gateway.sandbox.webhooks")

LocalSend = Callable[[str], Awaitable[int]]  # takes the JWT, answers the HTTP status

# Wix waits 1250 ms for a 200, then tries again:
# https://dev.wix.com/docs/build-apps/develop-your-app/api-integrations/events-and-webhooks/about-webhooks
RESPONSE_TIMEOUT_SECONDS = 1.25
# Inference: Wix retries a failed delivery for 48 hours after the event, documenting no intervals
# (https://dev.wix.com/docs/build-apps/developer-tools/apis-and-webhooks/webhooks): these fit it.
RETRY_DELAYS_SECONDS: tuple[float, ...] = (10, 60, 300, 1800, 7200, 21600, 43200, 86400)
# Inference: Wix documents no lifetime for a webhook's JWT; each attempt is signed afresh anyway.
JWT_LIFETIME_SECONDS = 300
MAX_URL_TARGETS = 10  # our choice
MAX_PENDING_DELIVERIES = 1000  # our choice: past it the oldest delivery is dropped
MAX_URL_LENGTH = 2048  # our choice
RSA_KEY_BITS = 2048


class BadTarget(ValueError):
    """A target URL the sandbox won't send to (not http(s), no host, or one too many)."""


@dataclass(frozen=True)
class _Target:
    name: str  # the URL, or `local #n`, for logs
    url: str | None = None
    send: LocalSend | None = None


@dataclass(frozen=True)
class _Delivery:
    event: Event
    target: _Target


class Webhooks:
    """The sandbox's webhook sender (`sandbox.webhooks`). Tests may set `retry_delays`,
    `timeout_seconds` and `max_pending` on it."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.retry_delays: tuple[float, ...] = RETRY_DELAYS_SECONDS
        self.timeout_seconds: float = RESPONSE_TIMEOUT_SECONDS
        self.max_pending: int = MAX_PENDING_DELIVERIES
        self._key: rsa.RSAPrivateKey | None = None
        self._key_lock = threading.Lock()
        self._urls: list[_Target] = []
        self._local: list[_Target] = []
        self._deliveries: dict[asyncio.Task[None], _Delivery] = {}  # oldest first
        self._local_sends: set[asyncio.Future[int]] = set()  # local sends still running
        self._client: httpx.AsyncClient | None = None
        self._client_loop: asyncio.AbstractEventLoop | None = None

    # -- keys and signing --------------------------------------------------------------------

    def _private_key(self) -> rsa.RSAPrivateKey:
        """The sandbox's key pair, made on first use (once per sandbox: generating one takes
        tens of milliseconds, which every test's fresh sandbox would otherwise pay)."""
        with self._key_lock:
            if self._key is None:
                self._key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)
            return self._key

    @property
    def public_key_pem(self) -> str:
        """The PEM (SubjectPublicKeyInfo) of the key every delivery is signed with."""
        pem = (
            self._private_key()
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        return pem.decode("ascii")

    def sign(self, event: Event) -> str:
        """The JWT of one delivery of `event`, issued now (business time)."""
        envelope = {
            "eventType": event.event_type,
            "instanceId": APP_INSTANCE_ID,
            "data": _compact(event.domain_event),
            "identity": _compact(event.identity),
        }
        issued = int(self._clock.timestamp())
        claims = {"data": _compact(envelope), "iat": issued, "exp": issued + JWT_LIFETIME_SECONDS}
        return jwt.encode(claims, self._private_key(), algorithm="RS256")

    # -- targets -----------------------------------------------------------------------------

    @property
    def url_targets(self) -> list[str]:
        return [target.name for target in self._urls]

    @property
    def local_target_count(self) -> int:
        return len(self._local)

    def add_url_target(self, url: object) -> bool:
        """Register a URL (False when it already is); BadTarget for a URL that is not absolute
        http(s) or past `MAX_URL_TARGETS`."""
        if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH:
            raise BadTarget(f"url must be an http(s) URL of at most {MAX_URL_LENGTH} characters")
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError, TypeError):
            raise BadTarget("url is not a valid URL") from None
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise BadTarget("url must be an absolute http:// or https:// URL")
        if url in self.url_targets:
            return False
        if len(self._urls) >= MAX_URL_TARGETS:
            raise BadTarget(f"at most {MAX_URL_TARGETS} webhook URLs may be registered")
        self._urls.append(_Target(url, url=url))
        return True

    def clear_url_targets(self) -> None:
        """Forget every URL target and drop the deliveries still under way to them."""
        self._urls.clear()
        for task, delivery in list(self._deliveries.items()):
            if delivery.target.url is not None:
                task.cancel()

    def add_local_target(self, send: LocalSend) -> None:
        """Deliver every event to `send` as well (in process, no HTTP): it takes the JWT and
        answers the HTTP status its receiver would. Kept across `/_sandbox/reset`."""
        self._local.append(_Target(f"local #{len(self._local) + 1}", send=send))

    def remove_local_target(self, send: LocalSend) -> None:
        self._local = [target for target in self._local if target.send is not send]

    # -- delivery ----------------------------------------------------------------------------

    def emit(self, emitted: Iterable[Event]) -> None:
        """Start delivering `emitted` to every target, on the running loop (the caller's
        writes have committed); returns at once."""
        targets = [*self._local, *self._urls]
        for event in emitted:
            for target in targets:
                self._start(_Delivery(event, target))

    def _start(self, delivery: _Delivery) -> None:
        task = asyncio.get_running_loop().create_task(self._deliver(delivery))
        self._deliveries[task] = delivery
        task.add_done_callback(self._finished)
        while len(self._deliveries) > max(self.max_pending, 1):
            oldest, dropped = next(iter(self._deliveries.items()))
            del self._deliveries[oldest]
            oldest.cancel()
            logger.warning(
                "webhook delivery dropped: %d pending; event %s (%s) to %s",
                len(self._deliveries),
                dropped.event.id,
                dropped.event.event_type,
                dropped.target.name,
            )

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._deliveries.pop(task, None)
        if not task.cancelled() and task.exception() is not None:
            logger.error("webhook delivery failed unexpectedly", exc_info=task.exception())

    async def _deliver(self, delivery: _Delivery) -> None:
        event, target = delivery.event, delivery.target
        delays = (0.0, *self.retry_delays)
        for attempt, delay in enumerate(delays, start=1):
            if delay:
                await asyncio.sleep(delay)
            outcome = await self._attempt(event, target)
            if isinstance(outcome, int) and 200 <= outcome < 300:
                return
            logger.warning(
                "webhook attempt %d/%d failed: event %s (%s) to %s: %s",
                attempt,
                len(delays),
                event.id,
                event.event_type,
                target.name,
                outcome,
            )
        logger.error(
            "webhook given up after %d attempts: event %s (%s) to %s",
            len(delays),
            event.id,
            event.event_type,
            target.name,
        )

    async def _attempt(self, event: Event, target: _Target) -> int | str:
        """The target's HTTP status, or why there was none (never the JWT: it is the payload)."""
        token = self.sign(event)
        try:
            if target.send is not None:
                return await self._send_local(target.send, token)
            assert target.url is not None
            response = await self._http().post(
                target.url,
                content=token.encode("ascii"),
                headers={"content-type": "text/plain"},
                timeout=self.timeout_seconds,
            )
            return response.status_code
        except TimeoutError:
            return f"no answer within {self.timeout_seconds}s"
        except httpx.TimeoutException as error:
            return f"no answer within {self.timeout_seconds}s ({type(error).__name__})"
        except httpx.HTTPError as error:
            return type(error).__name__
        except Exception as error:  # a local receiver's own failure: like its 500
            return f"{type(error).__name__} in the local receiver"

    async def _send_local(self, send: LocalSend, token: str) -> int:
        """Wait for the local receiver up to the timeout; past it, it goes on running (as a
        server goes on after its client gave up) and the delivery is tried again."""
        running: asyncio.Future[int] = asyncio.ensure_future(send(token))
        self._local_sends.add(running)
        running.add_done_callback(self._local_done)
        return int(await asyncio.wait_for(asyncio.shield(running), self.timeout_seconds))

    def _local_done(self, running: asyncio.Future[int]) -> None:
        self._local_sends.discard(running)
        if not running.cancelled():
            running.exception()  # retrieved: its delivery has logged it already

    def _http(self) -> httpx.AsyncClient:
        """One client for every URL delivery, made on the loop that sends (a sandbox may
        outlive a test's loop)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
            self._client = httpx.AsyncClient(timeout=self.timeout_seconds)
            self._client_loop = loop
        return self._client

    @property
    def pending(self) -> int:
        """Deliveries not yet answered with a 2xx nor given up (retries included)."""
        return len(self._deliveries)

    def _running(self) -> list[asyncio.Future[Any]]:
        return [*self._deliveries, *self._local_sends]

    async def drain(self) -> None:
        """Wait until every delivery under way has ended (answered, given up or dropped)."""
        while self._deliveries or self._local_sends:
            running = self._running()
            await asyncio.gather(*running, return_exceptions=True)

    async def aclose(self) -> None:
        """Cancel every delivery still under way (their retries included) and close the HTTP
        client: the sender's shutdown, from the app's lifespan."""
        loop = asyncio.get_running_loop()
        running = self._running()
        for future in running:
            future.cancel()
        await asyncio.gather(*(f for f in running if f.get_loop() is loop), return_exceptions=True)
        self._deliveries.clear()
        self._local_sends.clear()
        client, client_loop = self._client, self._client_loop
        self._client, self._client_loop = None, None
        if client is not None and client_loop is loop:  # another loop's client can't be closed
            await client.aclose()


def _compact(value: object) -> str:
    """JSON as `JSON.stringify` writes it (the way Wix strings its payloads)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
