"""Case numbers: the forms Danish minutes write them in, on a line of their own or in a title.

    EMN-2025-003383            a lettered number (a line of its own, or at the end of a title)
    Sagsnr.: 12/3456           labelled: "Sagsnr.", "Sag nr.", "Sagsnummer", "J.nr.", "Journalnr." …
    2019-12345, 12.34.56-P20   a bare number, on a line of its own at the start of an item

An item keeps its number in ``AgendaItem.case_number``, never in its title, and the
search finds every item of a case by it (``case=``, ``sag:``).
"""
from __future__ import annotations

import re

CASE_NUMBER = re.compile(r"^((?:[A-ZÆØÅ]{2,6}-)?\d{2,4}[-./]\d{2,}(?:[-./][\dA-Z]+)*|[A-ZÆØÅ]{2,6}-\d+(?:-\d+)+)$")
_CASE_LABEL = r"(?:Sags?nr\.?|Sag\s+nr\.?|Sagsnummer|Sagsid\.?|J\.\s?nr\.?|Journalnr\.?|Journal\s+nr\.?|Journalnummer)"
_CASE_VALUE = r"((?:[A-ZÆØÅ]{1,6}[-.]?)?\d[\w./-]*\d|[A-ZÆØÅ]{2,6}-\d+(?:-\d+)+)"
CASE_LINE = re.compile(r"^" + _CASE_LABEL + r"\s*:?\s*" + _CASE_VALUE + r"\W*$", re.IGNORECASE)
# A case number in a title: labelled anywhere, or a lettered one ("EMN-2025-003383") at its end.
_CASE_IN_TITLE = re.compile(r"\s*[-–,(]?\s*\b" + _CASE_LABEL + r"\s*:?\s*" + _CASE_VALUE + r"\)?\s*[-–:]?\s*"
                            r"|\s*[-–,(]?\s*\b([A-ZÆØÅ]{2,6}-\d{4}-\d+(?:-\d+)*)\)?\s*$", re.IGNORECASE)


def case_number_in_title(title: str) -> tuple[str, str]:
    """(the title without its case number, the case number or "")."""
    m = _CASE_IN_TITLE.search(title)
    if not m:
        return title, ""
    rest = (title[:m.start()] + " " + title[m.end():]).strip(" -–,:")
    return (" ".join(rest.split()), (m.group(1) or m.group(2)).rstrip(".")) if rest else (title, "")
