"""Is every line of a document somewhere in its meeting, and every item of its agenda one of its items?
The measure behind "nothing is lost".

A line counts as kept when its words, in order, occur in the meeting's text
fields (what ``arkiv export`` writes).  Only words are compared (lower case,
no digits or punctuation), and a line may lose its structural prefix: an item
number ("Pkt. 45/18", "3."), a presenter mark ("v/", "/ Arne og Bo") or a marker label up to a
colon ("REFERAT:", "Det indstilles at:"), since the parser turns those into
fields.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from archive.numbering import numbering
from archive.parse.casenumber import case_number_in_title
from archive.text import strip_urls

LONG_LINE_WORDS = 8
_PREFIX = re.compile(r"^(?:v/\s*|[^:]{1,40}:\s+)")


def letters(text: str) -> str:
    """Text reduced to its words, lower case, one space apart; presenter marks ("v/", "v.") dropped."""
    return " ".join(re.findall(r"[^\W\d_]+", re.sub(r"\bv[./]", " ", text.lower())))


def variants(line: str) -> list[str]:
    out = [letters(line)]
    num = numbering(line)
    rest = num.rest if num is not None else line
    out.append(letters(rest))
    stripped = _PREFIX.sub("", rest, count=1)
    out.append(letters(stripped))
    # A web address in a title is kept apart from it (a "Link:" in the item's description),
    # and so is a case number (the item's case number).
    out.append(letters(strip_urls(stripped)))
    out.append(letters(case_number_in_title(stripped)[0]))
    # Presenters after a slash ("Økonomi / Arne og Bo") become the item's presenters, one by one.
    title, slash, names = stripped.partition("/")
    if slash and names.strip()[:1].isupper():
        out.append(letters(title + " " + re.sub(r"\s+(?:og|&)\s+", " ", names)))
    return [v for v in dict.fromkeys(out) if v]


def is_long(line: str) -> bool:
    return len(re.findall(r"\w+", line)) >= LONG_LINE_WORDS


def line_kept(line: str, haystack: str) -> bool:
    """``haystack`` is ``letters()`` of everything the meeting holds."""
    return any(v in haystack for v in variants(line))


def record_text(value: Any) -> Iterable[str]:
    """Every string inside an export record (or any JSON value), in order."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from record_text(v)
    elif isinstance(value, list):
        for v in value:
            yield from record_text(v)


def _covered(text: str) -> list[int]:
    """The top-level numbers an item's number stands for: "3", "3." → [3]; "2+3+4" (items treated
    together) → [2, 3, 4]; "5a" → [5] (a part of item 5); "1.2" → [] (a sub-item); "47/18" → []."""
    text = text.strip().rstrip(".")
    if re.fullmatch(r"\d{1,3}(?:\+\d{1,3})*", text):
        return [int(n) for n in text.split("+")]
    if re.fullmatch(r"\d{1,3}[a-zA-Z]", text):
        return [int(text[:-1])]
    return []


def skipped_numbers(numbers: list[str]) -> list[int]:
    """Numbers missing between an item's number and the next one's ("1", "2", "4" → [3]); none where
    the items are not numbered 1, 2, 3 … (a council's running numbers "47/18" are their own)."""
    covered = [_covered(n) for n in numbers]
    found = [n for ns in covered for n in ns]
    if len(found) < 2 or sum(1 for ns in covered if not ns) > 1 or found != sorted(found):
        return []
    missing = sorted(set(range(found[0], found[-1] + 1)) - set(found))
    # a few missing are a slip of reading; most of a run missing is another numbering
    return missing if len(missing) <= max(1, len(found) // 2) else []


def agenda_not_found(agenda: list[str], numbers: list[str]) -> list[int]:
    """Numbers of the agenda list's entries that no item carries: neither the number itself, nor a
    sub-item under it ("1.2" is in the agenda's "1")."""
    listed = [n for a in agenda for n in _covered(a)]
    have = {n for x in numbers for n in _covered(x)}
    have |= {int(x.split(".")[0]) for x in numbers if re.fullmatch(r"\d{1,3}\.\d{1,3}\.?", x.strip())}
    return [n for n in listed if n not in have] if have else []
