"""Items numbered "1) …" / "1. …": a general assembly's notice with the agenda as a list,
then the minutes with one heading per item ("## 1) Valg af ordstyrer.").

The agenda may appear twice (notice and minutes): occurrences are merged by
number and the text under the heading is the item's minute.  When the items
are headings, a numbered list inside a minute is not taken for items.  A
section after the last item whose heading repeats an item's title
("# Formandens beretning" for "2) Formandens beretning.") is that item's
report and goes into its description; other trailing sections belong to no item.
"""
from __future__ import annotations

import re

from ..danish_dates import find_date
from ..model import AgendaItem, Meeting
from ..text import clean_title, markdown_to_plain
from .common import body_and_number, find_label, merge_item, set_when, titled_item

NAME = "numbered"

_ENTRY = re.compile(r"^(\s*)(#{1,6}\s*)?(?:Punkt\s+|Pkt\.?\s*)?(\d{1,2})([).])\s+(\S.{0,300})$", re.IGNORECASE)
_HEADING = re.compile(r"^\s*(#{1,6})\s+(.*)$")


def _entries(lines: list[str]) -> list[tuple[int, str, str, bool]]:
    """(line index, number, title, is_heading) of lines that look like numbered items."""
    out = []
    for i, line in enumerate(lines):
        m = _ENTRY.match(line)
        if m and len(m.group(1)) <= 8:
            out.append((i, m.group(3), m.group(5), bool(m.group(2))))
    return out


def _items(lines: list[str]) -> list[tuple[int, str, str, bool]]:
    """Numbered lines that are items: headings if there are any, plus a list before them,
    each run numbered in sequence from 1 (a restart is the agenda's second occurrence)."""
    entries = _entries(lines)
    headings = [e for e in entries if e[3]]
    if len(headings) >= 2:
        first = headings[0][0]
        entries = [e for e in entries if e[3] or e[0] < first]
    kept: list[tuple[int, str, str, bool]] = []
    expected = None
    for entry in entries:
        number = int(entry[1])
        if number == 1 or number == expected:
            kept.append(entry)
            expected = number + 1
    return kept


def score(lines: list[str]) -> int:
    items = _items(lines)
    return 2 * len(items) if len(items) >= 2 else 0


def _item(number: str, raw_title: str) -> AgendaItem:
    item = titled_item(number, raw_title)
    item.title = item.title.rstrip(".")      # "1. Godkendelse af dagsorden." is a sentence here
    return item


def _level(line: str) -> int:
    m = _HEADING.match(line)
    return len(m.group(1)) if m else 0


def _body(lines: list[str], start: int, stop: int, is_heading: bool) -> tuple[list[str], int]:
    """The lines that belong to an occurrence, and where they end.

    Under a heading: up to the next heading of the same or a higher level.
    A list entry: only the lines that directly follow it (no blank line).
    """
    level = _level(lines[start])
    end = start + 1
    while end < stop:
        line = lines[end]
        if is_heading and 0 < _level(line) <= level:
            break
        if not is_heading and not line.strip():
            break
        end += 1
    return lines[start + 1:end], end


def _text(lines: list[str]) -> str:
    return markdown_to_plain("\n".join(lines))


def _norm(title: str) -> str:
    return re.sub(r"[\W_]+", " ", title.lower()).strip()


def _attach_reports(items: dict[str, AgendaItem], lines: list[str]) -> None:
    """Trailing sections whose heading repeats an item title become that item's description."""
    by_title = {_norm(item.title): item for item in items.values()}
    i = 0
    while i < len(lines):
        m = _HEADING.match(lines[i])
        item = by_title.get(_norm(m.group(2))) if m else None
        if item is None:
            i += 1
            continue
        body, end = _body(lines, i, len(lines), True)
        report = _text(body)
        item.description = "\n\n".join(p for p in (item.description, report) if p)
        i = end


def _header(meeting: Meeting, lines: list[str], first_item: int) -> None:
    head = lines[:first_item]
    title = next((h.group(2) for h in map(_HEADING.match, head) if h), "")
    title = title or next((line for line in head if line.strip()), "")
    meeting.title = clean_title(title)
    meeting.body, meeting.number = body_and_number(meeting.title)
    meeting.location = find_label(head, "sted", "mødested", "adresse")
    set_when(meeting, find_label(head, "dato", "tid", "tidspunkt", "mødedato"))
    set_when(meeting, "\n".join(head) or "\n".join(lines))
    if not meeting.location:
        meeting.location = _indented_block_after_date(head)


def _indented_block_after_date(lines: list[str]) -> str:
    """An indented address block that follows the date in a notice ("    Bakkensbro 6")."""
    seen_date = False
    block: list[str] = []
    for line in lines:
        if _HEADING.match(line) and seen_date:
            break
        if find_date(line):
            seen_date = True
            continue
        if seen_date and line.startswith(("    ", "\t")) and line.strip():
            block.append(line.strip())
        elif block and line.strip():
            break
    return ", ".join(block)


def parse(text: str) -> Meeting:
    lines = text.split("\n")
    found = _items(lines)
    meeting = Meeting(body="")
    if not found:
        return meeting
    _header(meeting, lines, found[0][0])
    items: dict[str, AgendaItem] = {}
    last_end = 0
    for k, (index, number, title, is_heading) in enumerate(found):
        stop = found[k + 1][0] if k + 1 < len(found) else len(lines)
        body, last_end = _body(lines, index, stop, is_heading)
        item = _item(number, title)
        item.minutes = _text(body)
        if number in items:
            # The later occurrence (the minutes) wins; the agenda fills what it lacks.
            merge_item(item, items[number])
        items[number] = item
    meeting.items = list(items.values())
    _attach_reports(items, lines[last_end:])
    return meeting
