"""Files in, meetings stored, index updated: the one ingest path.

Order of work for each file, chosen so that a crash at any moment leaves the
archive consistent and a re-run completes it:

1. read the bytes; an unchanged file (same sha256 as last time) stops here;
2. extract text (scanned pages by OCR, cached under ``<home>/ocr``) and parse
   it (errors are reported for that file only);
3. copy the original into the content-addressed store (atomic rename);
4. store the parsed meeting in one SQLite transaction;
5. update the index in batches.  If the process dies before a batch is
   committed, ``reconcile`` at the start of the next run re-indexes every
   meeting whose indexed version differs from the store's.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import config
from .errors import ArkivError
from .extract import SUPPORTED, extract_document
from .ids import assign_ids
from .model import Meeting
from .ocr import OcrOptions, ProgressBar, mark_ocr
from .parse import parse_text
from .store import Store, sha256_bytes

MAX_FILE_BYTES = 50 * 1024 * 1024
INDEX_BATCH_ITEMS = 2000
# Parsing moves to worker processes (config "parse-workers") for larger ingests
# (start-up costs ~0.3 s).
PARALLEL_MIN_FILES = 40
# Tesseract processes at once: OCR reads a file's pages in parallel, sharing the cores with the workers.
CORES = max(1, os.cpu_count() or 1)


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
                        and child.suffix.lower() in SUPPORTED:
                    files.append(child)
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED:
                files.append(path)
            else:
                problems.append(FileResult(str(path), "failed", message=(
                    f"{path}: unsupported file type '{path.suffix or '(none)'}' "
                    f"(known: {', '.join(SUPPORTED)})")))
        else:
            problems.append(FileResult(str(path), "failed", message=f"{path}: no such file or folder"))
    # The same file named twice (or via a folder and by name) is ingested once.
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, problems


def parse_file(data: bytes, sha256: str, name: str, ocr: OcrOptions | None = None) -> Meeting:
    """Extract and parse one file's bytes into a meeting with stable ids.

    ``name`` is the file's name as the user knows it (a stored original's own
    name is its sha256); it feeds the ids' fallback, so it must stay the same
    across re-ingest and reindex.
    """
    extracted = extract_document(data, name, ocr)
    meeting = parse_text(extracted.text, filename=name)
    mark_ocr(meeting, extracted.pages)
    meeting.source_file = name
    meeting.source_sha256 = sha256
    return assign_ids(meeting)


@dataclass
class _Job:
    """One file on its way through ingest: read in the main process, parsed anywhere."""
    path: Path
    data: bytes = b""
    sha: str = ""
    previous: str | None = None
    result: FileResult | None = None    # set when the file is done before parsing


def _read(path: Path, store: Store) -> _Job:
    job = _Job(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ArkivError(f"{path}: file is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB")
        job.data = path.read_bytes()
    except OSError as exc:
        job.result = FileResult(str(path), "failed", message=f"{path}: cannot read ({exc.strerror or exc})")
        return job
    except ArkivError as exc:
        job.result = FileResult(str(path), "failed", message=str(exc))
        return job
    job.sha = sha256_bytes(job.data)
    job.previous = store.source_sha256(str(path))
    if job.previous == job.sha:
        job.result = FileResult(str(path), "unchanged")
    return job


# A worker's way to report OCR progress to the ingest process (set by _init_worker).
_progress_queue = None


def _report_progress(name: str, done: int, total: int) -> None:
    if _progress_queue is not None:
        _progress_queue.put((name, done, total))


def _init_worker(parent: int, progress_queue) -> None:
    """Worker initializer: keep the progress queue; end this worker when the ingest process is gone.

    A SIGKILLed ingest cannot shut its pool down, and a worker blocked on its
    task queue never notices on its own.
    """
    global _progress_queue
    _progress_queue = progress_queue

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _parse_job(data: bytes, sha: str, name: str, ocr: OcrOptions | None = None) -> Meeting | str:
    """Parse in a worker: a Meeting, or the one-line reason it failed."""
    try:
        return parse_file(data, sha, name, ocr)
    except ArkivError as exc:
        return str(exc)
    except Exception as exc:  # a parser bug must not stop the other files
        return f"{name}: internal error while parsing: {exc!r}"


def _parsed(jobs: Iterable[_Job], workers: int, ocr: OcrOptions) -> Iterator[tuple[_Job, Meeting | str | None]]:
    """Yield each job with its parse outcome, in order.

    With workers, extraction and parsing run in other processes while this one
    stores and indexes (the two halves cost about the same); a bounded window
    keeps memory flat.  Storing stays in this process, one file at a time, so
    crash-safety does not depend on the workers.  Without workers, OCR still
    reads a file's pages in parallel (``ocr.jobs`` Tesseract processes).
    """
    if workers <= 1:
        for job in jobs:
            yield job, None if job.result else _parse_job(job.data, job.sha, job.path.name, ocr)
        return
    context = multiprocessing.get_context("spawn")
    queue = context.Queue() if ocr.progress else None
    # Workers share the cores: each reads its file's pages one at a time.
    in_worker = OcrOptions(ocr.cache_dir, jobs=max(1, ocr.jobs // workers),
                           progress=_report_progress if ocr.progress else None)
    relay = threading.Thread(target=_relay, args=(queue, ocr.progress), daemon=True) if queue else None
    if relay:
        relay.start()
    window: deque[tuple[_Job, Future | None]] = deque()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                 initializer=_init_worker, initargs=(os.getpid(), queue)) as pool:
            for job in jobs:
                future = None if job.result else pool.submit(_parse_job, job.data, job.sha, job.path.name,
                                                               in_worker)
                window.append((job, future))
                if len(window) >= 8 * workers:
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


def _store(job: _Job, outcome: Meeting | str | None, store: Store) -> tuple[FileResult, Meeting | None, list[str]]:
    if job.result:
        return job.result, None, []
    if isinstance(outcome, str):
        return FileResult(str(job.path), "failed", message=outcome), None, []
    assert outcome is not None      # a job without a result was parsed
    meeting = outcome
    store.save_original(job.data, job.path.suffix)
    removed = store.put_meeting(meeting, str(job.path), job.path.suffix)
    status = "updated" if job.previous else "added"
    message = "; ".join(f"{job.path.name}: {w}" for w in meeting.warnings)
    return FileResult(str(job.path), status, meeting.id, len(meeting.items), message), meeting, removed


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
        pending_items = 0
        removed: list[str] = []
        show = progress if progress is not None else (len(files) >= 20 and sys.stderr.isatty())
        # OCR is slow even for one file: its pages are shown whenever someone watches.
        ocr_bar = ProgressBar() if (progress if progress is not None else sys.stderr.isatty()) else None
        ocr = OcrOptions(store.ocr_dir, jobs=CORES, progress=ocr_bar)
        jobs = (_read(path, store) for path in files)
        workers = config.get_int("parse-workers") if len(files) >= PARALLEL_MIN_FILES else 1
        stream: Iterable = _parsed(jobs, workers, ocr)
        if show:
            from tqdm import tqdm
            stream = tqdm(stream, total=len(files), desc="Indlæser", unit="fil", file=sys.stderr)
        for job, outcome in stream:
            result, meeting, gone = _store(job, outcome, store)
            report.results.append(result)
            if on_result:
                on_result(result)
            if meeting is not None:
                pending.append(meeting)
                pending_items += len(meeting.items)
                removed.extend(gone)
            if pending_items >= INDEX_BATCH_ITEMS:
                engine.update(pending, remove_meeting_ids=removed)
                pending, pending_items, removed = [], 0, []
        if pending or removed:
            engine.update(pending, remove_meeting_ids=removed)
        if ocr_bar:
            ocr_bar.close()
    return report


def reindex(store: Store, engine, *, lock_wait: float = 0.0) -> IngestReport:
    """Re-parse every stored original and rebuild the index from scratch."""
    report = IngestReport()
    # OCR text comes from the cache: a file is never read by OCR twice.
    ocr = OcrOptions(store.ocr_dir, jobs=CORES)
    with store.write_lock(wait=lock_wait):
        for source, sha, original in store.originals_to_reparse():
            # A failure keeps the meeting as stored: nothing is lost by a reindex.
            try:
                data = original.read_bytes()
            except OSError as exc:
                report.results.append(FileResult(source, "failed", message=f"{original}: cannot read ({exc})"))
                continue
            if sha256_bytes(data) != sha:
                outcome: Meeting | str = f"{original}: stored original does not match its sha256 {sha}"
            else:
                outcome = _parse_job(data, sha, Path(source).name, ocr)
            if isinstance(outcome, str):
                report.results.append(FileResult(source, "failed", message=outcome))
                continue
            store.put_meeting(outcome, source, original.suffix)
            report.results.append(FileResult(source, "updated", outcome.id, len(outcome.items)))
        engine.rebuild(store.iter_meetings())
    return report
