"""File → text, for every format arkiv ingests.

Every failure is an ExtractError whose message is one line naming the file
and the reason.  The text returned is raw (newlines normalised, no BOM); the
clean-up that repairs layout damage lives in archive.text and runs in the parser.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from .errors import ExtractError

SUPPORTED = (".txt", ".md", ".markdown", ".pdf", ".html", ".htm", ".docx")

# Share of control characters (other than tab/newline/form feed) above which text is junk.
_MAX_CONTROL_RATIO = 0.05
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")

_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "table", "section", "article", "header", "footer",
               "blockquote", "pre", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6")


def extract_text(path: Path) -> str:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"{path.name}: cannot read file ({exc.strerror or exc})") from exc
    return extract_bytes(data, path.name)


def extract_bytes(data: bytes, name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise ExtractError(f"{name}: unsupported file type {suffix or '(none)'!r}")
    if not data.strip():
        raise ExtractError(f"{name}: empty file")
    if suffix == ".pdf":
        text = _pdf(data, name)
    elif suffix == ".docx":
        text = _docx(data, name)
    else:
        text = _decode(data, name)
        if suffix in (".html", ".htm"):
            text = _html(text)
    text = _normalise_newlines(text)
    _check_text(text, name)
    return text


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


def _pdf(data: bytes, name: str) -> str:
    """The text layer, one page after another, separated by form feeds."""
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
    if not any(page.strip() for page in pages):
        raise ExtractError(f"{name}: PDF has no text layer (scanned?)")
    return "\f".join(pages)


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
