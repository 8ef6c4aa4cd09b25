"""Every ```graphql block of the README runs, as written, without errors and with data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from tests.graphql import Gateway, create_bookings, gateway, next_weekday

__all__ = ["gateway"]

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"```graphql\n(.*?)```", re.DOTALL)


def readme_queries() -> list[str]:
    """The blocks that run as written (the mutation examples take variables: test_readme_flows)."""
    return [
        block for block in BLOCK.findall(README.read_text(encoding="utf-8")) if "$" not in block
    ]


async def test_readme_queries_run_without_errors(gateway: Gateway) -> None:
    queries = readme_queries()
    assert len(queries) >= 2, "the README's example queries are missing"
    await create_bookings(gateway.upstream, 6, next_weekday(0))  # two for customer0@example.com
    for query in queries:
        data = await gateway.data(query)
        node_lists = list(_node_lists(data))
        assert node_lists and all(node_lists), f"an example shows no data: {data}"


def _node_lists(value: object) -> Iterator[list[object]]:
    """Every connection's `nodes` list in an answer."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "nodes" and isinstance(item, list):
                yield item
            else:
                yield from _node_lists(item)
    elif isinstance(value, list):
        for item in value:
            yield from _node_lists(item)
