"""Markdown agenda-and-minutes: "Mødefakta" labels, checkbox participants, items
numbered "1.1" … under group headings "#### 1. Formalia", and a minutes part
("## Møde referat") where each item is repeated (often as a block quote
"> - 2.4 …") and followed by its minute.

Agenda and minutes list the same items: they are merged by number.  A group
heading without numbered sub-items ("#### 3. Eventuelt") is an item itself.
"""
from __future__ import annotations

import re

from ..model import AgendaItem, Meeting, Person
from ..people import parse_person
from ..text import clean_title, markdown_to_plain, strip_markdown_inline
from .common import find_label, merge_item, set_when, titled_item

NAME = "markdown-agenda"

_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_ITEM = re.compile(r"^\s*(?:[-*+]\s+)?(\d{1,2}(?:\.\d{1,2})+)\.?\s+(\S.*)$")
_GROUP = re.compile(r"^\s*#{1,6}\s*(\d{1,2})\.?\s+(\S.*)$")
_HEADING = re.compile(r"^\s*#{1,6}\s+(.*)$")
_MINUTES_HEADING = re.compile(r"^\s*#{1,6}\s*(?:Møde\s*referat|Mødereferat|Referat)\b", re.IGNORECASE)
_CHECKBOX = re.compile(r"^\s*[-*+]\s+\[([ xX])\]\s+(.*)$")
_LIST_ENTRY = re.compile(r"^\s*[-*+]\s+(.*)$")


def _unquote(line: str) -> tuple[str, bool]:
    m = _QUOTE.match(line)
    return (line[m.end():], True) if m else (line, False)


def score(lines: list[str]) -> int:
    items = sum(1 for line in lines if _ITEM.match(_unquote(line)[0]) and _is_listed(line))
    return 3 * items + 1 if items >= 2 else 0


def _is_listed(line: str) -> bool:
    """A dotted number counts as an item in a Markdown list or quote, not in running text."""
    text, quoted = _unquote(line)
    return quoted or bool(re.match(r"^\s*[-*+]\s+", text))


def _split_at(lines: list[str]) -> int:
    """Where the minutes part begins: its heading, the first quoted item, or a repeated number."""
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if _MINUTES_HEADING.match(line):
            return i
        text, quoted = _unquote(line)
        m = _ITEM.match(text) if _is_listed(line) else None
        if m and (quoted or m.group(1) in seen):
            return i
        if m:
            seen.add(m.group(1))
    return len(lines)


def _collect(lines: list[str], parents: set[str]) -> list[tuple[AgendaItem, list[str]]]:
    """Items in order of appearance with the lines that follow each occurrence."""
    found: list[tuple[AgendaItem, list[str]]] = []
    current: list[str] | None = None
    for line in lines:
        text, _ = _unquote(line)
        item = _ITEM.match(text) if _is_listed(line) else None
        group = _GROUP.match(text)
        if item:
            current = []
            found.append((titled_item(item.group(1), item.group(2)), current))
        elif group and group.group(1) not in parents:
            current = []
            found.append((titled_item(group.group(1), group.group(2)), current))
        elif group or _HEADING.match(text):
            current = None          # a group heading or other heading ends the item's text
        elif current is not None and not _QUOTE.match(line):
            current.append(line)
    return found


def _minutes(lines: list[str]) -> str:
    return markdown_to_plain("\n".join(lines))


def _people(lines: list[str]) -> tuple[list[Person], list[Person], list[Person]]:
    present: list[Person] = []
    secretariat: list[Person] = []
    absent: list[Person] = []
    group: list[Person] | None = None
    for line in lines:
        heading = _HEADING.match(line) or re.match(r"^\s*\*\*([^*]+)\*\*\s*:?\s*$", line)
        if heading:
            word = heading.group(1).lower()
            group = (present if "deltager" in word or "til stede" in word else
                     absent if "afbud" in word or "fraværende" in word else
                     secretariat if "sekretariat" in word or "referent" in word else None)
            continue
        if group is None:
            continue
        box = _CHECKBOX.match(line)
        entry = _LIST_ENTRY.match(line)
        if box:
            person = parse_person(strip_markdown_inline(box.group(2)))
            (absent if group is present and box.group(1) == " " else group).append(person)
        elif entry:
            group.append(parse_person(strip_markdown_inline(entry.group(1))))
    absent = _unique(absent)
    away = {p.name for p in absent}
    return [p for p in present if p.name not in away], secretariat, absent


def _unique(people: list[Person]) -> list[Person]:
    seen: set[str] = set()
    return [p for p in people if not (p.name in seen or seen.add(p.name))]


def _header(meeting: Meeting, lines: list[str]) -> None:
    title = next((h.group(1) for h in map(re.compile(r"^\s*#\s+(.*)$").match, lines) if h), "")
    meeting.title = clean_title(title)
    name = find_label(lines, "mødenavn", "møde", "udvalg", "gruppe")
    meeting.body = clean_title(re.sub(r"\([^()]*\)", "", name)) if name else ""
    if not meeting.body:
        meeting.body = clean_title(re.sub(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b", "", meeting.title))
    meeting.location = find_label(lines, "sted", "mødested", "lokation")
    set_when(meeting, find_label(lines, "tid", "tidspunkt", "dato", "mødedato"))
    set_when(meeting, "\n".join(lines))


def parse(text: str) -> Meeting:
    lines = text.split("\n")
    split = _split_at(lines)
    parents = {m.group(1).split(".")[0] for m in (_ITEM.match(_unquote(line)[0]) for line in lines) if m}
    meeting = Meeting(body="")
    _header(meeting, lines[:split])
    meeting.participants, meeting.secretariat, meeting.absent = _people(lines[:split])
    items: dict[str, AgendaItem] = {}
    agenda = _collect(lines[:split], parents)
    minutes_part = _collect(lines[split:], parents)
    for item, following in agenda:
        if split == len(lines):     # no separate minutes part: the text after an item is its minute
            item.minutes = _minutes(following)
        items.setdefault(item.number, item)
    for item, following in minutes_part:
        item.minutes = _minutes(following)
        if item.number in items:
            merge_item(items[item.number], item)
        else:
            items[item.number] = item
    meeting.items = list(items.values())
    return meeting
