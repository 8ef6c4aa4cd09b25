"""Memory stays bounded however many distinct large documents arrive: a scaled-down run of
`bench.document_memory` (which sends 1,500 documents of 150 KB) against the served process,
with the default settings (garbage-collector freeze included)."""

from __future__ import annotations

from tests.large_documents import send_distinct_documents
from tests.served import served_gateway

DOCUMENTS = 200
DOCUMENT_CHARS = 100_000
# Before the caches were bounded by document size, these documents grew the process by ~250 MB
# (each parses into ~1 MB, and 256 of them were kept); now they leave no more than ~30 MB.
MAX_GROWTH_BYTES = 80 * 2**20


def test_distinct_large_documents_do_not_grow_memory_without_bound() -> None:
    with served_gateway(env={"GATEWAY_LOG_LEVEL": "warning"}) as served:
        send_distinct_documents(served, 5, DOCUMENT_CHARS)  # warm up what every request uses
        before = served.rss_bytes()
        send_distinct_documents(served, DOCUMENTS, DOCUMENT_CHARS)
        growth = served.rss_bytes() - before
    assert growth < MAX_GROWTH_BYTES, f"RSS grew by {growth / 2**20:.0f} MB"
