"""Resident memory of the served gateway (`python -m gateway`, default settings) after 1,500
distinct valid query documents of 150 KB each: every cache keyed by document text must stay
bounded. Target: less than 150 MB of growth.

Prints the RSS before and after, the growth, and the time taken.
"""

from __future__ import annotations

import time

from tests.large_documents import send_distinct_documents
from tests.served import served_gateway

DOCUMENTS = 1_500
DOCUMENT_CHARS = 150_000
TARGET_GROWTH_MB = 150


def run() -> None:
    with served_gateway(env={"GATEWAY_LOG_LEVEL": "warning"}) as served:
        send_distinct_documents(served, 5, DOCUMENT_CHARS)
        before = served.rss_bytes()
        started = time.monotonic()
        send_distinct_documents(served, DOCUMENTS, DOCUMENT_CHARS)
        seconds = time.monotonic() - started
        after = served.rss_bytes()
    growth = (after - before) / 2**20
    print(
        f"{DOCUMENTS} distinct documents of {DOCUMENT_CHARS // 1000} KB in {seconds:.0f} s: "
        f"RSS {before / 2**20:.0f} MB -> {after / 2**20:.0f} MB, growth {growth:.0f} MB "
        f"(target < {TARGET_GROWTH_MB} MB)"
    )


if __name__ == "__main__":
    run()
