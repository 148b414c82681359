"""Page furniture: page numbers and running headers/footers leave the text.

"Side 4", "Side 2 af 5", "Page 1 of 3" alone on a line are page markers in
any format (a PDF's text saved as .txt keeps them mid-sentence).  In a PDF,
a line near the top or bottom of a page that recurs at the same height on
most pages (digits aside: "Referat 12.3.2021 – side 2") is a running header
or footer, and a short line at a page's edge holding only a page number, or
"side N af M", is one too.  When a marker fell mid-sentence, the two halves
are joined again.
"""
from __future__ import annotations

import re
from collections import defaultdict

from archive.extract.blocks import Block, Document
from archive.numbering import numbering

_MARKER = re.compile(r"^(?:Side|Page)\s+\d{1,4}(?:\s*(?:af|of|/)\s*\d{1,4})?$", re.IGNORECASE)
_PAGE_OF = re.compile(r"\b(?:side|page)\s+\d{1,4}\s*(?:af|of|/)\s*\d{1,4}\b", re.IGNORECASE)
_NUMBER_ONLY = re.compile(r"^[-–(\s]*\d{1,3}(?:\s*/\s*\d{1,3})?[-–)\s]*$")
_EDGE = 2                      # lines at each end of a page that may be furniture
_EDGE_ZONE = 0.13              # … and only within this share of the page's height from its top or bottom
_SENTENCE_END = ".:;!?)\"”»"


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def ends_sentence(text: str) -> bool:
    return text.rstrip()[-1:] in _SENTENCE_END


def _edges(blocks: list[Block]) -> dict[int, list[int]]:
    pages: dict[int, list[int]] = defaultdict(list)
    for i, block in enumerate(blocks):
        pages[block.page].append(i)
    return {page: [i for i in dict.fromkeys(idx[:_EDGE] + idx[-_EDGE:])
                   if blocks[i].y < _EDGE_ZONE or blocks[i].y > 1 - _EDGE_ZONE]
            for page, idx in pages.items()}


def _furniture_indexes(blocks: list[Block]) -> set[int]:
    drop = {i for i, block in enumerate(blocks) if _MARKER.match(block.text)}
    if not blocks or not blocks[0].page:
        return drop
    edges = _edges(blocks)
    for idx in edges.values():
        for i in idx:
            text = blocks[i].text
            if _NUMBER_ONLY.match(text) or (_PAGE_OF.search(text) and len(text) < 120):
                drop.add(i)
    if len(edges) >= 2:
        seen: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for page, idx in edges.items():
            for i in idx:
                if numbering(blocks[i].text) is None:      # an item heading is never furniture
                    seen[_key(blocks[i].text)].append((page, blocks[i].y))
        needed = max(2, (len(edges) + 1) // 2)
        repeated = {key for key, where in seen.items() if key and any(
            len({page for page, other in where if abs(other - y) < 0.03}) >= needed for _, y in where)}
        for idx in edges.values():
            drop.update(i for i in idx if _key(blocks[i].text) in repeated)
    return drop


def drop_furniture(document: Document) -> None:
    """Remove page markers and running headers/footers from ``document.blocks`` (in place).

    A block after a removed one, or the first block of a new page, continues the
    paragraph when the text before it does not end a sentence.
    """
    blocks = document.blocks
    drop = _furniture_indexes(blocks)
    kept: list[Block] = []
    bridge = False
    for i, block in enumerate(blocks):
        if i in drop:
            document.dropped.append(block.text)
            bridge = True
            continue
        new_page = bool(kept) and block.page != kept[-1].page
        if kept and (bridge or new_page):
            block.gap = block.gap and ends_sentence(kept[-1].text) if bridge and not new_page \
                else ends_sentence(kept[-1].text)
        bridge = False
        kept.append(block)
    document.blocks = kept
