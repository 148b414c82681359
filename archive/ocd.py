"""Meetings as Open Civic Data Events: the export for civic tools (Councilmatic, pupa's importers …).

One Event per meeting, in the field names of OCD's Event schema as pupa writes it
(``pupa/scrape/event.py`` and ``schemas/event.py``): ``name``, ``start_date``, ``end_date``,
``all_day``, ``timezone``, ``description``, ``classification``, ``location{name, note, coordinates}``,
``status``, ``participants[{name, entity_type, note}]``, ``agenda[{description, order, classification,
subjects, notes, related_entities, media, extras}]``, ``documents``, ``media``, ``links``, ``sources``,
``extras``.  What OCD has no field for (the item's number as written, its outcomes, decision, dissent,
votes, case number …) is in ``extras``, by the field names of the item export (archive.export).

The caller hands in the meeting *as the reader may see it* (archive.visibility.visible) and the links
the reader may follow (no original of a meeting with a closed item for an anonymous visitor): this
module adds nothing that is not in what it is given.

The event's ``id`` is ``ocd-event/<uuid5>`` of arkiv's meeting id under a fixed namespace, so the same
meeting has the same OCD id in every export, on every machine.
"""
from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable
from zoneinfo import ZoneInfo

from archive.cite import body_name, danish_date, meeting_kind, meeting_name
from archive.model import AgendaItem, Meeting, Person

TIMEZONE = "Europe/Copenhagen"
# uuid5's namespace for arkiv's OCD ids: fixed, so an event's id never changes.
OCD_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/arkiv/ocd-event")
EVENT_FIELDS = ("_type", "id", "name", "description", "classification", "start_date", "end_date", "all_day",
                "timezone", "status", "location", "participants", "agenda", "documents", "media", "links",
                "sources", "extras")
