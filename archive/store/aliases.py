"""Bodies an editor merged: the merged body's name kept as an alias of the body it became.

The parser may read one body under two names ("Parcelforeningen" and "Parcelforeningen
Solbakken").  An editor merges one into the other: ``body_aliases`` then says that every
spelling of the old name (by ``body_key``) is the other body.  The store resolves a
meeting's body through it whenever it writes a meeting (archive.store.sqlite ``_merge``:
ingest, upload, reindex, and the merge itself), after the editors' corrections, so the old
name never comes back: not from a new file that spells it so, nor from a reindex.

Merging into a body that is itself merged away goes to where that one went; the aliases
of the merged body follow it, so no alias ever points at another alias.  Removing an
alias undoes the merge (the store re-makes the body's meetings from their parses).
Every merge and undo is in the audit log (archive.store.corrections).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from archive.parse.identity import body_key
from archive.store import corrections, schema
from archive.store.corrections import CorrectionError
from archive.store.db import Database

COMPONENT, VERSION = "body_aliases", 1
_DDL = """
CREATE TABLE IF NOT EXISTS body_aliases (
    alias_key TEXT PRIMARY KEY,        -- body_key of the merged name: every spelling of it
    alias     TEXT NOT NULL,           -- the merged body's name as the archive showed it
    body      TEXT NOT NULL,           -- the body it was merged into (never itself an alias)
    author    TEXT NOT NULL,
    at        TEXT NOT NULL            -- ISO 8601, UTC
);
CREATE INDEX IF NOT EXISTS body_aliases_body ON body_aliases(body);
"""


@dataclass
class Alias:
    alias: str
    body: str
    author: str
    at: dt.datetime


def ensure_schema(db: Database) -> None:
    schema.ensure(db, COMPONENT, VERSION, _DDL)


def resolve(db: Database, body: str) -> str:
    """The body ``body`` is now part of: itself unless it was merged into another."""
    row = db.execute("SELECT body FROM body_aliases WHERE alias_key = ?", (body_key(body),)).fetchone()
    return row[0] if row else body


def aliases(db: Database, body: str | None = None) -> list[Alias]:
    """Every alias (or those of ``body``), by name."""
    where, args = ("WHERE body = ?", (body,)) if body else ("", ())
    rows = db.execute(f"SELECT alias, body, author, at FROM body_aliases {where} ORDER BY lower(alias)",
                      args).fetchall()
    return [Alias(a, b, who, dt.datetime.fromisoformat(at)) for a, b, who, at in rows]


def spellings(db: Database) -> list[str]:
    """The merged names, so that a name written short is still known as one of them (BodyNames)."""
    return [a for (a,) in db.execute("SELECT alias FROM body_aliases ORDER BY alias")]


def _stored(name: str, bodies: Iterable[str], field: str, label: str) -> str:
    """The stored body ``name`` is a spelling of, or CorrectionError naming ``field``."""
    key = body_key(name)
    found = next((b for b in bodies if b == name), None) or next((b for b in bodies if body_key(b) == key), None)
    if found is None:
        raise CorrectionError(field, f"{label}: arkivet har intet organ ved navn «{name}».")
    return found


def _given(name: str, field: str, label: str) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise CorrectionError(field, f"{label} må ikke være tomt.")
    return name


def add(db: Database, old: str, into: str, bodies: list[str], author: str) -> tuple[str, str]:
    """Record that ``old`` is merged into ``into`` (both stored bodies, spelled as in ``bodies``);
    the names as stored.  Runs inside the caller's transaction; the caller re-makes the meetings."""
    old, into = _given(old, "body", "Organet"), _given(into, "into", "Organet, der slås sammen med,")
    merged = resolve(db, old)
    if merged != old:
        raise CorrectionError("body", f"Organet «{old}» er allerede slået sammen med «{merged}».")
    old_name = _stored(old, bodies, "body", "Organet")
    into_name = _stored(resolve(db, into), bodies, "into", "Organet, der slås sammen med,")
    if body_key(old_name) == body_key(into_name):
        raise CorrectionError("into", "Et organ kan ikke slås sammen med sig selv: vælg et andet organ.")
    at = corrections.now()
    # The old body's own aliases follow it (``into_name`` is resolved: no one's alias).
    db.execute("UPDATE body_aliases SET body = ? WHERE body = ?", (into_name, old_name))
    db.execute("INSERT INTO body_aliases(alias_key, alias, body, author, at) VALUES (?, ?, ?, ?, ?) "
               "ON CONFLICT(alias_key) DO UPDATE SET alias = excluded.alias, body = excluded.body, "
               "author = excluded.author, at = excluded.at", (body_key(old_name), old_name, into_name, author, at))
    corrections.log_body(db, "merge", old_name, into_name, author, at)
    return old_name, into_name


def remove(db: Database, alias: str, author: str) -> str:
    """Undo a merge: ``alias`` is a body of its own again.  Returns the body it was merged into.
    Runs inside the caller's transaction; the caller re-makes that body's meetings."""
    name = " ".join(str(alias).split())
    row = db.execute("SELECT alias, body FROM body_aliases WHERE alias_key = ?", (body_key(name),)).fetchone()
    if row is None:
        raise CorrectionError("alias", f"«{name}» er ikke slået sammen med et andet organ.")
    db.execute("DELETE FROM body_aliases WHERE alias_key = ?", (body_key(name),))
    corrections.log_body(db, "unmerge", row[1], row[0], author)
    return row[1]
