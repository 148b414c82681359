"""Blocks → Meeting: front matter, items and back matter, with nothing left over.

``parse_document`` takes what extraction gives (archive.extract), segments it
(archive.parse.segment), reads the front matter (archive.parse.front) and each item
(archive.parse.parts), and keeps every block somewhere: in the meeting's title,
attendance or preamble, in an item, or in the back matter.  ``parse_text`` is
the same for plain text (tests and fuzzing use it).

What the parser could not make sense of goes into ``Meeting.warnings``, as codes
with their Danish text (archive.model.ParseWarning); a document that is no minutes at all raises ``NotMinutesError``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from archive.errors import NotMinutesError
from archive.extract.blocks import HEADING, Block, Document, block_line
from archive.extract.from_text import text_blocks
from archive.extract.pages import drop_furniture
from archive.model import AgendaItem, Meeting, ParseWarning, Presenter, Warn
from archive.numbering import numbering
from archive.parse import identity, kind
from archive.parse.casenumber import case_number_in_title
from archive.parse.chains import agenda_list
from archive.parse.coverage import agenda_not_found, is_long, letters, line_kept, record_text, skipped_numbers
from archive.parse.decision import decide
from archive.parse.front import Front, body_from_file_name, body_from_text, clean_folder_name, org_name, read_front
from archive.parse.lines import text_size, words
from archive.parse.methods import Method
from archive.parse.parts import (
    ItemDraft,
    blocks_text,
    build_item,
    closed_title,
    has_minutes_markers,
    listed_closed,
    split_title,
    title_from_text,
)
from archive.parse.people import find_chair, parse_presenters
from archive.parse.presenters import resolve_chair, slash_presenters, subheading_presenters
from archive.parse.segment import Section, Segmentation, segment
from archive.plurals import plural
from archive.text import urls

# Signs that a text is about a meeting; a text with none of them and no numbered items is not minutes.
_MEETING_SIGNS = re.compile(
    r"møde|mødtes|referat|dagsorden|generalforsamling|beslutning|besluttede|deltagere|til\s*stede|afbud|"
    r"fraværende|dirigent|bestyrelse|udvalg|punkt|pkt\.|indstill|godkend|drøftede|orienter",
    re.IGNORECASE)


@dataclass
class Hints:
    """What the ingest knows about a file besides its bytes."""
    body: str = ""               # --body NAME or the folder's metadata file: always wins
    folder: str = ""             # the folder's name: the body when the document names none


@dataclass
class Explanation:
    """Why the parser did what it did, for ``arkiv ingest --explain``."""
    blocks: list[Block] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    method: str = ""                                                  # Method.text(): how the items were found
    notes: list[str] = field(default_factory=list)
    heads: list[tuple[int, str, str]] = field(default_factory=list)   # (block, item number, why)
    placed: dict[int, str] = field(default_factory=dict)              # block → where its text went
    date_reason: str = ""


def parse_text(text: str, filename: str = "", hints: Hints | None = None) -> Meeting:
    """Parse minutes given as text (Markdown or plain); raise ParseError when it is not minutes."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    name = Path(filename).name if filename else "<tekst>"
    document = Document(name, text_blocks(text))
    drop_furniture(document)
    return parse_document(document, filename, hints)


def _wrapped(document: Document) -> bool:
    """Whether blocks are printed lines that a paragraph wraps over (PDF, text) or whole paragraphs."""
    suffix = Path(document.name).suffix.lower()
    return suffix not in (".html", ".htm", ".docx")


