"""Files in, meetings stored, index updated: the one ingest path.

Order of work for each file, chosen so that a crash at any moment leaves the
archive consistent and a re-run completes it:

1. read the bytes; an unchanged file (same sha256 as last time) stops here;
   content already stored under another path is recorded as that path's too
   (one record per file content, however it is reached);
2. extract text (scanned pages by OCR, cached under ``<home>/ocr``) and parse
   it, in a child process bounded in CPU, memory and output (archive.sandbox;
   errors and limits are reported for that file only; a file that is no minutes
   is skipped with the reason);
3. copy the original into the content-addressed store (atomic rename);
4. store the parse in one SQLite transaction: a meeting of its own, or another
   original of the same meeting in another format (archive.parse.twins);
5. update the index in batches.  If the process dies before a batch is
   committed, ``reconcile`` at the start of the next run re-indexes every
   meeting whose indexed version differs from the store's.  With a transactional
   engine (PostgreSQL) a batch's meetings and their index rows are written in one
   transaction instead: they cannot disagree, and a crash loses the whole batch,
   which the next run ingests again.
"""
from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from archive import sandbox
from archive.errors import ArkivError, ExtractError, NotMinutesError
from archive.extract.files import SUPPORTED, extract_document
from archive.extract.ocr import OcrOptions, ProgressBar, mark_ocr
from archive.folder import not_minutes_reason, settings_for
from archive.ids import assign_ids
from archive.indexing import Index
from archive.ingest_results import FileResult, IngestReport, Reason, Status
from archive.model import Meeting, Warn
from archive.parse.document import Hints, parse_document
from archive.progress import bar as progress_bar
from archive.progress import counted
from archive.sandbox import LimitExceeded
from archive.settings import Settings
from archive.store.api import ArchiveStore
from archive.store.originals import sha256_bytes

log = logging.getLogger(__name__)

__all__ = ["FileResult", "IngestReport", "Reason", "Status", "discover", "ingest", "reindex", "reconcile",
           "parse_file"]

MAX_FILE_BYTES = 50 * 1024 * 1024
INDEX_BATCH_ITEMS = 2000
# Parsing moves to worker processes (config "parse-workers") for larger ingests
# (start-up costs ~0.3 s).
PARALLEL_MIN_FILES = 40


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[FileResult]]:
    """Expand folders (recursively, known extensions only, hidden files skipped).

    A path given by name that does not exist or has an unknown extension is
    reported, not silently dropped; README/licence files and files an
    ``arkiv.toml`` says to skip are reported as skipped.
    """
    files: list[Path] = []
    problems: list[FileResult] = []
    roots = metadata_roots(paths)
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts) \
                        and child.suffix.lower() in SUPPORTED:
                    files.append(child)
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED:
                files.append(path)
            else:
                problems.append(FileResult(str(path), Status.FAILED, message=(
                    f"{path}: filtypen '{path.suffix or '(ingen)'}' understøttes ikke "
                    f"(kendte: {', '.join(SUPPORTED)})")))
        else:
            problems.append(FileResult(str(path), Status.FAILED, message=f"{path}: findes ikke (hverken fil eller mappe)"))
    # The same file named twice (or via a folder and by name) is ingested once.
    unique: list[Path] = []
    for file in dict.fromkeys(p.resolve() for p in files):
        try:
            reason = not_minutes_reason(file, settings_for(file, roots))
        except ArkivError as exc:
            problems.append(FileResult(str(file), Status.FAILED, message=str(exc)))
            continue
        if reason:
            problems.append(FileResult(str(file), Status.SKIPPED, message=reason))
        else:
            unique.append(file)
    return unique, problems


def metadata_roots(paths: Iterable[str | Path]) -> tuple[Path, ...]:
    """The folders metadata files are looked for up to: each folder given, or a given file's folder."""
    out = []
    for raw in paths:
        path = Path(raw).resolve()
        out.append(path if path.is_dir() else path.parent)
    return tuple(out)


def hints_for(file: Path, roots: tuple[Path, ...], body: str = "") -> Hints:
    """What the command line (``--body``) and the folder (``arkiv.toml``, its name) say about a file."""
    settings = settings_for(file, roots)
    return Hints(body=body or settings.body, folder=file.parent.name)


