"""Shared state that must survive across requests (and, with Redis, across replicas)."""
