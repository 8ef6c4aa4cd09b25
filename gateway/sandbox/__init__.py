"""The embedded sandbox: a Wix-compatible emulator of the Bookings REST endpoints, backed by SQLite.

`build_sandbox_app()` returns a Starlette app that serves the same paths, JSON and error envelope as
`https://www.wixapis.com` for the methods the gateway uses, plus controls under `/_sandbox/`.
"""

from gateway.sandbox.app import build_sandbox_app

__all__ = ["build_sandbox_app"]
