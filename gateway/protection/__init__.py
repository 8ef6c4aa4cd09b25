"""Keeping expensive or hostile requests away from Wix: document limits and a cost limit checked
before execution (`QueryProtection`), masking of unexpected errors (`MaskUnexpectedErrors`), and
per-client rate limits (`RateLimitMiddleware`)."""
