"""PDF pages → text, by OCR where the text layer is missing or garbage.

``page_texts`` takes a PDF's bytes and its text layer page by page (from
whichever library the extractor uses) and returns each page's text: the text
layer when ``archive.extract.textquality`` finds it good (with spaces restored where a
producer put another character in their place), else the page rendered by
PDFium (pypdfium2) and read by Tesseract with its Danish model.  Mixed PDFs
are common: the choice is made per page.

Tesseract is called as a program (``tesseract stdin stdout``), one process per
page, so pages are read in parallel (``jobs``) with no shared engine; a wrapper
such as pytesseract would only add a temporary file around the same call.
Each process gets one OpenMP thread: on this 2-core machine a page took 1.7 s
with one thread and 1.8 s with two, so the cores are better spent on pages.

OCR results are cached under ``cache_dir`` by the file's sha256, per page, and
keyed by the engine's version and settings, so re-ingesting or reindexing a
file never reads the same page twice::

    <cache_dir>/ab/ab12…ef.json   {"engine": "tesseract 5.3.0 dan 300dpi", "pages": {"1": "…"}}
"""
from __future__ import annotations

import bisect
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, as_completed, wait
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

from archive.errors import ExtractError
from archive.extract import textquality
from archive.model import Meeting

LANGUAGE = "dan"
DPI = 300
MAX_PIXELS = 6000            # longest side of a rendered page (a poster at 300 dpi would be huge)
PAGE_TIMEOUT = 300           # seconds Tesseract may spend on one page
BLANK_LEVEL = 200            # a rendered page whose darkest pixel is lighter than this is blank
IMAGE_COVER = 0.5            # a page this much covered by images, with few words of text, is a scan
INSTALL_HINT = "installér Tesseract med dansk: sudo apt-get install tesseract-ocr tesseract-ocr-dan"

# (file name, pages read so far, pages to read in this file): called after every OCR'd page.
Progress = Callable[[str, int, int], None]


class ProgressBar:
    """A ``Progress`` that shows one bar on stderr over every page OCR reads, in any file.

    It appears with the first page to read, so an ingest without scans shows nothing.
    Thread-safe: an ingest's workers report through a relay thread.
    """

    def __init__(self) -> None:
        self._bar: Any = None           # a tqdm bar, made on first use
        self._done: dict[str, int] = {}
        self._lock = threading.Lock()

    def __call__(self, name: str, done: int, total: int) -> None:
        from tqdm import tqdm

        with self._lock:
            if self._bar is None:
                self._bar = tqdm(total=total, desc="OCR", unit="side", file=sys.stderr)
            elif done == 0:
                self._bar.total += total
            self._bar.set_postfix_str(name, refresh=False)
            self._bar.update(done - self._done.get(name, 0))
            self._done[name] = 0 if done == total else done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


@dataclass(frozen=True)
class OcrOptions:
    """How ``page_texts`` runs: where it caches, how many pages it reads at once, whom it tells."""
    cache_dir: Path | None = None
    jobs: int = 1
    progress: Progress | None = None


@dataclass(frozen=True)
class PageText:
    number: int          # 1-based
    text: str
    ocr: bool            # the text was read by OCR (a word may be misread)


@dataclass(frozen=True)
class Engine:
    """The Tesseract program found on this machine."""
    program: str
    version: str         # "tesseract 5.3.0"

    @property
    def key(self) -> str:
        """What the cached text depends on: engine version and settings."""
        return f"{self.version} {LANGUAGE} {DPI}dpi"


@lru_cache(maxsize=1)
def find_engine() -> Engine | None:
    """Tesseract with the Danish model, or None when either is missing."""
    program = shutil.which("tesseract")
    if program is None:
        return None
    try:
        version = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30)
        langs = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    if LANGUAGE not in langs.stdout.split():
        return None
    first = (version.stdout or version.stderr).strip().splitlines()
    return Engine(program, first[0].strip() if first else "tesseract")


def require_engine(name: str, pages: Sequence[int]) -> Engine:
    engine = find_engine()
    if engine is None:
        raise ExtractError(f"{name}: {_pages(pages)} er scannet eller uden brugbart tekstlag og skal læses med "
                           f"OCR, men Tesseract med dansk sprogmodel er ikke installeret; {INSTALL_HINT} "
                           "og indlæs filen igen")
    return engine


def _pages(numbers: Sequence[int]) -> str:
    listed = ", ".join(map(str, numbers[:10])) + (" …" if len(numbers) > 10 else "")
    return f"side {listed}" if len(numbers) == 1 else f"siderne {listed}"


