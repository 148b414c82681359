"""Board minutes from a PDF: an agenda table "Pkt. 44/18 16:00 – 16:05 Title / v/Name, role",
a participant list, then one section per item "Punkt 44/18:" with title, description,
"v/…", "Det indstilles at:" and "REFERAT:".

The table and the sections describe the same items; they are merged by number:
time and presenters from the table, texts from the sections.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..danish_dates import find_bare_range, find_date, span
from ..model import AgendaItem, Meeting, Person, Presenter
from ..people import find_chair, parse_people, parse_presenters
from ..text import clean_title, reflow
from .common import CLOSED, DOC_WORDS, body_and_number, find_label, first_title_line, merge_item, set_when

NAME = "board"

# "Punkt 47/18:", "Pkt. 44/18 16:00 – 16:05 Title", "Punkt 3: Title"; not prose like "Punkt 5 blev …".
_HEAD = re.compile(r"^[ \t]*(?:Punkt|Pkt\.?)[ \t]*(\d{1,3}(?:/\d{2,4})?)"
                   r"(?=[ \t]*(?:[:.]|$)|[ \t]+\d{1,2}[.:]\d{2}|[ \t]+(?-i:[A-ZÆØÅ\d„«(]))[ \t]*[:.]?[ \t]*(.*)$",
                   re.IGNORECASE)
_AGENDA = re.compile(r"^\s*(?:Dagsorden|Dagsordenspunkter)\s*:?\s*$", re.IGNORECASE)
_PEOPLE = re.compile(r"^\s*(?:Deltagere|Til stede|Tilstede|Fremmødte|Afbud|Fraværende)\b[^,]{0,40}:?\s*$",
                     re.IGNORECASE)
_SUBHEAD = re.compile(r"^\s*(?:Fra\s+[^,]{2,50}|Sekretariat\w*|Referent\w*|Afbud|Fraværende|Deltagere"
                      r"|Til stede|Tilstede|Fremmødte|Gæster|Observatører)\s*:?\s*$", re.IGNORECASE)
_PRESENTER = re.compile(r"^\s*v/\s*(.*)$")
_RECOMMENDATION = re.compile(r"^\s*(?:Det\s+indstilles,?(?:\s+at)?\s*:?|Indstilling(?:en)?\s*:|Indstilling\s*$)"
                             r"\s*(.*)$", re.IGNORECASE)
_MINUTES = re.compile(r"^\s*(?:REFERAT|Referat|Beslutning(?:er)?|Beslutningsreferat)\s*:\s*(.*)$|"
                      r"^\s*(?:REFERAT|Beslutning(?:er)?)\s*$")
_BY_CHAIR = re.compile(r"\bved\s+(?:bestyrelses|udvalgs)?formand(?:en)?\b", re.IGNORECASE)


def score(lines: list[str]) -> int:
    heads = sum(1 for line in lines if _HEAD.match(line))
    return 3 * heads if heads >= 2 else 0


@dataclass
class _Section:
    number: str
    first: str
    lines: list[str] = field(default_factory=list)


def _first_repeat(numbers: list[str]) -> int | None:
    seen: set[str] = set()
    for k, number in enumerate(numbers):
        if number in seen:
            return k
        seen.add(number)
    return None


def _split_heads(lines: list[str]) -> tuple[list[str], list[_Section], list[_Section], list[str]]:
    """(header lines, table rows, item sections, lines between rows: people etc.)."""
    heads = [i for i, line in enumerate(lines) if _HEAD.match(line)]
    numbers = [_HEAD.match(lines[i]).group(1) for i in heads]
    # The item sections start where a number is seen for the second time; without a
    # repeat, heads that carry a time are table rows and the rest are sections.
    split = _first_repeat(numbers)
    if split is None:
        timed = all(find_bare_range(_HEAD.match(lines[i]).group(2))[0] for i in heads)
        split = len(heads) if timed else 0
    header = lines[:heads[0]] if heads else lines
    rows: list[_Section] = []
    sections: list[_Section] = []
    between: list[str] = []
    for k, i in enumerate(heads):
        end = heads[k + 1] if k + 1 < len(heads) else len(lines)
        m = _HEAD.match(lines[i])
        section = _Section(m.group(1), m.group(2).strip(), lines[i + 1:end])
        if k < split:
            # A table row ends at its first blank line; what follows is not the item's.
            body = section.lines
            cut = next((j for j, line in enumerate(body) if not line.strip()), len(body))
            between.extend(body[cut:])
            section.lines = body[:cut]
            rows.append(section)
        else:
            sections.append(section)
    if header:
        # Header lines after "Dagsorden" or a participant heading belong to "between".
        cut = next((j for j, line in enumerate(header) if _AGENDA.match(line) or _PEOPLE.match(line)),
                   len(header))
        between = header[cut:] + between
        header = header[:cut]
    return header, rows, sections, between


def _row_item(row: _Section) -> AgendaItem:
    start, end, _, stop = find_bare_range(row.first)
    first = row.first[stop:] if start else row.first
    title_lines, presenter_lines = [first], []
    for line in row.lines:
        if presenter_lines or _PRESENTER.match(line):
            presenter_lines.append(_PRESENTER.sub(r"\1", line))
        else:
            title_lines.append(line)
    return AgendaItem(number=row.number, title=clean_title(" ".join(title_lines)),
                      time=span(start, end), presenters=parse_presenters(" ".join(presenter_lines)))


def _section_item(section: _Section) -> AgendaItem:
    lines = list(section.lines)
    title_lines = [section.first] if section.first else []
    # The title runs to the first blank line (after skipping leading blanks).
    while lines and not lines[0].strip() and not title_lines:
        lines.pop(0)
    while lines and lines[0].strip() and not _is_marker(lines[0]):
        title_lines.append(lines.pop(0))
    parts: dict[str, list[str]] = {"description": [], "presenter": [], "recommendation": [], "minutes": []}
    current = "description"
    closed = False
    for line in lines:
        current, rest = _marker(line, current)
        if rest is None:
            if CLOSED.match(line):
                closed = True
            else:
                parts[current].append(line)
        elif rest:
            parts[current].append(rest)
        if current == "presenter" and not line.strip():
            current = "description"      # the "v/…" paragraph ends at a blank line
    return AgendaItem(
        number=section.number, title=clean_title(" ".join(title_lines)), closed=closed,
        presenters=parse_presenters(" ".join(parts["presenter"])),
        description=reflow("\n".join(parts["description"]), indent_is_bullet=True),
        recommendation=reflow("\n".join(parts["recommendation"]), indent_is_bullet=True),
        minutes=reflow("\n".join(parts["minutes"]), indent_is_bullet=True),
    )


def _is_marker(line: str) -> bool:
    return any(p.match(line) for p in (_PRESENTER, _RECOMMENDATION, _MINUTES))


def _marker(line: str, current: str) -> tuple[str, str | None]:
    """(part the line belongs to, its text after the marker) or (current, None) if no marker."""
    if current != "minutes":
        m = _PRESENTER.match(line)
        if m:
            return "presenter", m.group(1)
        m = _RECOMMENDATION.match(line)
        if m:
            return "recommendation", m.group(1)
    m = _MINUTES.match(line)
    if m:
        return "minutes", (m.group(1) or "")
    return current, None


def _people(lines: list[str]) -> tuple[list[Person], list[Person], list[Person]]:
    groups: dict[str, list[str]] = {"participants": [], "secretariat": [], "absent": []}
    current = "participants"
    for line in lines:
        if _AGENDA.match(line):
            break
        if _SUBHEAD.match(line) or _PEOPLE.match(line):
            word = line.lower()
            if "sekretariat" in word or "referent" in word:
                current = "secretariat"
            elif "afbud" in word or "fraværende" in word:
                current = "absent"
            else:
                current = "participants"
            continue
        groups[current].append(line)
    return (parse_people(groups["participants"]), parse_people(groups["secretariat"]),
            parse_people(groups["absent"]))


def _people_lines(between: list[str]) -> list[str]:
    start = next((j for j, line in enumerate(between) if _PEOPLE.match(line)), None)
    return [] if start is None else between[start:]


def _header_facts(meeting: Meeting, header: list[str]) -> None:
    meeting.title = first_title_line(_title_block(header))
    meeting.body, meeting.number = body_and_number(meeting.title)
    text = "\n".join(header)
    set_when(meeting, text)
    meeting.location = find_label(header, "sted", "mødested") or _location_after_date(header)


_TITLE_STOP = re.compile(r"^\s*(?:Dato|Tid|Sted|Dato og sted|Tid og sted|Mødested)\b", re.IGNORECASE)


def _title_block(header: list[str]) -> list[str]:
    """The title, joined over wrapped lines: after "REFERAT", up to a blank line or the date block."""
    title: list[str] = []
    for line in header:
        text = line.strip()
        if text.lower().rstrip(": ") in DOC_WORDS and not title:
            continue
        if not text:
            if title:
                break
            continue
        if _TITLE_STOP.match(text) or find_date(text) or text.lower().rstrip(": ") in DOC_WORDS:
            break
        title.append(text)
    return [" ".join(title)] if title else []


def _location_after_date(header: list[str]) -> str:
    for i, line in enumerate(header):
        if find_date(line):
            rest = []
            for follow in header[i + 1:]:
                if not follow.strip():
                    break
                rest.append(follow.strip())
            return ", ".join(rest)
    return ""


def _resolve_chair(items: list[AgendaItem], participants: list[Person]) -> None:
    chair = find_chair(participants)
    if not chair:
        return
    for item in items:
        if not item.presenters and _BY_CHAIR.search(item.title):
            item.presenters = [Presenter(name=chair.name, role=chair.role)]


def parse(text: str) -> Meeting:
    lines = text.split("\n")
    header, rows, sections, between = _split_heads(lines)
    meeting = Meeting(body="")
    _header_facts(meeting, header)
    meeting.participants, meeting.secretariat, meeting.absent = _people(_people_lines(between))
    items: dict[str, AgendaItem] = {}
    for row in rows:
        item = _row_item(row)
        items.setdefault(item.number, item)
    for section in sections:
        item = _section_item(section)
        if item.number in items:
            table = items[item.number]
            # Texts (and the whole title) from the section; time and presenters from the table.
            item.time = table.time or item.time
            item.presenters = table.presenters or item.presenters
            merge_item(item, table)
        items[item.number] = item
    meeting.items = list(items.values())
    _resolve_chair(meeting.items, meeting.participants)
    return meeting
