"""Dates and clock times as Danish minutes write them.

"Onsdag 20. juni 2018 kl. 16.00 – 18.00", "onsdag den 1. oktober 2025 kl. 15.45",
"04.06.2026 kl. 13 - 14:30", "d. 2024.09.05 kl 19:00", "2024-09-05".
"""
from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}

# "5. maj 2014", "09 december 2019", and "19.maj 2021" without the space.
_WORD_DATE = re.compile(
    r"\b(\d{1,2})(?:\.\s*|\s+)(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?,?\s+(\d{4})\b",
    re.IGNORECASE)
_ISO_DATE = re.compile(r"\b(\d{4})[-.](\d{1,2})[-.](\d{1,2})\b")
_DMY_DATE = re.compile(r"\b(\d{1,2})[-./](\d{1,2})\s?[-./–]\s?(\d{4})\b")
# "28/1-08", "15.2.06": a two-digit year, read in headers only (elsewhere it is too often a number).
_DMY_SHORT = re.compile(r"(?<![\d.,/])(\d{1,2})[./](\d{1,2})[-./](\d{2})(?![\d.,/]\d)")
# "9. februar" without a year: the year comes from elsewhere (the file name).
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:\.\s*|\s+)(" + "|".join(sorted(MONTHS, key=len, reverse=True))
                        + r")\b(?!\.?,?\s+\d{4})", re.IGNORECASE)
# "4/7", "d. 5/4" without a year (completed, like "9. februar", from the file name's year).
_DAY_MONTH_NUM = re.compile(r"(?<![\d./-])(\d{1,2})/(\d{1,2})(?![\d/]|[-.]\d)")
# "110700": a year and a month, the day left open as "00" (YYMM00).
_NAME_MONTH = re.compile(r"(?<!\d)(\d{2})(0[1-9]|1[0-2])00(?!\d)")
# Dates in file names: 20180620, 2018-06-20, 20032023 (day first), 071024 / 090407 (six digits: either way).
_NAME_YMD = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_NAME_DMY = re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])[-_.]?(0[1-9]|1[0-2])[-_.]?((?:19|20)\d{2})(?!\d)")
_NAME_SIX = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})(?!\d)")

# "kl. 16.00 – 18.00", "kl 19:00", "kl. 13 - 14:30", "kl. 15.45-17"
_CLOCK = r"(\d{1,2})(?:[.:](\d{2}))?"
_TIME_RANGE = re.compile(r"\bkl\.?\s*" + _CLOCK + r"(?:\s*[-–—]\s*(?:kl\.?\s*)?" + _CLOCK + r")?(?!\d)",
                         re.IGNORECASE)
# A bare "16:00 – 16:05" (an agenda table's time column): needs minutes on both sides.
_BARE_RANGE = re.compile(r"(?<![\d.:])(\d{1,2})[.:](\d{2})\s*[-–—]\s*(\d{1,2})[.:](\d{2})(?![\d.:])")


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _century(year: int) -> int:
    return 2000 + year if year <= (dt.date.today().year % 100) + 1 else 1900 + year


def years_in(text: str) -> set[int]:
    """The years a text writes out in full ("2025")."""
    return {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)}


def _short_date(m: re.Match, years: set[int] | None) -> dt.date | None:
    """ "28/1-08" day first; but "25.08.27" year first when only that reading's year is one the
    document speaks of (a date written the ISO way with a short year)."""
    a, b, c = (int(g) for g in m.groups())
    day_first = _make_date(_century(c), b, a)
    if years and (day_first is None or day_first.year not in years):
        year_first = _make_date(_century(a), b, c)
        if year_first is not None and year_first.year in years:
            return year_first
    return day_first


def dates_in(text: str, short_years: bool = False, year: int | None = None,
             years: set[int] | None = None) -> list[tuple[int, dt.date]]:
    """Every date in the text with its position, in order.

    ``short_years`` also reads "28/1-08" (and, given the ``years`` the document writes out,
    "25.08.27" year first where only that reading fits them); ``year`` completes "9. februar"
    (and, with ``short_years``, "4/7").
    """
    candidates: list[tuple[int, dt.date]] = []
    for m in _WORD_DATE.finditer(text):
        date = _make_date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
        if date:
            candidates.append((m.start(), date))
    for m in _ISO_DATE.finditer(text):
        date = _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if date:
            candidates.append((m.start(), date))
    for m in _DMY_DATE.finditer(text):
        date = _make_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if date:
            candidates.append((m.start(), date))
    if short_years:
        for m in _DMY_SHORT.finditer(text):
            date = _short_date(m, years)
            if date:
                candidates.append((m.start(), date))
    if year:
        for m in _DAY_MONTH.finditer(text):
            date = _make_date(year, MONTHS[m.group(2).lower()], int(m.group(1)))
            if date:
                candidates.append((m.start(), date))
        if short_years:
            for m in _DAY_MONTH_NUM.finditer(text):
                date = _make_date(year, int(m.group(2)), int(m.group(1)))
                if date:
                    candidates.append((m.start(), date))
    seen: set[int] = set()
    out = []
    for pos, date in sorted(candidates, key=lambda c: c[0]):
        if pos not in seen:
            seen.add(pos)
            out.append((pos, date))
    return out


def filename_dates(name: str) -> list[dt.date]:
    """The dates a file name may carry; two when six digits read both ways (DDMMYY, YYMMDD)."""
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", name.rsplit("/", 1)[-1])
    found: list[dt.date | None] = []
    for m in _NAME_YMD.finditer(stem):
        found.append(_make_date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    for m in _NAME_DMY.finditer(stem):
        found.append(_make_date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
    if not any(found):
        for m in _NAME_SIX.finditer(stem):
            a, b, c = (int(g) for g in m.groups())
            if c == 0 and _NAME_MONTH.fullmatch(m.group(0)):
                continue                                     # YYMM00: a month, no day (see filename_month)
            found.append(_make_date(_century(c), b, a))      # DDMMYY
            found.append(_make_date(_century(a), b, c))      # YYMMDD
    return list(dict.fromkeys(d for d in found if d is not None))


def filename_month(name: str) -> tuple[int, int] | None:
    """(year, month) of a file name that gives a month and leaves the day open: "110700_x.pdf" → (2011, 7)."""
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", name.rsplit("/", 1)[-1])
    m = _NAME_MONTH.search(stem)
    return (_century(int(m.group(1))), int(m.group(2))) if m else None


def _clock(hour: str | None, minute: str | None) -> str:
    if hour is None or int(hour) > 24 or (minute and int(minute) > 59):
        return ""
    return f"{int(hour):02d}:{minute or '00'}"


def find_time_range(text: str) -> tuple[str, str]:
    """("16:00", "18:00") from "kl. 16.00 – 18.00"; ("19:00", "") from "kl 19:00"."""
    m = _TIME_RANGE.search(text)
    if not m:
        return "", ""
    start = _clock(m.group(1), m.group(2))
    end = _clock(m.group(3), m.group(4)) if start else ""
    return start, end


def find_bare_range(text: str) -> tuple[str, str, int, int]:
    """A "16:00 – 16:05" range without "kl.": (start, end, match start, match end)."""
    m = _BARE_RANGE.search(text)
    if not m:
        return "", "", -1, -1
    start, end = _clock(m.group(1), m.group(2)), _clock(m.group(3), m.group(4))
    if not start or not end:
        return "", "", -1, -1
    return start, end, m.start(), m.end()


def span(start: str, end: str) -> str:
    """The item time as stored: "16:30–17:00" with an en dash, or just the start."""
    if start and end:
        return f"{start}–{end}"
    return start
