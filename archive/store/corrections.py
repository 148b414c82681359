"""Editors' corrections of what the parser got wrong, kept apart from the parse.

``corrections`` holds one row per corrected field of a meeting or an item (by
its stable id): the value the editor set, the parse's own value, who and when.
``audit`` holds every change ever made, with the value before and after.

Corrections are applied in :meth:`archive.store.sqlite.Store.put_meeting`, i.e. to
every parse that is stored (``arkiv ingest``, a re-ingest of a changed file,
``arkiv reindex``, an upload), before the index is fed that same meeting; so
lists, pages, exports and searches all see the corrected values, and a new parse
never undoes a correction.  :func:`save` corrects a stored meeting.  Ids never
change: they were given from the parse, so permalinks survive a corrected date.

Correctable fields: a meeting's body, date, number, title (its heading) and whether it
is internal (only for signed-in users, see archive.visibility); an item's title,
presenters, outcomes and whether it is closed.  Bodies merged into one are kept in
archive.store.aliases; their merges are in the same audit log.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Protocol

from archive.errors import ArkivError
from archive.model import AgendaItem, Meeting, Presenter
from archive.parse.outcome import OUTCOMES
from archive.store import schema
from archive.store.db import SQLITE, Database


class _Rewrites(Protocol):
    """What :func:`save` needs of a store (any ArchiveStore): its database, and a way to
    rewrite a stored meeting.  Said here, so that the store imports corrections and not
    the other way round."""
    db: Database

    def update_meeting(self, meeting: Meeting) -> None: ...

VERSION = 1
_DDL = """
CREATE TABLE IF NOT EXISTS corrections (
    meeting_id TEXT NOT NULL,          -- the meeting the target belongs to
    target_id  TEXT NOT NULL,          -- a meeting id or an item id
    field      TEXT NOT NULL,
    value      TEXT NOT NULL,          -- JSON: the editor's value
    parsed     TEXT NOT NULL,          -- JSON: the parse's value (what removing the correction restores)
    author     TEXT NOT NULL,
    at         TEXT NOT NULL,          -- ISO 8601, UTC
    PRIMARY KEY (target_id, field)
);
CREATE INDEX IF NOT EXISTS corrections_meeting ON corrections(meeting_id);
CREATE INDEX IF NOT EXISTS corrections_field ON corrections(field, value);
CREATE TABLE IF NOT EXISTS audit (
    id         {serial},
    at         TEXT NOT NULL,
    author     TEXT NOT NULL,
    meeting_id TEXT NOT NULL,
    target_id  TEXT NOT NULL,
    field      TEXT NOT NULL,          -- a corrected field, or "upload"
    before     TEXT NOT NULL,          -- JSON
    after      TEXT NOT NULL           -- JSON
);
CREATE INDEX IF NOT EXISTS audit_meeting ON audit(meeting_id, id);
"""

MEETING_FIELDS = ("body", "date", "number", "title", "internal")
ITEM_FIELDS = ("title", "presenters", "outcomes", "closed")
FIELD_LABELS = {
    "body": "Organ", "date": "Dato", "number": "Mødenummer", "internal": "Internt møde",
    "title": "Titel", "presenters": "Fremlagt af", "outcomes": "Udfald", "closed": "Lukket punkt",
    "upload": "Indlæst", "merge": "Organer slået sammen", "unmerge": "Sammenlægning fortrudt",
}
MAX_TEXT = 500              # characters of a corrected body or title: a name or a heading, not a text
# Meetings an editor marked internal, for SQL that lists meetings (archive.store).
INTERNAL_MEETINGS = "SELECT target_id FROM corrections WHERE field = 'internal' AND value = 'true'"


class CorrectionError(ArkivError):
    """A corrected value that cannot be used; ``field`` names it, the message is Danish."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class Mark:
    """What a page shows beside a corrected value."""
    author: str
    at: dt.datetime
    parsed: Any                 # the parse's value


@dataclass
class AuditEntry:
    id: int
    at: dt.datetime
    author: str
    meeting_id: str
    target_id: str
    field: str
    before: Any
    after: Any


