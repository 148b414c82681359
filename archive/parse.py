"""Minutes text → Meeting.

``parse_text`` cleans the text (archive.text), picks the layout whose
signature is strongest (archive.layouts), lets it parse, and then does what is
common to all layouts: outcomes from each item's minutes, a last sweep for
page markers, and the fallback of one item when no item structure is found.
"""
from __future__ import annotations

import re
from pathlib import Path

from . import layouts
from .errors import ParseError
from .layouts.common import body_and_number, first_title_line, set_when
from .model import AgendaItem, Meeting
from .outcome import classify
from .text import normalise, reflow, strip_page_markers

_TEXT_FIELDS = ("title", "description", "recommendation", "minutes")
NO_ITEMS_WARNING = "no agenda items found: the whole document is kept as one item"


def parse_text(text: str, filename: str = "") -> Meeting:
    """Parse minutes text; raise ParseError only when it is not minutes at all."""
    name = Path(filename).name if filename else "<text>"
    cleaned = normalise(text or "")
    if not re.search(r"[^\W\d_]", cleaned):
        raise ParseError(f"{name}: no text left after clean-up (not minutes)")
    lines = cleaned.split("\n")
    layout = layouts.detect(lines)
    meeting = _parse_layout(layout, cleaned) if layout else None
    if meeting is None or not meeting.items:
        meeting = _single_item(cleaned, meeting)
    _finish(meeting, cleaned, filename)
    return meeting


def _parse_layout(layout, text: str) -> Meeting | None:
    """The layout's parse; a layout that trips over unforeseen text must not stop an ingest.

    The document then falls back to one item, and the warning names the layout
    and the error so the case can be turned into a test.
    """
    try:
        return layout.parse(text)
    except (ValueError, IndexError, KeyError, AttributeError, TypeError) as exc:
        meeting = Meeting(body="")
        meeting.warnings.append(f"{layout.NAME} layout failed ({type(exc).__name__}: {exc})")
        return meeting


def _single_item(text: str, partial: Meeting | None) -> Meeting:
    """The whole document as one item, with a warning that says so."""
    meeting = partial or Meeting(body="")
    lines = text.split("\n")
    title = first_title_line(lines)
    if not meeting.title:
        meeting.title = title
    minutes = reflow("\n".join(lines[_line_after(lines, title):]))
    meeting.items = [AgendaItem(number="1", title=title or "Referat", minutes=minutes)]
    meeting.warnings.append(NO_ITEMS_WARNING)
    return meeting


def _line_after(lines: list[str], title: str) -> int:
    """Index of the line after the one the title came from (0 if not found)."""
    for i, line in enumerate(lines):
        if title and title[:20] in line:
            return i + 1
    return 0


def _finish(meeting: Meeting, text: str, filename: str) -> None:
    if not meeting.body:
        meeting.body, number = body_and_number(meeting.title)
        meeting.number = meeting.number or number
    set_when(meeting, text)
    meeting.source_file = meeting.source_file or (Path(filename).name if filename else "")
    for position, item in enumerate(meeting.items, start=1):
        item.position = position
        for field in _TEXT_FIELDS:
            value = getattr(item, field)
            if value:
                setattr(item, field, strip_page_markers(value).strip())
        item.outcomes = classify(item.minutes)
