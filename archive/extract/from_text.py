"""Plain text and Markdown → blocks, one block per non-blank line.

Minutes saved as ``.txt`` are often Markdown (headings ``## 1) …``, block
quotes, checkbox lists), and Markdown minutes are often plain text, so both
go through the same line rules: Markdown's marks become hints (heading level,
list item, quote, bold) and leave the text; anything else is a paragraph line.
Lines of one paragraph stay separate blocks (their breaks may matter: a
numbered heading on its own line); the parser joins them again.
"""
from __future__ import annotations

import re

from archive.extract.blocks import HEADING, LIST_ITEM, PARAGRAPH, Block
from archive.text import clean_line, sole_link, strip_markdown_inline, strip_markdown_links

_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
_BULLET = re.compile(r"^([ \t]*)[-*+•▪◦·‣][ \t]+(\S.*)$")
_RULE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$")
_WHOLE_BOLD = re.compile(r"^(\*\*|__)(.+?)\1[:.]?$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")


def _indent(raw: str) -> int:
    spaces = len(raw) - len(raw.lstrip(" \t"))
    return spaces + 3 * raw[:spaces].count("\t")


def line_block(raw: str, gap: bool) -> Block | None:
    """The block of one line, or None when the line holds no text (a rule, an empty heading)."""
    quote = bool(_QUOTE.match(raw))
    if quote:
        raw = _QUOTE.sub("", raw)
    if _RULE.match(raw):
        return None
    indent = _indent(raw)
    kind, level, text = PARAGRAPH, 0, raw
    heading = _HEADING.match(raw)
    bullet = _BULLET.match(raw)
    if heading:
        kind, level, text = HEADING, len(heading.group(1)), heading.group(2) or ""
    elif bullet:
        kind, level, text = LIST_ITEM, 1 + indent // 2, bullet.group(2)
    bold = False
    href = ""
    if any(mark in text for mark in "[*_\\"):           # Markdown inline marks (most lines have none)
        href = sole_link(text)
        text = _IMAGE.sub(r"\1", text)
        bold = bool(_WHOLE_BOLD.match(text.strip()))
        text = strip_markdown_inline(strip_markdown_links(text))
    text = clean_line(text)
    if not text:
        return None
    return Block(text, kind=kind, level=level, bold=bold, gap=gap, indent=float(indent), quote=quote, href=href)


def text_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    gap = False
    for raw in text.split("\n"):
        if not raw.strip():
            gap = True
            continue
        block = line_block(raw.rstrip(), gap)
        if block is not None:
            blocks.append(block)
            gap = False
    return blocks
