"""Read one file in a process of its own, within limits: CPU seconds, memory, the size of what
it yields (items, bytes) and, for Word files, the size unzipped.

A hostile or broken file (a DOCX repeating one paragraph 300,000 times, a PDF that takes
minutes of CPU, a zip bomb) must fail alone, with a Danish message naming the file and the
limit, while the other files of the ingest go in and the archive stays usable.  Limits inside
the ingest process cannot do that: a runaway parse there holds the write lock, and a memory
limit there would end the whole ingest.  So every file is parsed in a child process that
``resource.setrlimit`` bounds, and that the ingest process kills when it overruns anyway.

The children are forked from multiprocessing's fork server, which imports the parser and
reads the lexicon once (:mod:`archive.sandbox_warm`): a child starts in milliseconds, warm,
and single-threaded (forking the ingest or web process itself could copy a lock some other
thread holds).
"""
from __future__ import annotations

import math
import multiprocessing
import os
import pickle
import resource
import signal
import sys
import threading
import time
import zipfile
from dataclasses import dataclass
from io import BytesIO
from typing import Any, Callable

from archive.errors import ArkivError

MB = 1_000_000
MIB = 2**20
# The child's own clock is the CPU limit; the ingest process also gives up on a child after this
# much wall-clock time per CPU second allowed (OCR waits on Tesseract, a slow disk waits too).
WALL_PER_CPU_SECOND = 4
ZIPPED = (".docx",)


class LimitExceeded(ArkivError):
    """A file that went over one of its reading limits; the message is Danish and names both."""


class NotStarted(ArkivError):
    """The child that would read a file could not be started (the message is Danish)."""


@dataclass(frozen=True)
class Limits:
    """What reading one file may use (archive.settings: ARKIV_PARSE_*)."""
    cpu_seconds: int = 180
    memory_mb: int = 2048
    max_items: int = 1000
    max_output_mb: int = 64
    max_unzipped_mb: int = 100
    analysis_cache: int = 0          # the word caches' size in the child (0: as the fork server has it)
    max_text_chars: int = 1_000_000
    max_lines: int = 30_000
    max_pages: int = 200

    @classmethod
    def of(cls, settings: Any) -> Limits:
        return cls(settings.parse_cpu_seconds, settings.parse_memory_mb, settings.parse_max_items,
                   settings.parse_max_output_mb, settings.parse_max_unzipped_mb, settings.analysis_cache,
                   settings.parse_max_text_chars, settings.parse_max_lines, settings.parse_max_pages)

    @property
    def wall_seconds(self) -> float:
        return self.cpu_seconds * WALL_PER_CPU_SECOND


# --------------------------------------------------------------------------- messages
def cpu_message(name: str, limits: Limits) -> str:
    return (f"{name}: læsningen af filen er stoppet ved grænsen på {limits.cpu_seconds} sekunders CPU-tid "
            f"(ARKIV_PARSE_CPU_SECONDS); filen er ikke indlæst")


def memory_message(name: str, limits: Limits) -> str:
    return (f"{name}: læsningen af filen er stoppet ved grænsen på {limits.memory_mb} MiB hukommelse "
            f"(ARKIV_PARSE_MEMORY_MB); filen er ikke indlæst")


def items_message(name: str, count: int, limits: Limits) -> str:
    return (f"{name}: filen giver {count} dagsordenspunkter; grænsen er {limits.max_items} "
            f"(ARKIV_PARSE_MAX_ITEMS); filen er ikke indlæst")


def output_message(name: str, size: int, limits: Limits) -> str:
    return (f"{name}: det læste møde fylder {size / MB:.0f} MB; grænsen er {limits.max_output_mb} MB "
            f"(ARKIV_PARSE_MAX_OUTPUT_MB); filen er ikke indlæst")


def unzipped_message(name: str, size: int, limits: Limits) -> str:
    return (f"{name}: filen fylder {size / MB:.0f} MB udpakket; grænsen er {limits.max_unzipped_mb} MB "
            f"(ARKIV_PARSE_MAX_UNZIPPED_MB); filen er ikke indlæst")


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")     # Danish: 2.000.000


