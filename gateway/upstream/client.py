"""`WixClient`: the one HTTP wrapper around Wix REST — auth headers, retries, deadline, errors.

Every upstream call of the gateway goes through `WixClient.request`, over one shared
`httpx.AsyncClient` (pooled keep-alive). Reads are retried with exponential backoff and full
jitter on 429/502/503/504 and connection failures, honouring `Retry-After`; writes are sent once.
A whole call, retries included, ends by the configured deadline with `UPSTREAM_TIMEOUT`.
"""

from __future__ import annotations

import asyncio
import functools
import json as jsonlib
import logging
import random
import time
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import httpx
import orjson
from httpx_aiohttp import AiohttpTransport

from gateway.config import Settings
from gateway.observability.upstream import record_upstream_call
from gateway.upstream.errors import (
    UpstreamError,
    error_from_response,
    invalid_body_error,
    timeout_error,
    unreachable_error,
)
from gateway.upstream.paths import expand

__all__ = ["RETRY_STATUSES", "UpstreamError", "WixApi", "WixClient"]

logger = logging.getLogger("gateway.upstream")

RETRY_STATUSES = frozenset({429, 502, 503, 504})
# Transport failures after which a read is sent again (the request may never have arrived).
_RETRY_EXCEPTIONS = (httpx.NetworkError, httpx.ConnectTimeout, httpx.RemoteProtocolError)
# Path parameters that are credentials (anonymous booking tokens travel in the URL path): they
# are scrubbed from error texts, and logs only ever show path templates.
SECRET_PATH_PARAMS = frozenset({"token"})
# The path secrets of the request being sent: httpx logs every request's full URL (INFO), so a
# filter on its logger masks them there too.
_SENDING_SECRETS: ContextVar[tuple[str, ...]] = ContextVar("sending_secrets", default=())
# Absolute URLs of recently called paths: httpx parses a relative URL and joins it to the base
# for every request (~25 µs); reference-data paths repeat with the same few ids.
URL_CACHE_SIZE = 1024


class _MaskSentSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        secrets = _SENDING_SECRETS.get()
        if secrets:
            message = record.getMessage()
            for secret in secrets:
                message = message.replace(secret, "[redacted]")
            record.msg, record.args = message, None
        return True


logging.getLogger("httpx").addFilter(_MaskSentSecrets())