def parse_file(data: bytes, sha256: str, name: str, hints: Hints | None = None,
               ocr: OcrOptions | None = None) -> Meeting:
    """Extract and parse one file's bytes into a meeting with stable ids.

    ``name`` is the file's name as the user knows it (a stored original's own
    name is its sha256); it feeds the ids' fallback, so it must stay the same
    across re-ingest and reindex.  ``hints`` carry what the folder says (body);
    ``ocr`` where scanned pages' text is cached and how many pages OCR reads at once.
    """
    document = extract_document(data, name, ocr)
    meeting = parse_document(document, name, hints)
    mark_ocr(meeting, document.pages)
    meeting.source_file = name
    meeting.source_sha256 = sha256
    return assign_ids(meeting)


@dataclass
class _Job:
    """One file on its way through ingest: read in the main process, parsed anywhere."""
    path: Path
    hints: Hints = field(default_factory=Hints)
    data: bytes = b""
    sha: str = ""
    previous: str | None = None
    result: FileResult | None = None    # set when the file is done before parsing


def _read(path: Path, store: ArchiveStore, hints: Hints) -> _Job:
    job = _Job(path, hints)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            job.result = FileResult(str(path), Status.FAILED, reason=Reason.TOO_BIG, message=(
                f"{path}: filen fylder {size / 1e6:.0f} MB; grænsen er {MAX_FILE_BYTES / 1e6:.0f} MB"))
            return job
        job.data = path.read_bytes()
    except OSError as exc:
        job.result = FileResult(str(path), Status.FAILED, message=f"{path}: kan ikke læses ({exc.strerror or exc})",
                                reason=Reason.ERROR)
        return job
    job.sha = sha256_bytes(job.data)
    job.previous = store.source_sha256(str(path))
    if job.previous == job.sha:
        job.result = FileResult(str(path), Status.UNCHANGED, store.original_meeting(job.sha) or "")
    else:
        job.result = _stored_elsewhere(job, store)
    return job


def _stored_elsewhere(job: _Job, store: ArchiveStore) -> FileResult | None:
    """The same content reached by another path: one record, now known under both."""
    elsewhere = store.original_source(job.sha)
    if elsewhere is None:
        return None
    return FileResult(str(job.path), Status.UNCHANGED, store.original_meeting(job.sha) or "",
                      message=f"{job.path.name}: samme indhold som {elsewhere}")


def _parse_job(data: bytes, sha: str, name: str, hints: Hints | None = None,
               ocr: OcrOptions | None = None) -> Meeting | FileResult:
    """Parse (in a bounded child): a Meeting, a skipped file's result, or the one-line reason it failed."""
    try:
        return parse_file(data, sha, name, hints, ocr)
    except (LimitExceeded, MemoryError):    # the child's limits: archive.sandbox words them
        raise
    except NotMinutesError as exc:
        return FileResult(name, Status.SKIPPED, message=str(exc), reason=Reason.NOT_MINUTES)
    except ExtractError as exc:
        return FileResult(name, Status.FAILED, message=str(exc), reason=Reason.UNREADABLE)
    except ArkivError as exc:
        return FileResult(name, Status.FAILED, message=str(exc), reason=Reason.ERROR)
    except Exception as exc:  # a parser bug must not stop the other files
        return FileResult(name, Status.FAILED, message=f"{name}: intern fejl under læsning: {exc!r}", reason=Reason.ERROR)


def parse_bounded(data: bytes, sha: str, name: str, hints: Hints | None, ocr: OcrOptions,
                  limits: sandbox.Limits, progress_queue=None) -> Meeting | FileResult:
    """:func:`_parse_job` in a child process within ``limits``; a file over them is a failed result."""
    try:
        return sandbox.run(_parse_job, (data, sha, name, hints, ocr), name, limits, progress_queue)
    except LimitExceeded as exc:
        return FileResult(name, Status.FAILED, message=str(exc), reason=Reason.LIMIT)
    except sandbox.NotStarted as exc:
        return FileResult(name, Status.FAILED, message=str(exc), reason=Reason.ERROR)