def parse_document(document: Document, filename: str = "", hints: Hints | None = None,
                   explain: Explanation | None = None) -> Meeting:
    name = Path(filename).name if filename else document.name
    hints = hints or Hints()
    blocks = document.blocks
    all_text = "\n".join(b.text for b in blocks)
    if not re.search(r"[^\W\d_]", all_text):
        raise NotMinutesError(f"{name}: ingen tekst tilbage efter oprydning (ikke et referat)")
    wrapped = _wrapped(document)
    seg = segment(blocks, wrapped)
    if not seg.sections and not _MEETING_SIGNS.search(all_text):
        raise NotMinutesError(f"{name}: ikke et referat: teksten nævner hverken møde, referat, dagsorden, "
                              f"deltagere eller beslutninger og har ingen nummererede punkter")
    placed: dict[int, str] = {}
    group_heads = {g for s in seg.sections for g in s.group_heads}
    agenda_blocks = seg.agenda_blocks()
    front_end = min([seg.front_end] + sorted(group_heads)[:1]) if seg.sections else seg.front_end
    front_idx = [i for i in range(front_end) if i not in agenda_blocks and i not in group_heads]
    front = read_front(blocks, front_idx, name, document.title, all_text, document.created)
    meeting = Meeting(body="", title=front.title, number=front.number, date=front.date, start=front.start,
                      end=front.end, location=front.location, participants=front.participants,
                      secretariat=front.secretariat, absent=front.absent)
    # A short front matter (items from the first lines on) leaves the body's name in the first item's
    # lines ("Sundheds- og Forebyggelsesudvalget den 30. maj 2012 Punkt 7"): those are read too.
    filled = frozenset(range(min(6, len(blocks)))) - set(front_idx) if len(front_idx) < 4 else frozenset()
    attendance = set(front.attendance)
    header = [i for i in sorted(set(front_idx) | filled) if i not in attendance]
    meeting.body = _body(front, hints, name, document, header, filled, all_text, explain)
    for i in front.title_blocks:
        placed[i] = "mødets titel"
    for i in front.location_blocks:
        placed[i] = "mødested"
    meeting.attendance = "\n".join(blocks[i].text for i in front.attendance)
    for i in front.attendance:
        placed[i] = "fremmøde"
    for i in agenda_blocks:
        placed[i] = "dagsorden (flettet ind i punkterne)"
    preamble = [i for i in front_idx if i not in placed]
    meeting.preamble = blocks_text([blocks[i] for i in preamble], wrapped)
    for i in preamble:
        placed[i] = "indledning"

    # Where a document marks the minutes of its items, unmarked text in an item is the case as
    # presented.  (A "Referat" heading above the items, or one "Afstemning:" in one item of ten,
    # marks no such layout.)
    marked = sum(1 for s in seg.sections if has_minutes_markers(blocks[s.head + 1:s.end]))
    default_part = "description" if marked and marked >= (len(seg.sections) + 1) // 2 else "minutes"
    drafts: list[ItemDraft] = []
    for section in seg.sections:
        draft = build_item(blocks, section.head, section.end, section.numbering, wrapped, default_part,
                           section.group_heads, paragraph_item=seg.method is Method.PARAGRAPHS,
                           skip=agenda_blocks)
        drafts.append(draft)
        label = f"punkt {draft.item.number or len(drafts)}"
        for i, part in draft.placed.items():
            placed[i] = f"{label}: {part}"
        if explain is not None:
            explain.heads.append((section.head, draft.item.number, section.reason))
    if not drafts:
        start = next((i for i in range(len(blocks)) if i not in placed or placed[i] == "indledning"),
                     len(blocks))
        start = min(start, seg.front_end)
        while start < len(blocks) and placed.get(start, "indledning") != "indledning":
            start += 1
        for i in range(start, len(blocks)):
            if placed.get(i) == "indledning":
                del placed[i]
        meeting.preamble = blocks_text([blocks[i] for i in range(start) if placed.get(i) == "indledning"],
                                       wrapped)
        if start >= len(blocks):
            start = 0
        draft = build_item(blocks, start, len(blocks), None, wrapped, "minutes", [], paragraph_item=True)
        draft.item.title = meeting.title or draft.item.title or "Referat"
        draft.item.number = "1"
        drafts.append(draft)
        for i, part in draft.placed.items():
            placed[i] = f"punkt 1: {part}"
        meeting.warnings.append(ParseWarning.of(Warn.NO_ITEMS))
    section_of = {id(d): s for d, s in zip(drafts, seg.sections, strict=False)}
    if seg.by_number:
        order = {id(d): s.numbering.value if s.numbering else () for d, s in zip(drafts, seg.sections, strict=False)}
        drafts.sort(key=lambda d: order[id(d)])
    meeting.items = [d.item for d in drafts]
    _merge_agenda(meeting.items, seg, blocks)
    for draft in drafts:
        _finish_item(draft)
    known = ({w for p in meeting.participants + meeting.absent for w in p.name.split()}
             | set(re.findall(r"[A-ZÆØÅ][\wæøå-]+", meeting.attendance)))
    slash_presenters(meeting.items, known)
    _presenters_of_parts(drafts, section_of, blocks, known)
    back = list(range(seg.back_start, len(blocks))) if drafts and seg.back_start < len(blocks) else []
    back = [i for i in back if i not in placed]
    back = _attach_reports(meeting.items, blocks, back, wrapped, placed)
    meeting.back_matter = blocks_text([blocks[i] for i in back], wrapped)
    for i in back:
        placed[i] = "afslutning"
    chair = find_chair(meeting.participants)
    resolve_chair(meeting.items, Presenter(chair.name, chair.role) if chair else None)
    for position, item in enumerate(meeting.items, start=1):
        item.position = position
    meeting.source_file = name
    head_text = "\n".join([meeting.title] + [blocks[i].text for i in header[:12]])
    meeting.document_kind = kind.document_kind(meeting, head_text, all_text)
    if meeting.document_kind == kind.AGENDA:
        for item in meeting.items:      # an agenda records no outcome ("Godkendelse af …" is a title)
            item.outcomes = []
    meeting.meeting_kind = kind.meeting_kind(head_text)
    _check_nothing_lost(meeting, blocks, placed)
    _check_every_item_found(meeting, blocks)
    if explain is not None:
        explain.blocks, explain.dropped = blocks, list(document.dropped)
        explain.method, explain.notes = seg.method.text(seg.style), list(seg.notes)
        explain.placed, explain.date_reason = placed, front.date_reason
    return meeting


