"""The one place that opens an archive: its store and its search engine, from :class:`Settings`.

Without a database (``ARKIV_DATABASE_URL`` / ``arkiv --database``) the archive is the
home folder: SQLite, original files, a tantivy index (``index.engine_tantivy``, the default:
``make run`` needs no server).  With one, it is PostgreSQL: the store (archive.store.postgres) and the index
(index.engine_pg) in that database, shared by every machine that reaches it; the home
keeps what is local to a machine.  The CLI, the web, the tests and the benchmark open
archives here; everything below is handed the store and the engine it works on.

Opening an archive also applies the settings that are the process's own: the size of
the analysis chain's word caches (archive.word_caches).
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive import word_caches
from archive.settings import Settings

if TYPE_CHECKING:
    from archive.store.api import ArchiveStore
    from index.engine_api import SearchEngine

_ENGINES: dict[tuple[str, str], Any] = {}
_LOCK = threading.Lock()


def open_store(settings: Settings) -> ArchiveStore:
    """The archive's store: PostgreSQL when ``settings.database`` is set, else SQLite in the home."""
    word_caches.resize(settings.analysis_cache)
    if settings.database:
        from archive.store.postgres import PgStore

        return PgStore(settings.home, settings.database)
    from archive.store.sqlite import Store

    return Store(settings.home)


def open_engine(store: ArchiveStore, settings: Settings, chain: str = "danish") -> SearchEngine:
    """The search engine beside ``store``: one per process per index, reused."""
    from archive.store.postgres import PgStore

    word_caches.resize(settings.analysis_cache)
    if isinstance(store, PgStore):
        url = store.url
        with _LOCK:
            engine = _ENGINES.get((url, chain))
            if engine is None:
                from index.engine_pg import PgEngine

                engine = _ENGINES[(url, chain)] = PgEngine(
                    url, chain=chain, postings_cache_bytes=settings.postings_cache_bytes,
                    build_workers=settings.parse_workers)
            return engine
    from index.engine_tantivy import open_engine as open_tantivy

    return open_tantivy(Path(store.home) / "index", chain=chain)
