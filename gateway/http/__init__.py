"""The HTTP protocol layer of `/graphql`: GraphQL over HTTP (media types, status codes, GET and
POST), batching with one shared context per batch, persisted queries, and request limits."""
