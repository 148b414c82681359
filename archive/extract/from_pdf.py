"""PDF → blocks, page by page, with font size and weight per line (pdfminer.six).

``page_blocks`` is the one place that turns a page's layout into blocks: one
block per printed line, read top to bottom (lines that share a baseline are
one line, their pieces joined), with the line's font size, whether it is bold,
its indent, whether vertical space precedes it, and a bullet glyph turned into
a list item.  A page whose text layer is missing or unreadable (glyph codes
without a character map, ``(cid:12)``) yields no blocks and is listed in
``Document.pages_without_text``.  ``pdf_document`` then asks archive.extract.ocr which
pages to read from their image instead (none, unusable or garbage text layer)
and turns the text OCR reads into plain blocks marked ``ocr``.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import re
from dataclasses import dataclass

from archive import sandbox
from archive.errors import ExtractError
from archive.extract.blocks import LIST_ITEM, PARAGRAPH, Block, Document
from archive.extract.from_text import text_blocks
from archive.extract.ocr import OcrOptions, PageText, page_texts
from archive.text import clean_line

_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|,b\b|-b\b|bd\b", re.IGNORECASE)
# Bullet glyphs, including the private-use code points of Symbol/Wingdings bullets.
_BULLET = re.compile(r"^[\u2022\u2023\u2043\u2219\u25aa\u25ab\u25cf\u25e6\u25a0\u25a1\u27a2\u25ba\u2013\u00b7"
                     r"\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf02d\u2212o-]\s+(?=\S)")
_CID = re.compile(r"\(cid:\d+\)")
# Share of a page's characters that may be unreadable glyph codes before the page counts as without text.
_MAX_UNREADABLE = 0.3
_MIN_SIZE = 4.5


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


def _text_lines(layout):
    """Every text line of a page layout, however deeply pdfminer nested it."""
    from pdfminer.layout import LTTextLine

    stack = [layout]
    while stack:
        element = stack.pop()
        if isinstance(element, LTTextLine):
            yield element
            continue
        try:
            stack.extend(reversed(list(element)))
        except TypeError:
            continue


def _line(element) -> _Line | None:
    from pdfminer.layout import LTChar

    chars = [c for c in element if isinstance(c, LTChar) and c.get_text().strip()]
    # Rotated text (a signature stamp in the margin) and microscopic type are not the minutes.
    if not chars or sum(1 for c in chars if not c.upright or c.size < _MIN_SIZE) > len(chars) / 2:
        return None
    text = element.get_text().replace("\n", " ")
    if not text.strip():
        return None
    sizes = sorted(round(c.size * 2) / 2 for c in chars)
    bold = sum(1 for c in chars if _BOLD_FONT.search(c.fontname or "")) >= 0.6 * len(chars)
    return _Line(text, element.x0, element.x1, element.y1, element.y0, sizes[len(sizes) // 2], bold)


def _rows(lines: list[_Line]) -> list[list[_Line]]:
    """Lines grouped into printed rows (pieces of one baseline), top to bottom, left to right."""
    lines.sort(key=lambda ln: (-round(ln.top), ln.x0))
    rows: list[list[_Line]] = []
    for line in lines:
        if rows:
            last = rows[-1]
            top = min(piece.top for piece in last)
            bottom = max(piece.bottom for piece in last)
            overlap = min(top, line.top) - max(bottom, line.bottom)
            if overlap >= 0.5 * min(top - bottom, line.top - line.bottom):
                last.append(line)
                continue
        rows.append([line])
    for row in rows:
        row.sort(key=lambda ln: ln.x0)
    return rows


def page_blocks(layout, page_number: int) -> list[Block]:
    """One PDF page's layout (a pdfminer ``LTPage``) as blocks; [] when it has no usable text."""
    lines = [line for line in map(_line, _text_lines(layout)) if line is not None]
    if not lines:
        return []
    text = "".join(line.text for line in lines)
    if len("".join(_CID.findall(text))) > _MAX_UNREADABLE * len(text):
        return []
    glyph = _space_glyph(text)
    if glyph:
        for line in lines:
            line.text = line.text.replace(glyph, " ")
    rows = _rows(lines)
    tops = [max(p.top for p in row) for row in rows]
    pitches = sorted(a - b for a, b in zip(tops, tops[1:], strict=False) if a - b > 0)
    heights = sorted(max(p.top for p in row) - min(p.bottom for p in row) for row in rows)
    # The usual distance between lines; a paragraph break is clearly more (or a lot of empty space).
    line_height = heights[len(heights) // 2] if heights else 10.0
    pitches = [p for p in pitches if p > 0.6 * line_height] or pitches
    pitch = pitches[len(pitches) // 10] if pitches else 12.0
    left = min(line.x0 for line in lines)
    page_height = float(getattr(layout, "height", 0) or 842.0)
    blocks: list[Block] = []
    previous_top: float | None = None
    for row in rows:
        pieces = [clean_line(_CID.sub("", piece.text)) for piece in row]
        text = " ".join(p for p in pieces if p)
        top = max(p.top for p in row)
        if not text:
            continue
        distance = previous_top - top if previous_top is not None else 0.0
        gap = previous_top is not None and (distance > 1.4 * pitch or distance > pitch + 1.2 * line_height)
        previous_top = top
        kind = PARAGRAPH
        bullet = _BULLET.match(text)
        if bullet and len(text) > bullet.end():
            kind, text = LIST_ITEM, text[bullet.end():]
        sizes = [p.size for p in row]
        blocks.append(Block(
            text, kind=kind, y=round(1 - top / page_height, 3), level=1 if kind == LIST_ITEM else 0,
            bold=all(p.bold for p in row), size=max(set(sizes), key=sizes.count),
            page=page_number, gap=gap, indent=round(row[0].x0 - left, 1),
            cells=tuple(p for p in pieces if p) if len(row) > 1 else ()))
    return blocks


def pdf_document(data: bytes, name: str, ocr: OcrOptions | None = None) -> Document:
    """Every page's blocks, read by OCR where the text layer fails; an ExtractError when the file
    is no PDF or no page has text even by OCR."""
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    if not data.lstrip().startswith(b"%PDF"):
        raise ExtractError(f"{name}: ikke en PDF-fil (mangler %PDF i starten)")
    document = Document(name)
    pages: list[list[Block]] = []
    layer: list[str] = []            # each page's text as archive.extract.ocr judges it
    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager

        parser = PDFParser(io.BytesIO(data))
        pdf = PDFDocument(parser)
        document.created = _created(pdf)
        resources = PDFResourceManager(caching=True)
        # all_texts: text drawn inside a form XObject (some PDF printer drivers put each whole page in
        # one) is laid out as lines too; without it such a page looks empty and goes to OCR.
        device = _Counting(name, resources, laparams=LAParams(boxes_flow=None, all_texts=True))
        interpreter = PDFPageInterpreter(resources, device)
        sandbox.check_pages(name, _page_count(pdf))
        lines = 0
        for number, page in enumerate(PDFPage.create_pages(pdf), start=1):
            sandbox.check_pages(name, number)       # a page tree that lies about its count
            interpreter.process_page(page)
            layout = device.get_result()
            blocks = page_blocks(layout, number)
            lines += len(blocks)
            sandbox.check_lines(name, lines)
            if blocks:
                layer.append("\n".join(block.text for block in blocks))
            else:
                # Its raw text ("(cid:12)…" of a font without a character map, or nothing) tells
                # archive.extract.ocr whether the page is a scan, garbage or blank.
                document.pages_without_text.append(number)
                layer.append("".join(line.get_text() for line in _text_lines(layout)))
            pages.append(blocks)
    except sandbox.LimitExceeded:
        raise
    except PDFEncryptionError as exc:
        raise ExtractError(f"{name}: PDF-filen er krypteret og kan ikke læses ({type(exc).__name__})") from exc
    except Exception as exc:  # noqa: BLE001 — any failure of the PDF parser on these bytes is a broken file
        if not any(pages):
            raise ExtractError(f"{name}: PDF-filen er beskadiget eller afkortet ({type(exc).__name__})") from exc
    if not pages:
        raise ExtractError(f"{name}: PDF-filen er beskadiget eller afkortet (ingen sider)")
    options = ocr or OcrOptions()
    document.pages = page_texts(data, name, layer, cache_dir=options.cache_dir, jobs=options.jobs,
                                progress=options.progress)
    for read in document.pages:
        if read.ocr:
            pages[read.number - 1] = _ocr_blocks(read)
    if not any(pages):
        raise ExtractError(f"{name}: PDF-filen har ingen tekst, heller ikke ved OCR (tomme sider?)")
    document.blocks = [block for blocks in pages for block in blocks]
    return document


def _page_count(pdf) -> int:
    """The pages the page tree says it has (0 when it does not say): read before any page is."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.catalog.get("Pages")).get("Count"))
    except Exception:  # noqa: BLE001 — a broken page tree: the pages are counted as they are read
        return 0
    return count if isinstance(count, int) else 0


@functools.cache
def _counting_device():
    from pdfminer.converter import PDFPageAggregator

    class Counting(PDFPageAggregator):
        """pdfminer's layout device, counting the characters it is drawn: a page with a huge content
        stream (hundreds of thousands of tiny characters) is stopped at the text limit as it is drawn,
        before pdfminer's layout analysis, whose cost grows faster than the characters, starts on it."""

        def __init__(self, name: str, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.name = name
            self.chars = 0

        def render_char(self, *args, **kwargs):
            self.chars += 1
            if self.chars % 10_000 == 0:
                sandbox.check_text(self.name, self.chars)
            return super().render_char(*args, **kwargs)

    return Counting


def _Counting(name: str, *args, **kwargs):
    return _counting_device()(name, *args, **kwargs)


_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})(\d{2})")


def _created(pdf) -> dt.date | None:
    """The creation date in the PDF's info dictionary ("D:20190222214939+01'00'"), if it has one."""
    from pdfminer.pdftypes import resolve1

    for info in pdf.info or []:
        raw = resolve1(info.get("CreationDate")) if isinstance(info, dict) else None
        if isinstance(raw, bytes):
            raw = raw.decode("latin-1", "replace")
        m = _PDF_DATE.match(raw) if isinstance(raw, str) else None
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def _ocr_blocks(page: PageText) -> list[Block]:
    """The text OCR read on a page, as plain-text blocks marked as OCR text."""
    blocks = text_blocks(page.text)
    for block in blocks:
        block.page, block.ocr = page.number, True
    return blocks


def _space_glyph(text: str) -> str:
    """The glyph a broken text layer writes where spaces belong ("Referat!af!mødet!"), or "".

    Told per page: almost no spaces, and one punctuation character between words.
    """
    if not text or text.count(" ") > 0.05 * len(text):
        return ""
    for glyph in "!□#_~":
        between = len(re.findall(rf"\w{re.escape(glyph)}+\w", text))
        if between > 3 and between > text.count(" "):
            return glyph
    return ""
