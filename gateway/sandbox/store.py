"""SQLite state for the sandbox: JSON documents plus the few columns that queries need.

Every Wix entity is stored as its wire JSON in `doc`. Handlers run their reads and writes inside
`transaction()`, which holds a process lock and an SQLite `BEGIN IMMEDIATE`, so a create, a
reschedule or a confirm sees and changes state atomically, even when many requests race.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

DOCUMENT_TABLES = (
    "services",
    "policies",
    "forms",
    "resources",
    "locations",
    "schedules",
    "submissions",
    "multi_service_bookings",
    "members",
)

_SCHEMA = [
    *(
        f"CREATE TABLE IF NOT EXISTS {t} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)"
        for t in DOCUMENT_TABLES
    ),
    """CREATE TABLE IF NOT EXISTS bookings (
        id TEXT PRIMARY KEY,
        service_id TEXT,
        status TEXT,
        start_utc TEXT,
        end_utc TEXT,
        resource_id TEXT,
        event_id TEXT,
        schedule_id TEXT,
        msb_id TEXT,
        participants INTEGER,
        created_utc TEXT,
        doc TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS bookings_by_time ON bookings (start_utc, end_utc)",
    "CREATE INDEX IF NOT EXISTS bookings_by_event ON bookings (event_id)",
    "CREATE INDEX IF NOT EXISTS bookings_by_schedule ON bookings (schedule_id)",
    "CREATE TABLE IF NOT EXISTS anonymous_tokens (token TEXT PRIMARY KEY, booking_id TEXT)",
    """CREATE TABLE IF NOT EXISTS oauth_tokens (
        token TEXT PRIMARY KEY,
        grant_type TEXT NOT NULL,
        identity TEXT NOT NULL,
        expires_utc TEXT
    )""",
    "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # The last webhook `entityEventSequence` per entity; never wiped, so that after a reset the
    # seeded services (whose ids are fixed) keep counting up for receivers that remember them.
    """CREATE TABLE IF NOT EXISTS event_sequences (
        entity_id TEXT PRIMARY KEY,
        sequence INTEGER NOT NULL
    )""",
]

BOOKING_COLUMNS = (
    "service_id",
    "status",
    "start_utc",
    "end_utc",
    "resource_id",
    "event_id",
    "schedule_id",
    "msb_id",
    "participants",
    "created_utc",
)


class Store:
    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._lock = threading.RLock()
        self._depth = 0
        for statement in _SCHEMA:
            self._db.execute(statement)

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """One atomic unit of work; nested calls join the outer transaction."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")
            finally:
                self._depth = 0

    def close(self) -> None:
        self._db.close()

    # -- documents ---------------------------------------------------------------------------

    def get(self, table: str, id_: str) -> dict[str, Any] | None:
        row = self._db.execute(f"SELECT doc FROM {table} WHERE id = ?", (id_,)).fetchone()
        return json.loads(row["doc"]) if row else None

    def get_many(self, table: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._db.execute(f"SELECT id, doc FROM {table} WHERE id IN ({marks})", ids)
        return {row["id"]: json.loads(row["doc"]) for row in rows}

    def all(self, table: str) -> list[dict[str, Any]]:
        rows = self._db.execute(f"SELECT doc FROM {table} ORDER BY rowid")
        return [json.loads(row["doc"]) for row in rows]

    def put(self, table: str, doc: dict[str, Any]) -> None:
        if table == "bookings":
            self.put_booking(doc)
            return
        self._db.execute(
            f"INSERT OR REPLACE INTO {table} (id, doc) VALUES (?, ?)", (doc["id"], json.dumps(doc))
        )

    def delete(self, table: str, id_: str) -> None:
        self._db.execute(f"DELETE FROM {table} WHERE id = ?", (id_,))

    # -- bookings ----------------------------------------------------------------------------

    def put_booking(self, doc: dict[str, Any]) -> None:
        """Store a booking; its query columns come from the document (`_sandbox` holds them)."""
        index = doc.get("_sandbox", {})
        values = [doc["id"], *(index.get(c) for c in BOOKING_COLUMNS), json.dumps(doc)]
        columns = ",".join(("id", *BOOKING_COLUMNS, "doc"))
        marks = ",".join("?" * len(values))
        self._db.execute(f"INSERT OR REPLACE INTO bookings ({columns}) VALUES ({marks})", values)

    def bookings_where(
        self, where: str = "1=1", params: tuple[Any, ...] = ()
    ) -> list[dict[str, Any]]:
        rows = self._db.execute(f"SELECT doc FROM bookings WHERE {where} ORDER BY rowid", params)
        return [json.loads(row["doc"]) for row in rows]

    def scalar(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        row = self._db.execute(sql, params).fetchone()
        return row[0] if row else None

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        """Query columns directly, for hot paths that need no whole document."""
        return self._db.execute(sql, params).fetchall()

    # -- anonymous tokens --------------------------------------------------------------------

    def put_token(self, token: str, booking_id: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO anonymous_tokens (token, booking_id) VALUES (?, ?)",
            (token, booking_id),
        )

    def token_booking_id(self, token: str) -> str | None:
        return self.scalar("SELECT booking_id FROM anonymous_tokens WHERE token = ?", (token,))

    def token_for(self, booking_id: str) -> str | None:
        return self.scalar("SELECT token FROM anonymous_tokens WHERE booking_id = ?", (booking_id,))

    # -- OAuth tokens (visitors and members) ---------------------------------------------------

    def put_oauth_token(
        self, token: str, kind: str, identity: dict[str, Any], expires_utc: str | None
    ) -> None:
        """Store an access or refresh token (`kind`) and the identity it stands for."""
        self._db.execute(
            "INSERT INTO oauth_tokens (token, grant_type, identity, expires_utc) VALUES (?,?,?,?)",
            (token, kind, json.dumps(identity), expires_utc),
        )

    def oauth_token(self, token: str, kind: str) -> tuple[dict[str, Any], str | None] | None:
        """The identity and expiry of a stored token of this kind, or None."""
        row = self._db.execute(
            "SELECT identity, expires_utc FROM oauth_tokens WHERE token = ? AND grant_type = ?",
            (token, kind),
        ).fetchone()
        return (json.loads(row["identity"]), row["expires_utc"]) if row else None

    def drop_expired_tokens(self, now_utc: str) -> None:
        self._db.execute("DELETE FROM oauth_tokens WHERE expires_utc < ?", (now_utc,))

    # -- webhook event sequences ---------------------------------------------------------------

    def next_event_sequence(self, entity_id: str) -> int:
        """The next `entityEventSequence` of an entity (1, 2, ...), counted in the caller's
        transaction: a change that rolls back gives its number back."""
        rows = self._db.execute(
            "INSERT INTO event_sequences (entity_id, sequence) VALUES (?, 1) "
            "ON CONFLICT (entity_id) DO UPDATE SET sequence = sequence + 1 RETURNING sequence",
            (entity_id,),
        ).fetchall()
        return int(rows[0][0])

    # -- settings ----------------------------------------------------------------------------

    def setting(self, key: str) -> Any:
        raw = self.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(raw) if raw is not None else None

    def set_setting(self, key: str, value: Any) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, json.dumps(value))
        )

    def wipe(self) -> None:
        for table in (*DOCUMENT_TABLES, "bookings", "anonymous_tokens", "oauth_tokens", "settings"):
            self._db.execute(f"DELETE FROM {table}")