def _parsed(jobs: Iterable[_Job], settings: Settings, workers: int,
            ocr: OcrOptions) -> Iterator[tuple[_Job, Meeting | FileResult | None]]:
    """Yield each job with its parse outcome, in order.

    Each file is parsed in a bounded child process (archive.sandbox), ``workers`` at once, while
    this process stores and indexes the ones before (the two halves cost about the same); a
    bounded window keeps memory flat.  Storing stays in this process, one file at a time, so
    crash-safety does not depend on the children.  With one worker, OCR reads a file's pages in
    parallel (``ocr.jobs`` Tesseract processes); with more, the workers share the cores.
    """
    limits = sandbox.Limits.of(settings)
    queue = sandbox.context().Queue() if ocr.progress else None
    in_child = OcrOptions(ocr.cache_dir, jobs=max(1, ocr.jobs // workers),
                          progress=sandbox.report_progress if ocr.progress else None)
    relay = threading.Thread(target=_relay, args=(queue, ocr.progress), daemon=True) if queue else None
    if relay:
        relay.start()
    window: deque[tuple[_Job, Future | None]] = deque()
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="parse") as pool:
            for job in jobs:
                future = None if job.result else pool.submit(parse_bounded, job.data, job.sha, job.path.name,
                                                               job.hints, in_child, limits, queue)
                window.append((job, future))
                if len(window) >= 4 * workers:
                    done, future = window.popleft()
                    yield done, future.result() if future else None
            while window:
                done, future = window.popleft()
                yield done, future.result() if future else None
    finally:
        if queue is not None and relay is not None:
            queue.put(None)
            relay.join(timeout=5)


def _relay(queue, progress) -> None:
    """Pass the workers' OCR progress to this process's bar, until None arrives."""
    while (message := queue.get()) is not None:
        progress(*message)


def _store(job: _Job, outcome: Meeting | FileResult | None,
           store: ArchiveStore) -> tuple[FileResult, Meeting | None, list[str]]:
    if not job.result and isinstance(outcome, Meeting):
        # Files are read ahead of storing (parsed side by side): a copy of one stored since is that one.
        job.result = _stored_elsewhere(job, store)
    if job.result:
        removed: list[str] = []
        if job.result.status is Status.UNCHANGED and job.previous != job.sha:
            removed = store.add_source(str(job.path), job.sha)
        return job.result, None, removed
    if isinstance(outcome, FileResult):
        outcome.path = str(job.path)
        return outcome, None, []
    if outcome is None:
        return FileResult(str(job.path), Status.FAILED, message=f"{job.path}: ikke læst", reason=Reason.ERROR), None, []
    store.save_original(job.data, job.path.suffix)
    stored = store.put_meeting(outcome, str(job.path), job.path.suffix, body_hint=job.hints.body)
    status = Status.UPDATED if job.previous else Status.ADDED
    warnings = [f"{job.path.name}: {w.text}" for w in outcome.warnings]
    if stored.joined:
        warnings.append(f"{job.path.name}: samme møde som en fil, der allerede er indlæst: gemt som endnu en "
                        f"original af mødet {stored.meeting.id}")
    result = FileResult(str(job.path), status, stored.meeting.id, len(stored.meeting.items), "; ".join(warnings),
                        joined=stored.joined,
                        single_item=any(w.code is Warn.NO_ITEMS for w in outcome.warnings),
                        lost_text=any(w.code is Warn.LOST_TEXT for w in outcome.warnings))
    return result, stored.meeting, stored.removed


