"""Wix Headless OAuth: visitor tokens for callers who bring no identity of their own.

Token endpoint: https://dev.wix.com/docs/rest/business-management/headless/authentication/retrieve-tokens
(the visitor flow: https://dev.wix.com/docs/go-headless/coding/rest-api/visitors-and-members/handle-visitors).
The client id is the credential; no API key or caller token is sent.
"""

from __future__ import annotations

from typing import Any

from gateway.upstream.client import WixApi

TOKEN = "/oauth2/token"


class OAuthApi(WixApi):
    __slots__ = ()

    async def visitor_tokens(self, client_id: str) -> dict[str, Any]:
        """A new visitor: `{access_token, refresh_token, expires_in}` (access for 4 hours)."""
        body = {"clientId": client_id, "grantType": "anonymous"}
        return await self._read("POST", TOKEN, body=body, anonymous=True)

    async def refreshed_tokens(self, client_id: str, refresh_token: str) -> dict[str, Any]:
        """A new access token for the same visitor (or member)."""
        body = {"clientId": client_id, "grantType": "refresh_token", "refreshToken": refresh_token}
        return await self._read("POST", TOKEN, body=body, anonymous=True)
