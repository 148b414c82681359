"""The meeting's date, chosen among the dates of the header.

The date comes from the header, never from anywhere in the text: the sentence that
convenes the meeting ("Generalforsamlingen afholdes mandag d. 06.11.2023", "indkaldes
hermed til generalforsamling den 9. november"), a labelled date ("Mødedato:", "Dato:",
"Tid:"), a line about the meeting ("Referat af bestyrelsesmøde 9. marts 2020"), the
title; the file name's date when the header has one that agrees with it, or no strong one.

Never the meeting's: the next meeting ("Næste møde: …"), a deadline ("tilmelding senest
den 31.10.2023"), the date of a letter that convenes it ("Dato: 12-10-2023 /Journalnummer …"
scores below the meeting the letter names).  One place outside the header counts: a
decision dated in the item ("Udvalgets beslutning den 04.12.2012"), which is the meeting's
where a case's earlier treatments head the document.

A date written without a year ("Torsdag 7. marts", "den 9. november kl 14") takes the
year of the file name, else the one year the header writes, else the year that puts it
after the file's own creation date (PDF info, Word properties).
"""
from __future__ import annotations

import datetime as dt
import re

from archive.danish_dates import MONTHS, dates_in, filename_dates, filename_month, years_in
from archive.extract.blocks import Block
from archive.parse.labels import label_value

DATE_LABELS = {"mødedato", "dato", "tid", "tidspunkt", "mødetid", "dato og tid", "tid og sted", "dato og sted",
               "afholdt", "afholdes", "mødetidspunkt", "when"}
MEETING_WORDS = re.compile(r"\b(?:referat|møde\w*|\w*møde|generalforsamling|dagsorden|afholdt|afholdes|samling|"
                           r"(?:ekstra)?ordinære?)\b", re.IGNORECASE)
NEXT_MEETING = re.compile(r"\bnæste\s+(?:\w+)?møde|\bnæste\s+gang", re.IGNORECASE)
# A sentence that calls or records the meeting itself: its date is the meeting's.
_CONVENES = re.compile(r"\b(?:afholdes|afholdtes|blev\s+afholdt|holdes|finder\s+sted|fandt\s+sted|"
                       r"indkald(?:er|es|e)\b(?:\s+\S+){0,8}?\s+til)\b", re.IGNORECASE)
# Just before a date: a deadline, not the meeting ("senest den 31.10.2023", "tilmelding inden 1. maj").
_DEADLINE = re.compile(r"\b(?:senest|inden|frist\w*|deadline|tilmelding\w*)\b\W*(?:\w+\W+){0,3}$", re.IGNORECASE)
# On the line of a "Dato:" label: a letter's reference, so the date is the letter's.
_LETTER_REF = re.compile(r"\bjournal\s*n(?:umme)?r|\bj\.\s*nr|\bsags?\s*nr|\bvores\s+ref|\bderes\s+ref",
                         re.IGNORECASE)
# "Sundheds- og Forebyggelsesudvalgets beslutning den 04.12.2012": the decision of this meeting.
_DECIDED_ON = re.compile(r"\bbeslutning\s+(?:den|d\.)\s*$", re.IGNORECASE)
_WEEKDAYS = {"mandag": 0, "tirsdag": 1, "onsdag": 2, "torsdag": 3, "fredag": 4, "lørdag": 5, "søndag": 6}
WEEKDAY_DATE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\s+(?:den\s+|d\.\s*)?(\d{1,2})\.\s*(\w+)",
                          re.IGNORECASE)

Candidate = tuple[int, int, dt.date, str]      # (score, position in the header, date, why)


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?"))


def _date_candidates(blocks: list[Block], front: list[int], title_blocks: list[int],
                     year: int | None, years: set[int]) -> list[Candidate]:
    """(score, position, date, why) for every date in the header."""
    found = []
    previous_label = ""
    convening = False            # the line before opened a sentence that convenes the meeting
    for pos, i in enumerate(front):
        text = blocks[i].text
        labelled = label_value(text)
        label = labelled[0] if labelled else (previous_label if not blocks[i].gap else "")
        only_label = labelled is not None and not labelled[1]
        previous_label = labelled[0] if labelled is not None and only_label else (
            text.strip().lower() if text.strip().lower() in DATE_LABELS else "")
        calls = bool(_CONVENES.search(text))
        convenes = calls or convening
        convening = calls and not _ends_sentence(text) and not dates_in(text)
        if NEXT_MEETING.search(text):
            continue
        for at, date in dates_in(text, short_years=True, year=year, years=years):
            if _DEADLINE.search(text[max(0, at - 40):at]):
                continue
            if convenes:
                found.append((5, pos, date, "sætningen der indkalder til mødet"))
            elif label in DATE_LABELS or text.strip().lower().startswith(tuple(DATE_LABELS - {"tid"})):
                if _LETTER_REF.search(text):
                    found.append((1, pos, date, "brevets dato"))
                else:
                    found.append((4, pos, date, f"mærket dato ({label or text[:20]})"))
            elif MEETING_WORDS.search(text):
                found.append((3, pos, date, "linje om mødet"))
            elif WEEKDAY_DATE.search(text):
                # "Onsdag den 2. februar 2022 kl. 17.30": the day of the meeting, not the day a web
                # page was published ("22. februar 2022 kl. 10:54" under the author's name).
                found.append((3, pos, date, "linje med ugedag"))
            elif i in title_blocks:
                found.append((2, pos, date, "titel"))
            else:
                found.append((1, pos, date, "hovedet"))
    return found


