"""Danish formatting for the templates: dates, numbers, outcome labels, plurals.

Registered as Jinja filters by :func:`register`; usable from Python too.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_date

from archive.parse import outcome
from archive.plurals import number, plural, word

__all__ = ["danish_date", "danish_weekday_date", "number", "plural", "word", "outcome_label", "time_range"]

LOCALE = "da"


def to_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@lru_cache(maxsize=8192)
def _long_date(date: dt.date) -> str:
    # Babel's formatting costs ~50 µs; a results page formats the same few dates many times.
    return format_date(date, "d. MMMM y", locale=LOCALE)


def danish_date(value: dt.date | str | None, missing: str = "uden dato") -> str:
    """20. juni 2018"""
    date = to_date(value)
    return _long_date(date) if date else missing


def danish_weekday_date(value: dt.date | str | None, missing: str = "uden dato") -> str:
    """onsdag 20. juni 2018"""
    date = to_date(value)
    return format_date(date, "EEEE d. MMMM y", locale=LOCALE) if date else missing


def outcome_label(slug: str) -> str:
    """The Danish label of an outcome slug ("Taget til efterretning"); the slug itself if unknown."""
    return outcome.label(slug)


def time_range(text: str) -> str:
    return text.replace("-", "–") if text else ""


def register(app) -> None:
    app.jinja_env.filters.update(
        danish_date=danish_date,
        danish_weekday_date=danish_weekday_date,
        number=number,
        outcome_label=outcome_label,
        time_range=time_range,
    )
    app.jinja_env.globals.update(plural=plural, plural_word=word)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
