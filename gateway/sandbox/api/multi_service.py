"""Placeholder until this API lands."""

from gateway.sandbox.routing import WixRoute

ROUTES: list[WixRoute] = []
