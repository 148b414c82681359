"""E-mail alerts on a schedule inside `arkiv serve` (``ARKIV_ALERTS_INTERVAL`` seconds; 0, the
default, leaves them to `arkiv alerts send` from cron or a systemd timer).

Every gunicorn worker starts the thread, and a lock file in the home makes one of them do the
work: a worker that dies mid-send lets go of the lock with its process, and another takes over
at its next tick.  The time of the last send is the modification time of a file beside it, so
a restarted server neither sends at once nor waits a whole interval again.  The sending is
:func:`arkiv.alerts.send_due`, the code path of `arkiv alerts send`: one digest per follower with
what came for each of their follows since its last one, access re-checked.  A failure (the SMTP server down) is logged and
tried again at the next interval; it never stops the server.
"""
from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
import time
from pathlib import Path
from typing import Iterator

from archive.errors import ArkivError
from archive.settings import Settings
from arkiv import backend

log = logging.getLogger(__name__)

LOCK_FILE = "alerts.lock"
STAMP_FILE = "alerts.last"
MAX_TICK = 30.0             # seconds between looks at the clock at most (a short interval: shorter)


def missing(settings: Settings) -> list[str]:
    """The settings a schedule needs that are not given (as their environment variables)."""
    return [env for env, value in (("ARKIV_SMTP_URL", settings.smtp_url), ("ARKIV_MAIL_FROM", settings.mail_from),
                                   ("ARKIV_PUBLIC_URL", settings.public_url)) if not value]


@contextlib.contextmanager
def _held(path: Path) -> Iterator[bool]:
    """Whether this process got the lock file (never waits: another worker is on it)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _last_sent(stamp: Path) -> float:
    try:
        return stamp.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def send_if_due(settings: Settings, now: float | None = None) -> bool:
    """One tick: send when the interval has passed since the last send of any worker; whether it sent."""
    home = settings.home
    stamp = home / STAMP_FILE
    with _held(home / LOCK_FILE) as mine:
        now = time.time() if now is None else now
        if not mine or now - _last_sent(stamp) < settings.alerts_interval:
            return False
        stamp.touch(mode=0o600)
        os.utime(stamp, (now, now))
        from arkiv.alerts import send_due

        store = backend.open_store(settings)
        try:
            report = send_due(store, backend.open_engine(store, settings), settings.smtp_url or "",
                              settings.mail_from or "", settings.public_url or "")
        finally:
            store.close()
        log.info("alerts", extra={"fields": {"event": "alerts", "sent": report.sent, "items": report.items,
                                             "skipped": report.skipped}})
        return True


def _run(settings: Settings, stop: threading.Event) -> None:
    tick = min(MAX_TICK, max(0.2, settings.alerts_interval / 4))
    while not stop.wait(tick):
        try:
            send_if_due(settings)
        except (ArkivError, OSError) as exc:
            log.warning("alerts", extra={"fields": {"event": "alerts", "error": str(exc)}})
        except Exception:       # a bug must not end the schedule of a running server
            log.exception("alerts")


def start(settings: Settings) -> threading.Event | None:
    """Start the schedule in this process (a gunicorn worker); the Event stops it.  None: off."""
    if settings.alerts_interval <= 0:
        return None
    stop = threading.Event()
    threading.Thread(target=_run, args=(settings, stop), name="arkiv-alerts", daemon=True).start()
    return stop