def _presenters_of_parts(drafts: list[ItemDraft], section_of: dict[int, Section], blocks: list[Block],
                         known: set[str]) -> None:
    """Add to each item those its sub-headings name as presenting its parts ("Fodbold ved Ida Holm.")."""
    body_size = text_size(blocks)
    for draft in drafts:
        part = section_of.get(id(draft))
        if part is None:
            continue
        named = {p.name for p in draft.item.presenters}
        lines = [blocks[i].text for i in range(part.head + 1, part.end) if _styled(blocks[i], body_size)]
        draft.item.presenters += [p for p in subheading_presenters(lines, known) if p.name not in named]


def _styled(block: Block, body_size: float) -> bool:
    """A line set as a heading: a heading level, bold, or larger than the text."""
    return block.kind == HEADING or block.bold or bool(body_size and block.size >= body_size + 1)


def _finish_item(draft: ItemDraft) -> None:
    """The title without a closed marker or case number; the decision and its outcomes."""
    item = draft.item
    item.title, closed = closed_title(item.title)
    item.closed = item.closed or closed
    item.title, case = case_number_in_title(item.title)
    item.case_number = item.case_number or case
    if not item.closed:                   # a closed item's title may come only from its decision
        item.title = item.title or title_from_text(item)
    decide(item, draft.marked_decision, draft.answers_recommendation, draft.absent_lines)
    item.title = item.title or title_from_text(item)


# File names that say what a file is, not whose: never a body.
_GENERIC_FILE_NAMES = re.compile(r"^(?:dokument|document|referat|dagsorden|minutes|scan|fil|file|upload|"
                                 r"download|ny|new|untitled|unavngivet)?$", re.IGNORECASE)