# -- the cache -------------------------------------------------------------

class Cache:
    """One file's OCR'd pages on disk (None for a blank page); written after every page, atomically."""

    def __init__(self, cache_dir: Path | None, sha256: str, key: str):
        self.path = cache_dir / sha256[:2] / f"{sha256}.json" if cache_dir else None
        self.key = key
        self.pages: dict[str, str | None] = {}
        self._lock = threading.Lock()
        if self.path and self.path.exists():
            try:
                stored = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                stored = {}          # a damaged entry is read again, not trusted
            if isinstance(stored, dict) and stored.get("engine") == key and isinstance(stored.get("pages"), dict):
                self.pages = {str(k): v for k, v in stored["pages"].items() if v is None or isinstance(v, str)}

    def __contains__(self, number: int) -> bool:
        return str(number) in self.pages

    def get(self, number: int) -> str | None:
        return self.pages.get(str(number))

    def put(self, number: int, text: str | None) -> None:
        with self._lock:
            self.pages[str(number)] = text
            if self.path is None:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps({"engine": self.key, "pages": self.pages}, ensure_ascii=False),
                           encoding="utf-8")
            os.replace(tmp, self.path)


# -- rendering and reading -------------------------------------------------

def _image_cover(page) -> float:
    """Share of the page's area under images (overlaps counted twice; capped at 1)."""
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    if width <= 0 or height <= 0:
        return 0.0
    area = 0.0
    for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
        left, bottom, right, top = image.get_bounds()
        area += max(0.0, right - left) * max(0.0, top - bottom)
    return min(1.0, area / (width * height))


def _draws(page) -> bool:
    """Whether anything but text objects is on the page: an image, a path, a shading."""
    import pypdfium2.raw as pdfium_c

    kinds = (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_SHADING)
    return any(True for _ in page.get_objects(filter=kinds, max_depth=4))


def _needs_ocr(page, quality: textquality.Quality) -> bool:
    """A garbage layer; an empty one on a page that draws something; or a few words on a scan."""
    if quality.verdict == "garbage":
        return True
    if quality.verdict == "empty":
        return _draws(page)          # text objects alone with no text: a blank page
    return quality.words < textquality.MIN_WORDS and _image_cover(page) >= IMAGE_COVER


def render(page) -> bytes | None:
    """The page as a greyscale PGM at DPI, or None when it is blank."""
    width, height = page.get_size()
    scale = min(DPI / 72, MAX_PIXELS / max(width, height, 1))
    image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
    darkest, _ = image.getextrema()
    if darkest >= BLANK_LEVEL:
        return None
    out = io.BytesIO()
    image.save(out, format="PPM")
    return out.getvalue()


