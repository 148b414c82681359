"""File → blocks (and text), for every format arkiv ingests.

``extract_document`` gives the structure (archive.extract.blocks) that the parser
segments; ``extract_bytes`` / ``extract_text`` give the same as plain text,
one line per block.  Every failure is an ExtractError whose message is one
Danish line naming the file and the reason.  Page numbers and running
headers/footers are removed here (archive.extract.pages), for every format.
"""
from __future__ import annotations

import re
from pathlib import Path

from archive import sandbox
from archive.errors import ExtractError
from archive.extract.blocks import Document
from archive.extract.ocr import OcrOptions
from archive.extract.pages import drop_furniture
from archive.extract.textquality import CONTROL as _CONTROL

SUPPORTED = (".txt", ".md", ".markdown", ".pdf", ".html", ".htm", ".docx")
TEXT_SUFFIXES = (".txt", ".md", ".markdown")

# Share of control characters (other than tab/newline/form feed) above which text is junk.
_MAX_CONTROL_RATIO = 0.05
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def extract_text(path: Path) -> str:
    path = Path(path)
    return extract_bytes(read_file(path), path.name)


def read_file(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ExtractError(f"{Path(path).name}: filen kan ikke læses ({exc.strerror or exc})") from exc


def extract_bytes(data: bytes, name: str) -> str:
    return extract_document(data, name).text()


def extract_document(data: bytes, name: str, ocr: OcrOptions | None = None) -> Document:
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise ExtractError(f"{name}: filtypen {suffix or '(ingen)'!r} understøttes ikke "
                           f"(kendte: {', '.join(SUPPORTED)})")
    if not data.strip():
        raise ExtractError(f"{name}: filen er tom")
    if suffix == ".pdf":
        from archive.extract.from_pdf import pdf_document
        document = pdf_document(data, name, ocr or OcrOptions())
    elif suffix == ".docx":
        from archive.extract.from_docx import docx_document
        document = docx_document(data, name)
    elif suffix in (".html", ".htm"):
        from archive.extract.from_html import html_document
        document = html_document(_decode(data, name, html=True), name)
    else:
        from archive.extract.from_text import text_blocks
        text = _decode(data, name)
        sandbox.check_text(name, len(text))     # before the lines are split: a 50 MB text stops here
        _check_text(text, name)
        document = Document(name, text_blocks(text))
    # Whatever the format: within the limits of a file's text and lines before it is parsed.
    sandbox.check_lines(name, len(document.blocks))
    sandbox.check_text(name, sum(len(block.text) for block in document.blocks))
    drop_furniture(document)
    if not document.blocks:
        raise ExtractError(f"{name}: ingen tekst i filen")
    _check_text(document.text(), name)
    return document


def _check_text(text: str, name: str) -> None:
    if not text.strip():
        raise ExtractError(f"{name}: ingen tekst i filen")
    controls = len(_CONTROL.findall(text))
    if controls / max(len(text), 1) > _MAX_CONTROL_RATIO:
        raise ExtractError(f"{name}: binære data, ikke tekst ({controls} kontroltegn)")


def _utf16(data: bytes) -> str | None:
    """UTF-16 text, with a byte-order mark or without (then told by where its NUL bytes fall)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    sample = data[:4096]
    half = max(len(sample) // 2, 1)
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for encoding, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros > 0.3 * half and others < 0.05 * half:
            try:
                return data[: len(data) // 2 * 2].decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _decode(data: bytes, name: str, html: bool = False) -> str:
    """UTF-8 (with or without BOM), UTF-16, the charset an HTML page declares, else the detected one."""
    text = _utf16(data)
    if text is not None:
        return _normalise_newlines(text)
    if data.count(b"\x00") > len(data) * _MAX_CONTROL_RATIO:
        raise ExtractError(f"{name}: binære data, ikke tekst (NUL-bytes)")
    try:
        return _normalise_newlines(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096]) if html else None
    if declared:
        try:
            return _normalise_newlines(data.decode(declared.group(1).decode("ascii")))
        except (UnicodeDecodeError, LookupError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "iso8859_15", "cp850"]).best()
    if best is None:
        raise ExtractError(f"{name}: binære data, ikke tekst (ingen kendt tegnkodning)")
    encoding = best.encoding
    # Danish text in a legacy encoding is almost always Windows-1252; charset-normalizer
    # may name a close relative that maps the same letters (æøå) the same way.
    if encoding in ("latin_1", "iso8859_15", "cp1250", "iso8859_2"):
        encoding = "cp1252"
    try:
        return _normalise_newlines(data.decode(encoding))
    except (UnicodeDecodeError, LookupError):
        return _normalise_newlines(str(best))


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").lstrip("\ufeff")
