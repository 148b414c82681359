"""File → text, for every format arkiv ingests.

Every failure is an ExtractError whose message is one line naming the file
and the reason.  The text returned is raw (newlines normalised, no BOM); the
clean-up that repairs layout damage lives in archive.text and runs in the parser.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ExtractError
from .ocr import OcrOptions, PageText, page_texts
from .textquality import CONTROL as _CONTROL

SUPPORTED = (".txt", ".md", ".markdown", ".pdf", ".html", ".htm", ".docx")

# Share of control characters (other than tab/newline/form feed) above which text is junk.
_MAX_CONTROL_RATIO = 0.05

_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "table", "section", "article", "header", "footer",
               "blockquote", "pre", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6")


def extract_text(path: Path) -> str:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"{path.name}: cannot read file ({exc.strerror or exc})") from exc
    return extract_bytes(data, path.name)


@dataclass
class Extracted:
    text: str
    pages: list[PageText] = field(default_factory=list)   # a PDF's pages, each marked if read by OCR


def extract_bytes(data: bytes, name: str, ocr: OcrOptions | None = None) -> str:
    return extract_document(data, name, ocr).text


def extract_document(data: bytes, name: str, ocr: OcrOptions | None = None) -> Extracted:
    """The file's text, and for a PDF its pages (which of them OCR read)."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise ExtractError(f"{name}: unsupported file type {suffix or '(none)'!r}")
    if not data.strip():
        raise ExtractError(f"{name}: empty file")
    pages: list[PageText] = []
    if suffix == ".pdf":
        pages = _pdf(data, name, ocr or OcrOptions())
        text = "\f".join(page.text for page in pages)
    elif suffix == ".docx":
        text = _docx(data, name)
    else:
        text = _decode(data, name)
        if suffix in (".html", ".htm"):
            text = _html(text)
    text = _normalise_newlines(text)
    _check_text(text, name)
    return Extracted(text, pages)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def _check_text(text: str, name: str) -> None:
    if not text.strip():
        raise ExtractError(f"{name}: no text in file")
    controls = len(_CONTROL.findall(text))
    if controls / max(len(text), 1) > _MAX_CONTROL_RATIO:
        raise ExtractError(f"{name}: binary data, not text ({controls} control characters)")


def _decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM); otherwise the detected legacy encoding."""
    if data.count(b"\x00") > len(data) * _MAX_CONTROL_RATIO:
        raise ExtractError(f"{name}: binary data, not text (NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "iso8859_15", "cp850", "utf_16"]).best()
    if best is None:
        raise ExtractError(f"{name}: binary data, not text (no known encoding)")
    encoding = best.encoding
    # Danish text in a legacy encoding is almost always Windows-1252; charset-normalizer
    # may name a close relative that maps the same letters (æøå) the same way.
    if encoding in ("latin_1", "iso8859_15", "cp1250", "iso8859_2"):
        encoding = "cp1252"
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return str(best)


def _pdf(data: bytes, name: str, ocr: OcrOptions) -> list[PageText]:
    """Each page's text layer, or its OCR text where the layer is missing or garbage (archive.ocr)."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data.lstrip().startswith(b"%PDF"):
        raise ExtractError(f"{name}: not a PDF file (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise ExtractError(f"{name}: corrupt or truncated PDF ({type(exc).__name__})") from exc
    if not pages:
        raise ExtractError(f"{name}: corrupt or truncated PDF (no pages)")
    texts = page_texts(data, name, pages, cache_dir=ocr.cache_dir, jobs=ocr.jobs, progress=ocr.progress)
    if not any(page.text.strip() for page in texts):
        raise ExtractError(f"{name}: ingen tekst i PDF'en, heller ikke ved OCR (tomme sider?)")
    return texts


def _docx(data: bytes, name: str) -> str:
    """Paragraphs and tables in document order; a table row becomes one line."""
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractError(f"{name}: corrupt Word document ({type(exc).__name__})") from exc
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(block, document)
            lines.append(_docx_paragraph(paragraph))
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells = [cell.text.strip() for cell in row.cells]
                lines.append("  ".join(_unique(cells)))
            lines.append("")
    return "\n".join(lines)


def _docx_paragraph(paragraph) -> str:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    text = paragraph.text
    level = re.match(r"Heading (\d)", style)
    if level and text.strip():
        return "#" * int(level.group(1)) + " " + text
    if style.startswith("List") and text.strip():
        return "- " + text
    return text


def _unique(cells: list[str]) -> list[str]:
    """Merged cells repeat their text in python-docx; keep each once."""
    out: list[str] = []
    for cell in cells:
        if cell and (not out or out[-1] != cell):
            out.append(cell)
    return out


def _html(markup: str) -> str:
    """Block elements on their own lines; headings as Markdown "#", list items as "- "."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(["script", "style", "head", "noscript", "template"]):
        tag.decompose()
    for level in range(1, 7):
        for tag in soup.find_all(f"h{level}"):
            tag.insert(0, "#" * level + " ")
    for tag in soup.find_all("li"):
        tag.insert(0, "- ")
    for tag in soup.find_all(["td", "th"]):
        tag.append("  ")
    for tag in soup.find_all(_BLOCK_TAGS):
        # Paragraph-level blocks get a blank line around them; list items and rows one newline.
        gap = "\n" if tag.name in ("li", "tr", "br", "dt", "dd") else "\n\n"
        tag.insert_before(gap)
        tag.insert_after(gap)
    text = soup.get_text()
    text = "\n".join(line.strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
