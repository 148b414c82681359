"""One item's blocks → an AgendaItem: title, presenters, time, case number and the item's parts.

The parts are told by their markers, wherever a layout puts them:

    presenters       "v/Name, role" (a line of its own), "(Agnete / Thor)" or "v/…", "v. Name" in the title
    recommendation   "Det indstilles at:", "Indstilling:", "Beslutningspunkter"
    minutes          "REFERAT:", "Beslutning(er)", "Beslutningsreferat"
    description      "Resume", "Sagsfremstilling", "Baggrund", …; "Sagsforløb" (the case's history in
                     other committees) and "Bilag" (attachments) are kept in the description too

Text before any marker is the item's minutes, unless the document marks its
minutes somewhere (then it is the description: the case as presented).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import HEADING, LIST_ITEM, ROW, Block, block_line
from .danish_dates import find_bare_range, span
from .model import AgendaItem, Presenter
from .numbering import Numbering, numbering
from .outcome import classify
from .people import parse_presenters, presenter_names_in_parentheses, presenters_after_v
from .segment import words
from .text import clean_title, paragraphs, reflow, urls

PRESENTER = re.compile(r"^v/\s*(.*)$")
RECOMMENDATION = re.compile(r"^(?:Det\s+indstilles,?(?:\s+at)?\s*:?|Indstilling(?:en)?\s*:|Indstilling\s*$|"
                            r"Forslag\s+til\s+beslutning\s*:)\s*(.*)$", re.IGNORECASE)
MINUTES = re.compile(r"^(?:REFERAT|Referat|Beslutning(?:er)?|Beslutningsreferat|Beslutning\s+i\s+mødet)"
                     r"\s*:\s*(.*)$|^(?:REFERAT|Referat|Beslutning(?:er)?|Beslutning\s+i\s+mødet)\s*$")
CLOSED = re.compile(r"^Lukket\s+punkt\s*:?\s*$", re.IGNORECASE)
CASE_NUMBER = re.compile(r"^((?:[A-ZÆØÅ]{2,6}-)?\d{2,4}[-./]\d{2,}(?:[-./][\dA-Z]+)*|[A-ZÆØÅ]{2,6}-\d+(?:-\d+)+)$")
# Section headings of a case presentation, and which part each opens.
_SECTION_HEADINGS = {
    "beslutning": "minutes", "beslutninger": "minutes", "beslutning i mødet": "minutes",
    "resume": "description", "resumé": "description", "sagsfremstilling": "description",
    "baggrund": "description", "økonomi": "description", "sagen kort": "description",
    "beslutningspunkter": "recommendation",
    "sagsforløb": "history", "bilag": "attachments",
}
_PART_LABELS = {"history": "Sagsforløb:", "attachments": "Bilag:"}
# A decision's last paragraph that only records how members acted is still the decision.
_MEMBER_RECORD = re.compile(r"\b(?:tog\s+forbehold|deltog\s+ikke|var\s+forhindret|stemte|undlod|"
                            r"kunne\s+(?:ikke\s+)?tiltræde)\b", re.IGNORECASE)
_BY_CHAIR = re.compile(r"\bved\s+(?:bestyrelses|udvalgs)?formand(?:en)?\b", re.IGNORECASE)
_V_DOT = re.compile(r"\s+v\.\s*((?:[A-ZÆØÅ][\wæøåé.-]*\s*){1,4})$")
_FUNCTION_WORD = re.compile(r"\b(?:af|og|i|til|for|med|om|på|fra|de|den|det|en|et|samt|eller|ved)$", re.IGNORECASE)
_SUB_MARK = re.compile(r"^(?:[a-zæøå]|[ivx]{1,4})\s?[.)]\s")      # "a. hvor …", "ii) …": a sub-item, not a title
_SENTENCE = re.compile(r"^(.{12,}?[.!?])(?:\s|$)")


@dataclass
class ItemDraft:
    """An item as read from its blocks, with where each block went (for --explain)."""
    item: AgendaItem
    placed: dict[int, str] = field(default_factory=dict)   # block index → part name


def section_heading(block: Block) -> str | None:
    """The part a case-presentation heading opens ("Beslutninger" → "minutes"), or None."""
    key = block.text.strip().rstrip(":").strip().lower()
    if key in _SECTION_HEADINGS:
        return _SECTION_HEADINGS[key]
    if key.endswith("påtegning") and words(key) <= 3:
        return "attachments"
    return None


def has_minutes_markers(blocks: list[Block]) -> bool:
    return any(MINUTES.match(b.text) or section_heading(b) == "minutes" for b in blocks)


def blocks_text(blocks: list[Block], wrapped: bool) -> str:
    """An item part's blocks as re-flowed text: paragraphs apart, bullets "- " on lines of their own."""
    lines: list[str] = []
    previous: Block | None = None
    for block in blocks:
        text = block_line(block)
        if block.kind == LIST_ITEM:
            text = f"- {block.text}" if not block.number else f"{block.number} {block.text}"
        elif block.kind == ROW:
            text = " – ".join(block.cells)
        elif wrapped and not block.page and block.indent and not numbering(text):
            text = " " + text                     # a lost bullet glyph in text taken from a PDF
        paragraph_break = block.gap or block.kind == HEADING or (previous is not None and previous.kind == HEADING)
        if not wrapped and previous is not None and not (block.kind == LIST_ITEM and previous.kind == LIST_ITEM):
            paragraph_break = True
        if lines and paragraph_break:
            lines.append("")
        lines.append(text)
        previous = block
    return reflow("\n".join(lines), indent_is_bullet=wrapped and not any(b.page for b in blocks))


