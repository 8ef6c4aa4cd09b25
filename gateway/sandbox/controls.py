"""Sandbox controls under `/_sandbox/` (never under a Wix path): reset, clock, faults, requests,
member tokens, webhook targets and the webhook public key."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway.sandbox import oauth
from gateway.sandbox.openapi import openapi_document
from gateway.sandbox.routing import WixRoute
from gateway.sandbox.state import FaultRule, Sandbox
from gateway.sandbox.webhooks import BadTarget
from gateway.sandbox.wire import parse_utc


def _bad(message: str) -> JSONResponse:
    return JSONResponse({"message": message}, 400)


class _BadControl(Exception):
    """A control request that is not a JSON object: answered 400, like the Wix paths."""


async def _json(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise _BadControl("the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise _BadControl("the body must be a JSON object")
    return body


def _answer_bad_requests(
    endpoint: Callable[[Request], Awaitable[Response]],
) -> Callable[[Request], Awaitable[Response]]:
    async def guarded(request: Request) -> Response:
        try:
            return await endpoint(request)
        except _BadControl as error:
            return _bad(str(error))

    return guarded


def routes(sandbox: Sandbox, wix_routes: list[WixRoute]) -> Iterable[Route]:
    async def reset(request: Request) -> Response:
        sandbox.reset()
        return JSONResponse({"reset": True, "clock": sandbox.clock.state()})

    async def clock(request: Request) -> Response:
        """GET reads the clock. POST `{now?, frozen?}` sets it, `{advanceMinutes}` moves it,
        `{real: true}` returns to real time."""
        if request.method == "POST":
            body = await _json(request)
            try:
                if body.get("real"):
                    sandbox.clock.reset()
                elif "advanceMinutes" in body:
                    sandbox.clock.advance(timedelta(minutes=float(body["advanceMinutes"])))
                else:
                    now = parse_utc(body["now"], "now") if body.get("now") else None
                    sandbox.clock.set(now, bool(body.get("frozen", True)))
            except Exception as error:  # a bad control request is the caller's mistake
                return _bad(f"invalid clock request: {error}")
        return JSONResponse(sandbox.clock.state())

    async def faults(request: Request) -> Response:
        """POST `{rules: [{path, method?, latencyMs?, status?, rate?, times?, when?, drop?}]}`
        adds rules (a single rule object is accepted too; none if any is invalid); DELETE
        clears them; GET lists them."""
        if request.method == "DELETE":
            sandbox.faults.clear()
        elif request.method == "POST":
            body = await _json(request)
            try:
                rules = [FaultRule.from_json(raw) for raw in body.get("rules", [body])]
            except (TypeError, ValueError, AttributeError) as error:
                return _bad(f"invalid fault rule: {error}")
            sandbox.faults.extend(rules)
        return JSONResponse({"rules": [rule.to_json() for rule in sandbox.faults]})

    async def requests(request: Request) -> Response:
        if request.method == "DELETE":
            sandbox.requests.clear()
        return JSONResponse(sandbox.request_log())

    async def member_tokens(request: Request) -> Response:
        """POST `{memberId}`: the tokens a member gets by logging in on Wix (same shape as
        `POST /oauth2/token`); 404 for a member the site doesn't have."""
        member_id = (await _json(request)).get("memberId")
        if not isinstance(member_id, str) or not member_id:
            return _bad("memberId is required")
        tokens = oauth.member(sandbox, member_id)
        if tokens is None:
            return JSONResponse({"message": f"No member {member_id}"}, 404)
        return JSONResponse(tokens)

    async def webhooks(request: Request) -> Response:
        """POST `{url}` registers an http(s) URL to receive every webhook (once; 400 for a bad
        URL or one too many); DELETE forgets them all; GET lists them. `localTargets` counts
        the in-process receivers (the embedded gateway's own), which reset keeps."""
        if request.method == "DELETE":
            sandbox.webhooks.clear_url_targets()
        elif request.method == "POST":
            try:
                sandbox.webhooks.add_url_target((await _json(request)).get("url"))
            except BadTarget as error:
                return _bad(f"invalid webhook target: {error}")
        return JSONResponse(
            {
                "targets": [{"url": url} for url in sandbox.webhooks.url_targets],
                "localTargets": sandbox.webhooks.local_target_count,
            }
        )

    async def webhook_public_key(request: Request) -> Response:
        """The PEM public key that verifies every webhook's JWT (RS256)."""
        return JSONResponse({"publicKey": sandbox.webhooks.public_key_pem})

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_document(wix_routes))

    return [
        Route("/_sandbox/reset", reset, methods=["POST"]),
        Route("/_sandbox/clock", _answer_bad_requests(clock), methods=["GET", "POST"]),
        Route("/_sandbox/faults", _answer_bad_requests(faults), methods=["GET", "POST", "DELETE"]),
        Route("/_sandbox/requests", requests, methods=["GET", "DELETE"]),
        Route("/_sandbox/member-tokens", _answer_bad_requests(member_tokens), methods=["POST"]),
        Route(
            "/_sandbox/webhooks", _answer_bad_requests(webhooks), methods=["GET", "POST", "DELETE"]
        ),
        Route("/_sandbox/webhook-public-key", webhook_public_key, methods=["GET"]),
        Route("/_sandbox/openapi.json", openapi, methods=["GET"]),
    ]
