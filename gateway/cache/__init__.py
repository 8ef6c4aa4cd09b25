"""Reference-data caching at the upstream layer (`CachingWixClient`), in process or in Redis."""
