"""The store's tables in SQLite (and, the same, in PostgreSQL: archive.store.postgres),
and the migration of an archive made by an older arkiv."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from archive.parse import twins
from archive.store.db import Database

# Version 2: one row per original file (its own parse kept), meetings point at several originals.
# Version 3: an original keeps the body it was given at ingest (--body, arkiv.toml, the upload form).
SCHEMA_VERSION = 3
TABLES = """
CREATE TABLE IF NOT EXISTS sources (
    path        TEXT PRIMARY KEY,   -- absolute path a file was ingested from
    sha256      TEXT NOT NULL,      -- the content it had: an original
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS originals (
    sha256      TEXT PRIMARY KEY,   -- one row per file content, however it was reached
    ext         TEXT NOT NULL,      -- the file extension, e.g. ".pdf"
    name        TEXT NOT NULL,      -- the file name it was first ingested under
    meeting_id  TEXT NOT NULL,      -- the meeting it is an original of
    kind        TEXT NOT NULL,      -- "referat" or "dagsorden"
    data        TEXT NOT NULL,      -- this file's own parse, Meeting.to_dict() as JSON
    added_at    TEXT NOT NULL,
    body_hint   TEXT NOT NULL DEFAULT ''   -- the body given at ingest, so that reindex keeps it
);
CREATE TABLE IF NOT EXISTS meetings (
    id      TEXT PRIMARY KEY,
    sha256  TEXT NOT NULL,          -- the original whose parse the meeting shows
    ext     TEXT NOT NULL,          -- that original's file extension
    date    TEXT,
    body    TEXT NOT NULL,
    number  TEXT NOT NULL,          -- body, date, number, items: for lists without the JSON
    items   INTEGER NOT NULL,
    data    TEXT NOT NULL           -- the meeting as shown (Meeting.to_dict() as JSON)
);
CREATE TABLE IF NOT EXISTS items (
    id          TEXT PRIMARY KEY,
    meeting_id  TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS originals_meeting ON originals(meeting_id);
CREATE INDEX IF NOT EXISTS items_meeting ON items(meeting_id);
CREATE INDEX IF NOT EXISTS meetings_date ON meetings(date);
CREATE INDEX IF NOT EXISTS meetings_body ON meetings(body, date);
"""


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def migrate_1_to_2(db: Database, originals: Path) -> None:
    """Version 1 kept one original per meeting (meetings.sha256/ext) and sources → meeting.

    Every meeting's original becomes an originals row holding the meeting's parse;
    a source whose content was stored under another meeting row (the same minutes
    as PDF and as text, which version 1 could not keep apart) gets its own row too,
    found among the stored files.  Sources whose original is gone are dropped, so the
    next ingest of that file adds it again.
    """
    db.execute("ALTER TABLE sources RENAME TO sources_v1")
    db.script(TABLES)
    at = now()
    rows = db.execute("SELECT id, sha256, ext, data FROM meetings").fetchall()
    data_of = {mid: data for mid, _, _, data in rows}
    for mid, sha, ext, data in rows:
        name = json.loads(data).get("source_file") or f"{sha}{ext}"
        db.execute("INSERT OR IGNORE INTO originals VALUES (?, ?, ?, ?, ?, ?, ?, '')",
                         (sha, ext, name, mid, twins.MINUTES, data, at))
    for path, sha, mid, ingested_at in db.execute(
            "SELECT path, sha256, meeting_id, ingested_at FROM sources_v1").fetchall():
        known = db.execute("SELECT 1 FROM originals WHERE sha256 = ?", (sha,)).fetchone()
        if not known:
            found = sorted((originals / sha[:2]).glob(f"{sha}.*")) if sha else []
            if not found or mid not in data_of:
                continue
            parse = json.loads(data_of[mid])
            parse.update(source_file=Path(path).name, source_sha256=sha)
            db.execute("INSERT INTO originals VALUES (?, ?, ?, ?, ?, ?, ?, '')",
                             (sha, found[0].suffix.lower(), Path(path).name, mid, twins.MINUTES,
                              json.dumps(parse, ensure_ascii=False), at))
        db.execute("INSERT INTO sources VALUES (?, ?, ?)", (path, sha, ingested_at))
    db.execute("DROP TABLE sources_v1")
