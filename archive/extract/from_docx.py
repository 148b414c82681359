"""Word (.docx) → blocks: paragraph styles, bold runs, font sizes, list numbering, tables.

Before python-docx opens the file, the sizes its zip members declare are
added up: a small file that unpacks to gigabytes (a zip bomb) is refused
without being unpacked.  (The declared size bounds what zipfile will read.)
"""
from __future__ import annotations

import io
import re
import zipfile

from archive import sandbox
from archive.errors import ExtractError
from archive.extract.blocks import HEADING, LIST_ITEM, PARAGRAPH, ROW, Block, Document
from archive.text import clean_line

# What a Word file may unpack to.  Real minutes, pictures included, stay far below.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_HEADING_STYLE = re.compile(r"^(?:Heading|Overskrift)\s*(\d)$", re.IGNORECASE)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_unpacked_size(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExtractError(f"{name}: Word-dokumentet er beskadiget ({type(exc).__name__})") from exc
    if total > MAX_UNPACKED_BYTES:
        raise ExtractError(f"{name}: Word-dokumentet fylder {total / 1e6:.0f} MB udpakket; grænsen er "
                           f"{MAX_UNPACKED_BYTES / 1e6:.0f} MB (en zip-bombe?)")


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return str(n)


class _Numbering:
    """List numbers as Word shows them ("3.", "a)"), counted per list and level."""

    def __init__(self, document) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}   # (numId, ilvl) → (fmt, text, start)
        self.counters: dict[str, list[int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for definition in numbering.iter(f"{_W}abstractNum"):
            levels = {}
            for lvl in definition.iter(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1)
            abstract[definition.get(f"{_W}abstractNumId", "")] = levels
        for num in numbering.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            for ilvl, level in abstract.get(ref.get(f"{_W}val", ""), {}).items():
                self.levels[(num.get(f"{_W}numId", ""), ilvl)] = level

    def number(self, num_id: str, ilvl: int) -> tuple[bool, str]:
        """(is a list item, its number as shown; "" for a bullet)."""
        level = self.levels.get((num_id, ilvl))
        if level is None or num_id == "0":
            return False, ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        fmt, text, _ = level
        if fmt in ("bullet", "none") or not text:
            return True, ""

        def value(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            lvl = self.levels.get((num_id, k), ("decimal", "", 1))
            return _format(max(counters[k], 1) + lvl[2] - 1, lvl[0])

        return True, re.sub(r"%(\d)", value, text)


def _num_pr(paragraph):
    ppr = paragraph._p.pPr
    num = ppr.numPr if ppr is not None else None
    if num is None and paragraph.style is not None:
        style_ppr = paragraph.style.element.pPr
        num = style_ppr.numPr if style_ppr is not None else None
    if num is None or num.numId is None:
        return None
    return str(num.numId.val), int(num.ilvl.val) if num.ilvl is not None else 0


def _paragraph_block(paragraph, numbering: _Numbering) -> Block | None:
    text = clean_line(paragraph.text)
    if not text:
        return None
    style = paragraph.style
    style_name = (style.name if style is not None else "") or ""
    runs = [run for run in paragraph.runs if run.text.strip()]
    style_bold = bool(style is not None and style.font.bold)
    bold = bool(runs) and all(run.bold or (run.bold is None and style_bold) for run in runs)
    underline = bool(runs) and all(run.underline for run in runs)
    sizes = [run.font.size.pt for run in runs if run.font.size is not None]
    if not sizes and style is not None and style.font.size is not None:
        sizes = [style.font.size.pt]
    size = max(set(sizes), key=sizes.count) if sizes else 0.0
    kind, level, number = PARAGRAPH, 0, ""
    heading = _HEADING_STYLE.match(style_name)
    if heading:
        kind, level = HEADING, int(heading.group(1))
    elif style_name.lower() in ("title", "titel"):
        kind, level = HEADING, 1
    num = _num_pr(paragraph)
    if num is not None:
        is_list, number = numbering.number(*num)
        if is_list and kind == PARAGRAPH:
            kind, level = LIST_ITEM, num[1] + 1
    elif style_name.startswith(("List", "Liste")):
        kind, level = LIST_ITEM, 1
    return Block(text, kind=kind, level=level, bold=bold, underline=underline, size=size, number=number)


def docx_document(data: bytes, name: str) -> Document:
    _check_unpacked_size(data, name)
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as exc:
        raise ExtractError(f"{name}: Word-dokumentet er beskadiget ({type(exc).__name__})") from exc
    numbering = _Numbering(document)
    blocks: list[Block] = []
    gap = False
    chars = 0
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            block = _paragraph_block(Paragraph(element, document), numbering)
            if block is None:
                gap = True
                continue
            block.gap = gap or block.kind == HEADING
            blocks.append(block)
            gap = False
            chars += len(block.text)
            if len(blocks) % 1000 == 0:     # stop a huge document as it is read (archive.sandbox)
                sandbox.check_lines(name, len(blocks))
                sandbox.check_text(name, chars)
        elif tag == "tbl":
            for row in Table(element, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = clean_line(cell.text)
                    if text and (not cells or cells[-1] != text):   # merged cells repeat their text
                        cells.append(text)
                if len(cells) == 1:
                    blocks.append(Block(cells[0], gap=gap))
                elif cells:
                    blocks.append(Block("  ".join(cells), kind=ROW, cells=tuple(cells), gap=gap))
                gap = False
            gap = True
    title = clean_line(document.core_properties.title or "")
    created = document.core_properties.created
    return Document(name, blocks, title=title, created=created.date() if created else None)