class _NoCookies(httpx.Cookies):
    """A jar that keeps nothing. Wix REST authenticates by header, and the one `httpx` client
    serves every caller of the process, so a cookie Wix set for one caller would be sent with
    everybody's calls. Not reading `Set-Cookie` also saves ~30 µs a call (httpx rebuilds each
    response's request as a urllib one to feed the jar)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


class _HttpClient(httpx.AsyncClient):
    """`httpx.AsyncClient` without a cookie jar (`_NoCookies`)."""

    _no_cookies = _NoCookies()

    @property
    def cookies(self) -> httpx.Cookies:
        return self._no_cookies

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        raise AttributeError("Wix calls never carry cookies")


@dataclass(slots=True)
class _Call:
    """One call as sent on each attempt; what only errors and logs need is worked out then."""

    method: str
    template: str  # what logs show: anonymous tokens travel in the path
    path: str
    path_params: Mapping[str, str] | None
    json: Mapping[str, Any] | None
    params: Mapping[str, Any] | None
    headers: Mapping[str, str] | None
    authorization: str | None

    def secrets(self, api_key: str | None) -> list[str]:
        """What must never show in an error text: the credentials and secret path parameters."""
        return _secrets(self.authorization, api_key, self.path_params)

    def path_secrets(self, api_key: str | None) -> tuple[str, ...]:
        """The secrets written into the URL path, as sent (percent-encoded)."""
        if not self.path_params:
            return ()  # the path is the template, a constant
        secrets = (quote(s, safe="") for s in self.secrets(api_key))
        return tuple(s for s in secrets if s in self.path)


class _Retryable(Exception):
    """An attempt failed in a way a retry may fix (429/502/503/504, connection failure)."""

    def __init__(self, error: UpstreamError, retry_after: float | None) -> None:
        super().__init__(error.message)
        self.error = error
        self.retry_after = retry_after


def _pooled_transport(settings: Settings) -> httpx.AsyncBaseTransport:
    """httpx's API over aiohttp's connection pool (`httpx-aiohttp`). httpcore's pool looks at
    every pooled connection on each request; on the "my bookings" page at 64 clients that was
    about a fifth of the gateway's CPU, and with aiohttp's pool the gateway serves 1.7 times the
    requests per second (peer-bench rig; see the README's Benchmarks). Transport errors arrive
    as httpx's exceptions, so retries and the lost-answer rules are unchanged: a write is never
    retried, and a write with no answer counts as maybe written (`bookings.stamps`)."""
    return AiohttpTransport(
        limits=httpx.Limits(
            max_connections=settings.max_connections,
            max_keepalive_connections=settings.max_keepalive_connections,
        )
    )


class WixClient:
    """Shared by all requests of the process; `Upstream` binds it to one caller."""

    def __init__(
        self, settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._settings = settings
        self._api_key = settings.api_key
        key_headers = {"Authorization": settings.api_key} if settings.api_key else {}
        if settings.api_key and settings.site_id:
            key_headers["wix-site-id"] = settings.site_id
        # Parsed once: httpx normalizes a plain dict of headers on every request.
        self._key_headers = httpx.Headers(key_headers) if key_headers else None
        self._random = random.Random()
        self._http = _HttpClient(
            base_url=settings.base_url,
            transport=transport or _pooled_transport(settings),
            http2=False,
            timeout=httpx.Timeout(
                settings.read_timeout,
                connect=settings.connect_timeout,
                pool=settings.call_deadline,
            ),
            limits=httpx.Limits(
                max_connections=settings.max_connections,
                max_keepalive_connections=settings.max_keepalive_connections,
            ),
            headers={"Accept": "application/json"},
        )
        self._base_url = str(self._http.base_url).rstrip("/")

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    async def aclose(self) -> None:
        await self._http.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        authorization: str | None = None,
        retry: bool | None = None,
        path_params: Mapping[str, str] | None = None,
        anonymous: bool = False,
    ) -> dict[str, Any]:
        """Call Wix and return the JSON body, or raise `UpstreamError`.

        `path` may be a template (`/bookings/v2/services/{serviceId}`) filled from `path_params`,
        each value checked to be one path segment (`paths.expand`, `InvalidPathValue` before any
        call); logs show the template. `retry` defaults to True for GET only: POST reads pass True.
        `authorization` is the caller's header; without it the configured API key is sent.
        `anonymous` calls (a token in the path is the credential) send no credentials at all.
        """
        retry = method == "GET" if retry is None else retry
        if anonymous:
            headers: Mapping[str, str] | None = None
        else:
            headers = {"Authorization": authorization} if authorization else self._key_headers
        # Before anything is sent: a value that is not one path segment is refused here.
        expanded = expand(path, path_params or {}) if path_params or "{" in path else path
        call = _Call(method, path, expanded, path_params, json, params, headers, authorization)
        attempts = self._settings.max_attempts if retry else 1
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._settings.call_deadline
        try:
            # One timer for the whole call (~5 us): httpx's timeouts bound each socket operation,
            # not the call, and the embedded sandbox's ASGI transport does not apply them at all.
            async with asyncio.timeout_at(deadline):
                for attempt in range(1, attempts + 1):
                    try:
                        return await self._attempt(call, attempt)
                    except _Retryable as retryable:
                        delay = self._backoff(attempt, retryable.retry_after)
                        if attempt == attempts or loop.time() + delay >= deadline:
                            raise retryable.error from None  # no attempt left, or it would time out
                        logger.warning(
                            "retrying %s %s in %.3f s after %s",
                            method,
                            path,
                            delay,
                            retryable.error.code,
                        )
                        await asyncio.sleep(delay)
        except (TimeoutError, httpx.TimeoutException):
            logger.warning("%s %s: no answer within the deadline", method, path)
            raise timeout_error(self._settings.call_deadline) from None
        except httpx.TransportError as exc:
            raise unreachable_error(exc) from None
        raise AssertionError("unreachable: every attempt returns or raises")

    async def _attempt(self, call: _Call, attempt: int) -> dict[str, Any]:
        """Send once: the body, or `UpstreamError`, or `_Retryable` when a retry may help."""
        url = _absolute_url(self._base_url, call.path)
        started = time.perf_counter()
        secrets = call.path_secrets(self._api_key)
        sending = _SENDING_SECRETS.set(secrets) if secrets else None
        try:
            response = await self._http.request(
                call.method, url, json=call.json, params=call.params, headers=call.headers
            )
        except BaseException as exc:  # no answer (the attempt was made all the same)
            _log(call, None, started, None, attempt)
            if isinstance(exc, _RETRY_EXCEPTIONS):
                raise _Retryable(unreachable_error(exc), None) from None
            raise  # a timeout or the deadline
        finally:
            if sending is not None:
                _SENDING_SECRETS.reset(sending)
        status = response.status_code
        _log(call, status, started, response, attempt)
        if 200 <= status < 300:
            return _json_body(response)
        error = error_from_response(
            status, response.content, _request_id(response), call.secrets(self._api_key)
        )
        if status in RETRY_STATUSES:
            raise _Retryable(error, _retry_after(response))
        raise error

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        """Full jitter over an exponential ceiling; a `Retry-After` (capped) wins."""
        if retry_after is not None:
            return min(retry_after, self._settings.retry_after_cap)
        ceiling = min(self._settings.backoff_max, self._settings.backoff_base * 2 ** (attempt - 1))
        return self._random.uniform(0, ceiling)


class WixApi:
    """Base of the per-API classes: one Wix API bound to one caller's Authorization."""

    __slots__ = ("_authorization", "_client")

    def __init__(self, client: WixClient, authorization: str | None = None) -> None:
        self._client = client
        self._authorization = authorization

    async def _read(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        anonymous: bool = False,
        **path_params: str,
    ) -> dict[str, Any]:
        """A call that changes nothing upstream (GET, or a POST query): retried."""
        return await self._send(method, path, body, params, anonymous, path_params, retry=True)

    async def _write(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None = None,
        anonymous: bool = False,
        **path_params: str,
    ) -> dict[str, Any]:
        """A call that changes state upstream: sent exactly once."""
        return await self._send(method, path, body, None, anonymous, path_params, retry=False)

    async def _send(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None,
        params: Mapping[str, Any] | None,
        anonymous: bool,
        path_params: Mapping[str, str],
        *,
        retry: bool,
    ) -> dict[str, Any]:
        return await self._client.request(
            method,
            path,
            json=body,
            params=params,
            authorization=self._authorization,
            retry=retry,
            path_params=path_params,
            anonymous=anonymous,
        )


@functools.lru_cache(maxsize=URL_CACHE_SIZE)
def _absolute_url(base_url: str, path: str) -> httpx.URL:
    """`path` on `base_url`, as httpx would join them (its base URL ends with "/")."""
    return httpx.URL(base_url + path)


def _secrets(
    authorization: str | None, api_key: str | None, path_params: Mapping[str, str] | None
) -> list[str]:
    secrets = [s for s in (authorization, api_key) if s]
    if path_params:
        secrets += [v for k, v in path_params.items() if k in SECRET_PATH_PARAMS and v]
    return secrets


def _json_body(response: httpx.Response) -> dict[str, Any]:
    """The JSON object of a success; an empty body is `{}`. orjson parses a page of bookings
    ~2x faster than `json`; what it refuses (NaN, UTF-16/32, blank bodies) `json` has a go at.
    Integers beyond 64 bits would come out as floats: Wix sends int64 values as strings."""
    content = response.content
    try:
        body = orjson.loads(content)
    except orjson.JSONDecodeError:
        body = _stdlib_json(content)
    if not isinstance(body, dict):
        raise invalid_body_error(response.status_code, _request_id(response))
    return body


def _stdlib_json(content: bytes) -> Any:
    if not content.strip():
        return {}
    try:
        return jsonlib.loads(content)
    except ValueError:
        return None


def _request_id(response: httpx.Response) -> str | None:
    return response.headers.get("x-wix-request-id")


def _retry_after(response: httpx.Response) -> float | None:
    """`Retry-After` as seconds (delta-seconds or an HTTP date), if the upstream sent one."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        retry_at = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, retry_at - time.time())  # real time: the date is on the server's wall clock


def _log(
    call: _Call,
    status: int | None,
    started: float,
    response: httpx.Response | None,
    attempt: int,
) -> None:
    """Every attempt: into the request's record, metrics and spans; at debug level, the log."""
    record_upstream_call(call.method, call.template, status, started)
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "%s %s -> %s in %.1f ms (request id %s, attempt %d)",
            call.method,
            call.template,
            status if status is not None else "no response",
            (time.perf_counter() - started) * 1000,
            _request_id(response) if response is not None else None,
            attempt,
        )
