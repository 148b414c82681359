"""arkiv's web UI and JSON API (Flask).

``create_app`` is the application factory (``flask --app web run`` finds it,
``arkiv serve`` calls it in each gunicorn worker, see web.serve).

State and threads
-----------------
* The search engine is opened once per process, lazily on first use, and kept in
  ``app.extensions["arkiv"]`` (an :class:`ArkivState`); ``archive.backend`` opens
  Whoosh's (searchers, refreshing after an ingest) or PostgreSQL's (a connection pool).
* The store (``archive.backend.open_store``: SQLite, or PostgreSQL with
  ``DATABASE_URL``) is opened per request and kept on ``flask.g``; it is closed when
  the app context tears down.  SQLite connections must not be shared between the
  server's worker threads, and a store opens in well under a millisecond (PostgreSQL's
  borrows a connection from the process's pool and gives it back), so per request is
  the simplest lifetime that is obviously correct: no connection outlives its
  request, none is shared, and nothing leaks when a development server starts a
  thread per request.
"""
from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from flask.json.provider import DefaultJSONProvider

from archive import config
from archive.config import resolve_home

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# On every answer: the app's (after_request) and gunicorn's own (web.serve).
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

DEFAULTS: dict[str, Any] = {
    "ARKIV_HOME": None,          # None: $ARKIV_HOME, else the XDG data dir (archive.config)
    "DATABASE_URL": None,        # postgresql://…: the archive in PostgreSQL; None: ARKIV_DATABASE_URL, else
                                 # SQLite and Whoosh in the home (archive.backend)
    "PER_PAGE": 20,              # results per page on the search page
    "EXPORT_LIMIT": 10_000,      # rows at most in /eksport.csv and /eksport.json
    "FEED_LIMIT": 50,            # entries in /feed.atom
    "PUBLIC_URL": None,          # e.g. "https://arkiv.example.dk": base of permalinks, citations and
                                 # feed ids; None: ARKIV_PUBLIC_URL, else the request's Host header
    "JSON_SORT_KEYS": False,
    # Accounts and who sees what (web.auth, archive.visibility).
    "PUBLIC": False,             # True (`arkiv serve --public`): anonymous visitors may read
    "SECRET_KEY": None,          # None: generated once into <home>/secret_key (0600)
    "SESSION_COOKIE_NAME": "arkiv_session",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": None,   # None: when PUBLIC_URL is https
    "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=12),
    "SIGNIN_LIMIT_USER": 5,      # failed sign-ins per account …
    "SIGNIN_LIMIT_IP": 20,       # … and per client address …
    "SIGNIN_WINDOW": 15 * 60,    # … within this many seconds
    # Uploads (web.upload): the whole request, and how long to wait for another ingest.
    "MAX_CONTENT_LENGTH": 100 * 1024 * 1024,
    "UPLOAD_LOCK_WAIT": 60.0,
}


class ArkivState:
    """Per-process state of one app: where the archive lives and its (shared) search engine."""

    def __init__(self, home: Path, database: str | None = None):
        self.home = home
        self.database = database
        self._engine: Any = None        # index.engine_api.SearchEngine, opened on first use
        self._lock = threading.Lock()

    def open_store(self):
        from archive.backend import open_store

        return open_store(self.home, self.database)

    @property
    def engine(self):
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    from archive.backend import open_engine

                    store = self.open_store()
                    try:
                        self._engine = open_engine(store)
                    finally:
                        store.close()
        return self._engine

    def warm_up(self) -> None:
        """Open the index and load its per-segment search data before the first
        request needs it (~0.5 s at 100k items).  Safe to call from a thread."""
        from index.model import SearchRequest
        from index.search import search

        search(self.engine, SearchRequest())


def arkiv_state() -> ArkivState:
    return current_app.extensions["arkiv"]


def get_engine():
    return arkiv_state().engine


def get_store():
    """The request's Store (opened on first use, closed at teardown)."""
    if "arkiv_store" not in g:
        g.arkiv_store = arkiv_state().open_store()
    return g.arkiv_store


def _close_store(_exc: BaseException | None = None) -> None:
    store = g.pop("arkiv_store", None)
    if store is not None:
        store.close()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DEFAULTS)
    if not (test_config and test_config.get("TESTING")):
        # instance/config.py, if there is one (absent is fine).
        app.config.from_pyfile("config.py", silent=True)
    if test_config:
        app.config.from_mapping(test_config)

    public = app.config["PUBLIC_URL"] or config.get("public-url")
    app.config["PUBLIC_URL"] = config.public_url(str(public), "PUBLIC_URL") if public else None
    home = resolve_home(app.config["ARKIV_HOME"])
    app.config["ARKIV_HOME"] = str(home)
    database = app.config["DATABASE_URL"] or config.get("database")
    app.config["DATABASE_URL"] = config.database_url(str(database), "DATABASE_URL") if database else None
    app.extensions["arkiv"] = ArkivState(home, app.config["DATABASE_URL"])

    assert isinstance(app.json, DefaultJSONProvider)
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from . import api, auth, browse, edit, errors, format, search, upload

    format.register(app)
    app.register_blueprint(search.bp)
    app.register_blueprint(browse.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(upload.bp)
    app.register_blueprint(edit.bp)
    errors.register(app)
    auth.configure(app, home)

    app.teardown_appcontext(_close_store)

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers[name] = value
        return response

    return app
