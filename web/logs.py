"""Logs an operator can read and a machine can parse: one JSON object per line on stderr.

* ``event(kind, **fields)``: a structured event (sign-in, sign-out, upload, ingest ...) under
  the logger ``arkiv.events``;
* the access log: one ``request`` event per answer (method, path, status, milliseconds, the
  client address — through trusted proxies — and the signed-in user), unless ``ACCESS_LOG``
  is off (``ARKIV_ACCESS_LOG=0``);
* every other record of arkiv's loggers (``web.*``, ``archive.*``, ``index.*``: errors with
  their tracebacks) in the same shape.

The level is ``LOG_LEVEL`` (``ARKIV_LOG_LEVEL``, default INFO).  A record's ``fields``
(``extra={"fields": {...}}``, as archive.ingest logs) become keys of its object.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import time
from typing import Any

from flask import Flask, g, request

EVENTS = logging.getLogger("arkiv.events")
LOGGERS = ("arkiv", "web", "archive", "index")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            out.update(fields)
        if record.exc_info:
            out["traceback"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def event(kind: str, level: str = "info", **fields: Any) -> None:
    """Log one structured event: ``{"event": kind, **fields}``."""
    EVENTS.log(getattr(logging, level.upper()), kind, extra={"fields": {"event": kind, **fields}})


def configure(app: Flask) -> None:
    level = str(app.config.get("LOG_LEVEL") or "INFO").upper()
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(level)
        if not any(getattr(h, "arkiv", False) for h in logger.handlers):
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(JsonFormatter())
            handler.arkiv = True  # type: ignore[attr-defined]
            logger.addHandler(handler)
            logger.propagate = False
    if app.config.get("ACCESS_LOG", True):
        app.before_request(_start)
        app.after_request(_access)


def _start() -> None:
    g.arkiv_started = time.perf_counter()


def _access(response):
    from .access import current_viewer

    started = g.get("arkiv_started")
    event("request", method=request.method, path=request.path, status=response.status_code,
          ms=round((time.perf_counter() - started) * 1000, 1) if started else None,
          address=request.remote_addr, user=current_viewer().name or None,
          # A streamed answer (an export) has no length yet; asking werkzeug to calculate it would
          # read the whole stream into memory here.
          bytes=response.content_length if response.is_streamed else response.calculate_content_length())
    return response
