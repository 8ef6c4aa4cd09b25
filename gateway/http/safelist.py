"""The safelist: the operations of an Apollo persisted-query manifest, the only ones that run.

A manifest (`generate-persisted-query-manifest` writes one at build time) is
`{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{id, name, type,
body}]}`. Clients send an operation's `id` as `extensions.persistedQuery.sha256Hash`; a full
query is accepted too when its text is exactly the body of a listed operation.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST_FORMAT = "apollo-persisted-query-manifest"
MANIFEST_VERSION = 1


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Safelist:
    bodies: Mapping[str, str]  # operation id -> document text
    body_hashes: frozenset[str]  # sha256 of every listed body

    def __len__(self) -> int:
        return len(self.bodies)

    def allows(self, query: str) -> bool:
        return sha256_hex(query) in self.body_hashes

    @classmethod
    def load(cls, path: str | Path) -> Safelist:
        """Read a manifest file; a malformed one stops start-up (ValueError) rather than
        silently refusing every operation."""
        try:
            manifest = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValueError(f"cannot read the persisted-query manifest {path}: {error}") from None
        return cls.from_manifest(manifest)

    @classmethod
    def from_manifest(cls, manifest: Any) -> Safelist:
        if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
            raise ValueError(f'a persisted-query manifest needs "format": "{MANIFEST_FORMAT}"')
        if manifest.get("version") != MANIFEST_VERSION:
            raise ValueError(
                f"unsupported persisted-query manifest version (not {MANIFEST_VERSION})"
            )
        operations = manifest.get("operations")
        if not isinstance(operations, list):
            raise ValueError('a persisted-query manifest needs an "operations" list')
        bodies: dict[str, str] = {}
        for operation in operations:
            if not (
                isinstance(operation, dict)
                and isinstance(operation.get("id"), str)
                and isinstance(operation.get("body"), str)
            ):
                raise ValueError("each manifest operation needs a string `id` and `body`")
            bodies[operation["id"]] = operation["body"]
        return cls(bodies, frozenset(map(sha256_hex, bodies.values())))
