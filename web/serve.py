"""Production serving: gunicorn with one worker process per core, threads in each.

Search is CPU-bound Python, so threads in one process share one core (the
GIL); a process per core is what uses the machine.  Each worker builds its own
app after the fork (no index handles or SQLite connections cross a fork)
and warms its index before it accepts requests, so the first visitor does not wait.
Workers and threads come from the Settings `arkiv serve` hands it (archive.settings).

gunicorn answers requests it cannot parse (a bad request line, too long a URL, too
many headers) itself, before any app sees them; :func:`_error_page` makes those
answers carry the app's security headers and a Danish page too.
"""
from __future__ import annotations

import html
from typing import Any, Callable

from gunicorn import util
from gunicorn.app.base import BaseApplication

from archive.settings import Settings

from .app import SECURITY_HEADERS
from .errors import TITLES


def _write_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's ``util.write_error``, with arkiv's headers and a Danish page."""
    title = TITLES.get(status_int, "Fejl")
    body = (f'<!doctype html>\n<html lang="da"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"</head><body><h1>{html.escape(title)}</h1><p>Serveren kunne ikke læse forespørgslen "
            f"({status_int} {html.escape(reason)}).</p></body></html>\n").encode("utf-8")
    head = [f"HTTP/1.1 {status_int} {reason}", "Connection: close",
            "Content-Type: text/html; charset=utf-8", f"Content-Length: {len(body)}"]
    head += [f"{name}: {value}" for name, value in SECURITY_HEADERS.items()]
    util.write_nonblock(sock, ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)


def _error_page(_worker) -> None:
    """gunicorn's post_worker_init hook: its own error answers go through _write_error."""
    util.write_error = _write_error


class _Server(BaseApplication):
    def __init__(self, app_config: dict[str, Any], options: dict[str, Any],
                 on_worker: Callable[[], Any] | None = None):
        self._config = app_config
        self._options = options
        self._on_worker = on_worker
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        from . import create_app

        app = create_app(self._config)
        # Warm before accepting: the worker takes no request until its index data is loaded,
        # so no visitor pays for it.  A broken index must not stop the server from starting:
        # the pages then show the error per request instead.
        try:
            app.extensions["arkiv"].warm_up()
        except Exception as exc:  # noqa: BLE001 - logged, and every request will report it
            app.logger.warning("arkiv: kunne ikke varme indekset op: %s", exc)
        if self._on_worker is not None:     # in each worker, after the fork (threads do not survive one)
            self._on_worker()
        return app


def serve(settings: Settings, app_config: dict[str, Any], host: str, port: int,
          on_worker: Callable[[], Any] | None = None) -> None:
    """Serve ``create_app(app_config)`` of the archive ``settings`` name on host:port until
    interrupted; every worker's app is handed the same settings.  ``on_worker``: called in
    each worker once its app is made (`arkiv serve` starts the alerts' schedule there)."""
    app_config = {**app_config, "SETTINGS": settings}
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": settings.workers,
        "worker_class": "gthread",
        "threads": settings.threads,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 60,
        "graceful_timeout": 5,
        "preload_app": False,
        "proc_name": "arkiv",
        "post_worker_init": _error_page,
    }
    _Server(app_config, options, on_worker).run()