def _body(front: Front, hints: Hints, name: str, document: Document, header: list[int], filled: frozenset[int],
          all_text: str, explain: Explanation | None = None) -> str:
    """The body: ``--body`` or arkiv.toml always; else the best-supported reading of the document's
    header, running header and text (archive.parse.identity), where the folder's and the file's
    names count as weak readings; else the meeting's kind ("Menighedsrådsmøde" → "Menighedsrådet"),
    the body the text speaks of most ("menighedsrådets ønske"), the file name."""
    if hints.body.strip():
        return hints.body.strip()
    found = identity.candidates(document.blocks, header, document.dropped, document.title, all_text, filled,
                                front.title)
    stem = clean_folder_name(re.sub(r"[\d_-]+", " ", Path(name).name.split(".")[0]).strip())
    if _GENERIC_FILE_NAMES.match(stem.strip()):
        stem = ""
    folder = clean_folder_name(hints.folder)
    file_org = org_name(stem) if stem else ""
    if folder:
        found.append(identity.Candidate(folder, 3.5, identity.FOLDER))
    if file_org:
        found.append(identity.Candidate(file_org, 2.3, identity.FILE_NAME))
    body, score, why = identity.choose(found)
    if explain is not None:
        explain.notes.append(f"mødeorgan: {body or '(intet navn)'} ({why}; {score:.1f})")
    if body:
        return body
    for fallback in (front.kind_body, file_org, body_from_file_name(stem), body_from_text(all_text), stem):
        if fallback and fallback.strip():
            return fallback.strip()
    return "Ukendt mødeorgan"


def _merge_agenda(items: list[AgendaItem], seg: Segmentation, blocks: list[Block]) -> None:
    """Time, presenters and missing titles from the agenda's entry for each item number."""
    by_number = {item.number: item for item in items}
    for number, entry in seg.agenda.items():
        item = by_number.get(number)
        if item is None:
            continue
        first = numbering(blocks[entry[0]].text)
        lines = [first.rest if first else blocks[entry[0]].text]
        item.closed = item.closed or (first is not None and listed_closed(first, blocks[entry[0]].text))
        presenter_lines: list[str] = []
        for i in entry[1:]:
            text = blocks[i].text
            if presenter_lines or text.startswith("v/"):
                presenter_lines.append(text.removeprefix("v/").strip())
            else:
                lines.append(text)
        title, time, presenters = split_title(" ".join(lines))
        if presenter_lines:
            presenters = parse_presenters(" ".join(presenter_lines))
        item.time = time or item.time
        item.presenters = presenters or item.presenters
        # The entry's further lines (what the agenda says about the item) are the item's too, where
        # its own text does not repeat them.
        own = letters(" ".join((item.description, item.minutes)))
        notes = [text for text in lines[1:] if item.title and letters(text) and letters(text) not in own]
        item.title = _agenda_title(item.title, first.rest if first else "", [blocks[i].text for i in entry[1:]]) or title
        missing = [f"Link: {url}" for url in urls(" ".join(lines)) if url not in item.description]
        item.description = "\n\n".join(p for p in ["\n".join(missing), "\n".join(notes), item.description] if p)