def reconcile(store: ArchiveStore, engine: Index) -> int:
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
    store: ArchiveStore,
    engine: Index,
    *,
    progress: bool | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    lock_wait: float = 0.0,
    body: str = "",
    settings: Settings | None = None,
) -> IngestReport:
    """Ingest files and folders into ``store`` and ``engine`` (archive.indexing.Index).

    ``body`` names the body of every file (``arkiv ingest --body``), above any folder's arkiv.toml.
    ``settings``: how many parse workers and OCR jobs (the machine's defaults without them).
    """
    settings = settings or Settings.defaults(store.home)
    sandbox.prepare()           # the fork server warms up while this process reconciles and reads
    paths = list(paths)
    files, problems = discover(paths)
    roots = metadata_roots(paths)
    report = IngestReport(results=list(problems))
    for result in problems:
        if on_result:
            on_result(result)
    with store.write_lock(wait=lock_wait):
        report.repaired = reconcile(store, engine)
        pending: list[Meeting] = []
        pending_items = 0
        removed: list[str] = []
        show = progress if progress is not None else (len(files) >= 20 and sys.stderr.isatty())
        # OCR is slow even for one file: its pages are shown whenever someone watches.
        ocr_bar = ProgressBar() if (progress if progress is not None else sys.stderr.isatty()) else None
        ocr = OcrOptions(store.ocr_dir, jobs=settings.ocr_jobs, progress=ocr_bar)
        jobs = (_read(path, store, hints_for(path, roots, body)) for path in files)
        workers = settings.parse_workers if len(files) >= PARALLEL_MIN_FILES else 1
        stream: Iterable = _parsed(jobs, settings, workers, ocr)
        if show:
            stream = progress_bar(stream, len(files), "Indlæser", "fil", show=True)
        # A transactional engine (PostgreSQL) indexes a batch in the transaction that stores it:
        # store and index cannot disagree, and a crash loses the whole batch, which the next run
        # ingests again.  tantivy commits its batches on its own; reconcile catches up after a crash.
        batch = contextlib.ExitStack()
        within = store.db if engine.transactional else None
        in_batch = False
        try:
            for job, outcome in stream:
                if within is not None and not in_batch:
                    batch.enter_context(store.transaction())
                    in_batch = True
                result, meeting, gone = _store(job, outcome, store)
                report.results.append(result)
                # Structured (web.logs prints the fields as JSON): one event per file.
                log.info("ingest", extra={"fields": {
                    "event": "ingest", "file": result.path, "status": result.status.value,
                    "meeting": result.meeting_id or None, "items": result.items,
                    "reason": result.reason.value}})
                if on_result:
                    on_result(result)
                removed.extend(gone)
                pending = [m for m in pending if m.id not in gone]
                if meeting is not None:
                    pending = [m for m in pending if m.id != meeting.id] + [meeting]
                    pending_items += len(meeting.items) or 1
                if pending_items >= INDEX_BATCH_ITEMS:
                    engine.update(pending, remove_meeting_ids=removed, within=within)
                    batch.close()
                    pending, pending_items, removed, in_batch = [], 0, [], False
            if pending or removed:
                engine.update(pending, remove_meeting_ids=removed, within=within)
        except BaseException:
            if not batch.__exit__(*sys.exc_info()):
                raise
        batch.close()
        if ocr_bar:
            ocr_bar.close()
    return report


def _stored_job(store: ArchiveStore, name: str, sha: str, ext: str) -> _Job:
    """A stored original on its way to be parsed again; a missing or damaged one is done already."""
    job = _Job(Path(name), sha=sha)
    data = store.read_original(sha, ext)
    if data is None:
        job.result = FileResult(name, Status.FAILED, reason=Reason.ERROR, message=(
            f"{name}: den gemte original ({sha}{ext}) mangler; kør `arkiv check`"))
    elif sha256_bytes(data) != sha:
        job.result = FileResult(name, Status.FAILED, reason=Reason.ERROR, message=(
            f"{name}: den gemte original passer ikke med sin sha256 {sha}"))
    else:
        job.data = data
        job.hints = Hints(body=store.original_body_hint(sha), folder=Path(store.original_source(sha) or name).parent.name)
    return job


def reindex(store: ArchiveStore, engine: Index, *, lock_wait: float = 0.0,
            settings: Settings | None = None, progress: bool | None = None) -> IngestReport:
    """Re-parse every stored original and rebuild the index from scratch.

    Each original keeps its meeting (ids and twins stay as they are); the meeting
    shows whichever of its originals now parses best.  The originals are parsed as
    ingest parses files (bounded children, ``parse_workers`` at once).  ``progress``: a
    bar for the files and one for the meetings indexed (None: when stderr is a terminal).
    """
    report = IngestReport()
    settings = settings or Settings.defaults(store.home)
    sandbox.prepare()
    # OCR text comes from the cache: a file is never read by OCR twice.
    ocr = OcrOptions(store.ocr_dir, jobs=settings.ocr_jobs)
    with store.write_lock(wait=lock_wait):
        originals = store.stored_originals()
        jobs = (_stored_job(store, name, sha, ext) for name, sha, ext in originals)
        parsed = _parsed(jobs, settings, settings.parse_workers, ocr)
        for job, outcome in counted(parsed, len(originals), "Læser", "fil", progress):
            name = str(job.path)
            # A failure keeps the meeting as stored: nothing is lost by a reindex.
            if job.result is not None:
                report.results.append(job.result)
            elif isinstance(outcome, Meeting):
                stored = store.replace_parse(outcome)
                report.results.append(FileResult(name, Status.UPDATED, stored.id if stored else "", len(outcome.items)))
            else:
                failed = outcome or FileResult(name, Status.FAILED, reason=Reason.ERROR)
                report.results.append(FileResult(name, Status.FAILED, message=failed.message, reason=failed.reason))
        meetings = store.counts()["meetings"]
        engine.rebuild(counted(store.iter_meetings(), meetings, "Indekserer", "møde", progress))
    return report