def first_sentence(text: str, limit: int = 90) -> str:
    """A title made from running text: its first sentence, cut at a word when long."""
    m = _SENTENCE.match(text)
    title = m.group(1) if m else text
    if len(title) > limit:
        title = title[:limit].rsplit(" ", 1)[0] + " …"
    return clean_title(title)


def _continues_title(title: str, block: Block, head: Block, wrapped: bool) -> bool:
    """Whether a block is the next line of a title that wrapped (PDF and text lines only)."""
    if not wrapped or block.gap or block.kind in (HEADING, LIST_ITEM) or numbering(block.text) \
            or _SUB_MARK.match(block.text):
        return False
    if PRESENTER.match(block.text) or RECOMMENDATION.match(block.text) or MINUTES.match(block.text):
        return False
    if title.rstrip().endswith((".", ":", "!", "?")) or words(block.text) > 14:
        return False
    if head.bold:
        return block.bold and (not head.size or abs(block.size - head.size) < 0.6)
    first = block.text[:1]
    return first.islower() or bool(_FUNCTION_WORD.search(title)) or title.endswith(",")


def title_of(blocks: list[Block], head: int, end: int, num: Numbering | None, wrapped: bool,
             consumed: list[int]) -> str:
    """The item's title; the indexes of blocks used up by it are appended to ``consumed``."""
    block = blocks[head]
    consumed.append(head)
    title = num.rest if num is not None else block.text
    if title:
        j = head + 1
        while j < end and len(consumed) < 4 and _continues_title(title, blocks[j], block, wrapped):
            title += " " + blocks[j].text
            consumed.append(j)
            j += 1
        return title
    # The number stands alone: the title is the next line(s), unless running text follows.
    j = head + 1
    if j >= end:
        return ""
    nxt = blocks[j]
    if numbering(nxt.text) is not None or PRESENTER.match(nxt.text) or MINUTES.match(nxt.text) \
            or section_heading(nxt):
        return ""
    paragraph = [nxt]
    while wrapped and head + 1 + len(paragraph) < end and not blocks[head + 1 + len(paragraph)].gap \
            and blocks[head + 1 + len(paragraph)].bold == nxt.bold and len(paragraph) < 6 \
            and _title_line(blocks[head + 1 + len(paragraph)]):
        paragraph.append(blocks[head + 1 + len(paragraph)])
    text = " ".join(b.text for b in paragraph)
    title_like = nxt.kind == HEADING or nxt.bold or nxt.underline or (
        words(text) <= 20 and not text.rstrip().endswith(".") and nxt.kind != LIST_ITEM)
    if not title_like:
        return ""                       # running text follows: the title comes from the agenda or the text
    title = nxt.text
    consumed.append(j)
    j += 1
    while j < end and len(consumed) < 5 and (not blocks[j].gap or not title) and wrapped \
            and blocks[j].kind == nxt.kind and _title_line(blocks[j]):
        title += " " + blocks[j].text
        consumed.append(j)
        j += 1
    return title


def _title_line(block: Block) -> bool:
    text = block.text
    return not (PRESENTER.match(text) or RECOMMENDATION.match(text) or MINUTES.match(text)
                or CLOSED.match(text) or CASE_NUMBER.match(text) or numbering(text) or words(text) > 16)


def split_title(raw: str) -> tuple[str, str, list[Presenter]]:
    """(title, time, presenters) from a heading's text: "16:00 – 16:05 Title v/Name" and the like."""
    start, end, _, stop = find_bare_range(raw)
    time = ""
    if start and not raw[:max(0, stop - 13)].strip(" -–:"):
        time, raw = span(start, end), raw[stop:]
    title, presenters = presenter_names_in_parentheses(clean_title(raw))
    if not presenters:
        title, presenters = presenters_after_v(title)
    if not presenters:
        m = _V_DOT.search(title)
        if m:
            presenters = [Presenter(name=m.group(1).strip())]
            title = title[:m.start()]
    title = clean_title(title)
    if title.endswith(".") and not title.endswith("..") and words(title) <= 15 \
            and not re.search(r"\b\w{1,3}\.\w{1,3}\.$", title):
        title = title[:-1]            # "1) Valg af ordstyrer." is written as a sentence
    return title, time, presenters