def ensure_schema(db: Database) -> None:
    serial = "INTEGER PRIMARY KEY" if db.dialect == SQLITE else "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    schema.ensure(db, "corrections", VERSION, _DDL.format(serial=serial))


# -- values ------------------------------------------------------------------
def to_json(field: str, value: Any) -> Any:
    if field == "date":
        return value.isoformat() if value else None
    if field == "presenters":
        return [{"name": p.name, "role": p.role} for p in value]
    return value


def from_json(field: str, raw: Any) -> Any:
    if field == "date":
        return dt.date.fromisoformat(raw) if raw else None
    if field == "presenters":
        return [Presenter(p["name"], p.get("role", "")) for p in raw]
    return raw


def _dump(field: str, value: Any) -> str:
    return json.dumps(to_json(field, value), ensure_ascii=False, sort_keys=True)


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def validate(field: str, value: Any, of_meeting: bool = False) -> Any:
    """The value cleaned up, or CorrectionError naming the field.  A meeting's title may be
    emptied (a count or an address read as the heading: the page then shows body and number);
    an item's may not."""
    if field in ("body", "title"):
        value = " ".join(str(value).split())
        if not value and not (of_meeting and field == "title"):
            raise CorrectionError(field, f"{FIELD_LABELS[field]} må ikke være tom.")
        if len(value) > MAX_TEXT:
            raise CorrectionError(field, f"{FIELD_LABELS[field]} er for lang: højst {MAX_TEXT} tegn.")
        return value
    if field == "number":
        return " ".join(str(value).split())
    if field == "date":
        if value is not None and not isinstance(value, dt.date):
            raise CorrectionError(field, "Datoen skal være en gyldig dato (ÅÅÅÅ-MM-DD).")
        return value
    if field in ("internal", "closed"):
        return bool(value)
    if field == "outcomes":
        unknown = [slug for slug in value if slug not in OUTCOMES]
        if unknown:
            raise CorrectionError(field, f"Ukendt udfald: {', '.join(unknown)}.")
        return [slug for slug in OUTCOMES if slug in value]      # the vocabulary's order
    if field == "presenters":
        people = [Presenter(" ".join(p.name.split()), " ".join(p.role.split())) for p in value]
        return [p for p in people if p.name]
    raise CorrectionError(field, f"Feltet {field!r} kan ikke rettes.")


# -- targets -----------------------------------------------------------------
def _target(meeting: Meeting, target_id: str) -> Meeting | AgendaItem | None:
    if target_id == meeting.id:
        return meeting
    return next((item for item in meeting.items if item.id == target_id), None)


def _fields_of(target: Meeting | AgendaItem) -> tuple[str, ...]:
    return MEETING_FIELDS if isinstance(target, Meeting) else ITEM_FIELDS


# -- applying ----------------------------------------------------------------
def apply(db: Database, meeting: Meeting) -> None:
    """Apply the stored corrections to a freshly parsed ``meeting`` (in place), and keep
    the parse's values for reverting.  Runs inside the caller's transaction."""
    rows = db.execute("SELECT target_id, field, value, parsed FROM corrections WHERE meeting_id = ?",
                      (meeting.id,)).fetchall()
    for target_id, field, value, parsed in rows:
        target = _target(meeting, target_id)
        if target is None or field not in _fields_of(target):
            continue            # the item is gone from this parse: the correction waits
        current = _dump(field, getattr(target, field))
        if current != value:
            # ``meeting`` is a parse: its value is the parse's (unless it equals the correction).
            if current != parsed:
                db.execute("UPDATE corrections SET parsed = ? WHERE target_id = ? AND field = ?",
                           (current, target_id, field))
            setattr(target, field, from_json(field, json.loads(value)))


