"""Per-process state of the app: its settings and its (shared) search engine; the request's store.

* The search engine is opened once per process, lazily on first use, and kept in
  ``app.extensions["arkiv"]`` (an :class:`ArkivState`); ``arkiv.backend`` opens
  tantivy's (searchers, reloading after an ingest) or PostgreSQL's (a connection pool).
* The store (``arkiv.backend.open_store``: SQLite, or PostgreSQL with a database in the
  settings) is opened per request and kept on ``flask.g``; it is closed when the app
  context tears down.  SQLite connections must not be shared between the server's worker
  threads, and a store opens in well under a millisecond (PostgreSQL's borrows a connection
  from the process's pool and gives it back), so per request is the simplest lifetime that
  is obviously correct: no connection outlives its request, none is shared, and nothing
  leaks when a development server starts a thread per request.
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from flask import current_app, g

from archive.settings import Settings
from arkiv import backend

if TYPE_CHECKING:
    from archive.store.api import ArchiveStore
    from index.engine_api import SearchEngine


class ArkivState:
    """Per-process state of one app: its settings and its (shared) search engine."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.home = settings.home
        self._engine: SearchEngine | None = None        # opened on first use
        self._lock = threading.Lock()

    def open_store(self) -> ArchiveStore:
        return backend.open_store(self.settings)

    @property
    def engine(self) -> SearchEngine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    store = self.open_store()
                    try:
                        self._engine = backend.open_engine(store, self.settings)
                    finally:
                        store.close()
        assert self._engine is not None
        return self._engine

    def warm_up(self) -> None:
        """Open the index and load its per-segment search data before the first
        request needs it (~0.5 s at 100k items).  Safe to call from a thread."""
        from index.model import SearchRequest
        from index.search import search

        search(self.engine, SearchRequest())


def arkiv_state() -> ArkivState:
    return current_app.extensions["arkiv"]


def get_engine() -> SearchEngine:
    return arkiv_state().engine


def get_store() -> ArchiveStore:
    """The request's Store (opened on first use, closed at teardown)."""
    if "arkiv_store" not in g:
        g.arkiv_store = arkiv_state().open_store()
    return g.arkiv_store


def close_store(_exc: BaseException | None = None) -> None:
    store = g.pop("arkiv_store", None)
    if store is not None:
        store.close()