AGENDA_FIELDS = ("description", "order", "classification", "subjects", "notes", "related_entities", "media",
                 "extras")

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
_MEDIA_TYPES = {".pdf": "application/pdf", ".html": "text/html", ".htm": "text/html", ".txt": "text/plain",
                ".md": "text/markdown",
                ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@dataclass
class Original:
    """One original file of the meeting that the reader may download."""
    name: str
    url: str
    ext: str = ""


@dataclass
class EventLinks:
    """The URLs an event points to, made by the caller (the web's url_for, or a base URL at the CLI)."""
    meeting_url: str
    item_url: Callable[[str], str]
    originals: list[Original] = field(default_factory=list)


def event_id(meeting_id: str) -> str:
    """"ocd-event/<uuid5 of the meeting's id>": stable for the meeting."""
    return f"ocd-event/{uuid.uuid5(OCD_NAMESPACE, meeting_id)}"


def media_type(ext: str) -> str:
    return _MEDIA_TYPES.get(ext.lower(), "application/octet-stream")


def _clock(text: str) -> dt.time | None:
    found = _TIME.match(text or "")
    if not found:
        return None
    hour, minute = int(found.group(1)), int(found.group(2))
    return dt.time(hour, minute) if hour < 24 and minute < 60 else None


def _when(date: dt.date | None, clock: str) -> tuple[str, bool]:
    """(ISO 8601 date-time with the Copenhagen offset, False) where the time is known; the date
    alone and True (an all-day event) where it is not; ("", True) without a date."""
    if date is None:
        return "", True
    time = _clock(clock)
    if time is None:
        return date.isoformat(), True
    return dt.datetime.combine(date, time, tzinfo=ZoneInfo(TIMEZONE)).isoformat(), False


def _person(person: Person, note: str) -> dict[str, Any]:
    out: dict[str, Any] = {"name": person.name, "entity_type": "person", "note": note}
    extras = {k: v for k, v in (("role", person.role), ("attendance_note", person.note),
                                ("substitute_for", person.substitute_for)) if v}
    if extras:
        out["extras"] = extras
    return out


def agenda_item(item: AgendaItem, order: int, permalink: str) -> dict[str, Any]:
    """One OCD agenda item: the title as its description, the minutes (else the decision) as its notes,
    presenters and the case as related entities, the rest in extras."""
    related: list[dict[str, Any]] = [
        {"name": p.name, "entity_type": "person", "note": f"presenter ({p.role})" if p.role else "presenter"}
        for p in item.presenters if p.name
    ]
    if item.case_number:
        # pupa's add_bill: the instrument the item considers (Councilmatic's "matter"); here the case.
        related.append({"name": item.case_number, "entity_type": "bill", "note": "consideration"})
    notes = [text for text in (item.minutes or item.decision,) if text]
    return {
        "description": item.title or item.number or f"Punkt {order}",
        "order": str(order),
        "classification": ["closed"] if item.closed else [],
        "subjects": [],
        "notes": notes,
        "related_entities": related,
        "media": [],
        "extras": {
            "arkiv_id": item.id,
            "number": item.number,
            "permalink": permalink,
            "time": item.time,
            "case_number": item.case_number,
            "decision": item.decision,
            "outcomes": list(item.outcomes),
            "recommendation": item.recommendation,
            "background": item.description,
            "dissent": [{"name": d.name, "kind": d.kind, "text": d.text} for d in item.dissent],
            "votes": (None if item.votes is None else
                      {"in_favour": item.votes.in_favour, "against": item.votes.against,
                       "abstained": item.votes.abstained}),
            "absent": list(item.absent),
            "attachments": [{"title": a.title, "url": a.url} for a in item.attachments],
            "closed": item.closed,
            "ocr": item.ocr,
        },
    }


def event(meeting: Meeting, items: Iterable[AgendaItem] | None, links: EventLinks,
          today: dt.date | None = None) -> dict[str, Any]:
    """The meeting as an OCD Event with ``items`` (all of the meeting's when None) as its agenda,
    in the meeting's order."""
    chosen = list(meeting.items if items is None else items)
    positions = {id(it): k for k, it in enumerate(meeting.items, 1)}
    chosen.sort(key=lambda it: (it.position or positions.get(id(it), 0)))
    start, all_day = _when(meeting.date, meeting.start)
    end, no_end_time = _when(meeting.date, meeting.end)
    if all_day or no_end_time:
        end = ""                    # a time to end without one to start, or none: no end
    elif end < start:               # past midnight ("22:00–01:00")
        end = (dt.datetime.fromisoformat(end) + dt.timedelta(days=1)).isoformat()
    today = today or dt.date.today()
    upcoming = meeting.document_kind == "agenda" and meeting.date is not None and meeting.date >= today
    body = body_name(meeting)
    name = ", ".join(p for p in (body, meeting_name(meeting), danish_date(meeting.date) if meeting.date else "")
                     if p)
    participants: list[dict[str, Any]] = [{"name": meeting.body, "entity_type": "organization", "note": "host"}]
    participants += [_person(p, "participant") for p in meeting.participants if p.name]
    participants += [_person(p, "secretariat") for p in meeting.secretariat if p.name]
    participants += [_person(p, "absent") for p in meeting.absent if p.name]
    documents = [{"note": o.name or "Original", "url": o.url, "media_type": media_type(o.ext),
                  "date": meeting.date.isoformat() if meeting.date else ""} for o in links.originals]
    documents += [{"note": f"Bilag til pkt. {it.number or it.position}: {a.title}", "url": a.url,
                   "media_type": "", "date": meeting.date.isoformat() if meeting.date else ""}
                  for it in chosen for a in it.attachments if a.url]
    sources = [{"url": links.meeting_url, "note": "arkiv"}]
    sources += [{"url": o.url, "note": f"original: {o.name}" if o.name else "original"} for o in links.originals]
    out: dict[str, Any] = {
        "_type": "event",
        "id": event_id(meeting.id),
        "name": name or meeting.title or "Møde",
        "description": meeting.title,
        "classification": meeting_kind(meeting) or "møde",
        "start_date": start,
        "end_date": end,
        "all_day": all_day,
        "timezone": TIMEZONE,
        "status": "confirmed" if upcoming else "passed",
    }
    if meeting.location:
        out["location"] = {"name": meeting.location, "note": "", "coordinates": None}
    out.update({
        "participants": participants,
        "agenda": [agenda_item(it, k, links.item_url(it.id)) for k, it in
                   ((it.position or positions.get(id(it), 0), it) for it in chosen)],
        "documents": documents,
        "media": [],
        "links": [{"note": "Mødet i arkivet", "url": links.meeting_url}],
        "sources": sources,
        "extras": {
            "arkiv_id": meeting.id,
            "body": meeting.body,
            "number": meeting.number,
            "title": meeting.title,
            "meeting_kind": meeting_kind(meeting),
            "document_kind": meeting.document_kind,
            "attendance": meeting.attendance,
            "preamble": meeting.preamble,
            "back_matter": meeting.back_matter,
            "agenda_complete": len(chosen) == len(meeting.items),
            "source_file": meeting.source_file,
            "source_sha256": meeting.source_sha256,
            "ocr_pages": list(meeting.ocr_pages),
        },
    })
    return out


def events(pairs: Iterable[tuple[AgendaItem, Meeting]], links: Callable[[Meeting], EventLinks],
           today: dt.date | None = None) -> list[dict[str, Any]]:
    """One event per meeting of ``pairs`` (items with their meetings, as a search or the store gives
    them), in the order each meeting first comes; its agenda is its items of ``pairs``, in its order."""
    meetings: dict[str, Meeting] = {}
    chosen: dict[str, list[AgendaItem]] = {}
    for item, meeting in pairs:
        key = meeting.id or str(id(meeting))
        meetings.setdefault(key, meeting)
        if all(it.id != item.id for it in chosen.setdefault(key, [])):
            chosen[key].append(item)
    return [event(meetings[key], chosen[key], links(meetings[key]), today) for key in meetings]