def _agenda_title(heading: str, listed: str, further: list[str]) -> str:
    """The item's title where the agenda lists it and the minutes head it too: the agenda's, where
    the minutes' heading is its short form (every word of "Ad 6 · Kontingent og budget" is in the
    agenda's "Aflæggelse og godkendelse af … afdelingskontingent og budget for det kommende år");
    else the heading.  The agenda entry's title is its line and the lines that wrap it (in lower case)."""
    for text in further:
        if not text[:1].islower() or numbering(text):
            break                        # "a) Valg af formand": a sub-item, not the title's wrap
        listed = f"{listed} {text}"
    listed, _, _ = split_title(listed)
    if not heading or not listed:
        return heading
    page = re.search(r"[\s.…]+(\d{1,3})$", listed)
    if page and not heading.endswith(page.group(1)):
        listed = listed[:page.start()]          # a table of contents' page number
    within = _norm(listed)
    short = _norm(heading).split()
    if len(within) > len(_norm(heading)) and short and all(w in within for w in short):
        return listed
    return heading


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def _attach_reports(items: list[AgendaItem], blocks: list[Block], back: list[int], wrapped: bool,
                    placed: dict[int, str]) -> list[int]:
    """A section after the items whose heading repeats an item's title ("# Formandens beretning")
    is that item's report: it goes into the item's description.  Returns what stays back matter."""
    by_title = {_norm(item.title): item for item in items if item.title}
    rest: list[int] = []
    k = 0
    while k < len(back):
        i = back[k]
        item = by_title.get(_norm(blocks[i].text)) if blocks[i].kind == HEADING else None
        if item is None:
            rest.append(i)
            k += 1
            continue
        level = blocks[i].level
        section = []
        k += 1
        while k < len(back) and not (blocks[back[k]].kind == HEADING and blocks[back[k]].level <= level):
            section.append(back[k])
            k += 1
        report = blocks_text([blocks[j] for j in section], wrapped)
        item.description = "\n\n".join(p for p in (item.description, report) if p)
        for j in [i, *section]:
            placed[j] = f"punkt {item.number}: beretning (description)"
    return rest


def meeting_text(meeting: Meeting) -> str:
    """Every text the export holds for a meeting (see archive.export)."""
    from archive.export import item_record, meeting_fields

    parts = list(record_text(meeting_fields(meeting)))
    for item in meeting.items:
        record = item_record(item, meeting)
        del record["meeting"]                     # the same for every item: once is enough
        parts += list(record_text(record))
    return "\n".join(parts)


def _check_every_item_found(meeting: Meeting, blocks: list[Block]) -> None:
    """Warn when an item number is skipped ("1", "2", "4") or the agenda lists an item the minutes lack:
    an item may have gone into another's text, and the reader should know."""
    if any(w.code is Warn.NO_ITEMS for w in meeting.warnings):
        return
    numbers = [item.number for item in meeting.items]
    skipped = skipped_numbers(numbers)
    if skipped:
        meeting.warnings.append(ParseWarning.of(Warn.SKIPPED_NUMBER, _points(skipped)))
    entries = sorted(agenda_list(blocks))
    # the list's own entries, not its sub-items indented under them
    listed = [num.number for i in entries if blocks[i].indent <= blocks[entries[0]].indent
              and (num := numbering(block_line(blocks[i]))) is not None]
    missing = [n for n in agenda_not_found(listed, numbers) if n not in skipped]
    if missing:
        meeting.warnings.append(ParseWarning.of(Warn.AGENDA_NOT_FOUND, _points(missing)))


def _points(numbers: list[int]) -> str:
    """"punkt 3", "punkt 3 og 5", "punkt 3, 4 og 5"."""
    text = [str(n) for n in numbers]
    return "punkt " + (", ".join(text[:-1]) + " og " + text[-1] if len(text) > 1 else text[0])


def _check_nothing_lost(meeting: Meeting, blocks: list[Block], placed: dict[int, str]) -> None:
    """Warn when a line of eight or more words did not end up anywhere in the meeting."""
    whole = letters(meeting_text(meeting))
    lost = [b.text for b in blocks if is_long(b.text) and not line_kept(b.text, whole)]
    unplaced = [i for i in range(len(blocks)) if i not in placed]
    if lost:
        meeting.warnings.append(ParseWarning.of(Warn.LOST_TEXT, f"{plural(len(lost), 'linje')}, fx «{lost[0][:80]}»"))
    elif unplaced and any(words(blocks[i].text) >= 3 for i in unplaced):
        meeting.warnings.append(ParseWarning.of(Warn.LOST_TEXT, f"{plural(len(unplaced), 'linje')} uden plads, fx "
                                                f"«{blocks[unplaced[0]].text[:80]}»"))