def save(store: _Rewrites, meeting: Meeting, target_id: str, changes: dict[str, Any], author: str) -> list[str]:
    """Correct fields of a stored meeting or one of its items and rewrite the stored meeting.

    ``meeting`` is the stored (corrected) meeting; it is changed in place, so the
    caller can index it.  A value equal to the parse's removes the correction.
    Returns the names of the fields that changed (each one is in the audit log).
    """
    target = _target(meeting, target_id)
    if target is None:
        raise CorrectionError("id", f"Mødet har intet punkt med id {target_id!r}.")
    allowed = _fields_of(target)
    clean = {}
    for field, value in changes.items():
        if field not in allowed:
            raise CorrectionError(field, f"Feltet {field!r} kan ikke rettes her.")
        clean[field] = validate(field, value, of_meeting=isinstance(target, Meeting))
    changed: list[str] = []
    at = now()
    db = store.db
    with db.transaction():
        for field, value in clean.items():
            before = _dump(field, getattr(target, field))
            after = _dump(field, value)
            if before == after:
                continue
            row = db.execute("SELECT parsed FROM corrections WHERE target_id = ? AND field = ?",
                             (target_id, field)).fetchone()
            parsed = row[0] if row else before
            if after == parsed:
                db.execute("DELETE FROM corrections WHERE target_id = ? AND field = ?", (target_id, field))
            else:
                db.execute(
                    "INSERT INTO corrections(meeting_id, target_id, field, value, parsed, author, at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(target_id, field) DO UPDATE SET "
                    "value = excluded.value, author = excluded.author, at = excluded.at",
                    (meeting.id, target_id, field, after, parsed, author, at))
            db.execute("INSERT INTO audit(at, author, meeting_id, target_id, field, before, after) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", (at, author, meeting.id, target_id, field, before, after))
            setattr(target, field, value)
            changed.append(field)
        if changed:
            store.update_meeting(meeting)
    return changed


def log_upload(db: Database, meeting_id: str, file_name: str, author: str) -> None:
    """Record in the audit log that ``author`` added a file to the archive."""
    with db.transaction():
        db.execute("INSERT INTO audit(at, author, meeting_id, target_id, field, before, after) "
                   "VALUES (?, ?, ?, ?, 'upload', 'null', ?)",
                   (now(), author, meeting_id, meeting_id, json.dumps(file_name, ensure_ascii=False)))


def log_body(db: Database, field: str, before: str, after: str, author: str, at: str | None = None) -> None:
    """Record a merge of bodies ("merge": ``before`` into ``after``) or its undo ("unmerge": ``before``,
    the body it was part of, and ``after``, the body of its own again) in the audit log.  Of no one
    meeting: ``meeting_id`` is empty, ``target_id`` the merged name."""
    target = before if field == "merge" else after
    db.execute("INSERT INTO audit(at, author, meeting_id, target_id, field, before, after) "
               "VALUES (?, ?, '', ?, ?, ?, ?)", (at or now(), author, target, field,
                                                 json.dumps(before, ensure_ascii=False),
                                                 json.dumps(after, ensure_ascii=False)))


# -- reading -----------------------------------------------------------------
def marks(db: Database, meeting_id: str) -> dict[tuple[str, str], Mark]:
    """(target id, field) → who corrected it and when, for one meeting's page."""
    rows = db.execute("SELECT target_id, field, author, at, parsed FROM corrections WHERE meeting_id = ?",
                      (meeting_id,)).fetchall()
    return {(t, f): Mark(a, dt.datetime.fromisoformat(at), from_json(f, json.loads(p)))
            for t, f, a, at, p in rows}


def audit(db: Database, meeting_id: str | None = None, limit: int = 200,
          before_id: int | None = None) -> list[AuditEntry]:
    """The newest changes first, optionally of one meeting; ``before_id`` pages back."""
    where: list[str] = []
    args: list[Any] = []
    if meeting_id:
        where.append("meeting_id = ?")
        args.append(meeting_id)
    if before_id:
        where.append("id < ?")
        args.append(before_id)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    rows = db.execute(
        f"SELECT id, at, author, meeting_id, target_id, field, before, after FROM audit {clause} "
        "ORDER BY id DESC LIMIT ?", (*args, limit)).fetchall()
    return [AuditEntry(i, dt.datetime.fromisoformat(at), a, m, t, f, json.loads(b), json.loads(af))
            for i, at, a, m, t, f, b, af in rows]
