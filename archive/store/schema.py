"""Versions of the tables each part of arkiv keeps in the archive's database.

Each component (the store, accounts, corrections, the PostgreSQL search index) creates
its own tables and records their version under its name in ``schema_versions``, the
table of applied versions; a database written by a newer arkiv is refused with a clear
message instead of being misread.  A component that finds an older version runs its
migrations (idempotent DDL, or steps of its own) and records the new one.
"""
from __future__ import annotations

from archive.errors import ArkivError
from archive.store.db import POSTGRES, Database

_VERSIONS = """
CREATE TABLE IF NOT EXISTS schema_versions (
    component TEXT PRIMARY KEY,
    version   INTEGER NOT NULL
)
"""


def recorded(db: Database, component: str) -> int | None:
    """The version of ``component``'s tables in ``db`` (None: not created yet)."""
    if not db.has_table("schema_versions"):
        return None
    row = db.execute("SELECT version FROM schema_versions WHERE component = ?", (component,)).fetchone()
    return row[0] if row else None


def record(db: Database, component: str, version: int) -> None:
    db.script(_VERSIONS)
    db.execute("INSERT INTO schema_versions(component, version) VALUES (?, ?) "
               "ON CONFLICT(component) DO UPDATE SET version = excluded.version", (component, version))


def refuse_newer(component: str, found: int | None, version: int) -> None:
    if found is not None and found > version:
        raise ArkivError(f"arkivets tabeller for {component} er fra en nyere udgave af arkiv "
                         f"(version {found}, denne kender {version}); opdatér arkiv")


def ensure(db: Database, component: str, version: int, ddl: str) -> None:
    """Create ``component``'s tables (idempotent ``ddl``) unless they are there at ``version``.

    Called whenever a connection is opened (the web opens one per request): when the
    tables are there it is one read, no write.
    """
    found = recorded(db, component)
    refuse_newer(component, found, version)
    if found is None or found < version:
        with db.transaction():
            lock(db)
            if (recorded(db, component) or 0) < version:      # another process may have been first
                db.script(ddl)
                record(db, component, version)


SCHEMA_LOCK = 0x61726B6976      # "arkiv": the advisory lock that serialises schema changes


def lock(db: Database) -> None:
    """Inside a transaction: wait until no other process changes the schema (PostgreSQL;
    SQLite's BEGIN IMMEDIATE already serialises writers)."""
    if db.dialect == POSTGRES:
        db.execute("SELECT pg_advisory_xact_lock(?)", (SCHEMA_LOCK,))
