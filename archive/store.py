"""The archive's source of truth: content-addressed originals plus parsed meetings.

Layout under the archive home::

    originals/ab/ab12…ef.pdf   every file ever ingested, named by its sha256
    arkiv.sqlite               sources (path → sha256 → meeting) and meetings (JSON)
    write.lock                 held by the one process that writes
    index/                     the search index (owned by index.engine; rebuildable)
    ocr/ab/ab12…ef.json        OCR text of scanned pages, by the original's sha256 (archive.ocr)

Each file's meeting is written in one SQLite transaction, so a crash leaves a
meeting either wholly old or wholly new.  Originals are written (atomically)
before that transaction, so the store never points at a missing original.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from . import corrections
from .errors import ArchiveBusyError
from .model import AgendaItem, Meeting

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    path        TEXT PRIMARY KEY,   -- absolute path the file was ingested from
    sha256      TEXT NOT NULL,
    meeting_id  TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meetings (
    id      TEXT PRIMARY KEY,
    sha256  TEXT NOT NULL,          -- the original this meeting was parsed from
    ext     TEXT NOT NULL,          -- the original's file extension, e.g. ".pdf"
    date    TEXT,
    body    TEXT NOT NULL,
    number  TEXT NOT NULL,          -- body, date, number, items: for lists without the JSON
    items   INTEGER NOT NULL,
    data    TEXT NOT NULL           -- Meeting.to_dict() as JSON
);
CREATE TABLE IF NOT EXISTS items (
    id          TEXT PRIMARY KEY,
    meeting_id  TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS items_meeting ON items(meeting_id);
CREATE INDEX IF NOT EXISTS meetings_date ON meetings(date);
CREATE INDEX IF NOT EXISTS meetings_body ON meetings(body, date);
"""


@dataclass
class MeetingRow:
    """A meeting as lists show it, read without parsing its JSON."""
    id: str
    body: str
    number: str
    date: dt.date | None
    items: int