def _decisions(blocks: list[Block], front: list[int], years: set[int]) -> list[Candidate]:
    """Decisions dated in the items ("… beslutning den 04.12.2012"): the latest is this meeting's."""
    header = set(front)
    dated = [(date, i) for i, block in enumerate(blocks) if i not in header
             for at, date in dates_in(block.text, years=years) if _DECIDED_ON.search(block.text[:at])]
    if not dated:
        return []
    date, _ = max(dated)
    return [(4, len(front), date, "beslutningens dato")]


def _year_for_yearless(blocks: list[Block], front: list[int], years: set[int],
                       created: dt.date | None) -> int | None:
    """The year a date written without one is read in (see the module doc)."""
    if len(years) == 1:
        return next(iter(years))
    written = {date.year for i in front for _, date in dates_in(blocks[i].text, short_years=True)}
    if len(written) == 1:
        return next(iter(written))
    if created is None:
        return None
    for i in front:
        for m in WEEKDAY_DATE.finditer(blocks[i].text):
            month = MONTHS.get(m.group(3).lower().rstrip("."))
            if month:
                return _after(created, month, int(m.group(2)))
    for i in front:
        for _, date in dates_in(blocks[i].text, year=created.year):
            return _after(created, date.month, date.day)
    return None


def _after(created: dt.date, month: int, day: int) -> int:
    """The year in which (day, month) falls on or after the file was made (a month's slack)."""
    try:
        same = dt.date(created.year, month, day)
    except ValueError:
        return created.year
    return created.year if same >= created - dt.timedelta(days=31) else created.year + 1


def choose_date(blocks: list[Block], front: list[int], title_blocks: list[int], filename: str,
                extra_titles: list[str], all_text: str, created: dt.date | None = None) -> tuple[dt.date | None, str]:
    from_name = filename_dates(filename)
    month = filename_month(filename)
    years = {d.year for d in from_name} or ({month[0]} if month else set())
    year = _year_for_yearless(blocks, front, years, created)
    text_years = years_in(all_text)
    found = _date_candidates(blocks, front, title_blocks, year, text_years)
    for title in extra_titles:
        for _, date in dates_in(title, short_years=True, year=year, years=text_years):
            found.append((2, len(front), date, "dokumentets titel"))
    found += _decisions(blocks, front, text_years)
    header_dates = {date for _, _, date, _ in found}
    for date in from_name:
        if date in header_dates:
            return date, "filnavnet og hovedet er enige"
    in_month = [c for c in found if month and (c[2].year, c[2].month) == month]
    if in_month:
        best = max(in_month, key=lambda c: (c[0], -c[1]))
        return best[2], "filnavnets måned og hovedet er enige"
    strong = [c for c in found if c[0] >= 3]
    if strong:
        best = max(strong, key=lambda c: (c[0], -c[1]))
        return best[2], best[3]
    likeliest = _likeliest(from_name, all_text) if from_name else None
    if likeliest is not None:
        return likeliest, "filnavnet"
    if found:
        best = max(found, key=lambda c: (c[0], -c[1]))
        return best[2], best[3]
    for _, date in dates_in(all_text):
        return date, "første dato i teksten"
    return None, "ingen dato fundet"


def _likeliest(readings: list[dt.date], text: str) -> dt.date | None:
    """Of a file name's readings (071024: 7 Oct 2024 or 24 Oct 2007), the one the text agrees with:
    its years, and the weekdays it gives ("tirsdag 4. august" is a Tuesday in 2009, not 2007)."""
    years = {date.year for _, date in dates_in(text)}
    weekdays = []
    for m in WEEKDAY_DATE.finditer(text):
        month = MONTHS.get(m.group(3).lower().rstrip("."))
        if month:
            weekdays.append((_WEEKDAYS[m.group(1).lower()], int(m.group(2)), month))

    def score(date: dt.date) -> tuple[bool, int, bool, int]:
        agree = 0
        for weekday, day, month in weekdays:
            try:
                agree += dt.date(date.year, month, day).weekday() == weekday
            except ValueError:
                pass
        distance = min((abs(date.year - year) for year in years), default=0)
        return (date.year in years, agree, 1990 <= date.year <= dt.date.today().year + 1, -distance)

    best = max(readings, key=score)
    if years and min(abs(best.year - year) for year in years) > 2:
        return None                     # "110400": no reading fits the years the text speaks of
    return best
