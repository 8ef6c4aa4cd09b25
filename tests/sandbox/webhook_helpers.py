"""Shared by the webhook tests: an in-process receiver that decodes what the sandbox delivers.

A `Receiver` is a local target (`sandbox.webhooks.add_local_target`): it keeps every JWT it is
sent and answers a status (a list of failures first, then 200). Tests make a change through the
sandbox's real routes, `await sandbox.webhooks.drain()` (the answer does not wait for delivery),
then read the deliveries, verified with the sandbox's public key.

Verifying checks the signature only: `iat`/`exp` are business time (the frozen clock), not the
machine's, so each test asserts them against the clock itself.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jwt

from gateway.sandbox.state import Sandbox

Json = dict[str, Any]
FAST_RETRIES = (0.01, 0.02, 0.04)  # instead of Wix's hours, so tests stay fast
SIGNATURE_ONLY = {"verify_exp": False, "verify_iat": False, "verify_nbf": False}


@dataclass(frozen=True)
class Delivery:
    """One decoded delivery: the JWT's claims, the envelope, its DomainEvent and identity."""

    claims: Json
    envelope: Json
    event: Json
    identity: Json

    @property
    def event_type(self) -> str:
        return str(self.envelope["eventType"])

    @property
    def body(self) -> Json:
        """The action body, the created entity or the updated entity."""
        event = self.event
        if "actionEvent" in event:
            return dict(event["actionEvent"]["body"])
        if "createdEvent" in event:
            return dict(event["createdEvent"]["entity"])
        return dict(event["updatedEvent"]["currentEntity"])


def decode(token: str, public_key_pem: str) -> Delivery:
    """Verify `token` (RS256) with the key and unwrap the strings inside it."""
    claims = jwt.decode(token, public_key_pem, algorithms=["RS256"], options=SIGNATURE_ONLY)
    envelope = json.loads(claims["data"])
    return Delivery(
        claims, envelope, json.loads(envelope["data"]), json.loads(envelope["identity"])
    )


@dataclass
class Receiver:
    """A local webhook target. `failures` are answered first, one per attempt (an int is a
    status, an exception is raised, a float is a delay past the sender's timeout); then 200."""

    failures: list[int | float | Exception] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    attempts: list[float] = field(default_factory=list)  # time.monotonic() of each attempt
    gate: asyncio.Event | None = None  # when set, every answer waits for it

    async def __call__(self, token: str) -> int:
        self.attempts.append(time.monotonic())
        self.tokens.append(token)
        if self.gate is not None:
            await self.gate.wait()
        if self.failures:
            failure = self.failures.pop(0)
            if isinstance(failure, Exception):
                raise failure
            if isinstance(failure, float):
                await asyncio.sleep(failure)
                return 200
            return failure
        return 200

    def deliveries(self, sandbox: Sandbox) -> list[Delivery]:
        return [decode(token, sandbox.webhooks.public_key_pem) for token in self.tokens]

    def of(self, sandbox: Sandbox, event_type: str) -> list[Delivery]:
        """The deliveries of one event type (`booking_confirmed`, or the full type)."""
        wanted = event_type if "." in event_type else f"wix.bookings.v2.{event_type}"
        return [d for d in self.deliveries(sandbox) if d.event_type == wanted]


async def received(sandbox: Sandbox, receiver: Receiver) -> list[Delivery]:
    """Every delivery so far, once the sender is idle, in the order they arrived."""
    await sandbox.webhooks.drain()
    return receiver.deliveries(sandbox)


async def one(sandbox: Sandbox, receiver: Receiver, event_type: str) -> Delivery:
    """The one delivery of `event_type` (failing when there are none or several)."""
    await sandbox.webhooks.drain()
    found = receiver.of(sandbox, event_type)
    assert len(found) == 1, [d.event_type for d in receiver.deliveries(sandbox)]
    return found[0]


async def until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    """Wait (polling) until `condition()` holds; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        await asyncio.sleep(0.005)


def listen(sandbox: Sandbox, receiver: Receiver | None = None) -> Receiver:
    """Add a receiver (a new one unless given) with fast retries."""
    receiver = receiver or Receiver()
    sandbox.webhooks.retry_delays = FAST_RETRIES
    sandbox.webhooks.add_local_target(receiver)
    return receiver
