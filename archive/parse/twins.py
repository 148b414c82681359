"""One meeting, several files: HTML/PDF/Word twins of the same minutes, an agenda and later its minutes.

Two parses are the same meeting when they have the same date and either
share most of their text (runs of five words: the same minutes in another
format), or, for the same body, most of one's item titles are the other's (an
agenda and its minutes), or their file names differ only in the extension
(``referat_20060222.html`` / ``.pdf``).

Of a meeting's originals, one gives the stored items (the others stay
downloadable): minutes win over an agenda, then the parse that found
numbered items, then a format whose structure survives best (Word, HTML,
text before PDF), then more items.
"""
from __future__ import annotations

import re
from pathlib import Path

from archive.model import Meeting, Warn

AGENDA = "dagsorden"
MINUTES = "referat"
_FORMAT_RANK = {".docx": 3, ".html": 3, ".htm": 3, ".md": 2, ".markdown": 2, ".txt": 2, ".pdf": 1}
_WORD = re.compile(r"[^\W\d_]{3,}")


def _shingles(meeting: Meeting) -> set[tuple[str, ...]]:
    """Runs of five words: two files share most of them only when they hold the same text."""
    parts = [meeting.preamble, meeting.back_matter]
    for item in meeting.items:
        parts += [item.title, item.description, item.recommendation, item.minutes]
    words = _WORD.findall(" ".join(parts).lower())
    return {tuple(words[i:i + 5]) for i in range(max(0, len(words) - 4))}


def _titles(meeting: Meeting) -> set[str]:
    return {" ".join(_WORD.findall(item.title.lower())) for item in meeting.items if item.title}


def stem(name: str) -> str:
    """A file name without extension and case: the key twins share."""
    return Path(name).stem.lower()


def kind(meeting: Meeting) -> str:
    """An agenda (no minutes yet) or minutes, from what the file and its text say."""
    said = f"{meeting.source_file} {meeting.title}".lower()
    minutes_words = sum(len(item.minutes.split()) for item in meeting.items)
    if "dagsorden" in said and "referat" not in said and minutes_words < 20 * max(1, len(meeting.items)) \
            and not any(item.outcomes for item in meeting.items):
        return AGENDA
    return MINUTES


def same_meeting(a: Meeting, b: Meeting, same_body: bool) -> bool:
    """Whether two parses (of different files) are one meeting; ``same_body``: their bodies agree."""
    if a.date is None or a.date != b.date:
        return False
    if stem(a.source_file) == stem(b.source_file) and \
            Path(a.source_file).suffix.lower() != Path(b.source_file).suffix.lower():
        return True
    sa, sb = _shingles(a), _shingles(b)
    if sa and sb and len(sa & sb) >= 0.5 * min(len(sa), len(sb)):
        return True
    # An agenda and its minutes: the same items.  (Two minutes of one body always share some
    # titles — "Formalia", "Eventuelt" — so this holds only when one of them is an agenda.)
    if AGENDA not in (kind(a), kind(b)) or not same_body:
        return False
    ta, tb = _titles(a), _titles(b)
    return min(len(ta), len(tb)) >= 2 and len(ta & tb) >= 0.6 * min(len(ta), len(tb))


def rank(meeting: Meeting) -> tuple:
    """Sort key: the original whose parse a meeting shows is the one with the largest key."""
    structured = not any(w.code is Warn.NO_ITEMS for w in meeting.warnings)
    numbered = sum(1 for item in meeting.items if item.number)
    return (kind(meeting) == MINUTES, structured, numbered > 1,
            _FORMAT_RANK.get(Path(meeting.source_file).suffix.lower(), 0), len(meeting.items), meeting.source_sha256)
