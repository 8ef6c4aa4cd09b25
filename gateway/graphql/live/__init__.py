"""Subscriptions: live views of Wix events (`gateway.live`)."""
