"""A GraphQL gateway for the Wix Bookings REST APIs, with an embedded Wix-compatible sandbox."""

__version__ = "0.1.0"
