"""Helpers shared by the layout parsers: labels, headings, header facts, item merging."""
from __future__ import annotations

import re

from ..danish_dates import find_date, find_time_range
from ..model import AgendaItem, Meeting
from ..people import presenter_names_in_parentheses, presenters_after_v
from ..text import clean_title, collapse_spaces, first_upper, strip_markdown_inline

# "Mødedato: …", "**Tid**: …", "Sted:\t…"
_LABEL = re.compile(r"^\s*(?:[-*]\s+)?\**([A-ZÆØÅa-zæøå][\wæøåÆØÅ .-]{1,30}?)\**\s*:\**\s*(.*)$")

# "6. møde i bestyrelsen for …", "Referat af 3. møde i Fjordby Ældreråd"
_NUMBERED_MEETING = re.compile(
    r"^(?:(?:referat|dagsorden)\s+(?:af|fra|for)\s+)?(?:det\s+)?(?:(\d{1,3})\.\s*)?"
    r"(?:ordinære?\s+|ekstraordinære?\s+)?(?:møde|bestyrelsesmøde|udvalgsmøde)\s+(?:i|for)\s+(.+)$",
    re.IGNORECASE)
# "Ordinær generalforsamling i AlsLUG"
_ASSEMBLY = re.compile(r"generalforsamling\s+(?:i|for|hos)\s+(.+?)\s*$", re.IGNORECASE)

# A closed item's marker line, in every layout that has closed items.
CLOSED = re.compile(r"^\s*Lukket\s+punkt\s*:?\s*$", re.IGNORECASE)

DOC_WORDS = {"referat", "dagsorden", "dagsorden og referat", "mødereferat", "beslutningsprotokol",
             "referat og dagsorden"}


def label_value(line: str) -> tuple[str, str] | None:
    m = _LABEL.match(line)
    if not m:
        return None
    return m.group(1).strip().lower(), strip_markdown_inline(m.group(2)).strip(" *\t")


def find_label(lines: list[str], *labels: str) -> str:
    """The value of the first "Label: value" line whose label is one of ``labels``."""
    wanted = {label.lower() for label in labels}
    for line in lines:
        found = label_value(line)
        if found and found[0] in wanted and found[1]:
            return found[1]
    return ""


def body_and_number(title: str) -> tuple[str, str]:
    """(body, meeting number) from a document title."""
    title = collapse_spaces(title)
    m = _NUMBERED_MEETING.match(title)
    if m:
        return first_upper(m.group(2).strip(" .")), m.group(1) or ""
    m = _ASSEMBLY.search(title)
    if m:
        return m.group(1).strip(" ."), ""
    return title, ""


def set_when(meeting: Meeting, text: str) -> None:
    """Fill date/start/end from the first date and "kl." time in ``text`` when still empty."""
    if meeting.date is None:
        meeting.date = find_date(text)
    if not meeting.start:
        meeting.start, meeting.end = find_time_range(text)


def first_title_line(lines: list[str]) -> str:
    """The first line that is not a document-type word ("REFERAT") or a label."""
    for line in lines:
        text = clean_title(line.lstrip("#> "))
        if text and text.lower().rstrip(":") not in DOC_WORDS:
            return text
    return ""


def titled_item(number: str, raw_title: str) -> AgendaItem:
    """An item from its heading: "Title (Agnete / Thor)" or "Title v/Agnete" gives the presenters."""
    title, presenters = presenter_names_in_parentheses(clean_title(raw_title))
    if not presenters:
        title, presenters = presenters_after_v(title)
    return AgendaItem(number=number, title=clean_title(title), presenters=presenters)


def merge_item(target: AgendaItem, other: AgendaItem) -> None:
    """Fill what ``target`` lacks from ``other`` (the same item seen twice)."""
    for name in ("title", "time", "description", "recommendation", "minutes", "case_number"):
        if not getattr(target, name) and getattr(other, name):
            setattr(target, name, getattr(other, name))
    if not target.presenters:
        target.presenters = other.presenters
    target.closed = target.closed or other.closed
