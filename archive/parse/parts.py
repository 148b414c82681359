"""One item's blocks → an AgendaItem: title, presenters, time, case number and the item's parts.

The parts are told by their markers, wherever a layout puts them:

    presenters       "v/Name, role" (a line of its own), "(Agnete / Thor)" or "v/…", "v. Name" in the title
    recommendation   "Det indstilles at:", "Indstilling:", "Beslutningspunkter"
    minutes          "REFERAT:", and the decision parts below (they are minutes too)
    decision         "Beslutning(er)", "Beslutningsreferat", "Afgørelse", "Afstemning", "Konklusion"
    description      "Resume", "Sagsfremstilling", "Baggrund", "… påtegning"
    history          "Sagsforløb": committee / date / item number entries become ``AgendaItem.history``
                     (a history in another shape stays in the description)
    attachments      "Bilag": one attachment per line (``AgendaItem.attachments``, with a link where
                     the document has one)

Text before any marker is the item's minutes, unless the document marks its
minutes somewhere (then it is the description: the case as presented).  Lines
that mark the item closed ("Lukket punkt", "Fortroligt") or give its case number
("EMN-2025-003383", "Sagsnr.: 12/3456", "J.nr. …") are taken out of the text.
Which part of the minutes is the decision is archive.parse.decision's to say; this
module hands it what the document marks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.danish_dates import dates_in, find_bare_range, span
from archive.extract.blocks import HEADING, LIST_ITEM, ROW, Block, block_line
from archive.model import AgendaItem, Attachment, Presenter, Treatment
from archive.numbering import Numbering, numbering
from archive.parse.casenumber import CASE_LINE, CASE_NUMBER
from archive.parse.lines import words
from archive.parse.outcome import classify
from archive.parse.people import parse_presenters, presenter_names_in_parentheses, presenters_after_v
from archive.parse.run_in import CLOSED_IN_TITLE, split_run_in
from archive.text import clean_title, paragraphs, reflow, sentence_end, urls

PRESENTER = re.compile(r"^v/\s*(.*)$")
RECOMMENDATION = re.compile(r"^(?:Det\s+indstilles,?(?:\s+at)?\s*:?|Indstilling(?:en)?\s*:|Indstilling\s*$|"
                            r"Forslag\s+til\s+beslutning\s*:)\s*(.*)$", re.IGNORECASE)
_DECISION_WORDS = (r"Beslutning(?:er)?|Beslutningsreferat|Beslutning\s+i\s+mødet|Afgørelse|Afstemning|"
                   r"Konklusion(?:er)?")
MINUTES = re.compile(r"^(?:REFERAT|" + _DECISION_WORDS + r")\s*(?::\s*(.*))?$", re.IGNORECASE)
DECISION = re.compile(r"^(?:" + _DECISION_WORDS + r")\b", re.IGNORECASE)
_VOTE = re.compile(r"^Afstemning\b", re.IGNORECASE)
CLOSED = re.compile(r"^\(?(?:Lukket(?:\s+punkt)?|Fortroligt(?:\s+punkt)?)\)?\s*:?\s*$", re.IGNORECASE)
_ABSENT_LINE = re.compile(r"^Fraværende\s*:", re.IGNORECASE)
_HISTORY_FIELDS = {"udvalg": "body", "dato": "date", "punktnummer": "number", "punkt": "number",
                   "pkt": "number", "pkt.": "number"}
# Section headings of a case presentation, and which part each opens.
_SECTION_HEADINGS = {
    "beslutning": "decision", "beslutninger": "decision", "beslutning i mødet": "decision",
    "beslutningsreferat": "decision", "afgørelse": "decision", "afstemning": "decision",
    "konklusion": "decision", "konklusioner": "decision",
    "resume": "description", "resumé": "description", "sagsfremstilling": "description",
    "baggrund": "description", "økonomi": "description", "sagen kort": "description",
    "beslutningspunkter": "recommendation",
    "sagsforløb": "history", "bilag": "attachments",
    # the parts of a municipal case as the publication systems print them
    "sagens indhold": "description", "sagsbeskrivelse": "description", "præsentation": "description",
    "kompetence": "description", "beslutningstema": "description", "hvem beslutter": "description",
    "sagen afgøres af": "description", "økonomiske konsekvenser": "description",
    "indstilling og beslutning": "recommendation", "forvaltningen foreslår": "recommendation",
    "forvaltningen indstiller": "recommendation",
}
# The decision of one body on one date, as municipal publications head it: "Beslutning Ældrerådet den
# 10-11-2016", "Børne- og Skoleudvalget den 6. november 2018:".
# So does "Sundheds- og Forebyggelsesudvalgets beslutning den 04.12.2012 Punkt 2" (e-Dagsorden's export).
_BODY_WORDS = r"(?:[A-ZÆØÅ][\wæøå.,&-]*\s+(?:og\s+|for\s+|i\s+)?){1,7}"
_ON_DATE = r"(?:den|d\.)\s+\d{1,2}[-./ ]\s*[\wæøå]+[-./ ]\s*\d{2,4}"
_BODY_ON_DATE = _BODY_WORDS + _ON_DATE
DECISION_OF_BODY = re.compile(r"^(?:Beslutning(?:er)?\s+(?:i\s+)?" + _BODY_ON_DATE + r"\s*:?|"
                              + _BODY_ON_DATE + r"\s*:|"
                              + _BODY_WORDS + r"beslutning(?:er)?\s+" + _ON_DATE
                              + r"(?:\s*,?\s*(?:[Pp]unkt|[Pp]kt\.?)\s*\d+)?\s*:?)\s*$")
_PART_LABELS = {"history": "Sagsforløb:", "attachments": "Bilag:"}
# A decision's last paragraph that only records how members acted is still the decision.
_MEMBER_RECORD = re.compile(r"\b(?:tog\s+forbehold|deltog\s+ikke|var\s+forhindret|stemte|undlod|"
                            r"kunne\s+(?:ikke\s+)?tiltræde)\b", re.IGNORECASE)
_RECORD_PARTS = ("minutes", "decision", "history", "attachments")     # presenter and recommendation markers
                                                                      # do not open inside these
_V_DOT = re.compile(r"\s+v\.\s*((?:[A-ZÆØÅ][\wæøåé.-]*\s*){1,4})$")
_FUNCTION_WORD = re.compile(r"\b(?:af|og|i|til|for|med|om|på|fra|de|den|det|en|et|samt|eller|ved)$", re.IGNORECASE)
_SUB_MARK = re.compile(r"^(?:[a-zæøå]|[ivx]{1,4})\s?[.)]\s")      # "a. hvor …", "ii) …": a sub-item, not a title


@dataclass
class ItemDraft:
    """An item as read from its blocks, with where each block went (for --explain)."""
    item: AgendaItem
    placed: dict[int, str] = field(default_factory=dict)   # block index → part name
    marked_decision: str = ""          # the text of the parts the document marks as the decision
    answers_recommendation: bool = False   # the minutes follow the item's recommendation
    absent_lines: list[str] = field(default_factory=list)  # "Fraværende: …" lines of the item


def section_heading(block: Block) -> str | None:
    """The part a case-presentation heading opens ("Beslutninger" → "minutes"), or None."""
    key = block.text.strip().rstrip(":").strip().lower()
    if key in _SECTION_HEADINGS:
        return _SECTION_HEADINGS[key]
    if key.endswith("påtegning") and words(key) <= 3:
        return "description"           # a department's endorsement of the case ("Borgmesterens Afdelings påtegning")
    return None


def has_minutes_markers(blocks: list[Block]) -> bool:
    """Whether an item's minutes are marked as such.  A vote's result ("Afstemning: Regnskabet blev
    godkendt") is no such mark: it records the votes where there were any, not a layout that sets
    the minutes apart from the case."""
    return any((MINUTES.match(b.text) and not _VOTE.match(b.text)) or section_heading(b) in ("minutes", "decision")
               for b in blocks)


def listed_closed(num: Numbering, line: str) -> bool:
    """An item a publication lists as closed: "lukket 4 Køb af grund"."""
    return num.family == "status" and line.strip().lower().startswith("lukket")


def closed_title(title: str) -> tuple[str, bool]:
    """(the title without its closed marker, whether it had one): "Lukket: Køb af …" → "Køb af …"."""
    if CLOSED.match(title.strip()):
        return "Lukket punkt", True
    stripped = CLOSED_IN_TITLE.sub("", title).strip()
    return (stripped, True) if stripped != title.strip() else (title, False)


_OPEN = re.compile(r"^\(?Åbent(?:\s+punkt)?\)?\s*:?\s*$", re.IGNORECASE)


def _form_columns(blocks: list[Block], i: int) -> bool:
    """"Åbent punkt" / "Lukket punkt" side by side: a form's two columns (a publication prints both
    on every item and ticks one), not a mark that the item is closed."""
    return any(0 <= j < len(blocks) and _OPEN.match(blocks[j].text) for j in (i - 1, i + 1))


def attachments_of(blocks: list[Block]) -> list[Attachment]:
    """A "Bilag" list: one attachment per line; a line that starts in lower case continues the one before."""
    out: list[Attachment] = []
    for block in blocks:
        title, url = re.sub(r"^[-•*]\s+", "", block.text.strip()).strip(), block.href
        if not title:
            continue
        if out and title[:1].islower() and not url and not out[-1].url:
            out[-1].title += " " + title
        else:
            out.append(Attachment(title=title, url=url))
    return out


def history_of(blocks: list[Block]) -> list[Treatment] | None:
    """A "Sagsforløb" of "Udvalg: …" / "Dato: …" / "Punktnummer: …" entries, each followed by what was
    decided; None when the part has another shape (it then stays text)."""
    out: list[Treatment] = []
    for block in blocks:
        label, _, value = block.text.partition(":")
        key = _HISTORY_FIELDS.get(label.strip().lower()) if value.strip() else None
        if key == "body":
            out.append(Treatment(body=value.strip()))
        elif not out:
            return None
        elif key == "date" and not out[-1].date:
            found = dates_in(value)
            out[-1].date = found[0][1].isoformat() if found else value.strip()
        elif key == "number" and not out[-1].number:
            out[-1].number = value.strip()
        else:
            out[-1].text = "\n\n".join(t for t in (out[-1].text, block.text) if t)
    return out or None


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
    end = sentence_end(text, 12) if len(text) > 12 else -1
    title = text[:end] if end > 0 else text
    if len(title) > limit:
        title = title[:limit].rsplit(" ", 1)[0] + " …"
    return clean_title(title)


def _continues_title(title: str, block: Block, head: Block, wrapped: bool) -> bool:
    """Whether a block is the next line of a title that wrapped (PDF and text lines only)."""
    # (a bold title never ends at a comma: the bold line after it continues it, even with space between)
    apart = block.gap and not (title.rstrip().endswith(",") and head.bold and block.bold)
    if not wrapped or apart or block.kind in (HEADING, LIST_ITEM) or numbering(block.text) \
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
    if numbering(nxt.text) is not None or PRESENTER.match(nxt.text) or MINUTES.match(nxt.text):
        return ""
    # A part's heading ("Baggrund", "Økonomi") among other parts; alone under the number it is the title.
    if section_heading(nxt) and any(section_heading(b) or MINUTES.match(b.text) for b in blocks[j + 1:end]):
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


# "Godkendelse af dagsorden (B)": what kind of item it is (beslutning, orientering, drøftelse), not its title.
_KIND_MARK = re.compile(r"\s*\((?:[BODIE])(?:\s*[/+,]\s*[BODIE])*\)\s*$")




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
    title = clean_title(_KIND_MARK.sub("", title))
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
    raw_title, run_in = split_run_in(raw_title)
    title, time, presenters = split_title(raw_title)
    number = num.number if num is not None else ""
    item = AgendaItem(number=number, title=title, time=time, presenters=presenters,
                      closed=num is not None and listed_closed(num, blocks[head].text))
    draft = ItemDraft(item, {i: "title" for i in consumed})
    links = [Block(f"Link: {url}") for url in urls(raw_title)]
    parts: dict[str, list[Block]] = {"description": links + [blocks[i] for i in lead_in], "presenter": [],
                                     "recommendation": [], "minutes": [], "decision": [], "history": [],
                                     "attachments": []}
    for i in lead_in:
        draft.placed[i] = "description"
    current = default_part
    if run_in:
        target, rest = _marker(run_in, current)
        current = target or current
        if rest or target is None:
            _add(parts, current, Block(rest if target else run_in, gap=False, indent=0.0))
    at_start = True
    described_after_minutes = False     # a publication that prints the decision before the case
    for i in range(head, end):
        if i in draft.placed or (skip and i in skip):
            continue
        block = blocks[i]
        text = block.text
        heading = section_heading(block) if words(text) <= 4 else None
        if heading:
            in_minutes = current in ("minutes", "decision")
            described_after_minutes = described_after_minutes or (in_minutes and heading not in ("minutes", "decision"))
            current = heading
            draft.placed[i] = "marker"
            continue
        if CLOSED.match(text) and not _form_columns(blocks, i):
            item.closed = True
            draft.placed[i] = "marker"
            continue
        case = CASE_LINE.match(text)
        if not item.case_number and (case or (at_start and CASE_NUMBER.match(text))):
            item.case_number = case.group(1).rstrip(".") if case else text
            draft.placed[i] = "case_number"
            continue
        at_start = False
        if _ABSENT_LINE.match(text):
            draft.absent_lines.append(text)
        target, rest = _marker(text, current)
        if target is not None:
            if target == "minutes" and current != "minutes" and parts["recommendation"]:
                draft.answers_recommendation = True
            current = target
            draft.placed[i] = target
            if rest:
                _add(parts, target, Block(rest, gap=False, indent=0.0))
            continue
        if current == "presenter" and block.gap:
            current = default_part if default_part != "presenter" else "description"
        _add(parts, current, block)
        draft.placed[i] = current
    if parts["presenter"]:
        item.presenters = item.presenters or parse_presenters(" ".join(b.text for b in parts["presenter"]))
    description = blocks_text(parts["description"], wrapped)
    minutes, lead = _split_lead(blocks_text(parts["minutes"], wrapped), described_after_minutes)
    draft.marked_decision = _split_lead(blocks_text(parts["decision"], wrapped), described_after_minutes)[0]
    history = history_of(parts["history"])
    item.history = history or []
    item.attachments = attachments_of(parts["attachments"])
    kept_as_text = [] if history or not parts["history"] else \
        [f"{_PART_LABELS['history']}\n\n{blocks_text(parts['history'], wrapped)}"]
    item.description = "\n\n".join(p for p in (lead, description, *kept_as_text) if p)
    item.recommendation = blocks_text(parts["recommendation"], wrapped)
    item.minutes = minutes
    return draft


def _add(parts: dict[str, list[Block]], part: str, block: Block) -> None:
    """A block into its part; a decision is minutes too (the decision is the minutes' core)."""
    parts[part].append(block)
    if part == "decision":
        parts["minutes"].append(block)


def title_from_text(item: AgendaItem) -> str:
    """A title for an item whose heading has none: the first sentence of its text (of a closed
    item, only of what anyone may read)."""
    if item.closed:
        return first_sentence(item.decision) if item.decision else "Lukket punkt"
    source = item.minutes or item.description or item.recommendation
    return first_sentence(source) if source else (f"Punkt {item.number}" if item.number else "Punkt")


def _marker(text: str, current: str) -> tuple[str | None, str]:
    """(the part a marker line opens, the text after the marker) or (None, "")."""
    if current not in _RECORD_PARTS:
        m = PRESENTER.match(text)
        if m:
            return "presenter", m.group(1)
        m = RECOMMENDATION.match(text)
        if m:
            return "recommendation", m.group(1)
    if DECISION_OF_BODY.match(text):
        return "decision", ""
    m = MINUTES.match(text)
    if m:
        return ("decision" if DECISION.match(text) else "minutes"), (m.group(1) or "")
    m = re.match(r"^Bilag\s*:\s*(\S.*)$", text)
    if m:
        return "attachments", m.group(1)
    return None, ""