@dataclass
class BodyRow:
    name: str
    meetings: int
    items: int
    first: dt.date | None
    last: dt.date | None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _of_body(body: str | None, internal: bool) -> tuple[str, list[str]]:
    """The WHERE clause (and its argument) of a meeting list limited to one body, if any,
    and without internal meetings unless ``internal`` (archive.visibility)."""
    where, args = [], []
    if body:
        where.append("body = ?")
        args.append(body)
    if not internal:
        where.append(f"id NOT IN ({corrections.INTERNAL_MEETINGS})")
    return (f"WHERE {' AND '.join(where)}" if where else ""), args


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Store:
    def __init__(self, home: str | os.PathLike):
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.originals = self.home / "originals"
        self.index_dir = self.home / "index"
        self.ocr_dir = self.home / "ocr"
        self._db = sqlite3.connect(self.home / "arkiv.sqlite", timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)
        self._db.commit()
        corrections.ensure_schema(self._db)

    @property
    def db(self) -> sqlite3.Connection:
        """The connection, for modules that keep their own tables in the archive's file
        (archive.accounts, archive.corrections)."""
        return self._db

    def close(self) -> None:
        self._db.close()

    # -- locking -------------------------------------------------------
    @contextlib.contextmanager
    def write_lock(self, wait: float = 0.0) -> Iterator[None]:
        """Hold the archive's single-writer lock; wait up to ``wait`` seconds for it."""
        path = self.home / "write.lock"
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
                            f"another arkiv process (pid {holder}) is writing to {self.home}; "
                            "wait for it to finish and run the command again"
                        ) from None
                    time.sleep(0.1)
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    # -- originals -----------------------------------------------------
    def original_path(self, sha256: str, ext: str) -> Path:
        return self.originals / sha256[:2] / f"{sha256}{ext.lower()}"

    def save_original(self, data: bytes, ext: str) -> str:
        """Keep a copy of a file's bytes under its sha256; returns the sha256."""
        digest = sha256_bytes(data)
        target = self.original_path(digest, ext)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        return digest

    # -- sources -------------------------------------------------------
    def source_sha256(self, path: str) -> str | None:
        row = self._db.execute("SELECT sha256 FROM sources WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def _record_source(self, path: str, sha256: str, meeting_id: str) -> None:
        self._db.execute(
            "INSERT INTO sources(path, sha256, meeting_id, ingested_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(path) DO UPDATE SET sha256=excluded.sha256, meeting_id=excluded.meeting_id, "
            "ingested_at=excluded.ingested_at",
            (path, sha256, meeting_id, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")),
        )

    # -- meetings ------------------------------------------------------
    def put_meeting(self, meeting: Meeting, source_path: str, ext: str) -> list[str]:
        """Store a parsed meeting for ``source_path`` in one transaction.

        Returns the ids of meetings that this replaced and that no source refers
        to any more (the index must drop their items).
        """
        assert meeting.id, "assign ids before storing"
        removed: list[str] = []
        with self._db:
            # Editors' corrections win over every parse (the caller indexes this same object).
            corrections.apply(self._db, meeting)
            row = self._db.execute("SELECT meeting_id FROM sources WHERE path = ?", (source_path,)).fetchone()
            old_id = row[0] if row else None
            self._db.execute("DELETE FROM meetings WHERE id = ?", (meeting.id,))
            self._db.execute(
                "INSERT INTO meetings(id, sha256, ext, date, body, number, items, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    meeting.id,
                    meeting.source_sha256,
                    ext.lower(),
                    meeting.date.isoformat() if meeting.date else None,
                    meeting.body,
                    meeting.number,
                    len(meeting.items),
                    json.dumps(meeting.to_dict(), ensure_ascii=False),
                ),
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO items(id, meeting_id, position) VALUES (?, ?, ?)",
                [(item.id, meeting.id, item.position) for item in meeting.items],
            )
            self._record_source(source_path, meeting.source_sha256, meeting.id)
            if old_id and old_id != meeting.id:
                still_used = self._db.execute(
                    "SELECT 1 FROM sources WHERE meeting_id = ? LIMIT 1", (old_id,)
                ).fetchone()
                if not still_used:
                    self._db.execute("DELETE FROM meetings WHERE id = ?", (old_id,))
                    removed.append(old_id)
        return removed

    def update_meeting(self, meeting: Meeting) -> None:
        """Rewrite a stored meeting (after a correction); its sources and original stay."""
        with self._db:
            self._db.execute(
                "UPDATE meetings SET date = ?, body = ?, number = ?, items = ?, data = ? WHERE id = ?",
                (meeting.date.isoformat() if meeting.date else None, meeting.body, meeting.number,
                 len(meeting.items), json.dumps(meeting.to_dict(), ensure_ascii=False), meeting.id),
            )

    def get_meeting(self, meeting_id: str) -> Meeting | None:
        row = self._db.execute("SELECT data FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
        return Meeting.from_dict(json.loads(row[0])) if row else None

    def get_item(self, item_id: str) -> tuple[AgendaItem, Meeting] | None:
        row = self._db.execute("SELECT meeting_id FROM items WHERE id = ?", (item_id,)).fetchone()
        if not row:
            return None
        meeting = self.get_meeting(row[0])
        if meeting is None:
            return None
        for item in meeting.items:
            if item.id == item_id:
                return item, meeting
        return None

    def iter_meetings(self) -> Iterator[Meeting]:
        """Every meeting, oldest first (undated last)."""
        rows = self._db.execute(
            "SELECT data FROM meetings ORDER BY date IS NULL, date, id"
        ).fetchall()
        for (data,) in rows:
            yield Meeting.from_dict(json.loads(data))

    def meeting_rows(self, body: str | None = None, limit: int = -1, offset: int = 0,
                     internal: bool = False) -> list[MeetingRow]:
        """Meetings newest first (undated last), optionally of one body; internal ones only if asked."""
        where, args = _of_body(body, internal)
        rows = self._db.execute(
            f"SELECT id, body, number, date, items FROM meetings {where} "
            "ORDER BY date IS NULL, date DESC, id LIMIT ? OFFSET ?",
            (*args, limit, offset),
        ).fetchall()
        return [MeetingRow(mid, b, n, _date(d), i) for mid, b, n, d, i in rows]

    def meeting_count(self, body: str | None = None, internal: bool = False) -> int:
        where, args = _of_body(body, internal)
        return self._db.execute(f"SELECT COUNT(*) FROM meetings {where}", args).fetchone()[0]

    def body_rows(self, internal: bool = False) -> list[BodyRow]:
        where, args = _of_body(None, internal)
        rows = self._db.execute(
            f"SELECT body, COUNT(*), SUM(items), MIN(date), MAX(date) FROM meetings {where} "
            "GROUP BY body ORDER BY lower(body)", args
        ).fetchall()
        return [BodyRow(b, n, i or 0, _date(lo), _date(hi)) for b, n, i, lo, hi in rows]

    def meeting_versions(self) -> dict[str, str]:
        """meeting id → sha256 of its original: what the index must agree with."""
        return dict(self._db.execute("SELECT id, sha256 FROM meetings"))

    def meeting_original(self, meeting_id: str) -> Path | None:
        row = self._db.execute("SELECT sha256, ext FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
        return self.original_path(*row) if row else None

    def originals_to_reparse(self) -> list[tuple[str, str, Path]]:
        """(source path, sha256, original file) for every source, to rebuild from originals."""
        rows = self._db.execute(
            "SELECT s.path, s.sha256, m.ext FROM sources s JOIN meetings m ON m.id = s.meeting_id ORDER BY s.path"
        ).fetchall()
        return [(path, sha, self.original_path(sha, ext)) for path, sha, ext in rows]

    def counts(self) -> dict[str, int]:
        return {
            "meetings": self._db.execute("SELECT COUNT(*) FROM meetings").fetchone()[0],
            "items": self._db.execute("SELECT COUNT(*) FROM items").fetchone()[0],
            "sources": self._db.execute("SELECT COUNT(*) FROM sources").fetchone()[0],
        }
