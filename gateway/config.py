"""Settings, read once from environment variables (the README's "Configuration" table).

Which upstream the gateway talks to is `GATEWAY_UPSTREAM` (`wix` or `sandbox`). Unset, it is
`sandbox` (the embedded one, in process) only when no Wix variable is set at all, so `make run`
needs no configuration while a deployment that sets any Wix variable but forgets its key fails
at start instead of serving the demo business. `wix` calls Wix (or `WIX_BASE_URL` when set, e.g.
a standalone sandbox) and needs `WIX_API_KEY` and `WIX_SITE_ID`.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from strawberry.http.websocket_origin import normalize_allowed_origins

WIX_PUBLIC_BASE_URL = "https://www.wixapis.com"
# The embedded sandbox is reached through an in-process ASGI transport; the host is never resolved.
EMBEDDED_SANDBOX_BASE_URL = "http://sandbox.embedded"
# The sandbox only checks that an Authorization header is present; this fixed value stands in
# for an API key so the embedded setup needs no secret.
EMBEDDED_SANDBOX_API_KEY = "embedded-sandbox-dev-key"
EMBEDDED_SANDBOX_SITE_ID = "embedded-sandbox-site"

# Availability changes with every booking: a cached slot list may only be a few seconds old.
MAX_AVAILABILITY_CACHE_SECONDS = 10.0
# A whole booking mutation, every Wix call in it included (`GATEWAY_FLOW_DEADLINE_SECONDS`).
DEFAULT_FLOW_DEADLINE_SECONDS = 30.0
LOG_FORMATS = frozenset({"text", "json"})
UPSTREAMS = ("wix", "sandbox")
# Numeric settings by the bound they must keep (checked in this order by `Settings`).
_POSITIVE = (
    "connect_timeout",
    "read_timeout",
    "call_deadline",
    "backoff_max",
    "reconcile_seconds",
    "flow_deadline",
    "idempotency_lease",
    "subscription_init_timeout",
    "subscription_idle_seconds",
    "subscription_keepalive_seconds",
)
_AT_LEAST_ONE = (
    "max_attempts",
    "workers",
    "max_connections",
    "max_query_depth",
    "max_aliases",
    "max_tokens",
    "max_query_cost",
    "max_page_size",
    "rate_limit_burst",
    "cache_max_entries",
    "max_batch_size",
    "max_body_bytes",
    "subscription_max_connections",
    "subscription_max_per_connection",
)
_NOT_NEGATIVE = (
    "rate_limit_per_second",
    "cache_services_seconds",
    "cache_policies_seconds",
    "cache_forms_seconds",
    "cache_site_properties_seconds",
    "cache_availability_seconds",
)

# An HTTP field name is a token (RFC 9110, section 5.1).
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class ConfigurationError(ValueError):
    """A setting is missing or invalid: the gateway refuses to start."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable; defaults suit `make run` on a laptop."""

    upstream: str | None = None  # "wix" or "sandbox"; None: decided by the Wix variables
    wix_api_key: str | None = None
    wix_site_id: str | None = None
    wix_base_url: str | None = None
    sandbox_db: str = ":memory:"
    # The embedded sandbox's demo bookings (gateway/sandbox/demo_bookings.py): on for the demo
    # (`python -m gateway` sets it unless SANDBOX_DEMO_BOOKINGS does), off for apps built in
    # code, such as the tests', which start with no bookings.
    sandbox_demo_bookings: bool = False
    # Callers (gateway/identity): admin secrets (comma-separated) that act with the API key, and
    # the Wix Headless OAuth client whose visitor tokens anonymous callers get.
    admin_keys: str = ""
    wix_client_id: str | None = None
    # Live events (gateway/live): the Wix app's public key (PEM) that verifies webhook JWTs on
    # /webhooks/wix; unset, the route refuses every delivery (the embedded sandbox needs none).
    wix_webhook_public_key: str | None = None
    # Failed flows' bookings (gateway/bookings): how often the reconciler runs, and the outbox's
    # SQLite file when there is no Redis (unset: memory for the in-memory embedded sandbox, else
    # gateway-outbox.sqlite3).
    reconcile_seconds: float = 60.0
    outbox_db: str = ""
    # Upstream HTTP: per-attempt socket timeouts, and the deadline for a whole call with retries.
    connect_timeout: float = 3.0
    read_timeout: float = 10.0
    call_deadline: float = 15.0
    max_attempts: int = 3
    backoff_base: float = 0.1
    backoff_max: float = 2.0
    retry_after_cap: float = 5.0
    # Booking mutations: the deadline of a whole flow (every call in it), and the lease of an
    # idempotency key's claim, renewed every third of it while the flow runs.
    flow_deadline: float = DEFAULT_FLOW_DEADLINE_SECONDS
    idempotency_lease: float = 60.0
    max_connections: int = 64
    max_keepalive_connections: int = 16
    # Serving.
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: str = "info"
    gc_freeze: bool = True
    # Idempotency keys of mutations: in process when unset; Redis (shared by replicas) when set.
    # Also where caches and rate limits live when set.
    redis_url: str | None = None
    # Protection (gateway/protection): checked before any upstream call.
    max_query_depth: int = 10
    max_aliases: int = 30
    max_tokens: int = 2000
    max_query_cost: int = 1000
    max_page_size: int = 100
    introspection: bool = True
    # Per-client token bucket on /graphql: refill per second (0 turns it off) and bucket size.
    rate_limit_per_second: float = 0.0
    rate_limit_burst: int = 60
    # Reference data cache (gateway/cache), TTL in seconds; 0 turns one off.
    cache_services_seconds: float = 60.0
    cache_policies_seconds: float = 300.0
    cache_forms_seconds: float = 300.0
    cache_site_properties_seconds: float = 3600.0
    cache_availability_seconds: float = 0.0
    cache_max_entries: int = 10_000
    # Observability (gateway/observability).
    log_format: str = "text"
    tracing: bool = False
    # HTTP protocol (gateway/http): operations per batched POST, automatic persisted queries,
    # a safelist (Apollo persisted-query manifest file: only its operations run), the largest
    # request body, the browser origins allowed by CORS (comma-separated; empty: none), and the
    # request headers their pages may send besides the default list (`gateway.http.cors`).
    max_batch_size: int = 10
    persisted_queries: bool = True
    persisted_query_manifest: str | None = None
    max_body_bytes: int = 1_048_576
    cors_origins: str = ""
    cors_headers: str = ""
    # Subscriptions (graphql-transport-ws on ws(s)://.../graphql, and GraphQL over SSE): open
    # streams per process across both transports, operations in flight on one socket, the
    # wait for a socket's `connection_init`, how long a socket without an active operation
    # stays open, and the keep-alive interval (WebSocket `ping` messages, SSE comments).
    subscription_max_connections: int = 1000
    subscription_max_per_connection: int = 20
    subscription_init_timeout: float = 10.0
    subscription_idle_seconds: float = 120.0
    subscription_keepalive_seconds: float = 15.0

    def __post_init__(self) -> None:
        for names, keeps_bound, requirement in (
            (_POSITIVE, lambda value: value > 0, "must be greater than 0"),
            (_AT_LEAST_ONE, lambda value: value >= 1, "must be at least 1"),
            (_NOT_NEGATIVE, lambda value: value >= 0, "must not be negative"),
        ):
            for name in names:
                if not keeps_bound(getattr(self, name)):
                    raise ConfigurationError(f"{ENV_NAMES[name]} {requirement}")
        if self.cache_availability_seconds > MAX_AVAILABILITY_CACHE_SECONDS:
            raise ConfigurationError(
                f"{ENV_NAMES['cache_availability_seconds']} must be at most "
                f"{MAX_AVAILABILITY_CACHE_SECONDS:g} (availability changes with every booking)"
            )
        if self.log_format not in LOG_FORMATS:
            raise ConfigurationError(
                f"{ENV_NAMES['log_format']} must be one of {sorted(LOG_FORMATS)}"
            )
        if not 0 < self.port < 65536:
            raise ConfigurationError(f"{ENV_NAMES['port']} must be a TCP port")
        try:  # also the WebSocket origin allowlist, which needs real origins
            normalize_allowed_origins(self.cors_origin_list)
        except ValueError as error:
            raise ConfigurationError(f"{ENV_NAMES['cors_origins']}: {error}") from None
        for name in self.cors_header_list:
            if name == "*" or not _HEADER_NAME.fullmatch(name):
                raise ConfigurationError(
                    f"{ENV_NAMES['cors_headers']}: {name!r} is not a header name "
                    "(list names, comma-separated, e.g. x-tenant-id)"
                )
        self._check_upstream()

    def _check_upstream(self) -> None:
        """Fail closed: `wix` without its credentials, or the sandbox with Wix credentials, is
        a configuration mistake, refused at start with the variable to fix."""
        if self.upstream is not None and self.upstream not in UPSTREAMS:
            raise ConfigurationError(
                f"{ENV_NAMES['upstream']} must be one of {', '.join(UPSTREAMS)}"
            )
        if self.upstream_mode == "wix":
            for name in ("wix_api_key", "wix_site_id"):
                if not getattr(self, name):
                    raise ConfigurationError(
                        f"{ENV_NAMES[name]} is not set; the gateway calls Wix "
                        f"({ENV_NAMES['upstream']}=wix, or a Wix variable is set) and needs it"
                    )
            return
        for name in ("wix_api_key", "wix_site_id", "wix_base_url", "wix_webhook_public_key"):
            if getattr(self, name):
                raise ConfigurationError(
                    f"{ENV_NAMES[name]} is set but {ENV_NAMES['upstream']}=sandbox serves the "
                    "embedded demo business: unset it, or use GATEWAY_UPSTREAM=wix"
                )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from `environ` (default `os.environ`); empty variables count as unset."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for field in dataclasses.fields(cls):
            raw = environ.get(ENV_NAMES[field.name], "").strip()
            if raw:
                values[field.name] = _parse(ENV_NAMES[field.name], raw, field.default)
        values.update(overrides)
        return cls(**values)

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    @property
    def cors_header_list(self) -> list[str]:
        """Extra request headers allowed by CORS, lower-cased."""
        return [name.strip().lower() for name in self.cors_headers.split(",") if name.strip()]

    @property
    def upstream_mode(self) -> str:
        """`wix` or `sandbox` (the embedded one)."""
        if self.upstream is not None:
            return self.upstream
        wix_variables = (
            self.wix_api_key,
            self.wix_site_id,
            self.wix_base_url,
            self.wix_client_id,
            self.wix_webhook_public_key,
        )
        return "wix" if any(wix_variables) else "sandbox"

    @property
    def uses_embedded_sandbox(self) -> bool:
        return self.upstream_mode == "sandbox"

    @property
    def admin_key_list(self) -> list[str]:
        return [key.strip() for key in self.admin_keys.split(",") if key.strip()]

    @property
    def base_url(self) -> str:
        if self.wix_base_url:
            return self.wix_base_url.rstrip("/")
        return EMBEDDED_SANDBOX_BASE_URL if self.uses_embedded_sandbox else WIX_PUBLIC_BASE_URL

    @property
    def api_key(self) -> str | None:
        """The key sent when a caller brings no Authorization of their own."""
        return EMBEDDED_SANDBOX_API_KEY if self.uses_embedded_sandbox else self.wix_api_key

    @property
    def site_id(self) -> str | None:
        return EMBEDDED_SANDBOX_SITE_ID if self.uses_embedded_sandbox else self.wix_site_id


