"""Live events: Wix webhooks in (`webhooks`), fanned out to GraphQL subscriptions on every
replica (`hub`)."""
