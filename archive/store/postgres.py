"""The store in PostgreSQL: the same tables as the SQLite store, the originals' bytes too.

With ``ARKIV_DATABASE_URL=postgresql://…`` (or ``arkiv --database``) every machine that
reaches the database sees the same meetings, originals, accounts and corrections, and
(index.engine_pg) the same search index.  The home folder keeps only what is local to
one machine: the OCR cache, uploaded files before ingest, a generated session key.

Migrations are versioned in ``schema_versions`` (archive.store.schema) under "store".
Writers take a PostgreSQL advisory lock instead of ``write.lock``, so two machines
never ingest into one archive at once.
"""
from __future__ import annotations

import contextlib
import os
import time
from typing import Iterator

from archive.errors import ArchiveBusyError, ArkivError
from archive.store import aliases, corrections, schema
from archive.store.db import connect_postgres, redacted
from archive.store.originals import sha256_bytes
from archive.store.sqlite import Store
from archive.store.tables import SCHEMA_VERSION, TABLES

# The store's tables as in SQLite, and the originals' bytes beside them.
_PG_SCHEMA = TABLES + """
CREATE TABLE IF NOT EXISTS original_files (
    sha256  TEXT PRIMARY KEY,
    content BYTEA NOT NULL
);
"""
WRITE_LOCK = 0x61726B6977        # the advisory lock of the one writer ("arkiw")
_CHECKED: set[str] = set()       # databases whose schema this process has checked


class PgStore(Store):
    backend = "postgres"

    def __init__(self, home: str | os.PathLike, url: str):
        self._init_home(home)
        self.url = url
        self.db = connect_postgres(url)
        try:
            if url not in _CHECKED:
                schema.ensure(self.db, "store", SCHEMA_VERSION, _PG_SCHEMA)
                corrections.ensure_schema(self.db)
                aliases.ensure_schema(self.db)
                _CHECKED.add(url)
        except BaseException:
            self.db.close()
            raise

    @property
    def location(self) -> str:
        return redacted(self.url)

    # -- locking -------------------------------------------------------
    @contextlib.contextmanager
    def write_lock(self, wait: float = 0.0) -> Iterator[None]:
        """Hold the archive's single-writer lock (a session advisory lock on a connection of
        its own: released when the connection ends, whatever happens to this process)."""
        conn = connect_postgres(self.url)
        deadline = time.monotonic() + wait
        try:
            if conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
                raise ArkivError(f"databasen {self.location} er en skrivebeskyttet kopi (en hot standby); "
                                 "indlæs og ret på den primære database")
            while not conn.execute("SELECT pg_try_advisory_lock(?)", (WRITE_LOCK,)).fetchone()[0]:
                if time.monotonic() >= deadline:
                    raise ArchiveBusyError(
                        f"en anden arkiv-proces skriver til databasen {self.location}; "
                        "vent til den er færdig, og kør kommandoen igen") from None
                time.sleep(0.1)
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(?)", (WRITE_LOCK,))
        finally:
            conn.close()

    # -- originals -----------------------------------------------------
    def save_original(self, data: bytes, ext: str, replace: bool = False) -> str:
        digest = sha256_bytes(data)
        conflict = "DO UPDATE SET content = excluded.content" if replace else "DO NOTHING"
        self.db.execute(f"INSERT INTO original_files(sha256, content) VALUES (?, ?) ON CONFLICT(sha256) {conflict}",
                        (digest, data))
        return digest

    def read_original(self, sha256: str, ext: str) -> bytes | None:
        row = self.db.execute("SELECT content FROM original_files WHERE sha256 = ?", (sha256,)).fetchone()
        return bytes(row[0]) if row else None

    def has_original(self, sha256: str, ext: str) -> bool:
        return self.db.execute("SELECT 1 FROM original_files WHERE sha256 = ?", (sha256,)).fetchone() is not None