def text_message(name: str, limits: Limits) -> str:
    return (f"{name}: filen har mere tekst end grænsen på {_thousands(limits.max_text_chars)} tegn "
            f"(ARKIV_PARSE_MAX_TEXT_CHARS); filen er ikke indlæst")


def lines_message(name: str, limits: Limits) -> str:
    return (f"{name}: filen har flere linjer tekst end grænsen på {_thousands(limits.max_lines)} "
            f"(ARKIV_PARSE_MAX_LINES); filen er ikke indlæst")


def pages_message(name: str, count: int, limits: Limits) -> str:
    return (f"{name}: filen har {count} sider; grænsen er {limits.max_pages} "
            f"(ARKIV_PARSE_MAX_PAGES); filen er ikke indlæst")


def wall_message(name: str, limits: Limits) -> str:
    return (f"{name}: læsningen af filen tog mere end {limits.wall_seconds:.0f} sekunder og er stoppet; "
            f"filen er ikke indlæst")


def died_message(name: str, exitcode: int | None, limits: Limits) -> str:
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"kode {exitcode}"
    return (f"{name}: læsningen af filen stoppede uventet ({how}), sandsynligvis ved grænsen på "
            f"{limits.memory_mb} MiB hukommelse (ARKIV_PARSE_MEMORY_MB); filen er ikke indlæst")


# --------------------------------------------------------------------------- in the child
# Where a child sends OCR's progress (a multiprocessing queue the caller relays to its bar).
_progress_queue: Any = None


def report_progress(name: str, done: int, total: int) -> None:
    """An OCR progress callback for the child (picklable: a module-level function)."""
    if _progress_queue is not None:
        _progress_queue.put((name, done, total))


def unzipped_size(data: bytes) -> int:
    """What a zip archive (a DOCX) says its members fill unpacked (0: not a readable zip)."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0        # the extractor says what is wrong with it


# The limits of the file this child reads (None outside a child: extracting in-process is unbounded).
_limits: Limits | None = None


def check_text(name: str, chars: int) -> None:
    """Refuse a file whose text (so far) is over the limit: the extractors call this as they go,
    so that a file is stopped before the parser spends minutes on it."""
    if _limits is not None and chars > _limits.max_text_chars:
        raise LimitExceeded(text_message(name, _limits))


def check_lines(name: str, count: int) -> None:
    """Refuse a file with more lines (blocks) than the limit; the parser's cost grows with them."""
    if _limits is not None and count > _limits.max_lines:
        raise LimitExceeded(lines_message(name, _limits))


def check_pages(name: str, count: int) -> None:
    """Refuse a PDF with more pages than the limit (before its pages are read)."""
    if _limits is not None and count > _limits.max_pages:
        raise LimitExceeded(pages_message(name, count, _limits))


def _on_cpu_limit(signum: int, frame: Any) -> None:
    raise LimitExceeded("cpu")


