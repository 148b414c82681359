"""The Flask application factory: configuration, blueprints, security headers.

``create_app(test_config=None)`` (flaskr-style): the defaults below, then
``instance/config.py`` (unless testing), then ``test_config``.  The archive it serves is
named by its Settings (archive.settings), given by `arkiv serve` or built here.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from archive.settings import Settings, database_url, public_url, resolve_home
from web.state import ArkivState, close_store

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
                                 # SQLite and Whoosh in the home (arkiv.backend)
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

    from . import alerts, api, auth, browse, edit, errors, follow, format, search, upload

    format.register(app)
    app.register_blueprint(search.bp)
    app.register_blueprint(browse.bp)
    app.register_blueprint(follow.bp)
    app.register_blueprint(alerts.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(upload.bp)
    app.register_blueprint(edit.bp)
    errors.register(app)
    auth.configure(app, settings.home)

    app.teardown_appcontext(close_store)

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers[name] = value
        return response

    return app
