"""Parser and validation caches bounded in entries and in the size of what they keep.

A parsed document costs many times its text (the lexer keeps a token per comment, and a node
per field and argument): a comment-heavy 150 KB document parses into ~10 MB. Strawberry's
caches are bounded in entries only, so a few hundred distinct large documents pinned gigabytes.
Here only documents of at most `MAX_CACHED_DOCUMENT_CHARS` are cached (real operations are a
few KB; a larger one is parsed and validated again, which costs it a few milliseconds), so the
worst case is `CACHED_DOCUMENTS` such documents.
"""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import ParserCache, ValidationCache

CACHED_DOCUMENTS = 128  # distinct query texts kept parsed and validated
MAX_CACHED_DOCUMENT_CHARS = 8_192  # larger query texts are never cached


def cacheable(query: str | None) -> bool:
    """Whether a cache keyed by this document's text may keep it (and what it derives)."""
    return query is not None and len(query) <= MAX_CACHED_DOCUMENT_CHARS


class BoundedParserCache(ParserCache):
    def __init__(self) -> None:
        super().__init__(maxsize=CACHED_DOCUMENTS)

    def on_parse(self) -> Iterator[None]:
        if cacheable(self.execution_context.query):
            yield from super().on_parse()
        else:
            yield  # Strawberry parses it, uncached


class BoundedValidationCache(ValidationCache):
    def __init__(self) -> None:
        super().__init__(maxsize=CACHED_DOCUMENTS)

    def on_validate(self) -> Iterator[None]:
        if cacheable(self.execution_context.query):
            yield from super().on_validate()
        else:
            yield  # Strawberry validates it, uncached
