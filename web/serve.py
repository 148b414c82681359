"""Production serving: gunicorn with one worker process per core, threads in each.

Search is CPU-bound Python, so threads in one process share one core (the
GIL); a process per core is what uses the machine.  Each worker builds its own
app after the fork (no Whoosh file handles or SQLite connections cross a fork)
and warms its index before it accepts requests, so the first visitor does not wait.
"""
from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


class _Server(BaseApplication):
    def __init__(self, config: dict[str, Any], options: dict[str, Any]):
        self._config = config
        self._options = options
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
            app.logger.warning("arkiv: could not warm the index: %s", exc)
        return app


def serve(config: dict[str, Any], host: str, port: int, workers: int | None = None, threads: int = 4) -> None:
    """Serve ``create_app(config)`` on host:port until interrupted."""
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers or default_workers(),
        "worker_class": "gthread",
        "threads": threads,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 60,
        "graceful_timeout": 5,
        "preload_app": False,
        "proc_name": "arkiv",
    }
    _Server(config, options).run()
