"""The one factory that opens an archive: its store and its search engine, from the configuration.

Without a database (``ARKIV_DATABASE_URL`` / ``arkiv --database``) the archive is the
home folder: SQLite, original files, a Whoosh index (the default: ``make run`` needs no
server).  With one, it is PostgreSQL: the store (archive.store_pg) and the index
(index.engine_pg) in that database, shared by every machine that reaches it; the home
keeps what is local to a machine.  The CLI, the web, ingest and the benchmark all open
archives here.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import config

if TYPE_CHECKING:
    from index.engine_api import SearchEngine

    from .store_api import ArchiveStore

_ENGINES: dict[tuple[str, str], Any] = {}
_LOCK = threading.Lock()


def database_url() -> str | None:
    value = config.get("database")
    return str(value) if value else None


def open_store(home: str | os.PathLike | None = None, database: str | None = None) -> ArchiveStore:
    """The archive's store: PostgreSQL when a database is configured (or given), else SQLite in ``home``."""
    path = config.resolve_home(home)
    url = database or database_url()
    if url:
        from .store_pg import PgStore

        return PgStore(path, url)
    from .store import Store

    return Store(path)


def open_engine(store: ArchiveStore, chain: str = "danish") -> SearchEngine:
    """The search engine beside ``store``: one per process per index, reused."""
    from .store_pg import PgStore

    if isinstance(store, PgStore):
        url = store.url
        with _LOCK:
            engine = _ENGINES.get((url, chain))
            if engine is None:
                from index.engine_pg import PgEngine

                engine = _ENGINES[(url, chain)] = PgEngine(url, chain=chain)
            return engine
    from index.engine import open_engine as open_whoosh

    return open_whoosh(Path(store.home) / "index", chain=chain)