def read_image(engine: Engine, image: bytes, name: str, number: int) -> str:
    """Tesseract's text for one page image (PGM/PNG bytes)."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run([engine.program, "stdin", "stdout", "-l", LANGUAGE, "--dpi", str(DPI)],
                              input=image, capture_output=True, timeout=PAGE_TIMEOUT, env=env)
    except subprocess.TimeoutExpired as exc:
        raise ExtractError(f"{name}: OCR af side {number} tog mere end {PAGE_TIMEOUT} sekunder") from exc
    except OSError as exc:
        raise ExtractError(f"{name}: Tesseract kunne ikke startes ({exc.strerror or exc})") from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExtractError(f"{name}: OCR af side {number} fejlede ({reason[-1] if reason else done.returncode})")
    return done.stdout.decode("utf-8", "replace").replace("\f", "").strip("\n") + "\n"


def _known_words(text: str) -> float:
    words, share = textquality.dictionary_share(text)
    return words * share


# -- the public function ---------------------------------------------------

def page_texts(data: bytes, name: str, layer: Sequence[str], *, cache_dir: Path | None = None,
               jobs: int = 1, progress: Progress | None = None) -> list[PageText]:
    """Each page's text: its text layer when good, else what OCR reads on it.

    ``layer`` holds the text layer of every page, in order.  A page goes to OCR
    when its layer is empty or garbage (``textquality.assess``), or when it holds
    only a few words on a page mostly covered by images (a scan with a stamped
    header).  Where the layer was usable, the OCR text replaces it only when it
    holds more dictionary words.  A blank page is not read: one that draws
    nothing is known from its objects, one that draws only white when rendered.
    """
    import pypdfium2 as pdfium

    qualities = [textquality.assess(text) for text in layer]
    out = [PageText(n, textquality.restore_spaces(text, q.space_substitute), False)
           for n, (text, q) in enumerate(zip(layer, qualities, strict=True), start=1)]
    if all(q.verdict == "good" and q.words >= textquality.MIN_WORDS for q in qualities):
        return out                      # the common case: no page needs PDFium
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ExtractError(f"{name}: PDF'en kan ikke tegnes til OCR ({exc})") from exc
    try:
        pages = min(len(layer), len(document))
        candidates = [n for n in range(1, pages + 1) if _needs_ocr(document[n - 1], qualities[n - 1])]
        read = _read_pages(document, candidates, data, name, cache_dir, jobs, progress)
    finally:
        document.close()
    for n, text in read.items():
        quality = qualities[n - 1]
        unusable = quality.verdict == "empty" or quality.control_share > textquality.MAX_CONTROL_SHARE
        if text is None:                # a blank page: nothing to read
            if unusable:
                out[n - 1] = PageText(n, "", False)
        elif unusable or _known_words(text) > _known_words(out[n - 1].text):
            out[n - 1] = PageText(n, text, bool(text.strip()))    # a photo without text: nothing read
    return out


def _read_pages(document, numbers: list[int], data: bytes, name: str, cache_dir: Path | None, jobs: int,
                progress: Progress | None) -> dict[int, str | None]:
    """OCR text of the pages ``numbers`` (None for a blank page), from the cache where it has them."""
    if not numbers:
        return {}
    engine = find_engine()
    if engine is None:
        # Blank pages pass without Tesseract; any other page needs it.
        needed = [n for n in numbers if render(document[n - 1]) is not None]
        if needed:
            require_engine(name, needed)
        return dict.fromkeys(numbers)
    cache = Cache(cache_dir, hashlib.sha256(data).hexdigest(), engine.key)
    read: dict[int, str | None] = {n: cache.get(n) for n in numbers if n in cache}
    todo = [n for n in numbers if n not in read]
    cached = len(read)
    if not todo:
        return read
    if progress:
        progress(name, 0, len(todo))

    def record(n: int, text: str | None) -> None:
        read[n] = text
        cache.put(n, text)
        if progress:
            progress(name, len(read) - cached, len(todo))

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        running: dict[Future, int] = {}
        for n in todo:
            # PDFium is not thread-safe: pages are rendered here, one at a time, while
            # Tesseract reads the ones before; at most jobs + 1 wait in memory.
            while len(running) > max(1, jobs):
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    record(running.pop(future), future.result())
            image = render(document[n - 1])
            if image is None:
                record(n, None)
            else:
                running[pool.submit(read_image, engine, image, name, n)] = n
        for future in as_completed(running):
            record(running[future], future.result())
    return read


# -- marking what came from OCR ---------------------------------------------

_KEY = 40                    # characters (letters and digits) that locate a text on its pages


def _squash(text: str) -> str:
    """Letters and digits only, lowercased: the same on a page and in the parsed item."""
    return re.sub(r"[\W_]+", "", text.lower())


def mark_ocr(meeting: Meeting, pages: Sequence[PageText]) -> None:
    """Record the pages read by OCR on ``meeting`` and flag each item whose text stands on one.

    The parser sees no page breaks, so an item is found on the pages by the
    first and last characters of its text.  An item that cannot be found there
    is flagged whenever any page was read by OCR: a reader is rather warned once
    too often than not at all.
    """
    meeting.ocr_pages = [page.number for page in pages if page.ocr]
    if not meeting.ocr_pages:
        for item in meeting.items:
            item.ocr = False
        return
    flat = ""
    starts: list[int] = []           # offset in ``flat`` where each page begins
    for page in pages:
        starts.append(len(flat))
        flat += _squash(page.text)
    ocr = {i for i, page in enumerate(pages) if page.ocr}
    offset = 0
    for item in meeting.items:
        # The body is searched rather than the title, which may also stand in an agenda list.
        fields = [_squash(t) for t in (item.description, item.recommendation, item.minutes) if t.strip()]
        fields = [f for f in fields if f] or [_squash(item.title)]
        head = flat.find(fields[0][:_KEY], offset) if fields[0] else -1
        tail = flat.find(fields[-1][-_KEY:], head) if head >= 0 else -1
        if tail < 0:
            item.ocr = True
            continue
        first = bisect.bisect_right(starts, head) - 1
        last = bisect.bisect_right(starts, tail + len(fields[-1][-_KEY:]) - 1) - 1
        item.ocr = any(i in ocr for i in range(first, last + 1))
        offset = head
