"""Scanned minutes for tests and ``make bench``: PDFs that hold only images of text.

``scanned_pdf`` typesets each page's text with fpdf2, rasterises it with PDFium
at a scanner's 200 dpi, skews, blurs and dusts it a little with Pillow, and puts
the image on an A4 page: no text layer, as a scanner makes it.  ``scanned_minutes`` does so for a
fictional meeting of ``benchmark.generate``; ``bench_ocr`` times OCR on it
through the real ``arkiv ingest`` and ``arkiv reindex``.
"""
from __future__ import annotations

import io
import random
import re
import subprocess
import time
from pathlib import Path
from typing import Any, Callable

DPI = 200
A4_MM = (210, 297)
FONT_PT = 11
LINE_MM = 5.5
LINES_PER_PAGE = 46
SKEW_DEGREES = 0.4
DUST = 300                  # dark specks per page


def page_image(text: str):
    """One A4 page of ``text`` (lines as given) as a greyscale Pillow image at DPI.

    The text is typeset by fpdf2 in Helvetica (a PDF standard font, so no font
    file is needed) and rasterised by PDFium, as a scanner would see the print.
    """
    import pypdfium2 as pdfium
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format="A4")
    pdf.core_fonts_encoding = "windows-1252"      # æ, ø, å and the en dash
    pdf.set_font("Helvetica", size=FONT_PT)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_y(20)
    for line in text.split("\n"):
        pdf.cell(0, LINE_MM, line, new_x="LMARGIN", new_y="NEXT")
    document = pdfium.PdfDocument(bytes(pdf.output()))
    try:
        return _scanner(document[0].render(scale=DPI / 72, grayscale=True).to_pil().convert("L"), text)
    finally:
        document.close()


def _scanner(image, text: str):
    """What a scanner adds to a clean print: a slight skew, blur and dust (the same for the same text)."""
    from PIL import Image, ImageFilter

    rng = random.Random(text)
    image = image.rotate(SKEW_DEGREES, resample=Image.Resampling.BICUBIC, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(0.7))
    width, height = image.size
    for _ in range(DUST):
        image.putpixel((rng.randrange(width), rng.randrange(height)), rng.randrange(0, 120))
    return image


def scanned_pdf(pages: list[str]) -> bytes:
    """A PDF with one full-page image per text and no text layer."""
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format="A4")
    for text in pages:
        pdf.add_page()
        buffer = io.BytesIO()
        page_image(text).save(buffer, format="PNG")
        pdf.image(buffer, x=0, y=0, w=A4_MM[0], h=A4_MM[1])
    return bytes(pdf.output())


def scanned_minutes(pages: int = 5, seed: int = 1) -> tuple[list[str], bytes]:
    """A fictional meeting's minutes (benchmark.generate) cut into ``pages`` scanned pages."""
    from .generate import meeting_spec, render_meeting

    lines = [line.rstrip() for line in render_meeting(meeting_spec(1, seed=seed, n_items=14)).split("\n")]
    lines = lines[: pages * LINES_PER_PAGE]
    texts = ["\n".join(lines[i:i + LINES_PER_PAGE]) for i in range(0, len(lines), LINES_PER_PAGE)]
    return texts, scanned_pdf(texts)


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]{2,}", text.lower())


def word_recall(expected: str, found: str) -> float:
    """Share of the words of ``expected`` (with repeats) that occur in ``found``."""
    wanted, seen = words(expected), set(words(found))
    return sum(1 for w in wanted if w in seen) / max(1, len(wanted))


def bench_ocr(work: Path, arkiv: Callable[..., list[str]], pages: int = 5) -> dict[str, Any]:
    """Time OCR: Tesseract alone per page, then ``arkiv ingest`` and ``arkiv reindex`` of a scanned file.

    ``arkiv(home, *args)`` is the command line that runs arkiv on an archive home.
    """
    import shutil

    import pypdfium2 as pdfium

    from archive.extract.files import extract_document
    from archive.extract.ocr import OcrOptions, find_engine, read_image, render
    from archive.store.sqlite import Store

    engine = find_engine()
    if engine is None:
        return {"skipped": "Tesseract med dansk sprogmodel er ikke installeret"}
    texts, data = scanned_minutes(pages)
    work.mkdir(parents=True, exist_ok=True)
    path = work / "scannet-referat.pdf"
    path.write_bytes(data)

    # Tesseract alone, one page after another, on the images the ingest renders.
    document = pdfium.PdfDocument(data)
    images = [render(document[i]) for i in range(len(document))]
    document.close()
    t0 = time.perf_counter()
    for number, image in enumerate(images, start=1):
        assert image is not None
        read_image(engine, image, path.name, number)
    serial = (time.perf_counter() - t0) / len(images)

    home = work / "home"
    shutil.rmtree(home, ignore_errors=True)
    timings = {}
    for step, args in (("ingest", ["ingest", "--no-progress", str(path)]), ("reindex", ["reindex"])):
        t0 = time.perf_counter()
        done = subprocess.run(arkiv(home, *args), capture_output=True, text=True)
        timings[step] = time.perf_counter() - t0
        if done.returncode != 0:
            raise RuntimeError(f"arkiv {step} of {path.name} failed: {done.stderr[-2000:]}")
    store = Store(home)
    meeting = next(store.iter_meetings())
    store.close()
    # The OCR text as ingest got it (from the cache: no second OCR) against the text drawn.
    read = extract_document(data, path.name, OcrOptions(cache_dir=home / "ocr")).text
    return {"engine": engine.key, "pages": len(texts), "ocr_seconds_per_page": serial,
            "ingest_seconds": timings["ingest"], "reindex_seconds": timings["reindex"],
            "ocr_pages": meeting.ocr_pages, "word_recall": word_recall("\n".join(texts), read)}
