"""Signing in and out, sessions, CSRF, and the gate of a private site.

* Accounts live in the archive (archive.accounts; `arkiv user add NAME --role editor`).
* The session is Flask's signed cookie: HttpOnly, SameSite=Lax, Secure when the
  public URL is https, valid for ``PERMANENT_SESSION_LIFETIME``.  It holds the user's
  name, a token derived from their password hash (a new password or a removed account
  ends every session at once) and the id of a session row in the archive
  (archive.accounts): signing out deletes the row, so a copied cookie no longer works.  The signing key is ``SECRET_KEY`` when
  configured, else one generated once into ``<home>/secret_key`` (mode 0600) and
  shared by all worker processes.
* Every POST carries a CSRF token (Flask-WTF's CSRFProtect): forms have a hidden
  ``csrf_token`` field, scripts send the ``X-CSRFToken`` header.
* Sign-in is limited per client address, per account and address, and per account
  for clients that have failed (archive.accounts.Accounts.reserve: counted before the
  password is checked, atomically across gunicorn's workers; an attempt that cannot be
  counted is refused, 503).  The client address is the socket's, or ``X-Forwarded-For``
  through ``TRUSTED_PROXIES`` proxies (web.app, werkzeug's ProxyFix).
* Without ``PUBLIC`` (``arkiv serve --public``) every page but sign-in needs a
  signed-in user.  With it anonymous visitors read what archive.visibility allows.
"""
from __future__ import annotations

import math
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect

from archive.accounts import Accounts, Throttle, Throttled
from archive.visibility import ROLE_LABELS, Viewer

from .access import current_viewer, sign_in_url
from .errors import html_error, json_error
from .logs import event
from .state import get_store

bp = Blueprint("auth", __name__)
csrf = CSRFProtect()

# Reachable without signing in on a private site.
OPEN_ENDPOINTS = {"auth.signin", "static", "healthz", "alerts.unsubscribe"}     # unsubscribe: its token
SECRET_FILE = "secret_key"


def load_secret_key(home: Path) -> str:
    """The key in ``<home>/secret_key``, created (0600) by whichever process comes first."""
    path = home / SECRET_FILE
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    home.mkdir(parents=True, exist_ok=True)
    tmp = home / f".{SECRET_FILE}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    try:
        os.link(tmp, path)          # fails if another worker was first: then use theirs
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return path.read_text().strip()


def configure(app: Flask, home: Path) -> None:
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(home)
    if app.config.get("SESSION_COOKIE_SECURE") is None:
        app.config["SESSION_COOKIE_SECURE"] = str(app.config.get("PUBLIC_URL") or "").startswith("https:")
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", int(app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()))
    csrf.init_app(app)
    app.register_blueprint(bp)
    app.before_request(_load_viewer)
    app.after_request(_private_responses)
    app.register_error_handler(CSRFError, _csrf_error)
    app.jinja_env.globals.update(current_viewer=current_viewer, role_label=ROLE_LABELS.get)


def _accounts() -> Accounts:
    return Accounts(get_store().db)


def _lifetime() -> float:
    return current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()


def _load_viewer():
    name = session.get("user")
    if name:
        accounts = _accounts()
        user = accounts.session_user(name, session.get("token", ""))
        if user is None or not accounts.session_open(user.name, session.get("sid", ""), _lifetime()):
            session.clear()          # signed out, expired, removed, or the password changed since
        else:
            g.viewer = Viewer(user.name, user.role)
    if current_app.config["PUBLIC"] or current_viewer().signed_in or request.endpoint in OPEN_ENDPOINTS:
        return None
    if _wants_data():
        return json_error(401, "Log ind for at bruge arkivet.")
    return redirect(sign_in_url())


def _wants_data() -> bool:
    path = request.path
    return path.startswith("/api/") or path.endswith((".json", ".csv", ".atom"))


def _private_responses(response):
    # What a signed-in user sees may be private: no shared cache may keep it.
    if current_viewer().signed_in and request.endpoint != "static":
        response.headers["Cache-Control"] = "private, no-store"
    return response


def _csrf_error(exc: CSRFError):
    message = "Formularen er udløbet eller kom ikke fra arkivet. Genindlæs siden, og prøv igen."
    if _wants_data() or request.headers.get("X-CSRFToken"):
        return json_error(400, message)
    return html_error(400, message)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site, never another host."""
    if not target:
        return url_for("search.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return url_for("search.index")
    return target


@bp.route("/log-ind", methods=["GET", "POST"])
def signin():
    next_url = safe_next(request.values.get("next"))
    if current_viewer().signed_in and request.method == "GET":
        return redirect(next_url)
    accounts = _accounts()
    context = {"next_url": next_url, "name": "", "error": None, "no_users": accounts.count() == 0,
               "signed_out": request.args.get("ud") == "1"}
    if request.method == "GET":
        return render_template("signin.html", **context)

    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    context["name"] = name
    config = current_app.config
    throttle = Throttle(int(config["SIGNIN_LIMIT_USER"]), int(config["SIGNIN_LIMIT_IP"]), float(config["SIGNIN_WINDOW"]))
    address = request.remote_addr or "?"
    try:
        attempt = accounts.reserve(name, address, throttle)
    except Throttled as exc:
        event("signin", outcome="throttled", user=name, address=address)
        minutes = max(1, math.ceil(exc.retry_after / 60))
        context["error"] = (f"For mange mislykkede forsøg på at logge ind. Prøv igen om "
                            f"{minutes} {'minut' if minutes == 1 else 'minutter'}.")
        response = current_app.make_response((render_template("signin.html", **context), 429))
        response.headers["Retry-After"] = str(math.ceil(exc.retry_after))
        return response
    except Exception as exc:  # noqa: BLE001 - an attempt that cannot be counted is not checked
        return _unavailable(context, name, address, exc)
    user = accounts.authenticate(name, password)
    if user is None:
        event("signin", outcome="failed", user=name, address=address)
        context["error"] = "Forkert brugernavn eller adgangskode."
        return render_template("signin.html", **context), 401
    try:
        accounts.succeeded(attempt)
        sid = accounts.open_session(user.name, _lifetime())
    except Exception as exc:  # noqa: BLE001 - no session that the archive does not know of
        return _unavailable(context, name, address, exc)
    event("signin", outcome="ok", user=user.name, address=address)
    session.clear()
    session["user"] = user.name
    session["token"] = user.session_token
    session["sid"] = sid
    session.permanent = True
    return redirect(next_url)


def _unavailable(context: dict, name: str, address: str, exc: Exception):
    """Sign-in fails closed: the archive could not record the attempt (a full disk, a damaged table)."""
    event("signin", outcome="unavailable", user=name, address=address, error=repr(exc), level="error")
    context["error"] = "Log ind er midlertidigt ikke muligt: arkivet kan ikke gemme forsøget. Prøv igen senere."
    response = current_app.make_response((render_template("signin.html", **context), 503))
    response.headers["Retry-After"] = "60"
    return response


@bp.post("/log-ud")
def signout():
    sid = session.get("sid", "")
    name = session.get("user", "")
    session.clear()
    _accounts().close_session(sid)
    if name:
        event("signout", user=name)
    return redirect(url_for("auth.signin", ud="1"))

