"""Files in, meetings stored, index updated: the one ingest path.

Order of work for each file, chosen so that a crash at any moment leaves the
archive consistent and a re-run completes it:

1. read the bytes; an unchanged file (same sha256 as last time) stops here;
2. extract text and parse it (errors are reported for that file only);
3. copy the original into the content-addressed store (atomic rename);
4. store the parsed meeting in one SQLite transaction;
5. update the index in batches.  If the process dies before a batch is
   committed, ``reconcile`` at the start of the next run re-indexes every
   meeting whose indexed version differs from the store's.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .errors import ArkivError
from .extract import SUPPORTED, extract_bytes
from .ids import assign_ids
from .model import Meeting
from .parse import parse_text
from .store import Store, sha256_bytes

KNOWN_EXTENSIONS = SUPPORTED
MAX_FILE_BYTES = 50 * 1024 * 1024
INDEX_BATCH_ITEMS = 2000


@dataclass
class FileResult:
    path: str
    status: str                 # added | updated | unchanged | failed
    meeting_id: str = ""
    items: int = 0
    message: str = ""           # reason for a failure, or the parser's warnings


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    repaired: int = 0           # meetings re-indexed by reconcile()

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def items(self) -> int:
        return sum(r.items for r in self.results if r.status in ("added", "updated"))

    def summary(self) -> str:
        return (
            f"{len(self.results)} filer: {self.count('added')} nye, {self.count('updated')} opdaterede, "
            f"{self.count('unchanged')} uændrede, {self.count('failed')} fejlede; "
            f"{self.items} dagsordenspunkter indekseret"
        )


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[FileResult]]:
    """Expand folders (recursively, known extensions only, hidden files skipped).

    A path given by name that does not exist or has an unknown extension is
    reported, not silently dropped.
    """
    files: list[Path] = []
    problems: list[FileResult] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts) \
                        and child.suffix.lower() in KNOWN_EXTENSIONS:
                    files.append(child)
        elif path.is_file():
            if path.suffix.lower() in KNOWN_EXTENSIONS:
                files.append(path)
            else:
                problems.append(FileResult(str(path), "failed", message=(
                    f"{path}: unsupported file type '{path.suffix or '(none)'}' "
                    f"(known: {', '.join(KNOWN_EXTENSIONS)})")))
        else:
            problems.append(FileResult(str(path), "failed", message=f"{path}: no such file or folder"))
    # The same file named twice (or via a folder and by name) is ingested once.
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, problems


def parse_file(data: bytes, sha256: str, name: str) -> Meeting:
    """Extract and parse one file's bytes into a meeting with stable ids.

    ``name`` is the file's name as the user knows it (a stored original's own
    name is its sha256); it feeds the ids' fallback, so it must stay the same
    across re-ingest and reindex.
    """
    text = extract_bytes(data, name)
    meeting = parse_text(text, filename=name)
    meeting.source_file = name
    meeting.source_sha256 = sha256
    return assign_ids(meeting)


def _ingest_one(path: Path, store: Store) -> tuple[FileResult, Meeting | None, list[str]]:
    key = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ArkivError(f"{path}: file is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB")
        data = path.read_bytes()
    except OSError as exc:
        return FileResult(key, "failed", message=f"{path}: cannot read ({exc.strerror or exc})"), None, []
    except ArkivError as exc:
        return FileResult(key, "failed", message=str(exc)), None, []

    sha = sha256_bytes(data)
    previous = store.source_sha256(key)
    if previous == sha:
        return FileResult(key, "unchanged"), None, []
    try:
        meeting = parse_file(data, sha, path.name)
    except ArkivError as exc:
        return FileResult(key, "failed", message=str(exc)), None, []
    except Exception as exc:  # a parser bug must not stop the other files
        return FileResult(key, "failed", message=f"{path}: internal error while parsing: {exc!r}"), None, []

    store.save_original(data, path.suffix)
    removed = store.put_meeting(meeting, key, path.suffix)
    status = "updated" if previous else "added"
    message = "; ".join(f"{path.name}: {w}" for w in meeting.warnings)
    return FileResult(key, status, meeting.id, len(meeting.items), message), meeting, removed


def reconcile(store: Store, engine) -> int:
    """Make the index agree with the store; returns how many meetings were re-indexed or dropped."""
    stored = store.meeting_versions()
    indexed = engine.versions()
    stale = [mid for mid, sha in stored.items() if indexed.get(mid) != sha]
    orphans = [mid for mid in indexed if mid not in stored]
    if stale or orphans:
        meetings = [m for m in (store.get_meeting(mid) for mid in stale) if m is not None]
        engine.update(meetings, remove_meeting_ids=orphans)
    return len(stale) + len(orphans)


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    engine,
    *,
    progress: bool | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    lock_wait: float = 0.0,
) -> IngestReport:
    """Ingest files and folders into ``store`` and ``engine`` (an index.engine.Engine)."""
    files, problems = discover(paths)
    report = IngestReport(results=list(problems))
    for result in problems:
        if on_result:
            on_result(result)
    with store.write_lock(wait=lock_wait):
        report.repaired = reconcile(store, engine)
        pending: list[Meeting] = []
        removed: list[str] = []
        show = progress if progress is not None else (len(files) >= 20 and sys.stderr.isatty())
        iterator: Iterable[Path] = files
        if show:
            from tqdm import tqdm
            iterator = tqdm(files, desc="Indlæser", unit="fil", file=sys.stderr)
        for path in iterator:
            result, meeting, gone = _ingest_one(path, store)
            report.results.append(result)
            if on_result:
                on_result(result)
            if meeting is not None:
                pending.append(meeting)
                removed.extend(gone)
            if sum(len(m.items) for m in pending) >= INDEX_BATCH_ITEMS:
                engine.update(pending, remove_meeting_ids=removed)
                pending, removed = [], []
        if pending or removed:
            engine.update(pending, remove_meeting_ids=removed)
    return report


def reindex(store: Store, engine, *, lock_wait: float = 0.0) -> IngestReport:
    """Re-parse every stored original and rebuild the index from scratch."""
    report = IngestReport()
    with store.write_lock(wait=lock_wait):
        for source, sha, original in store.originals_to_reparse():
            try:
                data = original.read_bytes()
                if sha256_bytes(data) != sha:
                    raise ArkivError(f"{original}: stored original does not match its sha256 {sha}")
                meeting = parse_file(data, sha, Path(source).name)
                store.put_meeting(meeting, source, original.suffix)
                report.results.append(FileResult(source, "updated", meeting.id, len(meeting.items)))
            except (OSError, ArkivError) as exc:
                report.results.append(FileResult(source, "failed", message=str(exc)))
        engine.rebuild(store.iter_meetings())
    return report


def check(store: Store, engine) -> list[str]:
    """Problems where the index and the stored originals disagree (empty list: all good)."""
    problems: list[str] = []
    for source, sha, original in store.originals_to_reparse():
        if not original.exists():
            problems.append(f"original of {source} is missing: {original}")
        elif sha256_bytes(original.read_bytes()) != sha:
            problems.append(f"original of {source} is damaged (sha256 differs): {original}")
    stored = store.meeting_versions()
    indexed = engine.versions()
    for mid, sha in sorted(stored.items()):
        if mid not in indexed:
            problems.append(f"meeting {mid} is stored but not in the index")
        elif indexed[mid] != sha:
            problems.append(f"meeting {mid} is indexed from an older version of its file")
    for mid in sorted(set(indexed) - set(stored)):
        problems.append(f"meeting {mid} is in the index but not in the store")
    counts = store.counts()
    if not problems and engine.item_count() != counts["items"]:
        problems.append(f"index holds {engine.item_count()} items, the store {counts['items']}")
    return problems
