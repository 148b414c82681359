"""The Flask application factory: configuration, blueprints, security headers.

``create_app(test_config=None)`` (flaskr-style): the defaults below, then the environment
(``ARKIV_<KEY>`` for each key of :data:`DEFAULTS`: ``ARKIV_SECRET_KEY``, ``ARKIV_PUBLIC``,
``ARKIV_TRUSTED_PROXIES`` …; web.config), then ``instance/config.py`` (unless testing),
then ``test_config``.  The archive it serves is
named by its Settings (archive.settings), given by `arkiv serve` or built here.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from flask import Flask, jsonify, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.middleware.proxy_fix import ProxyFix

from archive import version
from archive.ingest import MAX_FILE_BYTES
from archive.settings import Settings, database_url, public_url, resolve_home
from web.config import from_environment
from web.state import ArkivState, close_store, get_engine, get_store

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
    "SETTINGS": None,            # archive.settings.Settings; None: from the environment and the defaults
    "ARKIV_HOME": None,          # None: the settings' home ($ARKIV_HOME, else the XDG data dir)
    "DATABASE_URL": None,        # postgresql://…: the archive in PostgreSQL; None: ARKIV_DATABASE_URL, else
                                 # SQLite and tantivy in the home (arkiv.backend)
    "PER_PAGE": 20,              # results per page on the search page
    "EXPORT_LIMIT": 10_000,      # rows at most in /eksport.csv and /eksport.json
    "ANONYMOUS_EXPORTS": 2,      # anonymous exports at once per worker process; more: 429 (0: no limit)
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
    # Serving behind proxies: how many proxies in front set X-Forwarded-For/-Proto (werkzeug's
    # ProxyFix trusts that many hops; 0: the socket's address is the client's).
    "TRUSTED_PROXIES": 0,
    "HSTS_SECONDS": 365 * 24 * 3600,   # Strict-Transport-Security on https answers (0: none)
    "LOG_LEVEL": "INFO",         # web.logs: JSON lines on stderr
    "ACCESS_LOG": True,          # one "request" event per answer
    # Uploads (web.upload): the whole request, and how long to wait for another ingest.
    # A request larger than one file may be (archive.ingest.MAX_FILE_BYTES, upload.js sends one
    # a request) and its form is refused from its Content-Length, before anything is read.
    "MAX_CONTENT_LENGTH": MAX_FILE_BYTES + 1024 * 1024,
    "UPLOAD_LOCK_WAIT": 60.0,
}


def _settings(config: dict[str, Any]) -> Settings:
    """The app's Settings: those it was given (``SETTINGS``: `arkiv serve` hands its own to every
    worker), else built here from the environment and the defaults; ``ARKIV_HOME``,
    ``DATABASE_URL`` and ``PUBLIC_URL`` in the app's configuration win over either."""
    settings = config.get("SETTINGS") or Settings.load(config["ARKIV_HOME"])
    chosen: dict[str, Any] = {}
    if config["ARKIV_HOME"]:
        chosen["home"] = resolve_home(config["ARKIV_HOME"])
    if config["DATABASE_URL"]:
        chosen["database"] = database_url(str(config["DATABASE_URL"]), "DATABASE_URL")
    if config["PUBLIC_URL"]:
        chosen["public_url"] = public_url(str(config["PUBLIC_URL"]), "PUBLIC_URL")
    return dataclasses.replace(settings, **chosen)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DEFAULTS)
    app.config.from_mapping(from_environment(DEFAULTS))
    if not (test_config and test_config.get("TESTING")):
        # instance/config.py, if there is one (absent is fine).
        app.config.from_pyfile("config.py", silent=True)
    if test_config:
        app.config.from_mapping(test_config)

    settings = _settings(app.config)
    app.config.update(ARKIV_HOME=str(settings.home), DATABASE_URL=settings.database, PUBLIC_URL=settings.public_url)
    app.extensions["arkiv"] = ArkivState(settings)

    assert isinstance(app.json, DefaultJSONProvider)
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from . import alerts, api, auth, browse, edit, errors, follow, format, logs, merge, search, upload, viewer

    if app.config["TRUSTED_PROXIES"]:
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)  # type: ignore[method-assign]
    logs.configure(app)
    format.register(app)
    app.register_blueprint(search.bp)
    app.register_blueprint(browse.bp)
    app.register_blueprint(viewer.bp)
    app.register_blueprint(follow.bp)
    app.register_blueprint(alerts.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(upload.bp)
    app.register_blueprint(edit.bp)
    app.register_blueprint(merge.bp)
    errors.register(app)
    auth.configure(app, settings.home)

    app.teardown_appcontext(close_store)

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            # A route may set a stricter policy of its own (originals: a sandbox).
            if name not in response.headers or name != "Content-Security-Policy":
                response.headers[name] = value
        if app.config["HSTS_SECONDS"] and (request.is_secure or
                                           str(app.config.get("PUBLIC_URL") or "").startswith("https:")):
            response.headers["Strict-Transport-Security"] = f"max-age={int(app.config['HSTS_SECONDS'])}"
        return response

    @app.get("/healthz")
    def healthz():
        """For a load balancer or monitor: 200 when the store and the index answer, else 503."""
        checks: dict[str, str] = {}
        for name, probe in (("store", lambda: get_store().db.execute("SELECT 1").fetchone()),
                            ("index", lambda: get_engine().item_count())):
            try:
                probe()
                checks[name] = "ok"
            except Exception as exc:  # noqa: BLE001 - reported, not raised
                checks[name] = f"fejl: {type(exc).__name__}"
        ok = all(v == "ok" for v in checks.values())
        response = jsonify(status="ok" if ok else "fejl", version=version(), **checks)
        response.status_code = 200 if ok else 503
        response.headers["Cache-Control"] = "no-store"
        return response

    return app
