"""The archive's source of truth: content-addressed originals plus parsed meetings.

Layout under the archive home::

    originals/ab/ab12…ef.pdf   every file ever ingested, named by its sha256
    arkiv.sqlite               sources (path → sha256 → meeting) and meetings (JSON)
    write.lock                 held by the one process that writes
    index/                     the search index (owned by index.engine_tantivy; rebuildable)
    ocr/ab/ab12…ef.json        OCR text of scanned pages, by the original's sha256 (archive.extract.ocr)

Each file's meeting is written in one SQLite transaction, so a crash leaves a
meeting either wholly old or wholly new.  Originals are written (atomically)
before that transaction, so the store never points at a missing original.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from pathlib import Path
from typing import Iterator

from archive.errors import ArkivError
from archive.ids import alternative_id, assign_ids
from archive.model import AgendaItem, Meeting
from archive.parse import twins
from archive.store import aliases, corrections
from archive.store.bodies import BodyNames, body_key
from archive.store.db import Database, connect_sqlite
from archive.store.lock import file_lock
from archive.store.originals import OriginalFiles, sha256_bytes
from archive.store.rows import BodyRow, MeetingRow, OriginalRow, Stored
from archive.store.tables import SCHEMA_VERSION, TABLES, migrate_1_to_2, now

__all__ = ["Store", "SCHEMA_VERSION", "body_key", "sha256_bytes", "MeetingRow", "OriginalRow", "Stored", "BodyRow"]

_CHUNK = 200                # meetings read at a time by iter_meetings
_ALL_ROWS = 2**62          # LIMIT for "no limit" (PostgreSQL takes no negative LIMIT)


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


class Store:
    """The SQLite store: ``arkiv.sqlite`` and the originals as files under the home.

    :class:`PgStore` keeps the same tables (and the originals' bytes) in PostgreSQL;
    everything but the connection, the schema's set-up, the originals and the writer's
    lock is shared.  Both satisfy :class:`archive.store.api.ArchiveStore`."""

    backend = "sqlite"

    def __init__(self, home: str | os.PathLike):
        self._init_home(home)
        self.db: Database = connect_sqlite(self.home / "arkiv.sqlite")
        self._open_schema()

    def _init_home(self, home: str | os.PathLike) -> None:
        self.home = Path(home)
        self.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.originals = self.home / "originals"
        self.index_dir = self.home / "index"
        self.ocr_dir = self.home / "ocr"
        self._files = OriginalFiles(self.originals)
        self._bodies = self._body_names()

    def _body_names(self) -> BodyNames:
        # Merged names too: a name written short of a merged one is that one, and so the body it became.
        return BodyNames(lambda: [*(b for (b,) in self.db.execute("SELECT DISTINCT body FROM meetings ORDER BY body")),
                                  *aliases.spellings(self.db)])

    def _open_schema(self) -> None:
        """Create a new archive's tables, or bring an older archive's up to this version."""
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise ArkivError(f"arkivet i {self.home} er lavet af en nyere udgave af arkiv "
                             f"(skemaversion {version}); opdatér arkiv")
        has_tables = self.db.has_table("meetings")
        if version < SCHEMA_VERSION or not has_tables:
            with self.db.transaction():
                if has_tables and version < 2:
                    migrate_1_to_2(self.db, self.originals)          # creates originals as version 3 has it
                elif has_tables and version < 3:
                    self.db.execute("ALTER TABLE originals ADD COLUMN body_hint TEXT NOT NULL DEFAULT ''")
                self.db.script(TABLES)
                self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        corrections.ensure_schema(self.db)
        aliases.ensure_schema(self.db)

    @property
    def location(self) -> str:
        """Where the archive's data lives, for messages."""
        return str(self.home)

    def close(self) -> None:
        self.db.close()

    def transaction(self) -> contextlib.AbstractContextManager:
        """One transaction around several calls (nested ones are savepoints): ingest stores a
        meeting and, with PostgreSQL, its index rows in one."""
        return self.db.transaction()

    # -- locking -------------------------------------------------------
    def write_lock(self, wait: float = 0.0) -> contextlib.AbstractContextManager:
        """Hold the archive's single-writer lock; wait up to ``wait`` seconds for it."""
        return file_lock(self.home / "write.lock", wait, self.home)

    # -- originals -----------------------------------------------------
    def original_path(self, sha256: str, ext: str) -> Path:
        return self._files.path(sha256, ext)

    def save_original(self, data: bytes, ext: str, replace: bool = False) -> str:
        """Keep a copy of a file's bytes under its sha256; returns the sha256 (archive.store.originals)."""
        return self._files.save(data, ext, replace)

    def read_original(self, sha256: str, ext: str) -> bytes | None:
        """A stored original's bytes, None when it is missing."""
        return self._files.read(sha256, ext)

    def has_original(self, sha256: str, ext: str) -> bool:
        return self._files.has(sha256, ext)

    # -- sources and originals ------------------------------------------
    def source_sha256(self, path: str) -> str | None:
        row = self.db.execute("SELECT sha256 FROM sources WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def original_source(self, sha256: str) -> str | None:
        """A path the content ``sha256`` was ingested from, if it is stored."""
        row = self.db.execute(
            "SELECT s.path FROM sources s JOIN originals o ON o.sha256 = s.sha256 WHERE s.sha256 = ? "
            "ORDER BY s.path LIMIT 1", (sha256,)).fetchone()
        if row:
            return row[0]
        row = self.db.execute("SELECT name FROM originals WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None

    def original_body_hint(self, sha256: str) -> str:
        """The body the content ``sha256`` was given at ingest ("" if none)."""
        row = self.db.execute("SELECT body_hint FROM originals WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else ""

    def original_meeting(self, sha256: str) -> str | None:
        """The id of the meeting the content ``sha256`` is an original of, if it is stored."""
        row = self.db.execute("SELECT meeting_id FROM originals WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None

    def _record_source(self, path: str, sha256: str) -> None:
        self.db.execute(
            "INSERT INTO sources(path, sha256, ingested_at) VALUES (?, ?, ?) "
            "ON CONFLICT(path) DO UPDATE SET sha256=excluded.sha256, ingested_at=excluded.ingested_at",
            (path, sha256, now()))

    def add_source(self, path: str, sha256: str) -> list[str]:
        """Record that ``path`` holds content already stored (the same file reached another way).

        Returns the meetings that path's previous content leaves without any file.
        """
        with self.db.transaction():
            removed = self._detach(path, sha256)
            self._record_source(path, sha256)
            return [mid for mid in removed if not self._merge(mid)]

    def meeting_originals(self, meeting_id: str) -> list[OriginalRow]:
        """A meeting's original files, the one it shows first."""
        shown = self.db.execute("SELECT sha256 FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
        rows = self.db.execute(
            "SELECT sha256, ext, name, kind FROM originals WHERE meeting_id = ? ORDER BY name", (meeting_id,)
        ).fetchall()
        out = [OriginalRow(sha, ext, name, kind) for sha, ext, name, kind in rows]
        return sorted(out, key=lambda o: (o.sha256 != (shown[0] if shown else ""), o.name))

    # -- meetings ------------------------------------------------------
    def put_meeting(self, meeting: Meeting, source_path: str, ext: str, body_hint: str = "") -> Stored:
        """Store one file's parse in one transaction, as a meeting of its own or as another
        original of the meeting it is the same as (see archive.parse.twins).  ``body_hint`` is the
        body the file was given at ingest (kept for reindex).

        A meeting id that a different meeting already has is not taken over: this one gets
        a distinct stable id from its file name.  The file's previous content (if the file
        changed) leaves its meeting, which is re-made from its other originals or removed.
        """
        assert meeting.source_sha256, "parse with a sha256 before storing"
        sha = meeting.source_sha256
        with self.db.transaction():
            removed = set(self._detach(source_path, sha))
            target = self._twin_of(meeting)
            joined = target is not None
            if target is None:
                target = self._free_id(meeting)
            self.db.execute(
                "INSERT INTO originals(sha256, ext, name, meeting_id, kind, data, added_at, body_hint) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(sha256) DO UPDATE SET meeting_id=excluded.meeting_id, "
                "kind=excluded.kind, data=excluded.data, body_hint=excluded.body_hint",
                (sha, ext.lower(), meeting.source_file or Path(source_path).name, target, twins.kind(meeting),
                 json.dumps(meeting.to_dict(), ensure_ascii=False), now(), body_hint))
            stored = self._merge(target, meeting)
            assert stored is not None
            self._record_source(source_path, sha)
            gone = [mid for mid in removed if mid != target and not self._merge(mid)]
        return Stored(stored, gone, joined)

    def _detach(self, path: str, new_sha: str) -> list[str]:
        """Take ``path``'s previous content out of its meeting, unless another path still has it.
        Returns the meeting that must be re-made (or removed)."""
        row = self.db.execute("SELECT sha256 FROM sources WHERE path = ?", (path,)).fetchone()
        if not row or row[0] == new_sha:
            return []
        old = row[0]
        still = self.db.execute("SELECT 1 FROM sources WHERE sha256 = ? AND path != ? LIMIT 1",
                                 (old, path)).fetchone()
        if still:
            return []
        owner = self.db.execute("SELECT meeting_id FROM originals WHERE sha256 = ?", (old,)).fetchone()
        self.db.execute("DELETE FROM originals WHERE sha256 = ?", (old,))
        return [owner[0]] if owner else []

    def _parses(self, where: str, args: tuple) -> list[Meeting]:
        return [Meeting.from_dict(json.loads(data))
                for (data,) in self.db.execute(f"SELECT data FROM originals WHERE {where}", args)]

    def _twin_of(self, meeting: Meeting) -> str | None:
        """The stored meeting this parse is another file of, if any."""
        if meeting.date is None:
            return None
        key = body_key(aliases.resolve(self.db, meeting.body))
        rows = self.db.execute("SELECT o.meeting_id, o.data FROM originals o JOIN meetings m ON m.id = o.meeting_id "
                                "WHERE m.date = ? AND o.sha256 != ?",
                                (meeting.date.isoformat(), meeting.source_sha256)).fetchall()
        for mid, data in rows:
            other = Meeting.from_dict(json.loads(data))
            same_body = body_key(aliases.resolve(self.db, other.body)) == key
            if twins.same_meeting(meeting, other, same_body=same_body):
                return mid
        return None

    def _free_id(self, meeting: Meeting) -> str:
        """The parse's own id, or a distinct stable one when another meeting has it."""
        base = meeting.id
        candidate, attempt = base, 0
        while True:
            owner = self.db.execute("SELECT 1 FROM originals WHERE meeting_id = ? AND sha256 != ? LIMIT 1",
                                     (candidate, meeting.source_sha256)).fetchone()
            if not owner:
                return candidate
            attempt += 1
            candidate = alternative_id(base, meeting.source_file, attempt)

    def canonical_body(self, body: str) -> str:
        """The spelling stored meetings already use for the same body (archive.store.bodies), or the
        body it was merged into (archive.store.aliases)."""
        return aliases.resolve(self.db, self._bodies.canonical(body))

    def merged_into(self, body: str) -> str | None:
        """The body ``body`` was merged into, if it was (a page of the old name goes there)."""
        found = aliases.resolve(self.db, body)
        return found if found != body else None

    def body_aliases(self, body: str | None = None) -> list[aliases.Alias]:
        """The names merged into other bodies (into ``body`` only, if given)."""
        return aliases.aliases(self.db, body)

    def merge_bodies(self, old: str, into: str, author: str) -> list[Meeting]:
        """Merge the body ``old`` into ``into`` (archive.store.aliases); the meetings that moved,
        as stored now (the caller indexes them)."""
        with self.db.transaction():
            bodies = [b for (b,) in self.db.execute("SELECT DISTINCT body FROM meetings ORDER BY body")]
            old_name, _ = aliases.add(self.db, old, into, bodies, author)
            moved = self._remake_body(old_name)
        self._bodies = self._body_names()
        return moved

    def unmerge_body(self, alias: str, author: str) -> list[Meeting]:
        """Undo the merge of ``alias``: the meetings of the body it went into are made again from
        their parses, so those that were ``alias``'s are again.  Returns them all (to index)."""
        with self.db.transaction():
            into = aliases.remove(self.db, alias, author)
            self._bodies = self._body_names()
            remade = self._remake_body(into)
        self._bodies = self._body_names()
        return remade

    def _remake_body(self, body: str) -> list[Meeting]:
        """Re-make every meeting of ``body`` (any spelling of it) from its originals, as a reindex
        would without reading the files again."""
        key = body_key(body)
        ids = [mid for mid, name in self.db.execute("SELECT id, body FROM meetings ORDER BY id")
               if body_key(name) == key]
        return [m for m in (self._merge(mid) for mid in ids) if m is not None]

    def _agreed_body(self, parses: list[Meeting], shown: Meeting) -> str:
        """One meeting has one body: where its originals name it differently (a PDF's header
        "Ejerforeningen Øresund Parkvej", its web page "… Strandpark"), the name the archive holds
        most meetings under wins; the shown parse's own name otherwise."""
        names = list(dict.fromkeys(self.canonical_body(p.body) for p in parses))
        own = self.canonical_body(shown.body)
        if len(names) < 2:
            return own

        return max(names, key=lambda name: (self.meeting_count(name, internal=True), name == own))

    def _merge(self, meeting_id: str, new: Meeting | None = None) -> Meeting | None:
        """(Re)write a meeting from its originals: the best parse shows (archive.parse.twins.rank).
        Without originals the meeting is deleted; returns the meeting as stored, or None.
        ``new`` is a parse just stored for this meeting (not read back from its JSON)."""
        if new is not None and self.db.execute(
                "SELECT COUNT(*) FROM originals WHERE meeting_id = ?", (meeting_id,)).fetchone()[0] == 1:
            parses = [new]                      # its JSON is stored already; the object may change
        else:
            parses = self._parses("meeting_id = ?", (meeting_id,))
        self.db.execute("DELETE FROM meetings WHERE id = ?", (meeting_id,))
        if not parses:
            return None
        shown = max(parses, key=twins.rank)
        shown.body = self._agreed_body(parses, shown)
        assign_ids(shown, meeting_id)
        # Editors' corrections win over every parse (the caller indexes the meeting returned); a
        # merge of bodies wins over a body an editor set to the merged name.
        corrections.apply(self.db, shown)
        shown.body = aliases.resolve(self.db, shown.body)
        ext = self.db.execute("SELECT ext FROM originals WHERE sha256 = ?", (shown.source_sha256,)).fetchone()[0]
        self.db.execute(
            "INSERT INTO meetings(id, sha256, ext, date, body, number, items, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (meeting_id, shown.source_sha256, ext, shown.date.isoformat() if shown.date else None, shown.body,
             shown.number, len(shown.items), json.dumps(shown.to_dict(), ensure_ascii=False)))
        self.db.executemany("INSERT INTO items(id, meeting_id, position) VALUES (?, ?, ?) ON CONFLICT(id) "
                            "DO UPDATE SET meeting_id = excluded.meeting_id, position = excluded.position",
                             [(item.id, meeting_id, item.position) for item in shown.items])
        return shown

    def replace_parse(self, meeting: Meeting) -> Meeting | None:
        """Store a new parse of an original already stored (reindex), keeping its meeting."""
        with self.db.transaction():
            row = self.db.execute("SELECT meeting_id FROM originals WHERE sha256 = ?",
                                   (meeting.source_sha256,)).fetchone()
            if row is None:
                return None
            self.db.execute("UPDATE originals SET data = ?, kind = ? WHERE sha256 = ?",
                             (json.dumps(meeting.to_dict(), ensure_ascii=False), twins.kind(meeting),
                              meeting.source_sha256))
            return self._merge(row[0])

    def update_meeting(self, meeting: Meeting) -> None:
        """Rewrite a stored meeting (after a correction); its sources and original stay.  A body
        corrected to a merged name is the body it went into, as ``_merge`` makes it (in place: the
        caller indexes ``meeting``)."""
        meeting.body = aliases.resolve(self.db, meeting.body)
        with self.db.transaction():
            self.db.execute(
                "UPDATE meetings SET date = ?, body = ?, number = ?, items = ?, data = ? WHERE id = ?",
                (meeting.date.isoformat() if meeting.date else None, meeting.body, meeting.number,
                 len(meeting.items), json.dumps(meeting.to_dict(), ensure_ascii=False), meeting.id),
            )

    def get_meeting(self, meeting_id: str) -> Meeting | None:
        row = self.db.execute("SELECT data FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
        return Meeting.from_dict(json.loads(row[0])) if row else None

    def get_item(self, item_id: str) -> tuple[AgendaItem, Meeting] | None:
        row = self.db.execute("SELECT meeting_id FROM items WHERE id = ?", (item_id,)).fetchone()
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
        """Every meeting, oldest first (undated last); read in chunks, so memory stays flat
        however large the archive."""
        ids = [mid for (mid,) in self.db.execute("SELECT id FROM meetings ORDER BY date IS NULL, date, id")]
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = dict(self.db.execute(f"SELECT id, data FROM meetings WHERE id IN ({marks})", chunk))
            for mid in chunk:
                if mid in rows:             # removed meanwhile
                    yield Meeting.from_dict(json.loads(rows[mid]))

    def meeting_rows(self, body: str | None = None, limit: int = -1, offset: int = 0,
                     internal: bool = False) -> list[MeetingRow]:
        """Meetings newest first (undated last), optionally of one body; internal ones only if asked."""
        where, args = _of_body(body, internal)
        rows = self.db.execute(
            f"SELECT id, body, number, date, items FROM meetings {where} "
            "ORDER BY date IS NULL, date DESC, id LIMIT ? OFFSET ?",
            (*args, limit if limit >= 0 else _ALL_ROWS, offset),
        ).fetchall()
        return [MeetingRow(mid, b, n, _date(d), i) for mid, b, n, d, i in rows]

    def meeting_count(self, body: str | None = None, internal: bool = False) -> int:
        where, args = _of_body(body, internal)
        return self.db.execute(f"SELECT COUNT(*) FROM meetings {where}", args).fetchone()[0]

    def body_rows(self, internal: bool = False) -> list[BodyRow]:
        where, args = _of_body(None, internal)
        rows = self.db.execute(
            f"SELECT body, COUNT(*), SUM(items), MIN(date), MAX(date) FROM meetings {where} "
            "GROUP BY body ORDER BY lower(body)", args
        ).fetchall()
        return [BodyRow(b, n, i or 0, _date(lo), _date(hi)) for b, n, i, lo, hi in rows]

    def meetings_naming(self, text: str, internal: bool = False) -> list[str]:
        """The ids of the meetings whose stored JSON holds ``text`` as written (a person's name: the
        caller reads each meeting to see where), newest first; internal ones only if asked."""
        needle = json.dumps(text, ensure_ascii=False)[1:-1]
        pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where, args = _of_body(None, internal)
        where = f"{where} AND data LIKE ? ESCAPE '\\'" if where else "WHERE data LIKE ? ESCAPE '\\'"
        rows = self.db.execute(f"SELECT id FROM meetings {where} ORDER BY date IS NULL, date DESC, id",
                               (*args, pattern)).fetchall()
        return [mid for (mid,) in rows]

    def meetings_added(self, since: str | None = None, limit: int = -1, offset: int = 0,
                       internal: bool = False) -> list[tuple[str, str]]:
        """(meeting id, when it came to the archive) for the meetings added at or after ``since`` (an
        ISO timestamp as ``now()`` writes them; None: all), most recently added first (what came at once: the newest meeting first).  A meeting came
        when its first original still stored did (a file whose content changed counts anew)."""
        clauses = [] if internal else [f"o.meeting_id NOT IN ({corrections.INTERNAL_MEETINGS})"]
        having = "HAVING MIN(o.added_at) >= ?" if since else ""
        rows = self.db.execute(
            "SELECT o.meeting_id, MIN(o.added_at) AS added FROM originals o JOIN meetings m ON m.id = o.meeting_id "
            f"{'WHERE ' + ' AND '.join(clauses) if clauses else ''} GROUP BY o.meeting_id, m.date {having} "
            "ORDER BY added DESC, m.date IS NULL, m.date DESC, o.meeting_id LIMIT ? OFFSET ?",
            (*([since] if since else []), limit if limit >= 0 else _ALL_ROWS, offset)).fetchall()
        return [(mid, added) for mid, added in rows]

    def meeting_versions(self) -> dict[str, str]:
        """meeting id → sha256 of its original: what the index must agree with."""
        return dict(self.db.execute("SELECT id, sha256 FROM meetings"))

    def originals_to_reparse(self) -> list[tuple[str, str, str]]:
        """(source path, sha256, extension) for every source."""
        rows = self.db.execute(
            "SELECT s.path, s.sha256, o.ext FROM sources s JOIN originals o ON o.sha256 = s.sha256 ORDER BY s.path"
        ).fetchall()
        return [(path, sha, ext) for path, sha, ext in rows]

    def stored_originals(self) -> list[tuple[str, str, str]]:
        """(file name, sha256, extension) for every original, once each."""
        rows = self.db.execute("SELECT name, sha256, ext FROM originals ORDER BY name, sha256").fetchall()
        return [(name, sha, ext) for name, sha, ext in rows]

    def source_meetings(self) -> dict[str, tuple[str, Meeting]]:
        """source path → (its meeting's id, the file's own parse): what each file became."""
        rows = self.db.execute("SELECT s.path, o.meeting_id, o.data FROM sources s "
                                "JOIN originals o ON o.sha256 = s.sha256").fetchall()
        return {path: (mid, Meeting.from_dict(json.loads(data))) for path, mid, data in rows}

    def sources_without_original(self) -> list[str]:
        return [path for (path,) in self.db.execute(
            "SELECT path FROM sources WHERE sha256 NOT IN (SELECT sha256 FROM originals) ORDER BY path")]

    def counts(self) -> dict[str, int]:
        return {
            "meetings": self.db.execute("SELECT COUNT(*) FROM meetings").fetchone()[0],
            "items": self.db.execute("SELECT COUNT(*) FROM items").fetchone()[0],
            "sources": self.db.execute("SELECT COUNT(*) FROM sources").fetchone()[0],
            "originals": self.db.execute("SELECT COUNT(*) FROM originals").fetchone()[0],
        }
