"""Numbering schemes of agenda items, as data: which scheme a line starts with, and its number.

A scheme is a family of written forms that number items the same way:

    punkt   "Punkt 3:", "Pkt. 44/18", "Dagsordenspunkt 2"
    ad      "AD 3", "Ad 3:", "Ad. pkt. 3", "Referat ad 3"
    slash   "44/18 Title" (a running case number with the year)
    dot     "1.", "1. Title", "2+3+4.", "4 A."
    paren   "1)", "1) Title", "11)Title"
    colon   "1: Title", "2 : Title: what was said" (the number and a colon, then a title in capitals)
    bare    a number alone on its line, the title on the next ("1" / "Referat fra …")
    space   "1 First Agenda": a number, a space, a capitalised title (a heading's numbering as Word and
            case systems print it; the segmenter only takes it from a styled line)
    dotted  "1.1 Title", "2.3" (an item under a group "2."); its title may start in lower case
    status  "åbent 3 Title", "Lukket punkt 7: Title" (a publication's list of open and closed items)
    letter  "a)", "b )", "A.", and roman "i.", "ii)" — sub-items

A number is read without leading zeros: "01." is item 1.

The segmenter (archive.parse.segment) decides which scheme numbers the items of a
document; this module only reads numbers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from archive.danish_dates import MONTHS

TOP_FAMILIES = ("punkt", "ad", "slash", "dot", "paren", "colon", "bare", "space", "dotted", "status")
SUB_FAMILIES = ("letter",)

_MERGED = r"\d{1,3}(?:\s*[+&]\s*\d{1,3})*"
_SUFFIX = r"(?:\s?[a-zA-Z](?![\w]))?"        # "5a)", "4 A.": a part of item 5 or 4
# After the number: a separator ("Ad 4 · Vedtægter", "3 | Budget"), or the end, or a title that does not start in lower case
# ("3. étape kommer med" and "1. pkt." are prose, not headings).
_TITLE = r"(?:\s*[:.)\-–—·•|]\s*|\s+)?(?P<rest>(?-i:(?![a-zæøåé]))\S.*)?$"
_MONTH = re.compile(r"^(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?\s*\d{0,4}",
                    re.IGNORECASE)

_PATTERNS: list[tuple[str, re.Pattern]] = [
    # "Pkt. 1006/19": a running number of the year's items may have four digits; never a cut one ("100")
    ("punkt", re.compile(r"^(?:Dagsordens?punkt|Punkt|Pkt)\.?\s*(?P<n>\d{1,4}(?:/\d{2,4})?"
                         r"(?:\s*[+&]\s*\d{1,3})*(?:\s?[A-Za-z](?![\w]))?)(?![\d/])" + _TITLE, re.IGNORECASE)),
    ("ad", re.compile(r"^(?:Referat\s+)?(?:AD|Ad|ad)\.?\s*(?:pkt\.?|punkt)?\s*(?P<n>\d{1,3}(?:\.\d{1,2})?" + _SUFFIX + ")"
                      r"(?!\d)" + _TITLE)),
    ("slash", re.compile(r"^(?P<n>\d{1,3}/\d{2,4})(?![\d/])" + _TITLE)),
    # "3.3 snak om forslag til …": a sub-item's title may start in lower case, but "2.5 mio. kr." is an amount
    ("dotted", re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2}){1,2})(?!\d)\.?(?:\s+|$)"
                          r"(?P<rest>(?!(?:mio|mia|mill|kr|pct|procent|timer?|dage?|uger?|år|m2|km|kg)\b)\S.*)?$",
                          re.IGNORECASE)),
    ("status", re.compile(r"^(?:Åbent|Lukket)(?:\s+punkt)?\s*:?\s*(?P<n>\d{1,3})\.?(?:\s*[:.)\-–]\s*|\s+)"
                          r"(?P<rest>\S.*)$", re.IGNORECASE)),
    ("dot", re.compile(r"^(?P<n>" + _MERGED + r"(?:\s?[A-Z](?!\w))?)\s*\.(?![\d.])" + _TITLE)),
    ("paren", re.compile(r"^(?P<n>" + _MERGED + _SUFFIX + r")\s*\)" + _TITLE)),
    # "1: Valg af dirigent": never a time ("16:00") or a ratio ("3:1"), a capital after the space
    ("colon", re.compile(r"^(?P<n>\d{1,2})\s?:\s+(?P<rest>[A-ZÆØÅ\"“].*)$")),
    ("bare", re.compile(r"^(?P<n>\d{1,2})(?P<rest>)$")),
    ("space", re.compile(r"^(?P<n>\d{1,2})\s+(?P<rest>[A-ZÆØÅ][^\W\d_]*(?:\s.*)?)$")),
    ("letter", re.compile(r"^(?P<n>[a-zæøå]|[A-ZÆØÅ]|i{1,3}|iv|vi{0,3}|ix)\s?[).](?!\w\.)\s*(?P<rest>\S.*)?$")),
]


@dataclass(frozen=True)
class Numbering:
    family: str
    number: str                  # as written, spaces removed: "44/18", "2+3+4", "1.1", "4A", "a"
    value: tuple[int, ...]       # what orders it: (44,), (2,), (1, 1); letters count from 1
    last: int                    # the last number a merged "2+3+4" covers (4); else value[-1]
    rest: str                    # the title text on the same line ("" when the number stands alone)


def _value(family: str, number: str) -> tuple[tuple[int, ...], int]:
    if family == "letter":
        if re.fullmatch(r"[ivx]+", number) and len(number) > 1:
            return (_roman(number),), _roman(number)
        return (ord(number.lower()[0]) - ord("a") + 1,), ord(number.lower()[0]) - ord("a") + 1
    if family == "dotted":
        parts = tuple(int(p) for p in number.split("."))
        return parts, parts[-1]
    numbers = [int(n) for n in re.findall(r"\d+", number.split("/")[0])]
    return (numbers[0],), numbers[-1]


def _roman(text: str) -> int:
    values = {"i": 1, "v": 5, "x": 10}
    total = 0
    for a, b in zip(text, text[1:] + " ", strict=True):
        va, vb = values[a], values.get(b, 0)
        total += -va if va < vb else va
    return total


def numbering(line: str) -> Numbering | None:
    """The numbering a line starts with, or None."""
    line = line.strip()
    for family, pattern in _PATTERNS:
        m = pattern.match(line)
        if not m:
            continue
        rest = (m.group("rest") or "").strip()
        if family in ("dot", "paren", "slash", "dotted") and _MONTH.match(rest):
            return None                      # "7. Oktober 2024": a date, not an item
        if family == "letter" and rest and rest[:1].islower() and line[1:2] == ".":
            return None                      # "a. m." and the like
        number = re.sub(r"(?<![\d./])0+(?=\d)", "", re.sub(r"\s+", "", m.group("n")))     # "01" is 1
        value, last = _value(family, number)
        return Numbering(family, number, value, last, rest)
    return None
