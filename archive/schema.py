"""Versions of the tables that modules keep in the archive's SQLite file beside the store's.

Each module (accounts, corrections) creates its own tables and records their
version under its name; a file written by a newer arkiv is refused with a clear
message instead of being misread.
"""
from __future__ import annotations

import sqlite3

from .errors import ArkivError

_VERSIONS = """
CREATE TABLE IF NOT EXISTS schema_versions (
    component TEXT PRIMARY KEY,
    version   INTEGER NOT NULL
);
"""


def _recorded(db: sqlite3.Connection, component: str) -> int | None:
    try:
        row = db.execute("SELECT version FROM schema_versions WHERE component = ?", (component,)).fetchone()
    except sqlite3.OperationalError:       # a new archive: no table yet
        return None
    return row[0] if row else None


def ensure(db: sqlite3.Connection, component: str, version: int, ddl: str) -> None:
    """Create ``component``'s tables (idempotent ``ddl``) unless they are there at ``version``.

    Called whenever a connection is opened (the web opens one per request): when the
    tables are there it is one read, no write.
    """
    found = _recorded(db, component)
    if found is None or found < version:
        db.executescript(_VERSIONS + ddl)
        with db:
            db.execute("INSERT INTO schema_versions(component, version) VALUES (?, ?) "
                       "ON CONFLICT(component) DO UPDATE SET version = excluded.version", (component, version))
    elif found > version:
        raise ArkivError(f"arkivets tabeller for {component} er fra en nyere udgave af arkiv "
                         f"(version {found}, denne kender {version}); opdatér arkiv")