def _bound(limits: Limits) -> None:
    """This process's limits.  The soft CPU limit raises LimitExceeded (SIGXCPU) where Python
    code runs; the hard one, a few seconds later, kills a child stuck in C code."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = math.ceil(used.ru_utime + used.ru_stime)
    signal.signal(signal.SIGXCPU, _on_cpu_limit)
    resource.setrlimit(resource.RLIMIT_CPU, (spent + limits.cpu_seconds, spent + limits.cpu_seconds + 5))
    memory = limits.memory_mb * MIB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # The child writes only OCR's cache and Tesseract's page images: nothing near this.
    output = max(limits.max_output_mb, 64) * MB
    resource.setrlimit(resource.RLIMIT_FSIZE, (output, output))


def _exit_with(parent: int) -> None:
    """End this child when the process that asked for it is gone (a SIGKILLed ingest cannot)."""
    def watch() -> None:
        while True:
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:
                pass
            time.sleep(0.5)
    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _child(conn: Any, parent: int, limits: Limits, name: str, work: Callable[..., Any], args: tuple,
           progress_queue: Any) -> None:
    """The child's whole life: bound itself, do ``work(*args)``, hand back the pickled outcome
    or a ("limit", message) pair."""
    global _progress_queue, _limits
    _exit_with(parent)
    _limits = limits
    try:
        _bound(limits)
        if limits.analysis_cache:
            from archive import word_caches
            word_caches.resize(limits.analysis_cache)
        _progress_queue = progress_queue
        if name.lower().endswith(ZIPPED) and (size := unzipped_size(args[0])) > limits.max_unzipped_mb * MB:
            raise LimitExceeded(unzipped_message(name, size, limits))
        outcome = work(*args)
        items = getattr(outcome, "items", None)
        if isinstance(items, list) and len(items) > limits.max_items:
            raise LimitExceeded(items_message(name, len(items), limits))
        payload = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
        del outcome
        if len(payload) > limits.max_output_mb * MB:
            raise LimitExceeded(output_message(name, len(payload), limits))
        conn.send_bytes(payload)
    except LimitExceeded as exc:
        conn.send(("limit", cpu_message(name, limits) if str(exc) == "cpu" else str(exc)))
    except MemoryError:
        conn.send(("limit", memory_message(name, limits)))
    finally:
        conn.close()


# --------------------------------------------------------------------------- in the caller
_context_lock = threading.Lock()
_context: Any = None


def _preload() -> list[str]:
    """What the fork server imports: the warm parser, and this program's main module, which
    multiprocessing makes every child import again unless the server has it already."""
    main = sys.modules.get("__main__")
    name = getattr(getattr(main, "__spec__", None), "name", None) or ""
    if name and not name.endswith("__main__"):
        return ["archive.sandbox_warm", name]       # `python -m arkiv.cli`: the child reruns only its body
    if os.path.isfile(getattr(main, "__file__", None) or ""):
        return ["__main__", "archive.sandbox_warm"]  # a script (`arkiv`, gunicorn): imported once, there
    return ["archive.sandbox_warm"]


def context() -> Any:
    """multiprocessing's fork-server context, its server preloading the warm parser."""
    global _context
    with _context_lock:
        if _context is None:
            made = multiprocessing.get_context("forkserver")
            made.set_forkserver_preload(_preload())
            _context = made
        return _context


def prepare() -> None:
    """Start the fork server now, so that it loads the parser while the caller opens its index
    and reads its first files, not when the first file is ready to be parsed."""
    context()
    from multiprocessing import forkserver

    forkserver.ensure_running()


def run(work: Callable[..., Any], args: tuple, name: str, limits: Limits, progress_queue: Any = None) -> Any:
    """``work(*args)`` (a module-level function: it is pickled by name) in a bounded child.

    Returns its outcome, or raises LimitExceeded with the Danish message naming ``name`` and the
    limit it went over.  Thread-safe: ingest runs several at once from a thread pool.
    """
    ctx = context()
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, os.getpid(), limits, name, work, args, progress_queue),
                        name=f"arkiv-parse {name}", daemon=True)
    try:
        child.start()
    except OSError as exc:      # the fork server is gone (killed); the next file starts a new one
        receive.close()
        send.close()
        raise NotStarted(f"{name}: processen, der skulle læse filen, kunne ikke startes ({exc}); "
                         "filen er ikke indlæst") from exc
    send.close()
    try:
        payload: Any = None
        if receive.poll(limits.wall_seconds):
            try:
                payload = receive.recv_bytes()
            except EOFError:        # died without a word: killed by its limits (or a crash in C)
                payload = None
        else:
            child.kill()
            raise LimitExceeded(wall_message(name, limits))
    finally:
        receive.close()
        child.join(5)
        if child.exitcode is None:
            child.kill()
            child.join(5)
    if payload is None:
        if child.exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
            raise LimitExceeded(cpu_message(name, limits))
        raise LimitExceeded(died_message(name, child.exitcode, limits))
    outcome = pickle.loads(payload)
    if isinstance(outcome, tuple) and len(outcome) == 2 and outcome[0] == "limit":
        raise LimitExceeded(outcome[1])
    return outcome
