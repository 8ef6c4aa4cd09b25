"""Booking flow mutations: each multi-step Wix flow as one mutation with a typed outcome union."""
