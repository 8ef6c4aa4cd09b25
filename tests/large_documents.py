"""Distinct, large, valid query documents: what a client generating queries (or an attacker)
sends to grow every cache keyed by document text."""

from __future__ import annotations

import httpx

from tests.served import ServedGateway

# A comment line every ~40 characters: the lexer keeps a token per comment, so a document's
# parsed form is several times its text, while comments do not count against the token limit.
_LINE = "# padding {index} {line} " + "x" * 20 + "\n"


def large_document(index: int, size: int) -> str:
    """A valid query of about `size` characters, different for every `index`."""
    head = f"query Padded{index} {{ __typename }}\n"
    lines: list[str] = []
    total = len(head)
    line = 0
    while total < size:
        text = _LINE.format(index=index, line=line)
        lines.append(text)
        total += len(text)
        line += 1
    return head + "".join(lines)


def send_distinct_documents(served: ServedGateway, count: int, size: int) -> None:
    """POST `count` distinct documents of `size` characters; each must run."""
    with httpx.Client(base_url=served.base, timeout=60) as client:
        for index in range(count):
            response = client.post("/graphql", json={"query": large_document(index, size)})
            assert response.json() == {"data": {"__typename": "Query"}}, response.text
