"""`schema.graphql` in the repository is exactly what the code exports."""

from __future__ import annotations

from pathlib import Path

from gateway.graphql.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_schema_file_matches_the_code() -> None:
    exported = f"{schema}\n"
    on_disk = SCHEMA_FILE.read_text(encoding="utf-8")
    assert on_disk == exported, "schema.graphql is stale: run `make schema`"
