"""How to cite an agenda item: as text to paste, as BibTeX and as RIS (Zotero, EndNote, Mendeley).

A citation names the body as a reader outside would know it (with the organisation it belongs to
where the minutes give one), the meeting (its number, and its kind where the parser gives one:
"ordinær generalforsamling"), the date written out in Danish ("20. juni 2018"), the item's
number and title, and the item's permalink::

    Bestyrelsen for Fjordby Sejlklub, 1. møde, 7. marts 2023, pkt. 3: Kontingent for 2024
    https://arkiv.example.dk/punkt/…

The meeting's kind and parent are read as optional attributes (``meeting_kind``,
``parent_body``): a parse without them cites without them.
"""
from __future__ import annotations

import datetime as dt
import re

from archive.model import AgendaItem, Meeting

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")
_BIB_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def danish_date(date: dt.date) -> str:
    """20. juni 2018"""
    return f"{date.day}. {MONTHS[date.month - 1]} {date.year}"


def meeting_kind(meeting: Meeting) -> str:
    """The meeting's kind where the parser gives one ("ordinær generalforsamling"), else ""."""
    return str(getattr(meeting, "meeting_kind", None) or "").strip()


def parent_body(meeting: Meeting) -> str:
    """The organisation the body belongs to where the minutes name one ("Aarhus Kommune"), else ""."""
    parent = str(getattr(meeting, "parent_body", None) or "").strip()
    return "" if not parent or parent.casefold() in meeting.body.casefold() else parent


def body_name(meeting: Meeting) -> str:
    """"Byrådet (Aarhus Kommune)" where a parent is known, else the body as the minutes name it."""
    parent = parent_body(meeting)
    return f"{meeting.body} ({parent})" if parent else meeting.body


def meeting_name(meeting: Meeting) -> str:
    """"6. møde", "møde 2a", with the kind where known: "ordinær generalforsamling"."""
    number = meeting.number
    parts = [f"{number}. møde" if number.isdigit() else f"møde {number}"] if number else []
    kind = meeting_kind(meeting)
    if kind:
        parts.append(kind)
    return ", ".join(parts)


def item_label(item: AgendaItem) -> str:
    return f"pkt. {item.number}" if item.number else f"punkt {item.position}"


def citation(item: AgendaItem, meeting: Meeting, permalink: str = "") -> str:
    """The text to paste: body, meeting, date, item number and title; the permalink on a line of its own."""
    head = [body_name(meeting), meeting_name(meeting), danish_date(meeting.date) if meeting.date else "uden dato"]
    text = f"{', '.join(p for p in head if p)}, {item_label(item)}: {item.title}"
    return f"{text}\n{permalink}" if permalink else text


# -- BibTeX ---------------------------------------------------------------------------------

_BIB_SPECIAL = re.compile(r"([&%$#_])")


def _bib(text: str) -> str:
    """A BibTeX field's text: LaTeX's special characters escaped, braces and backslashes dropped."""
    text = re.sub(r"[{}\\]", "", " ".join(text.split()))
    return _BIB_SPECIAL.sub(r"\\\1", text).replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")


def bibtex_key(item: AgendaItem) -> str:
    return "arkiv-" + (re.sub(r"[^A-Za-z0-9-]+", "-", item.id).strip("-") or "punkt")


def bibtex(item: AgendaItem, meeting: Meeting, permalink: str) -> str:
    """A @misc entry: the body as a corporate author (double braces: not a person's name)."""
    fields = [("title", _bib(item.title)), ("author", "{" + _bib(body_name(meeting)) + "}")]
    published = ", ".join(p for p in ("Referat", meeting_name(meeting)) if p)
    fields.append(("howpublished", _bib(published)))
    if meeting.date:
        fields += [("year", str(meeting.date.year)), ("month", _BIB_MONTHS[meeting.date.month - 1]),
                   ("day", str(meeting.date.day)), ("date", meeting.date.isoformat())]
    if parent_body(meeting):
        fields.append(("organization", _bib(parent_body(meeting))))
    fields += [("note", _bib(item_label(item) + (f", sag {item.case_number}" if item.case_number else ""))),
               ("url", permalink), ("language", "danish")]
    body = ",\n".join(f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{bibtex_key(item)},\n{body}\n}}\n"


# -- RIS ------------------------------------------------------------------------------------

def _ris(text: str) -> str:
    return " ".join(text.split())


def ris(item: AgendaItem, meeting: Meeting, permalink: str) -> str:
    """One RIS record (type GEN: a generic document), its lines ended by CRLF as the format has it."""
    lines = [("TY", "GEN"), ("TI", item.title), ("AU", body_name(meeting)), ("T2", f"Referat, {meeting_name(meeting)}"
             if meeting_name(meeting) else "Referat")]
    if meeting.date:
        lines += [("PY", str(meeting.date.year)), ("DA", meeting.date.strftime("%Y/%m/%d"))]
    if parent_body(meeting):
        lines.append(("PB", parent_body(meeting)))
    lines.append(("N1", item_label(item) + (f", sag {item.case_number}" if item.case_number else "")))
    lines += [("UR", permalink), ("LA", "da"), ("ER", "")]
    return "".join(f"{tag}  - {_ris(value)}\r\n" for tag, value in lines)
