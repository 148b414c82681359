"""The single writer of an archive in a folder: ``write.lock``, held with flock.

(PostgreSQL's store takes an advisory lock instead: archive.store.postgres.)
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from pathlib import Path
from typing import Iterator

from archive.errors import ArchiveBusyError


@contextlib.contextmanager
def file_lock(path: Path, wait: float, home: Path) -> Iterator[None]:
    """Hold the lock file ``path`` of the archive at ``home``; wait up to ``wait`` seconds for it.
    The holder's pid is written into it, so a second writer's message can name it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                    raise ArchiveBusyError(
                        f"another arkiv process (pid {holder}) is writing to {home}; "
                        "wait for it to finish and run the command again"
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