# Field -> environment variable: the single list the README's configuration table mirrors.
ENV_NAMES: dict[str, str] = {
    "upstream": "GATEWAY_UPSTREAM",
    "wix_api_key": "WIX_API_KEY",
    "wix_site_id": "WIX_SITE_ID",
    "wix_base_url": "WIX_BASE_URL",
    "sandbox_db": "SANDBOX_DB",
    "sandbox_demo_bookings": "SANDBOX_DEMO_BOOKINGS",
    "admin_keys": "GATEWAY_ADMIN_KEYS",
    "wix_client_id": "WIX_CLIENT_ID",
    "wix_webhook_public_key": "WIX_WEBHOOK_PUBLIC_KEY",
    "reconcile_seconds": "GATEWAY_RECONCILE_SECONDS",
    "outbox_db": "GATEWAY_OUTBOX_DB",
    "connect_timeout": "WIX_CONNECT_TIMEOUT_SECONDS",
    "read_timeout": "WIX_READ_TIMEOUT_SECONDS",
    "call_deadline": "WIX_CALL_DEADLINE_SECONDS",
    "max_attempts": "WIX_MAX_ATTEMPTS",
    "backoff_base": "WIX_BACKOFF_BASE_SECONDS",
    "backoff_max": "WIX_BACKOFF_MAX_SECONDS",
    "retry_after_cap": "WIX_RETRY_AFTER_CAP_SECONDS",
    "flow_deadline": "GATEWAY_FLOW_DEADLINE_SECONDS",
    "idempotency_lease": "GATEWAY_IDEMPOTENCY_LEASE_SECONDS",
    "max_connections": "WIX_MAX_CONNECTIONS",
    "max_keepalive_connections": "WIX_MAX_KEEPALIVE_CONNECTIONS",
    "host": "GATEWAY_HOST",
    "port": "GATEWAY_PORT",
    "workers": "GATEWAY_WORKERS",
    "log_level": "GATEWAY_LOG_LEVEL",
    "gc_freeze": "GATEWAY_GC_FREEZE",
    "redis_url": "REDIS_URL",
    "max_query_depth": "GATEWAY_MAX_QUERY_DEPTH",
    "max_aliases": "GATEWAY_MAX_ALIASES",
    "max_tokens": "GATEWAY_MAX_TOKENS",
    "max_query_cost": "GATEWAY_MAX_QUERY_COST",
    "max_page_size": "GATEWAY_MAX_PAGE_SIZE",
    "introspection": "GATEWAY_INTROSPECTION",
    "rate_limit_per_second": "GATEWAY_RATE_LIMIT_PER_SECOND",
    "rate_limit_burst": "GATEWAY_RATE_LIMIT_BURST",
    "cache_services_seconds": "GATEWAY_CACHE_SERVICES_SECONDS",
    "cache_policies_seconds": "GATEWAY_CACHE_POLICIES_SECONDS",
    "cache_forms_seconds": "GATEWAY_CACHE_FORMS_SECONDS",
    "cache_site_properties_seconds": "GATEWAY_CACHE_SITE_PROPERTIES_SECONDS",
    "cache_availability_seconds": "GATEWAY_CACHE_AVAILABILITY_SECONDS",
    "cache_max_entries": "GATEWAY_CACHE_MAX_ENTRIES",
    "log_format": "GATEWAY_LOG_FORMAT",
    "tracing": "GATEWAY_TRACING",
    "max_batch_size": "GATEWAY_MAX_BATCH_SIZE",
    "persisted_queries": "GATEWAY_PERSISTED_QUERIES",
    "persisted_query_manifest": "GATEWAY_PERSISTED_QUERY_MANIFEST",
    "max_body_bytes": "GATEWAY_MAX_BODY_BYTES",
    "cors_origins": "GATEWAY_CORS_ORIGINS",
    "cors_headers": "GATEWAY_CORS_HEADERS",
    "subscription_max_connections": "GATEWAY_SUBSCRIPTION_MAX_CONNECTIONS",
    "subscription_max_per_connection": "GATEWAY_SUBSCRIPTION_MAX_PER_CONNECTION",
    "subscription_init_timeout": "GATEWAY_SUBSCRIPTION_INIT_TIMEOUT_SECONDS",
    "subscription_idle_seconds": "GATEWAY_SUBSCRIPTION_IDLE_SECONDS",
    "subscription_keepalive_seconds": "GATEWAY_SUBSCRIPTION_KEEPALIVE_SECONDS",
}


def _parse(name: str, raw: str, default: Any) -> Any:
    """Convert by the type of the field's default (None defaults are strings)."""
    if isinstance(default, bool):
        lowered = raw.lower()
        if lowered in _TRUE | _FALSE:
            return lowered in _TRUE
        raise ConfigurationError(f"{name} must be one of {sorted(_TRUE | _FALSE)}")
    try:
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a number, got {raw!r}") from None
    return raw
