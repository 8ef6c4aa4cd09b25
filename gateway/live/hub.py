"""`LiveHub`: verified Wix events, fanned out to every subscriber on every replica.

Without Redis the hub is one process: `publish` queues the event and a dispatcher task hands it
on. With Redis, `publish` sends it to one pub/sub channel that every replica's hub listens to,
so a webhook taken by any replica reaches the subscribers of all of them. Each replica then,
once per event: runs its observers (cache invalidation), works out what the event means
(`changes.live_event`) and offers the result to each of its subscribers.

A subscriber has a bounded queue and is never waited for: one that falls `SUBSCRIBER_QUEUE_SIZE`
events behind is dropped (its subscription ends with `SUBSCRIBER_TOO_SLOW`) so it cannot hold
up others or grow memory. Redis pub/sub delivers to replicas that are listening at the time: a
replica that lost its Redis connection misses what was sent meanwhile (it reconnects with a
backoff); subscriptions are live views, and clients re-read state when they reconnect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from gateway.live.changes import LiveEvent, SiteTimeZone, live_event
from gateway.live.events import WixEvent
from gateway.observability.metrics import LIVE_SUBSCRIBERS

logger = logging.getLogger("gateway.live")

CHANNEL = "gateway:live-events"
# Events a subscriber may fall behind by before it is dropped.
SUBSCRIBER_QUEUE_SIZE = 256
# Events waiting for this replica's dispatcher (in process): past it, `publish` refuses and the
# webhook is answered 503, so Wix delivers it again later.
INBOX_SIZE = 10_000
RECONNECT_SECONDS = (0.1, 0.5, 1.0, 2.0, 5.0)
LISTEN_TIMEOUT_SECONDS = 5.0

Observer = Callable[[WixEvent], Awaitable[None]]


class HubUnavailable(Exception):
    """The event could not be passed on (Redis unreachable, or the inbox is full)."""


class SubscriberTooSlow(Exception):
    """The subscriber fell too far behind and was dropped."""


class Subscriber:
    def __init__(self, size: int = SUBSCRIBER_QUEUE_SIZE) -> None:
        self._queue: asyncio.Queue[LiveEvent | None] = asyncio.Queue(size + 1)
        self._size = size
        self.dropped = False

    def offer(self, event: LiveEvent) -> None:
        """Queue `event`, never waiting; on overflow drop everything and end the stream."""
        if self.dropped:
            return
        if self._queue.qsize() >= self._size:
            self.dropped = True
            while not self._queue.empty():
                self._queue.get_nowait()
            self._queue.put_nowait(None)
            return
        self._queue.put_nowait(event)

    def __aiter__(self) -> AsyncIterator[LiveEvent]:
        return self

    async def __anext__(self) -> LiveEvent:
        event = await self._queue.get()
        if event is None:
            raise SubscriberTooSlow
        return event


class LiveHub:
    def __init__(self, redis: Redis | None, site_time_zone: SiteTimeZone) -> None:
        self._redis = redis
        self._site_time_zone = site_time_zone
        self._subscribers: set[Subscriber] = set()
        self._observers: list[Observer] = []
        self._inbox: asyncio.Queue[WixEvent] = asyncio.Queue(INBOX_SIZE)
        self._task: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def observe(self, observer: Observer) -> None:
        """Run `observer` once per event on this replica, before subscribers get it."""
        self._observers.append(observer)

    async def start(self, wait: bool = True) -> None:
        """Start dispatching (idempotent). With Redis and `wait`, returns once the channel is
        listened to, or raises `HubUnavailable` after `LISTEN_TIMEOUT_SECONDS`."""
        if self._task is None or self._task.done():
            run = self._listen_redis if self._redis is not None else self._dispatch_inbox
            self._task = asyncio.create_task(run(), name="live-hub")
        if self._redis is not None and wait:
            try:
                await asyncio.wait_for(self._listening.wait(), LISTEN_TIMEOUT_SECONDS)
            except TimeoutError:
                raise HubUnavailable("not listening to Redis") from None

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def publish(self, event: WixEvent) -> None:
        """Pass `event` to every replica; `HubUnavailable` when it could not be."""
        if self._redis is None:
            await self.start()
            try:
                self._inbox.put_nowait(event)
            except asyncio.QueueFull:
                raise HubUnavailable("the live event inbox is full") from None
            return
        try:
            await self._redis.publish(CHANNEL, event.to_json())
        except RedisError as error:
            raise HubUnavailable(str(error)) from error

    @contextlib.contextmanager
    def subscribe(self) -> Iterator[Subscriber]:
        """A subscriber for the block; call `start()` first so events are being received."""
        subscriber = Subscriber()
        self._subscribers.add(subscriber)
        LIVE_SUBSCRIBERS.inc()
        try:
            yield subscriber
        finally:
            self._subscribers.discard(subscriber)
            LIVE_SUBSCRIBERS.dec()

    async def settled(self) -> None:
        """Until every event published in process so far has been dispatched."""
        await self._inbox.join()

    async def _dispatch_inbox(self) -> None:
        while True:
            event = await self._inbox.get()
            try:
                await self._dispatch(event)
            finally:
                self._inbox.task_done()

    async def _listen_redis(self) -> None:
        assert self._redis is not None
        attempt = 0
        while True:
            try:
                async with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    self._listening.set()
                    attempt = 0
                    async for message in pubsub.listen():
                        await self._dispatch_message(message)
            except RedisError as error:
                self._listening.clear()
                delay = RECONNECT_SECONDS[min(attempt, len(RECONNECT_SECONDS) - 1)]
                attempt += 1
                logger.warning("live events: Redis lost (%s), listening again in %ss", error, delay)
                await asyncio.sleep(delay)

    async def _dispatch_message(self, message: dict[str, Any]) -> None:
        try:
            event = WixEvent.from_json(message["data"])
        except (KeyError, TypeError, ValueError):
            logger.warning("live events: unreadable message on %s ignored", CHANNEL)
            return
        await self._dispatch(event)

    async def _dispatch(self, event: WixEvent) -> None:
        """Observers, then every subscriber; a failure is logged and the next event goes on."""
        for observer in self._observers:
            try:
                await observer(event)
            except Exception:
                logger.exception("live events: observer failed on %s", event.event_type)
        if not self._subscribers:
            return
        try:
            live = await live_event(event, self._site_time_zone)
        except Exception:
            logger.exception("live events: could not read %s", event.event_type)
            return
        for subscriber in list(self._subscribers):
            subscriber.offer(live)
