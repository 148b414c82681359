"""The structure extraction keeps: a document as a sequence of blocks.

Every format becomes the same shape, so that one segmenter (archive.parse.segment)
can find the items of any of them.  A block is a line (PDF and plain text,
where a paragraph's lines are joined later) or a paragraph (HTML, Word,
Markdown), with the hints its format has: heading level, bold, font size,
list numbering, table cells, page number.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archive.extract.ocr import PageText

HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list"
ROW = "row"
KINDS = (HEADING, PARAGRAPH, LIST_ITEM, ROW)


@dataclass
class Block:
    text: str                        # inline markup removed; a table row's cells joined by "  "
    kind: str = PARAGRAPH
    level: int = 0                   # heading level (1 = top); list nesting (1 = outer)
    bold: bool = False               # the whole block is bold (or <strong>)
    underline: bool = False          # the whole block is underlined (a sub-heading in some HTML)
    size: float = 0.0                # font size in points (PDF, Word); 0 = unknown
    number: str = ""                 # numbering the format adds outside the text (Word/HTML lists): "3."
    cells: tuple[str, ...] = ()      # a table row's cells
    page: int = 0                    # 1-based page (PDF); 0 = the format has no pages
    y: float = 0.0                   # where on its page the line is: 0 top … 1 bottom (PDF)
    gap: bool = False                # blank line or vertical space before the block
    indent: float = 0.0              # left offset: points (PDF) or leading spaces (text)
    quote: bool = False              # Markdown block quote
    ocr: bool = False                # text recognised from a page image, not a text layer
    href: str = ""                   # the web address when the whole block is one link (HTML)

    def hints(self) -> str:
        """The block's hints in a few characters, for ``arkiv ingest --explain``."""
        parts = [self.kind if self.kind != HEADING else f"h{self.level}"]
        if self.kind == LIST_ITEM and self.level > 1:
            parts.append(f"niveau {self.level}")
        if self.bold:
            parts.append("fed")
        if self.underline:
            parts.append("understreget")
        if self.size:
            parts.append(f"{self.size:g}pt")
        if self.number:
            parts.append(f"nr. {self.number}")
        if self.page:
            parts.append(f"s. {self.page}")
        if self.quote:
            parts.append("citat")
        if self.ocr:
            parts.append("OCR")
        if self.href:
            parts.append(f"link {self.href}")
        return ", ".join(parts)


@dataclass
class Document:
    """What extraction hands to the parser: the blocks and what the file says about itself."""
    name: str
    blocks: list[Block] = field(default_factory=list)
    title: str = ""                  # a title outside the text (HTML <title>, Word core properties)
    pages_without_text: list[int] = field(default_factory=list)   # PDF pages whose text layer is unusable
    pages: list[PageText] = field(default_factory=list)   # a PDF's page texts, each marked if OCR read it
    dropped: list[str] = field(default_factory=list)   # running headers/footers removed, for --explain
    created: dt.date | None = None   # when the file says it was made (PDF info, Word core properties)

    def text(self) -> str:
        return blocks_text(self.blocks)


def block_line(block: Block) -> str:
    """One block as a line of text, with the numbering its format kept outside the text."""
    if block.number:
        return f"{block.number} {block.text}"
    return block.text


def render(block: Block) -> str:
    """A block as a line of Markdown-like text that archive.extract.from_text reads back to the same hints."""
    line = block_line(block)
    if block.bold and block.kind != HEADING:
        line = f"**{line}**"
    if block.kind == HEADING:
        line = "#" * max(1, min(block.level, 6)) + " " + line
    elif block.kind == LIST_ITEM:
        line = "  " * max(0, block.level - 1) + "- " + line
    elif block.indent and not block.page:
        line = " " * int(block.indent) + line
    if block.quote:
        line = "> " + line
    return line


def blocks_text(blocks: list[Block]) -> str:
    """The extracted text: one line per block, a blank line where the format had a gap."""
    out: list[str] = []
    for block in blocks:
        if block.gap and out:
            out.append("")
        out.append(render(block))
    return "\n".join(out) + ("\n" if out else "")
