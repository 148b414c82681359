"""`arkiv check`: do the stored originals, the stored meetings and the index agree?
And `arkiv check --repair`: make them agree where the archive itself holds the answer.

The store is the truth.  What the index gets wrong (a meeting missing, indexed from
an older file, indexed twice, or left behind after its meeting went) is repaired by
indexing those meetings again from the store, or dropping them.  A missing or
damaged original is restored from the file it was ingested from, when that file
still has the same content; otherwise nothing in the archive can bring it back, and
the problem says what the person can do.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archive.indexing import Index
from archive.plurals import plural
from archive.progress import counted
from archive.store.api import ArchiveStore
from archive.store.originals import sha256_bytes

# Problem kinds; the index kinds are repaired by indexing from the store.
ORIGINAL_MISSING = "original-missing"
ORIGINAL_DAMAGED = "original-damaged"
NOT_INDEXED = "not-indexed"
STALE = "stale"
MISCOUNTED = "miscounted"
ORPHAN = "orphan"
INDEX_DAMAGED = "index-damaged"     # the index's own files: repaired by building it again from the store
SOURCE_UNKNOWN = "source-unknown"
INDEX_KINDS = (NOT_INDEXED, STALE, MISCOUNTED, ORPHAN, INDEX_DAMAGED)


@dataclass
class Problem:
    kind: str
    message: str                # Danish, one line, with what to do where --repair cannot
    meeting_id: str = ""
    source: str = ""            # original problems: the path the file was ingested from
    ext: str = ""               # ... the original's extension
    sha256: str = ""            # ... and the content it must have
    repairable: bool = True


def _source_data(source: str, sha: str) -> bytes | None:
    """The file an original was ingested from, if it still has that content."""
    try:
        data = Path(source).read_bytes()
    except OSError:
        return None
    return data if sha256_bytes(data) == sha else None


def _original_problem(kind: str, source: str, sha: str, ext: str) -> Problem:
    what = "mangler" if kind == ORIGINAL_MISSING else "er beskadiget (sha256 stemmer ikke)"
    where = f"{sha}{ext}"
    if _source_data(source, sha) is not None:
        return Problem(kind, f"originalen til {source} {what} ({where}); den kan gendannes fra filen",
                       source=source, ext=ext, sha256=sha)
    return Problem(kind, f"originalen til {source} {what} ({where}) og kan ikke gendannes, for filen findes ikke "
                   "længere med samme indhold. Mødet kan stadig søges; har du filen, så indlæs den igen "
                   "med `arkiv ingest FIL`", source=source, ext=ext, sha256=sha, repairable=False)


def check(store: ArchiveStore, engine: Index, progress: bool | None = None) -> list[Problem]:
    """Every disagreement between originals, store and index (empty list: all good).
    ``progress``: a bar over the originals read and hashed, the slow part (None: when
    stderr is a terminal)."""
    problems: list[Problem] = []
    originals = store.originals_to_reparse()
    for source, sha, ext in counted(originals, len(originals), "Kontrollerer", "original", progress):
        data = store.read_original(sha, ext)
        if data is None:
            problems.append(_original_problem(ORIGINAL_MISSING, source, sha, ext))
        elif sha256_bytes(data) != sha:
            problems.append(_original_problem(ORIGINAL_DAMAGED, source, sha, ext))
    for path in store.sources_without_original():
        problems.append(Problem(SOURCE_UNKNOWN, f"{path} peger på en original, der ikke er gemt; indlæs filen igen "
                                "med `arkiv ingest FIL`", source=path, repairable=False))
    problems += [Problem(INDEX_DAMAGED, message) for message in engine.damage()]
    stored = store.meeting_versions()
    stored_items = {row.id: row.items for row in store.meeting_rows()}
    indexed = engine.versions()
    indexed_items = engine.item_counts()
    for mid, sha in sorted(stored.items()):
        if mid not in indexed:
            problems.append(Problem(NOT_INDEXED, f"mødet {mid} er gemt, men mangler i søgeindekset", mid))
        elif indexed[mid] != sha:
            problems.append(Problem(STALE, f"mødet {mid} er indekseret fra en ældre udgave af sin fil", mid))
        elif indexed_items[mid] != stored_items.get(mid, 0):
            problems.append(Problem(MISCOUNTED, f"mødet {mid} har "
                                    f"{plural(indexed_items[mid], 'dagsordenspunkt', 'dagsordenspunkter')} "
                                    f"i søgeindekset, men {stored_items.get(mid, 0)} i arkivet", mid))
    for mid in sorted(set(indexed) - set(stored)):
        problems.append(Problem(ORPHAN, f"mødet {mid} er i søgeindekset, men ikke i arkivet", mid))
    return problems


ADVICE = "Kør `arkiv check --repair` for at rette det."


def repair(store: ArchiveStore, engine: Index, problems: list[Problem], *, lock_wait: float = 0.0) -> list[str]:
    """Repair what ``check`` found (index from the store, restore originals from their
    files); returns what was done, one Danish line each.  Run ``check`` again for what
    remains."""
    done: list[str] = []
    with store.write_lock(wait=lock_wait):
        if any(p.kind == INDEX_DAMAGED for p in problems):
            count = store.counts()["meetings"]
            engine.rebuild(store.iter_meetings())   # every index problem with it
            done.append(f"søgeindekset er bygget igen fra arkivet ({plural(count, 'møde', 'møder')})")
            problems = [p for p in problems if p.kind not in INDEX_KINDS]
        reindex = [p.meeting_id for p in problems if p.kind in (NOT_INDEXED, STALE, MISCOUNTED)]
        drop = [p.meeting_id for p in problems if p.kind == ORPHAN]
        meetings = [m for m in (store.get_meeting(mid) for mid in reindex) if m is not None]
        if meetings or drop:
            engine.update(meetings, remove_meeting_ids=drop)
        if meetings:
            done.append(f"{plural(len(meetings), 'møde', 'møder')} indekseret igen fra arkivet")
        if drop:
            done.append(f"{plural(len(drop), 'møde', 'møder')} fjernet fra søgeindekset")
        for p in problems:
            if p.kind in (ORIGINAL_MISSING, ORIGINAL_DAMAGED) and p.repairable:
                data = _source_data(p.source, p.sha256)
                if data is not None:
                    store.save_original(data, p.ext, replace=True)
                    done.append(f"originalen til {p.source} er gendannet fra filen")
    return done
