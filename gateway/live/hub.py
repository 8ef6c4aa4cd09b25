"""Placeholder replaced in this change."""

from __future__ import annotations


class LiveHub:
    pass
