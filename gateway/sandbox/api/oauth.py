"""Wix Headless OAuth: Retrieve Tokens (`POST /oauth2/token`) for visitors, and refresh for
visitors and members (members get their first tokens from `/_sandbox/member-tokens`, standing in
for Wix's login flows).

The body is JSON or form-encoded with the same camelCase names. Wix documents no errors for this
endpoint; the sandbox answers every refusal with 400 in the Wix envelope, with RFC 6749 §5.2's
error names as codes (INVALID_CLIENT, INVALID_GRANT) or a validation error for a missing field.
"""

from __future__ import annotations

from typing import Any

from gateway.sandbox import oauth
from gateway.sandbox.errors import WixError, invalid
from gateway.sandbox.routing import Call, route
from gateway.sandbox.seed import OAUTH_CLIENT_ID
from gateway.sandbox.state import Sandbox

API = "Headless Authentication"
DOC = "https://dev.wix.com/docs/rest/business-management/headless/authentication/retrieve-tokens"
INVALID_CLIENT = "INVALID_CLIENT"  # 400, our choice (RFC 6749 §5.2 name): unknown clientId
INVALID_GRANT = "INVALID_GRANT"  # 400, our choice (RFC 6749 §5.2 name): unknown refresh token
GRANT_TYPES = ("anonymous", "refresh_token")  # authorization_code needs Wix's login pages


def _text(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise invalid(name, "is required", "REQUIRED_FIELD")
    return value.strip()


@route("POST", "/oauth2/token", "Retrieve Tokens", API, DOC, auth=False, form_body=True)
def retrieve_tokens(sandbox: Sandbox, call: Call) -> dict[str, Any]:
    client_id = _text(call.body, "clientId")
    grant_type = _text(call.body, "grantType")
    if grant_type not in GRANT_TYPES:
        raise invalid("grantType", f"must be one of {', '.join(GRANT_TYPES)}", "ENUM")
    if client_id != OAUTH_CLIENT_ID:
        raise WixError(400, INVALID_CLIENT, "No OAuth app with this clientId on the site")
    if grant_type == "anonymous":
        return oauth.new_visitor(sandbox)
    tokens = oauth.refresh(sandbox, _text(call.body, "refreshToken"))
    if tokens is None:
        raise WixError(400, INVALID_GRANT, "The refresh token is not valid")
    return tokens


ROUTES = [retrieve_tokens]