def _split_lead(minutes: str, has_description: bool) -> tuple[str, str]:
    """(minutes, lead): a publication that prints the case's summary sentence after the decision.

    Only when a description follows, the decision has more than one paragraph,
    and the last one records no outcome and no member's stance.
    """
    paras = paragraphs(minutes)
    if not has_description or len(paras) < 2:
        return minutes, ""
    last = paras[-1]
    if classify(last) or _MEMBER_RECORD.search(last):
        return minutes, ""
    return "\n\n".join(paras[:-1]), last


def build_item(blocks: list[Block], head: int, end: int, num: Numbering | None, wrapped: bool,
               default_part: str, lead_in: list[int], paragraph_item: bool = False,
               skip: set[int] | None = None) -> ItemDraft:
    """The item of the blocks [head, end) but ``skip``; ``lead_in`` are group headings that precede it."""
    consumed: list[int] = []
    if paragraph_item:
        raw_title = first_sentence(blocks[head].text)
    else:
        raw_title = title_of(blocks, head, end, num, wrapped, consumed)
    title, time, presenters = split_title(raw_title)
    number = num.number if num is not None else ""
    item = AgendaItem(number=number, title=title, time=time, presenters=presenters)
    draft = ItemDraft(item, {i: "title" for i in consumed})
    links = [Block(f"Link: {url}") for url in urls(raw_title)]
    parts: dict[str, list[Block]] = {"description": links + [blocks[i] for i in lead_in], "presenter": [],
                                     "recommendation": [], "minutes": [], "history": [], "attachments": []}
    for i in lead_in:
        draft.placed[i] = "description"
    current = default_part
    at_start = True
    described_after_minutes = False     # a publication that prints the decision before the case
    for i in range(head, end):
        if i in draft.placed or (skip and i in skip):
            continue
        block = blocks[i]
        text = block.text
        heading = section_heading(block) if words(text) <= 4 else None
        if heading:
            described_after_minutes = described_after_minutes or (current == "minutes" and heading != "minutes")
            current = heading
            draft.placed[i] = "marker"
            continue
        if CLOSED.match(text):
            item.closed = True
            draft.placed[i] = "marker"
            continue
        if at_start and not item.case_number and CASE_NUMBER.match(text):
            item.case_number = text
            draft.placed[i] = "case_number"
            continue
        at_start = False
        target, rest = _marker(text, current)
        if target is not None:
            current = target
            draft.placed[i] = target
            if rest:
                parts[target].append(Block(rest, gap=False, indent=0.0))
            continue
        if current == "presenter" and block.gap:
            current = default_part if default_part != "presenter" else "description"
        parts[current].append(block)
        draft.placed[i] = current
    if parts["presenter"]:
        item.presenters = item.presenters or parse_presenters(" ".join(b.text for b in parts["presenter"]))
    description = blocks_text(parts["description"], wrapped)
    minutes = blocks_text(parts["minutes"], wrapped)
    minutes, lead = _split_lead(minutes, described_after_minutes)
    extra = [f"{_PART_LABELS[name]}\n\n{blocks_text(parts[name], wrapped)}"
             for name in ("history", "attachments") if parts[name]]
    item.description = "\n\n".join(p for p in (lead, description, *extra) if p)
    item.recommendation = blocks_text(parts["recommendation"], wrapped)
    item.minutes = minutes
    return draft


def title_from_text(item: AgendaItem) -> str:
    """A title for an item whose heading has none: the first sentence of its text."""
    source = item.minutes or item.description or item.recommendation
    return first_sentence(source) if source else (f"Punkt {item.number}" if item.number else "Punkt")


def _marker(text: str, current: str) -> tuple[str | None, str]:
    """(the part a marker line opens, the text after the marker) or (None, "")."""
    if current not in ("minutes", "history", "attachments"):
        m = PRESENTER.match(text)
        if m:
            return "presenter", m.group(1)
        m = RECOMMENDATION.match(text)
        if m:
            return "recommendation", m.group(1)
    m = MINUTES.match(text)
    if m:
        return "minutes", (m.group(1) or "")
    return None, ""


def resolve_chair(items: list[AgendaItem], chair: Presenter | None) -> None:
    """"Velkomst ved formanden": the participant list names the chair."""
    if chair is None:
        return
    for item in items:
        if not item.presenters and _BY_CHAIR.search(item.title):
            item.presenters = [chair]
